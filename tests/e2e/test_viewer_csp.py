"""The viewer under its Content-Security-Policy in real headless Chromium: it loads and draws
the campus (import map, three.js, GLB, API requests) and the browser reports no violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECORD_VIOLATIONS = """() => {
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
}"""


def test_the_viewer_loads_under_its_policy_without_violations(browser, live_twin) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.add_init_script(f"({RECORD_VIOLATIONS})()")
        response = page.goto(f"{live_twin.url}/")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in policy and "frame-ancestors 'none'" in policy
        page.wait_for_function("() => window.twin && window.twin.ready", timeout=120_000)
        page.evaluate("window.twin.select('office-building/L12/U03')")  # a card, more requests
        page.wait_for_selector("#card:not([hidden])")
        assert page.evaluate("window.cspViolations") == []
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        context.close()
