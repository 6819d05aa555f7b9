"""Construction evidence on a building's card, in real headless Chromium against a real `twin
serve`: photos uploaded through the API (the fixture) show as thumbnails with their dates and
in a dated list, newest first; a click opens the file; without a staff token the card shows
none. English and Chinese, desktop and phone (screenshots written to the test's directory, and
looked at)."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image, ImageDraw
from viewer_browser import VIEWPORT, ViewerPage

PHONE = {"width": 390, "height": 844}
BUILDING = "fish-head-t1"
SHOTS = "evidence-{size}-{lang}.png"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _photo(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (480, 360), (190, 205, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 120, 420, 340), fill=colour)  # a storey-ish block
    for x in range(80, 420, 60):
        draw.rectangle((x, 60, x + 12, 340), fill=(90, 90, 90))  # columns
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A twin of its own with two photos and a PDF attached to the fish head's stages."""
    from live_server import start_twin, stop_twin

    from twin.auth import TokenStore
    from twin.eventlog import open_store

    workdir = tmp_path_factory.mktemp("viewer-evidence")
    live = start_twin(workdir, "--db", str(workdir / "twin.db"))
    with open_store(f"sqlite:///{workdir / 'twin.db'}") as store:
        token = TokenStore(store.engine).create("construction", "site-camera")
    auth = {"Authorization": f"Bearer {token}"}
    uploads = [
        (
            "pour.jpg",
            _photo((150, 110, 80)),
            "image/jpeg",
            "foundation",
            "2025-04-02",
            "筏板浇筑",
            "Raft pour",
        ),
        (
            "steel.jpg",
            _photo((70, 110, 160)),
            "image/jpeg",
            "structure",
            "2026-10-18",
            "钢结构吊装",
            "Steel lift",
        ),
        (
            "check.pdf",
            PDF,
            "application/pdf",
            "structure",
            "2026-11-01",
            "验收记录",
            "Inspection record",
        ),
    ]
    for name, data, kind, stage, day, zh, en in uploads:
        form = {
            "building": BUILDING,
            "stage": stage,
            "taken_at": day,
            "caption_zh": zh,
            "caption_en": en,
        }
        answer = httpx.post(
            f"{live.url}/api/v1/construction/evidence",
            files={"file": (name, data, kind)}, data=form, headers=auth, timeout=30,
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
    yield live, token, workdir
    stop_twin(live)


def _page(browser, live, token, query, size):
    context = browser.new_context(viewport=size, is_mobile=size == PHONE, has_touch=size == PHONE)
    if token:
        context.add_init_script(f"sessionStorage.setItem('twin.leasingToken', {token!r})")
    return context, ViewerPage(context.new_page(), live.url).open(query)


THUMBS_LOADED = """() => {
  const imgs = [...document.querySelectorAll('#card .evidence-thumb img')];
  return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
}"""


@pytest.mark.parametrize(
    ("size", "lang"), [(VIEWPORT, "en"), (VIEWPORT, "zh"), (PHONE, "en"), (PHONE, "zh")]
)
def test_the_card_shows_the_buildings_evidence(browser, site, size, lang):
    live, token, workdir = site
    context, v = _page(browser, live, token, f"mode=construction&lang={lang}&sel={BUILDING}", size)
    try:
        v.page.wait_for_function(THUMBS_LOADED, timeout=20_000)
        card = v.page.inner_text("#card .evidence")
        title, steel = (
            ("现场照片与文件", "钢结构吊装")
            if lang == "zh"
            else ("Site photos and documents", "Steel lift")
        )
        assert title in card and steel in card
        rows = v.page.locator("#card .evidence-list li").all_inner_texts()
        assert [r[:10] for r in rows] == ["2026-11-01", "2026-10-18", "2025-04-02"]
        dates = v.page.locator("#card .evidence-thumb span").all_inner_texts()
        assert dates == ["2026-10-18", "2025-04-02"]
        v.page.locator("#card .evidence").scroll_into_view_if_needed()
        name = "desktop" if size == VIEWPORT else "phone"
        v.page.screenshot(path=workdir / SHOTS.format(size=name, lang=lang))
        if size == VIEWPORT and lang == "en":
            with context.expect_page() as opened:
                v.page.locator("#card .evidence-thumb").first.click()
            photo = opened.value
            photo.wait_for_load_state()
            assert photo.url.startswith("blob:")
            assert photo.evaluate("document.querySelector('img')?.naturalWidth") == 480
        assert v.errors == []
    finally:
        context.close()


def test_without_a_staff_token_the_card_shows_no_photos(browser, site):
    live, _, _ = site
    context, v = _page(browser, live, None, f"mode=construction&lang=en&sel={BUILDING}", VIEWPORT)
    try:
        v.page.wait_for_function("() => !document.querySelector('#card').hidden")
        v.page.wait_for_timeout(500)
        assert v.page.locator("#card .evidence").count() == 0
    finally:
        context.close()
