"""A brochure as PDF (ReportLab, A4): a 3D render with the space highlighted, its floor plan
(or the building's stacking plan), areas, readiness and the published facts that apply, with
their sources, in Chinese or English. Public content only (:mod:`twin.leasing.brochure`).

Chinese is set in WenQuanYi Micro Hei (Debian: fonts-wqy-microhei), which has Latin too.
"""

from __future__ import annotations

import io
from typing import Literal

import numpy as np
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from assets.campus import Campus, floor_id
from occupancy.palette import STATUS_COLORS
from twin.leasing.brochure import Brochure
from twin.runtime import Twin
from viewer.plans import draw_floor_plan, draw_stacking_plan
from viewer.plans.floor import HIGHLIGHT
from viewer.sources import source_of, visitor_text

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
"""Debian's fonts-wqy-microhei: CJK and Latin in one face."""
FONT = "WenQuanYiMicroHei"
CONTEXT_M = 25.0
"""Campus drawn around the building in the 3D view, m."""
FLOOR_TINT = "#f4a46a"
"""The floor of a unit in the 3D view (the unit itself in the floor plan's highlight)."""
_INK, _MUTED = HexColor("#25303a"), HexColor("#6b7580")

TEXT: dict[str, dict[Lang, str]] = {
    "unit": {"en": "Unit", "zh": "单元"},
    "floor": {"en": "Floor", "zh": "楼层"},
    "building": {"en": "Building", "zh": "楼宇"},
    "area": {"en": "Leasable area", "zh": "可租面积"},
    "vacant": {"en": "Not let or reserved", "zh": "未租未预留面积"},
    "spaces": {"en": "Units", "zh": "单元数"},
    "status": {"en": "Status", "zh": "状态"},
    "readiness": {"en": "Readiness", "zh": "投用"},
    "building_facts": {"en": "Building", "zh": "楼宇概况"},
    "storeys": {"en": "storeys", "zh": "层"},
    "gfa": {"en": "GFA", "zh": "建筑面积"},
    "render": {"en": "The space in the campus (highlighted)", "zh": "空间在园区中的位置(高亮)"},
    "plan": {"en": "Floor plan", "zh": "平面图"},
    "stacking": {"en": "Stacking plan", "zh": "楼层堆叠图"},
    "facts": {"en": "About the campus (published sources)", "zh": "园区信息(公开来源)"},
    "source": {"en": "Source", "zh": "来源"},
    "as_of": {"en": "Figures as of", "zh": "数据截至"},
    "terms": {
        "en": "Rent and terms on request from the leasing team.",
        "zh": "租金及条款请咨询招商团队。",
    },
    "highlight": {"en": "This space", "zh": "本空间"},
}


def _t(key: str, lang: Lang) -> str:
    return TEXT[key][lang]


def readiness_text(b: Brochure, lang: Lang) -> str:
    """In use since a day, expected from the construction forecast, or no date yet."""
    r = b.readiness
    if r.in_use:
        day = r.ready_on.isoformat() if r.ready_on else ""
        return f"In use since {day}" if lang == "en" else f"已投用({day}起)"
    if r.ready_on is None:
        return "Not in use; no date forecast yet" if lang == "en" else "未投用,暂无预计日期"
    day = r.ready_on.isoformat()
    if lang == "en":
        return f"Expected in use from {day} (construction forecast)"
    return f"预计{day}起投用(施工进度预测)"


def _m2(value: float) -> str:
    return f"{value:,.2f} m²"


def _title(b: Brochure, lang: Lang) -> str:
    name = b.name_en if lang == "en" else b.name_zh
    if b.scope == "building":
        return name
    if b.scope == "floor":
        return f"{name} · L{b.level:02d}" if lang == "en" else f"{name} · {b.level}层"
    return f"{name} · {b.id.rsplit('/', 1)[1]}"


def _figures(b: Brochure, lang: Lang) -> list[list[str]]:
    rows = [[_t(b.scope, lang), b.id], [_t("area", lang), _m2(b.area_m2)]]
    if b.scope == "unit" and b.status:
        _, en, zh = STATUS_COLORS[b.status]
        rows.append([_t("status", lang), en if lang == "en" else zh])
    else:
        rows += [[_t("spaces", lang), str(b.spaces)], [_t("vacant", lang), _m2(b.vacant_m2)]]
    rows.append([_t("readiness", lang), readiness_text(b, lang)])
    building = f"{b.storeys} {_t('storeys', lang)} · {_t('gfa', lang)} {_m2(b.gfa_m2)}"
    rows.append([_t("building_facts", lang), building])
    return rows


def focus_of(campus: Campus, building: str) -> tuple[float, float, float, float, float, float]:
    """The building and ``CONTEXT_M`` around it, m in the scene's planar frame."""
    ring = campus.frame.to_planar(np.asarray(campus.footprints[building].exterior.coords))
    (x0, y0), (x1, y1) = ring[:, :2].min(axis=0), ring[:, :2].max(axis=0)
    c = CONTEXT_M
    return (x0 - c, x1 + c, y0 - c, y1 + c, 0.0, campus.height_m(building))


def render_space(twin: Twin, b: Brochure, lang: Lang) -> bytes:
    """The 3D picture: the building pale, the space (unit, floor or building) highlighted;
    a unit's floor tinted too, so that a unit on the far side still shows where it is."""
    from viewer.pictures import render_focused

    colors = {b.building: "#dfe6ec"}
    legend = [(f"{_t('highlight', lang)} · {b.id}", HIGHLIGHT)]
    if b.scope == "unit" and b.level is not None:
        colors[floor_id(b.building, b.level)] = FLOOR_TINT
        legend.append((f"{_t('floor', lang)} · L{b.level:02d}", FLOOR_TINT))
    colors[b.id] = HIGHLIGHT  # a building's own id wins
    campus = twin.campus_at(b.at)
    return render_focused(twin, b.at, colors, focus_of(campus, b.building), legend=legend)


def _plan_png(b: Brochure) -> bytes:
    if b.floor_plan is not None:
        return draw_floor_plan(b.floor_plan, "png", highlight=b.id if b.scope == "unit" else None)
    assert b.stacking_plan is not None
    return draw_stacking_plan(b.stacking_plan, "png")


def _image(png: bytes, width: float, max_height: float) -> Image:
    img = Image(io.BytesIO(png))
    scale = min(width / img.imageWidth, max_height / img.imageHeight)
    img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
    return img


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
        except TTFError as missing:
            raise RuntimeError(
                f"no font for brochures at {FONT_FILE}: install Debian's fonts-wqy-microhei"
            ) from missing
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=_INK)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=8),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=_MUTED),
    }


def brochure_pdf(twin: Twin, b: Brochure, lang: Lang) -> bytes:
    """The brochure as PDF bytes (A4, two pages)."""
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{_title(b, lang)} — {b.id}",
        author="Information Flying Fish digital twin",
    )
    width = doc.width
    figures = Table(
        [[Paragraph(k, s["small"]), Paragraph(v, s["body"])] for k, v in _figures(b, lang)],
        colWidths=[38 * mm, width - 38 * mm],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, _MUTED)],
    )
    day = b.at.date().isoformat()
    story = [
        Paragraph(_title(b, lang), s["title"]),
        Paragraph(f"{_t('as_of', lang)} {day}", s["small"]),
        Spacer(1, 4 * mm),
        _image(render_space(twin, b, lang), width, 150 * mm),
        Paragraph(_t("render", lang), s["small"]),
        Spacer(1, 3 * mm),
        figures,
        PageBreak(),
        Paragraph(_t("plan" if b.floor_plan else "stacking", lang), s["h2"]),
        _image(_plan_png(b), width, 150 * mm),
        Paragraph(_t("facts", lang), s["h2"]),
    ]
    for fact in b.facts:
        source = source_of(fact)
        cited = f"{source.name}, {source.date}" if source.date else source.name
        story.append(Paragraph(visitor_text(fact)[lang], s["body"]))
        story.append(Paragraph(f"{_t('source', lang)}: {cited} ({fact.id})", s["small"]))
        story.append(Spacer(1, 2 * mm))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(_t("terms", lang), s["small"]))
    doc.build(story)
    return out.getvalue()
