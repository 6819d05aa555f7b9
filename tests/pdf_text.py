"""The text of a PDF as a reader's copy-and-paste would give it (pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """Every page's text, pages joined by newlines."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
