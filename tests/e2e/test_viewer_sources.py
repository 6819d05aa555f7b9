"""A visitor's source link opens the source, not JSON: clicking a fact's source in the tour
opens the fact's page (the source's name and date, the Chinese quote and its English
translation) in the visitor's language, on a desktop and a phone; screenshots for a look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from viewer_browser import WEB, ViewerPage

AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PAGE = {  # lang -> what the page of F5 says
    "en": ("Shanghai Municipal People's Government", "Published 12 September 2024", "In English"),
    "zh": ("Shanghai Municipal People's Government", "发布于 2024年9月12日", "英文译文"),
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_source_link_opens_the_fact_s_page_in_the_visitor_s_language(
    browser: Any, live_twin: Any, lang: str, viewport: str, tmp_path: Path
) -> None:
    phone = viewport == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone, bypass_csp=True
    )
    try:
        v = ViewerPage(context.new_page(), live_twin.url).open(f"tour=3&lang={lang}")
        v.wait_ready("window.twin.tour && window.twin.tour.step === 3 && !window.twin.tour.flying")
        link = v.page.locator("#tour-sources a[data-fact=F5]")
        with context.expect_page() as opened:
            link.click()
        page = opened.value
        page.wait_for_load_state()
        assert page.url == f"{live_twin.url}/facts/F5?lang={lang}"
        assert page.evaluate("document.contentType") == "text/html"
        name, date, translation = PAGE[lang]
        assert page.locator("h1").inner_text() == name
        assert page.locator(".date").inner_text() == date
        assert "鱼头部分的大约40万方空间" in page.locator("blockquote[lang=zh-CN]").inner_text()
        assert translation in page.locator("main").inner_text()
        assert "The fish head is about 400,000 m²" in page.locator("p[lang=en]").inner_text()
        assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
        # nothing wider than the screen, and no serious accessibility fault
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.add_script_tag(path=str(AXE))
        serious = page.evaluate(
            """async () => (await axe.run(document)).violations
            .filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id)"""
        )
        assert serious == []
        page.screenshot(path=str(tmp_path / f"fact-{viewport}-{lang}.png"), full_page=True)
        v.page.screenshot(path=str(tmp_path / f"tour-{viewport}-{lang}.png"))
        assert not v.errors
    finally:
        context.close()


def test_the_fact_s_page_links_back_and_to_its_json_and_names_an_unknown_fact(
    live_twin: Any,
) -> None:
    page = httpx.get(f"{live_twin.url}/facts/S5", params={"lang": "en"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Shanghai Daily" in page.text and "12" not in page.text.split("<h1>")[1][:30]
    assert "the twin records its English wording only" in page.text  # no Chinese source
    assert 'href="/api/v1/facts/S5"' in page.text and 'href="/?lang=en"' in page.text
    assert "script-src 'self';" in page.headers["content-security-policy"]
    missing = httpx.get(f"{live_twin.url}/facts/F99")
    assert missing.status_code == 404 and "No fact F99" in missing.text
    assert httpx.get(f"{live_twin.url}/facts/F5", params={"lang": "fr"}).status_code == 422
