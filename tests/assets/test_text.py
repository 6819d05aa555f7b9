"""Safe text: valid Unicode a database can store and give back, within a length limit."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from assets.text import MAX_NAME, SafeName, UnsafeText, checked_text, first_unsafe, text_problem


@pytest.mark.parametrize(
    "good", ["", "飞鱼 🐟", "tab\tnew\nline", "\\u0000 written out", "\U0010ffff"]
)
def test_valid_unicode_is_safe(good):
    assert text_problem(good) is None and checked_text(good, 100) == good


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("a\x00b", "NUL character (U+0000) at position 1"),
        ("ab\ud800", "lone surrogate (U+D800) at position 2"),
        ("\udfff", "U+DFFF"),
    ],
)
def test_nul_and_lone_surrogates_are_named(bad, words):
    assert words in text_problem(bad)
    with pytest.raises(UnsafeText, match=r"U\+"):
        checked_text(bad, 100)


def test_the_length_limit_is_named():
    with pytest.raises(UnsafeText, match="500000 characters long; at most 200"):
        checked_text("x" * 500_000, MAX_NAME)


class Named(BaseModel):
    name: SafeName


@pytest.mark.parametrize("bad", ["x\ud800", "x\x00", "x" * (MAX_NAME + 1)])
def test_the_pydantic_type_refuses_what_checked_text_refuses(bad):
    with pytest.raises(ValidationError) as refused:
        Named(name=bad)
    assert refused.value.errors()[0]["loc"] == ("name",)
    assert Named.model_json_schema()["properties"]["name"]["maxLength"] == MAX_NAME


def test_first_unsafe_finds_keys_and_values_at_any_depth():
    assert first_unsafe({"a": [1, {"b": "ok"}, {"c": "x\x00"}]}, "data") == (
        "data.a[2].c",
        "contains a NUL character (U+0000) at position 1",
    )
    where, _ = first_unsafe({"a": {"k\ud800": 1}}, "data")
    assert where == "key 'k\\ud800' of data.a"
    assert first_unsafe({"a": ["fine", 1.5, None, True]}) is None
