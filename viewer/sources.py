"""What a visitor reads of a published fact: its source's name and date, and its text dated.

The 2024 article says "next year" (明年) and "this year" (今年); read later, those words
mislead. A visitor's text of a fact starts with the date it was true ("As of September 2024" /
"截至2024年9月") and has its relative years written as absolute ones. Fact ids stay for staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assets.models import Fact

_SOURCE = re.compile(r"^(?P<name>[^,(]+?),\s*(?P<date>\d{4}-\d{2}-\d{2})")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ZH_RELATIVE = {"去年": -1, "今年": 0, "明年": 1}
_EN_RELATIVE = {"last year": -1, "this year": 0, "next year": 1}


@dataclass(frozen=True)
class Source:
    """Where a fact was published: ``name`` and ``date`` (ISO day, or None if undated)."""

    name: str
    date: str | None


def source_of(fact: Fact) -> Source:
    """The source's name and publication date, read from the fact's ``source`` text."""
    match = _SOURCE.match(fact.source)
    if match is None:
        return Source(name=fact.source.strip(), date=None)
    return Source(name=match["name"].strip(), date=match["date"])


def as_of(date: str) -> dict[str, str]:
    """ "As of September 2024" / "截至2024年9月" for an ISO day."""
    year, month = int(date[:4]), int(date[5:7])
    return {"en": f"As of {_MONTHS[month - 1]} {year}", "zh": f"截至{year}年{month}月"}


def long_date(iso: str, lang: str) -> str:
    """``"12 September 2024"`` / ``"2024年9月12日"`` (``lang`` ``"zh"``) for an ISO day."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日" if lang == "zh" else f"{day} {_MONTHS[month - 1]} {year}"


def absolute_years(text: str, year: int) -> str:
    """``text`` with 去年/今年/明年 and last/this/next year written as years (``year`` = now)."""
    for word, shift in _ZH_RELATIVE.items():
        text = text.replace(word, f"{year + shift}年")
    for word, shift in _EN_RELATIVE.items():
        text = re.sub(rf"\b{word}\b", str(year + shift), text, flags=re.IGNORECASE)
    return text


def visitor_text(fact: Fact) -> dict[str, str]:
    """The fact in both languages as a visitor reads it: dated by its source, no relative
    years. An undated source leaves the text as published; no Chinese text falls back to
    English."""
    zh, en = fact.zh or fact.en, fact.en
    date = source_of(fact).date
    if date is None:
        return {"zh": zh, "en": en}
    year, prefix = int(date[:4]), as_of(date)
    return {
        "zh": f"{prefix['zh']}:{absolute_years(zh, year)}",
        "en": f"{prefix['en']}: {absolute_years(en, year)}",
    }


def citation(fact: Fact) -> dict[str, object]:
    """A fact's public citation: its id (for staff), the source's name and date, and the API
    page of the fact with its original wording and translation (what a visitor's link opens:
    :mod:`viewer.fact_page`; ``/api/v1/facts/{id}`` gives it as JSON)."""
    source = source_of(fact)
    return {
        "id": fact.id,
        "source": source.name,
        "date": source.date,
        "href": f"/facts/{fact.id}",
    }
