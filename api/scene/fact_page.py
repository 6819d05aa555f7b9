"""``GET /facts/{fact_id}``: a published fact as a page for visitors (their source links open
it), in English or Chinese (``?lang=``). Not part of the API (``/api/v1/facts/{id}`` is)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import TwinDep
from api.middleware.security_headers import page_policy
from viewer.fact_page import Lang, fact_page

router = APIRouter(include_in_schema=False)


@router.get("/facts/{fact_id}", response_class=HTMLResponse)
def fact(fact_id: str, twin: TwinDep, lang: Lang = "en") -> HTMLResponse:
    """The page of fact ``fact_id`` (404 naming it when the campus has no such fact)."""
    found = twin.campus.facts.get(fact_id)
    if found is None:
        html = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>No such fact</title>'
            f'<link rel="stylesheet" href="/src/fact.css"><main><h1>No fact {escape(fact_id)!s}'
            ' in the campus</h1><p><a href="/">Back to the 3D campus · 返回三维园区</a></p></main>'
        )
        return HTMLResponse(html, status_code=404)
    html = fact_page(found, lang)
    return HTMLResponse(html, headers={"Content-Security-Policy": page_policy(html)})
