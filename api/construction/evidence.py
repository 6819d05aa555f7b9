"""Site photos and documents attached to a building's stage or a schedule activity.

Uploads need the construction role (or admin); reading needs a staff token (any role): site
photos can show people and security details, so the public sees none. A file is accepted by
its content (JPEG, PNG, WebP, PDF), never by its name or declared type, and stored once by its
SHA-256 however often it is attached.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, File, Form, HTTPException, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.deps import TwinDep
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import AT_PATTERN, answer_time, at_param, parse_at, request_zone
from assets.construction.evidence import Attachment
from assets.text import SafeId, SafeNote
from twin.auth import ROLES, Principal
from twin.construction.evidence import (
    UnsupportedEvidence,
    attach,
    attached_file,
    listed,
    remove,
    thumbnail,
)
from twin.settings import Settings

PREFIX = "/api/v1/construction/evidence"
router = api_router(PREFIX, ["construction"])
HASH = r"^[0-9a-f]{64}$"
STAFF = require(*ROLES)
CACHE = "private, max-age=31536000, immutable"
ALREADY: dict[int | str, dict[str, Any]] = {
    200: {"description": "Already attached: the same file on the same target"}
}
FORM_OVERHEAD = 65_536
"""Bytes an upload's body may hold besides the file: multipart framing and the form fields."""


def upload_limit(settings: Settings) -> int:
    """The largest upload body the server reads (the body limit of this route alone)."""
    return settings.evidence_max_bytes + FORM_OVERHEAD


class EvidenceOut(BaseModel):
    """One attachment: the stored file (by hash) and what it is evidence of."""

    id: str = Field(description="The attachment's id (remove it by this)")
    sha256: str = Field(description="SHA-256 of the file: GET .../evidence/{sha256} serves it")
    media_type: str = Field(examples=["image/jpeg"])
    bytes: int = Field(description="File size, bytes")
    building: str
    stage: str | None
    activity: str | None = Field(description="The schedule activity, if one was named")
    taken_at: str = Field(description="When the photo was taken (or the document dated)")
    attached_at: str = Field(description="When it was attached")
    caption_zh: str | None
    caption_en: str | None
    filename: str | None = Field(description="The uploaded file's name, as sent")
    by: str = Field(description="Who attached it (role:token name)")
    url: str = Field(description="Where the file is served")
    thumbnail_url: str | None = Field(description="A small JPEG of an image (None for a PDF)")


class EvidenceList(BaseModel):
    at: str
    items: list[EvidenceOut] = Field(description="Newest taken_at first")


class RemoveBody(BaseModel):
    reason: SafeNote = Field(min_length=1, description="Why it is removed (kept in history)")


def _out(item: dict, zone) -> EvidenceOut:
    fields = {k: item.get(k) for k in EvidenceOut.model_fields if k in item}
    fields["taken_at"] = answer_time(item["taken_at"], zone)
    fields["attached_at"] = answer_time(item["attached_at"], zone)
    url = f"{PREFIX}/{item['sha256']}"
    image = item["media_type"].startswith("image/")
    return EvidenceOut(**fields, url=url, thumbnail_url=f"{url}/thumbnail" if image else None)


@router.post(
    "",
    operation_id="attachConstructionEvidence",
    summary="Attach a site photo or document to a stage or schedule activity",
    status_code=201,
    responses=ALREADY
    | problem_responses(
        401,
        described={
            403: "The token's role is not construction (or admin)",
            404: "No such building, stage or schedule activity",
            413: "The file is over the evidence size limit (TWIN_EVIDENCE_MAX_BYTES)",
            415: "The content is not a JPEG, PNG or WebP image or a PDF document",
            422: "taken_at in the future or before the campus's history; neither stage nor "
            "activity; an activity of another building",
        },
    ),
)
async def upload(
    twin: TwinDep,
    response: Response,
    file: Annotated[UploadFile, File(description="The photo or document")],
    building: Annotated[SafeId, Form(description="Building or work package id")],
    stage: Annotated[SafeId | None, Form(description="The stage it shows")] = None,
    activity: Annotated[SafeId | None, Form(description="The schedule activity id")] = None,
    taken_at: Annotated[
        str | None,
        Form(
            pattern=AT_PATTERN,
            description="When it was taken (default: now); campus time UTC+8 without an offset",
        ),
    ] = None,
    caption_zh: Annotated[SafeNote | None, Form(description="说明 (Chinese caption)")] = None,
    caption_en: Annotated[SafeNote | None, Form(description="English caption")] = None,
    who: Principal = Depends(require("construction")),
) -> EvidenceOut:
    """Upload one file (multipart/form-data) and attach it to `stage` of `building` and/or
    the schedule `activity`. The content decides the type (JPEG, PNG, WebP, PDF; an image
    must decode); the name and the declared type are ignored. Stored once by SHA-256: the
    same file sent again to the same target answers 200 with the attachment it already is;
    to another stage it is a second attachment of the one stored file."""
    limit = twin.settings.evidence_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"the file is over the evidence limit of {limit:,} bytes")
    what = Attachment(
        sha256="",
        media_type="",
        bytes=0,
        stage=stage,
        activity=activity,
        taken_at=parse_at(taken_at),
        caption_zh=caption_zh,
        caption_en=caption_en,
        filename=_name(file.filename),
    )
    try:
        item, new = await run_in_threadpool(  # the log's write must not hold up the event loop
            partial(attach, twin, building, data, what, actor=who.actor, declared=file.content_type)
        )
    except UnsupportedEvidence as bad:
        raise HTTPException(415, str(bad)) from None
    response.status_code = 201 if new else 200
    return _out(item, request_zone(taken_at))


def _name(filename: str | None) -> str | None:
    """The uploaded name, kept for people to read (never used to store or serve)."""
    if not filename:
        return None
    clean = "".join(c for c in filename if c.isprintable())[-200:]
    return clean or None


@router.get(
    "",
    operation_id="listConstructionEvidence",
    summary="Site photos and documents, newest first",
    responses=problem_responses(401, 403, described={404: "No such building"}),
)
def evidence_list(
    twin: TwinDep,
    building: Annotated[str | None, Query(max_length=100, description="Building id")] = None,
    stage: Annotated[str | None, Query(max_length=40, description="One stage")] = None,
    start: Annotated[
        str | None, Query(pattern=AT_PATTERN, description="Taken at or after (a date: its end)")
    ] = None,
    end: Annotated[
        str | None, Query(pattern=AT_PATTERN, description="Taken at or before (a date: its end)")
    ] = None,
    at: datetime = Depends(at_param),
    who: Principal = Depends(STAFF),
) -> EvidenceList:
    """The attachments present at `at` (as known then), newest `taken_at` first, of one
    `building` and `stage` if given, taken between `start` and `end`. Staff only (any role):
    site photos can show people and security details."""
    zone = request_zone(end, start) if (start or end) else at.tzinfo
    found = listed(
        twin,
        at,
        building or None,
        stage or None,
        parse_at(start) if start else None,
        parse_at(end) if end else None,
    )
    return EvidenceList(at=answer_time(at, at.tzinfo), items=[_out(i, zone) for i in found])


def _served(request: Request, data: bytes, kind: str, sha256: str, name: str) -> Response:
    etag = f'"{sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE,
        "Content-Disposition": f"{'attachment' if kind == 'application/pdf' else 'inline'}; "
        f'filename="{name}"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=kind, headers=headers)


SERVED: dict[int | str, dict[str, Any]] = {
    200: {"description": "The file", "content": {k: {} for k in ("image/jpeg", "application/pdf")}},
    304: {"description": "Not modified (If-None-Match names the hash)"},
}
FILE_RESPONSES = SERVED | problem_responses(
    401, 403, described={404: "No file with this hash is attached now"}
)
Sha256 = Annotated[str, Path(pattern=HASH, description="SHA-256 of the file (hex)")]


@router.get(
    "/{sha256}",
    operation_id="getConstructionEvidenceFile",
    summary="An attached file, by its SHA-256",
    response_class=Response,
    responses=FILE_RESPONSES,
)
def evidence_file(
    twin: TwinDep,
    request: Request,
    sha256: Sha256,
    who: Principal = Depends(STAFF),
) -> Response:
    """The file with its type (nosniff, as every answer): images inline, PDFs as a download;
    the ETag is the hash (the
    content never changes). Only files attached now are served."""
    found = attached_file(twin, sha256)
    if found is None:
        raise HTTPException(404, f"no file with SHA-256 {sha256} is attached now")
    extension = found[1].split("/")[1]
    return _served(request, found[0], found[1], sha256, f"{sha256[:12]}.{extension}")


@router.get(
    "/{sha256}/thumbnail",
    operation_id="getConstructionEvidenceThumbnail",
    summary="A small JPEG of an attached image",
    response_class=Response,
    responses=FILE_RESPONSES,
)
def evidence_thumbnail(
    twin: TwinDep, request: Request, sha256: Sha256, who: Principal = Depends(STAFF)
) -> Response:
    """A JPEG of at most 320 pixels a side of an attached image (404 for a PDF), cached like
    the file."""
    small = thumbnail(twin, sha256)
    if small is None:
        raise HTTPException(404, f"no image with SHA-256 {sha256} is attached now")
    return _served(request, small, "image/jpeg", sha256, f"{sha256[:12]}-thumbnail.jpg")


@router.post(
    "/attachments/{building}/{attachment}/remove",
    operation_id="removeConstructionEvidence",
    summary="Remove an attachment, with a reason",
    responses=problem_responses(
        401,
        described={
            403: "The token's role is not construction (or admin)",
            404: "No such building or attachment",
            422: "Removed already, or no reason given",
        },
    ),
)
def remove_attachment(
    twin: TwinDep,
    building: Annotated[str, Path(max_length=100)],
    attachment: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")],
    body: RemoveBody,
    who: Principal = Depends(require("construction")),
) -> EvidenceList:
    """Take an attachment away (an event, with the reason). The stored file stays (another
    attachment may share it; history keeps it) but is no longer served unless attached
    elsewhere."""
    remove(twin, building, attachment, body.reason, actor=who.actor)
    return evidence_list(twin, building, None, None, None, parse_at(None), who)
