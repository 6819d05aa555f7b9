"""Safe text: what every string that reaches the log or the measurements must be.

A string is *safe* when it is valid Unicode a database can store and give back: no lone
surrogate (``"\\ud800"`` arrives from JSON escapes but cannot be encoded as UTF-8, so every
answer holding it fails) and no NUL (PostgreSQL's ``text`` and ``jsonb`` refuse ``\\u0000``).
The edge (HTTP bodies, MQTT payloads, imports, restores) checks each field with
:func:`checked_text` or the :data:`SafeName`, :data:`SafeNote` or :data:`SafeId` pydantic types, with a length limit per field;
the event log checks whole events again with :func:`first_unsafe` before writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

#: Longest name of a person, tenant, token or imported feature, in characters.
MAX_NAME = 200
#: Longest free-text note, reason or comment, in characters.
MAX_NOTE = 500
#: Longest identifier or idempotency key, in characters.
MAX_ID = 200


class UnsafeText(ValueError):
    """A string that could not be stored and read back, or that is too long.

    Attributes
    ----------
    problem : str
        What is wrong, for a person, e.g. ``contains a NUL character (U+0000) at position 3``.
    """

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def text_problem(value: str) -> str | None:
    """Say why ``value`` cannot be stored and read back, or return None if it can."""
    nul = value.find("\x00")
    if nul >= 0:
        return f"contains a NUL character (U+0000) at position {nul}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"contains a lone surrogate (U+{ord(value[exc.start]):04X}) at position "
            f"{exc.start}: not valid Unicode"
        )
    return None


def checked_text(value: str, max_length: int) -> str:
    """Return ``value`` if it is safe text of at most ``max_length`` characters.

    Raises
    ------
    UnsafeText
        Naming the problem (and the limit, for a long value).
    """
    problem = text_problem(value)
    if problem is not None:
        raise UnsafeText(problem)
    if len(value) > max_length:
        raise UnsafeText(f"is {len(value)} characters long; at most {max_length} are allowed")
    return value


def _safe(value: Any) -> Any:
    """Refuse unsafe text before pydantic reads it as a string (other types pass on)."""
    if isinstance(value, str) and (problem := text_problem(value)) is not None:
        raise UnsafeText(problem)
    return value


#: Pydantic field types of safe text (the JSON schema shows ``maxLength``).
SafeName = Annotated[str, Field(max_length=MAX_NAME), BeforeValidator(_safe)]
SafeNote = Annotated[str, Field(max_length=MAX_NOTE), BeforeValidator(_safe)]
SafeId = Annotated[str, Field(max_length=MAX_ID), BeforeValidator(_safe)]


def first_unsafe(value: Any, path: str = "") -> tuple[str, str] | None:
    """Find the first unsafe string in a JSON-like value (keys and values, at any depth).

    Returns
    -------
    tuple of (str, str) or None
        Where it is (``"name"``, ``"a[0].b"``, ``"key 'x\\ud800' of a"``) and its problem.
    """
    if isinstance(value, str):
        problem = text_problem(value)
        return None if problem is None else (path or "value", problem)
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (problem := text_problem(key)) is not None:
                return (f"key {key!a} of {path or 'the object'}", problem)
            found = first_unsafe(item, where)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = first_unsafe(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None
