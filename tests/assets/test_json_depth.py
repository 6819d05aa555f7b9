"""JSON nesting depth, measured before parsing untrusted text."""

from __future__ import annotations

import json

import pytest

from assets.json_depth import MAX_JSON_DEPTH, json_too_deep


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


@pytest.mark.parametrize("kind", [str, bytes])
def test_the_depth_is_counted_to_the_limit_and_no_further(kind):
    def as_kind(text: str) -> str | bytes:
        return text if kind is str else text.encode()

    assert not json_too_deep(as_kind(nested(MAX_JSON_DEPTH)))
    assert json_too_deep(as_kind(nested(MAX_JSON_DEPTH + 1)))
    assert json_too_deep(as_kind('{"a":' * 5000))  # unterminated: too deep all the same
    assert json_too_deep(as_kind("[" * 5000))
    assert not json_too_deep(as_kind(nested(3)), limit=3)
    assert json_too_deep(as_kind(nested(4)), limit=3)


def test_siblings_do_not_add_up_and_brackets_in_strings_do_not_count():
    wide = json.dumps([[[1]] for _ in range(5000)])
    assert not json_too_deep(wide)
    quoted = json.dumps({"note": "[" * 5000, "escaped": '\\"[[[[' * 100, "x": [{"y": []}]})
    assert not json_too_deep(quoted)
    assert not json_too_deep(quoted.encode())
    assert json_too_deep(json.dumps({"note": "]" * 100}) + "[" * 70)
    # Escaped quotes stay in their string; an escaped backslash ends before its quote.
    assert not json_too_deep(json.dumps({"note": '"' + "[" * 100 + "\\"}))
    after_backslash = json.dumps(["\\", "x"])[:-1] + ", " + nested(MAX_JSON_DEPTH) + "]"
    assert json_too_deep(after_backslash) and json.loads(after_backslash)[0] == "\\"
    assert not json_too_deep('"' + '\\"' * 1000 + "[" * 100)  # all in one (open) string


def test_what_passes_the_check_parses():
    deepest = nested(MAX_JSON_DEPTH - 1, '{"a":', "}").replace(":}", ":[]}", 1)
    assert not json_too_deep(deepest)
    assert json.loads(deepest)["a"]["a"]


@pytest.mark.parametrize(
    "text",
    [
        '{"note": "' + "[" * 1000 + '"}',  # brackets in a string
        '{"note": "\\"' + "[" * 1000 + '"}',  # after an escaped quote, still in the string
        '{"note": "\\\\", "x": "' + "{" * 1000 + '"}',  # an escaped backslash ends nothing
        '"' + "[" * 1000,  # an unterminated string: the parser fails at its start
    ],
)
def test_brackets_inside_strings_do_not_count(text):
    assert not json_too_deep(text.encode())


def test_a_string_ending_before_deep_brackets_does_not_hide_them():
    assert json_too_deep(b'["\\\\"' + b"[" * (MAX_JSON_DEPTH + 1))


def test_utf16_json_is_judged_by_its_bracket_count():
    assert json_too_deep(json.dumps({"a": "[" * 100}).encode("utf-16"))
    assert not json_too_deep(json.dumps({"a": [1]}).encode("utf-16"))


def test_pathological_escapes_stay_linear():
    assert not json_too_deep(b'"' + b'\\"' * 500_000)  # one unterminated string, matched once
    assert not json_too_deep(b'"\\""' * 200_000 + b"[]")
    assert not json_too_deep(b"[]" * 500_000)
