"""Security headers on every response: a Content-Security-Policy allowing only the twin's own
origin, no framing, no MIME sniffing and a referrer policy (docs/deploy.md "Security headers").
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The policy of the viewer and the API: scripts, styles, images and requests of this origin."""
FIXED = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def page_policy(html: str, inline_styles: bool = False) -> str:
    """The policy for an HTML page of this origin, admitting its inline scripts (such as the
    viewer's import map) by their SHA-256 hash; ``inline_styles`` for pages whose scripts
    style elements at run time (Swagger UI, ReDoc)."""
    hashes = (
        base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    )
    policy = POLICY.format(scripts="".join(f" 'sha256-{h}'" for h in hashes))
    return (
        policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        if inline_styles
        else policy
    )


API_POLICY = page_policy("").encode()


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response; a response that sets its own
    Content-Security-Policy (the viewer page, with its script hashes) keeps it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = API_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", policy))
                headers.extend(FIXED)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
