"""The JSON nesting check that runs before any parser: exact on JSON, never fooled by strings."""

import json

import pytest

from api.middleware.json_depth import MAX_JSON_DEPTH, too_deep


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_the_limit_is_exact():
    assert not too_deep(nested(MAX_JSON_DEPTH))
    assert too_deep(nested(MAX_JSON_DEPTH + 1))
    assert too_deep(b'{"a":' * (MAX_JSON_DEPTH + 1))  # unfinished: as deep as a parser goes


def test_many_shallow_brackets_are_not_deep():
    batch = {"readings": [{"facility": "dc", "value": [1, [2]]} for _ in range(5_000)]}
    assert not too_deep(json.dumps(batch).encode())
    assert not too_deep(b"[]" * 500_000)


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
    assert not too_deep(text.encode())


def test_a_string_ending_before_deep_brackets_does_not_hide_them():
    assert too_deep(b'["\\\\"' + b"[" * (MAX_JSON_DEPTH + 1))


def test_utf16_json_is_judged_by_its_bracket_count():
    assert too_deep(json.dumps({"a": "[" * 100}).encode("utf-16"))
    assert not too_deep(json.dumps({"a": [1]}).encode("utf-16"))


def test_pathological_escapes_stay_linear():
    assert not too_deep(b'"' + b'\\"' * 500_000)  # one unterminated string, matched once
    assert not too_deep(b'"\\""' * 200_000 + b"[]")
