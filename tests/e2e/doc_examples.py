"""The HTTP examples of README.md and docs/*.md, read as a reader reads them.

An example is a ``curl`` command or a ``http://127.0.0.1:8000/...`` URL in a code block, or an
inline code span naming a path under ``/api/v1`` or ``/ogc`` (``GET /api/v1/...?a=&b=``, a URL).
Under a heading that names a prefix in code (``## API (`/api/v1/construction`)``), ``GET /x``
spans are relative to it. ``<!-- expect 404 -->`` before a block or line marks the status its
examples demonstrate (default: success).

A *concrete* example (no ``{id}``, ``…`` or ``a|b`` in its path) is run; a query value left
empty (``at=``) is left out and ``a|b`` takes ``a``. Every example under ``/api/v1`` is also
checked against the OpenAPI document: its operation exists and declares each query parameter.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SERVER = "http://127.0.0.1:8000"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
EXPECT = re.compile(r"<!--\s*expect\s+(\d{3})\s*-->")
URL = re.compile(r"http://127\.0\.0\.1:8000[^\s'\"`)>\]]*")
INLINE = re.compile(r"`([^`]+)`")
SPAN = re.compile(rf"^(?:({'|'.join(METHODS)})\s+)?(\S+)$")
PLACEHOLDER = re.compile(r"\{[^}]*\}|…|\.\.\.|<[^>]*>")


@dataclass
class Example:
    """One request a document shows: where, how, and the status it should get."""

    where: str
    method: str
    target: str  # path and query as written (a base resolved, the server dropped)
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: int | None = None
    form: list[tuple[str, str]] = field(default_factory=list)  # curl -F: name=value, name=@file
    mention: bool = False  # a path named in prose without a method: any method will do

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    @property
    def concrete(self) -> bool:
        """Whether the path names one resource (no placeholder or alternatives)."""
        return not PLACEHOLDER.search(self.path) and "|" not in self.path

    def multipart(self) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
        """The fields and files of a ``curl -F`` form: ``@path`` (from the repository root)
        with curl's ``;filename=`` and ``;type=`` (default: the file's name, no type)."""
        fields, files = {}, {}
        for name, value in self.form:
            if not value.startswith("@"):
                fields[name] = value
                continue
            path, *options = value[1:].split(";")
            given = dict(o.split("=", 1) for o in options)
            content = (ROOT / path).read_bytes()
            kind = given.get("type", "application/octet-stream")
            files[name] = (given.get("filename", Path(path).name), content, kind)
        return fields, files

    def runnable_query(self) -> list[tuple[str, str]]:
        """The query sent: empty values left out, ``a|b`` as ``a``."""
        return [(k, v.split("|")[0]) for k, v in self.query if v]


def _target(text: str) -> str | None:
    """The path and query of an example URL or path, or None when it is neither."""
    text = text.replace("\\|", "|").rstrip(".,;:")
    if text.startswith(SERVER):
        return text[len(SERVER) :] or "/"
    if text.startswith(("/api/v1", "/ogc")):
        return text
    return None


def _curl(words: list[str], where: str, expect: int | None) -> Example | None:
    """The request of a ``curl`` command (-X, -H, -d, -F and the URL)."""
    method, body, headers, url, form = None, None, {}, None, []
    args = iter(words[words.index("curl") + 1 :])
    for word in args:
        if word in ("-X", "--request"):
            method = next(args)
        elif word in ("-H", "--header"):
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            body = next(args)
        elif word in ("-F", "--form"):
            name, _, value = next(args).partition("=")
            form.append((name, value))
        elif not word.startswith("-"):
            url = word
    target = _target(url or "")
    if target is None:
        return None
    method = method or ("POST" if body or form else "GET")
    return Example(where, method, target, body, headers, expect, form)


def _block(lines: list[str], first: int, name: str, expect: int | None) -> Iterator[Example]:
    """The examples of one code block starting at line ``first`` (1-based)."""
    command, start = "", first
    for number, line in enumerate(lines, first):
        if not command:
            start = number
        if line.endswith("\\"):  # continued on the next line
            command += line[:-1] + " "
            continue
        command += line + "\n"
        try:
            words = shlex.split(command, comments=True)
        except ValueError:  # a quote still open: the command goes on
            continue
        where = f"{name}:{start}"
        if "curl" in words:
            example = _curl(words, where, expect)
            if example is not None:
                yield example
        else:
            for url in URL.findall(command):
                yield Example(where, "GET", _target(url) or "/", expect=expect)
        command = ""
    if command:  # an unbalanced quote (prose in a block): its URLs still count
        for url in URL.findall(command):
            yield Example(f"{name}:{start}", "GET", _target(url) or "/", expect=expect)


def _spans(line: str, where: str, base: str | None, expect: int | None) -> Iterator[Example]:
    """The examples of the inline code spans of one line of prose."""
    for span in INLINE.findall(line):
        for url in URL.findall(span):
            yield Example(where, "GET", _target(url) or "/", expect=expect)
        if URL.search(span):
            continue
        match = SPAN.match(span.strip())
        if match is None:
            continue
        method, text = match.group(1) or "GET", match.group(2)
        target = _target(text)
        if target is None and match.group(1) and base and text.startswith("/"):
            target = base + text.replace("\\|", "|")
        if target is not None:
            yield Example(where, method, target, expect=expect, mention=not match.group(1))


def examples(document: Path, text: str | None = None) -> list[Example]:
    """Every example of one Markdown document, in reading order."""
    lines = (document.read_text() if text is None else text).splitlines()
    name = document.name
    found: list[Example] = []
    expect: int | None = None
    base: str | None = None
    block: list[str] | None = None
    block_start = 0
    for number, line in enumerate(lines, 1):
        if block is not None:
            if line.lstrip().startswith("```"):
                found += _block(block, block_start, name, expect)
                block, expect = None, None
            else:
                block.append(line)
            continue
        if line.lstrip().startswith("```"):
            block, block_start = [], number + 1
            continue
        mark = EXPECT.search(line)
        if mark:
            expect = int(mark.group(1))
            continue
        if line.startswith("#"):
            prefix = re.search(r"`(/api/v1/[^`?]+)`", line)
            base = prefix.group(1) if prefix else None
        spans = list(_spans(line, f"{name}:{number}", base, expect))
        if spans:
            found += spans
            expect = None
    return found


def operation_problem(example: Example, api: dict[str, Any]) -> str | None:
    """Why an ``/api/v1`` example does not match the OpenAPI document ``api``, else None."""
    paths = api["paths"]
    expanded = [example.path]
    while any("|" in p for p in expanded):  # a segment a|b: each alternative
        expanded = [alt for p in expanded for alt in _alternatives(p)]
    for path in expanded:
        concrete = PLACEHOLDER.sub("x", path)
        found = [
            item for template, item in paths.items() if re.fullmatch(_pattern(template), concrete)
        ]
        if not found:
            if any(t.startswith(path.rstrip("/") + "/") for t in paths) and not example.query:
                continue  # a prefix named in prose (`/api/v1/construction`), not a request
            return f"no operation at {path}"
        operation = found[0].get(example.method.lower())
        if operation is None and example.mention and len(found[0]) > 0:
            continue  # `/api/v1/facilities/readings` in prose: a POST
        if operation is None:
            return f"{example.method} is not an operation of {path}"
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        unknown = sorted({k for k, _ in example.query} - declared)
        if unknown:
            return f"{path} takes no {', '.join(unknown)} (it takes {', '.join(sorted(declared))})"
    return None


def _pattern(template: str) -> str:
    """A regular expression matching the concrete paths of an OpenAPI path template."""
    return re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))


def operation_of(example: Example, api: dict[str, Any]) -> dict[str, Any] | None:
    """The OpenAPI operation a concrete ``/api/v1`` example calls, if any."""
    for template, item in api["paths"].items():
        if re.fullmatch(_pattern(template), example.path):
            operation: dict[str, Any] | None = item.get(example.method.lower())
            return operation
    return None


def missing_required(example: Example, api: dict[str, Any]) -> list[str]:
    """Required query parameters a template example leaves empty (it cannot be run as is)."""
    operation = operation_of(example, api) or {}
    sent = {k for k, _ in example.runnable_query()}
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required") and p["name"] not in sent
    ]


def _alternatives(path: str) -> list[str]:
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if "|" in segment:
            return [
                "/".join([*segments[:i], alt, *segments[i + 1 :]]) for alt in segment.split("|")
            ]
    return [path]
