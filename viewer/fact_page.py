"""A published fact as a page a visitor reads (what a source link in the viewer opens): the
source's name and publication date, the original Chinese wording and its English translation,
the fact dated as a visitor reads it today, in English or Chinese. Fact ids stay in small print
for staff; the JSON is one link away for machines."""

from __future__ import annotations

from html import escape
from typing import Literal

from assets.models import Fact
from viewer.sources import long_date, source_of, visitor_text

Lang = Literal["en", "zh"]
_WORDS: dict[str, dict[Lang, str]] = {
    "site": {"en": "Information Flying Fish · digital twin", "zh": "信息飞鱼 · 数字孪生"},
    "back": {"en": "Back to the 3D campus", "zh": "返回三维园区"},
    "published": {"en": "Published", "zh": "发布于"},
    "undated": {"en": "Date of publication not recorded", "zh": "未记录发布日期"},
    "source": {"en": "Source", "zh": "来源"},
    "original": {"en": "Original wording (Chinese)", "zh": "原文(中文)"},
    "no_original": {
        "en": "The source is not in Chinese: the twin records its English wording only.",
        "zh": "该来源非中文:孪生数据只记录了英文表述。",
    },
    "translation": {"en": "In English", "zh": "英文译文"},
    "today": {"en": "As the viewer tells it", "zh": "查看器中的表述"},
    "fact": {"en": "Fact", "zh": "事实编号"},
    "json": {"en": "as JSON", "zh": "JSON 格式"},
    "other": {"en": "中文", "zh": "English"},
}


def fact_page(fact: Fact, lang: Lang) -> str:
    """The HTML page of ``fact`` in ``lang`` (no script: styled by ``/src/fact.css``)."""
    w = {key: words[lang] for key, words in _WORDS.items()}
    source = source_of(fact)
    when = source.date and long_date(source.date, lang)
    dated = f"{w['published']} {when}" if when else w["undated"]
    other: Lang = "en" if lang == "zh" else "zh"
    original = (
        f'<blockquote lang="zh-CN"><p>{escape(fact.zh)}</p></blockquote>'
        if fact.zh
        else f'<p class="note">{w["no_original"]}</p>'
    )
    title = ", ".join(filter(None, [source.name, when]))
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {w["site"]}</title>
<link rel="stylesheet" href="/src/fact.css">
</head>
<body>
<main>
<nav><a href="/?lang={lang}">← {w["back"]}</a>
<a class="lang" href="/facts/{fact.id}?lang={other}" lang="{"zh-CN" if other == "zh" else "en"}">{w["other"]}</a></nav>
<p class="kicker">{w["source"]}</p>
<h1>{escape(source.name)}</h1>
<p class="date">{dated}</p>
<section>
<h2>{w["original"]}</h2>
{original}
<h2>{w["translation"]}</h2>
<p lang="en">{escape(fact.en)}</p>
<h2>{w["today"]}</h2>
<p>{escape(visitor_text(fact)[lang])}</p>
</section>
<footer>{w["fact"]} {fact.id} · <a href="/api/v1/facts/{fact.id}">{w["json"]}</a></footer>
</main>
</body>
</html>
"""
