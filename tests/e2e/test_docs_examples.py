"""Every HTTP example of README.md and docs/*.md against one real `twin serve` on a fresh
database (tests/e2e/doc_examples.py says what counts as an example): a concrete one must
succeed (or answer the status marked before it), and every ``/api/v1`` one must name an
operation that declares each of its query parameters. The API refuses unknown parameters, so
a misspelt one fails here instead of being ignored."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from doc_examples import (
    DOCUMENTS,
    Example,
    examples,
    missing_required,
    operation_of,
    operation_problem,
)

TOKEN_VARIABLE = "$TOKEN"


@pytest.fixture(scope="module")
def server(leasing_twin):
    """A writable server of its own and an admin token (admin holds every role)."""
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=120) as client:
        yield client, tokens["admin"]


def _all_examples() -> list[Example]:
    return [e for document in DOCUMENTS for e in examples(document)]


def _run(client: httpx.Client, token: str, example: Example) -> str | None:
    """Why running ``example`` went wrong, else None."""
    headers = {k: v.replace(TOKEN_VARIABLE, token) for k, v in example.headers.items()}
    headers.setdefault("Authorization", f"Bearer {token}")
    fields, files = example.multipart()
    answer = client.request(
        example.method,
        example.path,
        params=example.runnable_query(),
        content=example.body.encode() if example.body else None,
        data=fields or None,
        files=files or None,
        headers=headers,
    )
    wanted = example.expect
    ok = answer.status_code == wanted if wanted else answer.status_code < 400
    if ok and not wanted and _refused(answer):  # a batch answers 200, refusing inside
        return f"{answer.status_code} with refused items: {answer.text[:300]}"
    if ok:
        return None
    return f"{answer.status_code} (wanted {wanted or '2xx/3xx'}): {answer.text[:300]}"


def test_every_example_runs_and_names_only_parameters_that_exist(server):
    client, token = server
    api = client.get("/openapi.json").json()
    found = _all_examples()
    assert len(found) >= 40, f"only {len(found)} examples found: is the extraction broken?"
    assert {e.where.split(":")[0] for e in found} >= {"README.md", "leasing.md", "operations.md"}
    failures = []
    ran = 0
    for example in found:
        label = f"{example.where} {example.method} {example.target}"
        if example.path.startswith("/api/v1"):
            problem = operation_problem(example, api)
            if problem is not None:
                failures.append(f"{label}: {problem}")
                continue
        if example.concrete and (example.method == "GET" or example.body is not None):
            if _is_prefix(example, api) or (example.mention and not _gettable(example, api)):
                continue  # `/api/v1` or `/api/v1/facilities/readings` named in prose
            if example.path.startswith("/api/v1") and missing_required(example, api):
                continue  # a template (`?facility=&metric=`): checked above, not run
            ran += 1
            why = _run(client, token, example)
            if why is not None:
                failures.append(f"{label}: {why}")
    assert ran >= 20, f"only {ran} examples ran"
    assert not failures, "\n".join(failures)


def _refused(answer: httpx.Response) -> bool:
    """Whether a 200 batch answer (readings) refused some of what it was sent."""
    if not answer.headers.get("content-type", "").startswith("application/json"):
        return False
    body = answer.json()
    return isinstance(body, dict) and bool(body.get("refused"))


def _gettable(example: Example, api: dict) -> bool:
    return not example.path.startswith("/api/v1") or operation_of(example, api) is not None


def _is_prefix(example: Example, api: dict) -> bool:
    """A path named as the prefix of others (`/api/v1/construction`), not as a request."""
    path = example.path.rstrip("/")
    return path not in api["paths"] and any(p.startswith(path + "/") for p in api["paths"])


SAMPLE = """# Leasing
Over HTTP: `GET /api/v1/leasing/availability?floor_min=&kind=office|rack`.

## API (`/api/v1/construction`)
| `GET /gfa/series?parcel=&from=&to=` | monthly |

<!-- expect 404 -->
```sh
curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/facilities/changes?facility=nope
```
"""


def test_the_extraction_sees_templates_bases_markers_and_curl(server):
    """The checker itself can fail: a misspelt parameter is caught, a base and a marker are
    applied, a curl command becomes its request."""
    client, _ = server
    api = client.get("/openapi.json").json()
    search, base, series, curl = examples(Path("sample.md"), SAMPLE)
    assert base.target == "/api/v1/construction" and _is_prefix(base, api)
    assert "floor_min" in (operation_problem(search, api) or "")
    assert search.runnable_query() == [("kind", "office")]
    assert series.target == "/api/v1/construction/gfa/series?parcel=&from=&to="
    assert operation_problem(series, api) is None
    assert (curl.method, curl.path, curl.expect) == ("GET", "/api/v1/facilities/changes", 404)
    assert curl.headers == {"Authorization": "Bearer $TOKEN"}


def test_a_curl_form_becomes_a_multipart_upload():
    """``curl -F`` fields and ``@file;filename=…;type=…`` parts, read from the repository."""
    text = (
        "```sh\ncurl -H 'Authorization: Bearer $TOKEN' -F building=fish-head-t1 \\\n"
        '  -F "file=@docs/images/evidence-sample.jpg;filename=a.pdf;type=application/pdf" \\\n'
        "  http://127.0.0.1:8000/api/v1/construction/evidence\n```\n"
    )
    (upload,) = examples(Path("sample.md"), text)
    fields, files = upload.multipart()
    assert upload.method == "POST" and fields == {"building": "fish-head-t1"}
    name, content, kind = files["file"]
    assert (name, kind) == ("a.pdf", "application/pdf") and content[:3] == b"\xff\xd8\xff"
