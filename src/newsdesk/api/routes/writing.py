"""Endpoints that change the index: ingest (files, JSON Lines, a URL), job progress, delete."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from newsdesk.api import tasks
from newsdesk.api.jobs import WorkersDep, run_ingest
from newsdesk.api.params import FeedRequest, require_json, require_multipart
from newsdesk.api.responses import NOT_FOUND, WRONG_TYPE, DeletedJSON, IngestReportJSON, JobJSON, JobStartedJSON
from newsdesk.net.fetch import is_web_url

router = APIRouter()

Background = Annotated[bool, Query(description="Answer 202 with a job to poll at /api/jobs/{id}.")]
# An ingest answers its report (200), or with ?background=true its job (202); 415 for a wrong body type.
INGEST_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"model": IngestReportJSON, "description": "The ingest report."},
    202: {"model": JobStartedJSON, "description": "With ?background=true: the job to poll."},
    **WRONG_TYPE,
}


@router.get("/api/jobs/{job_id}", summary="Progress and, when done, the report of an ingest job",
            response_model=JobJSON, responses=NOT_FOUND)
async def job(job_id: str, workers: WorkersDep) -> dict[str, Any]:
    found = workers.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return found.view()


@router.post("/api/ingest/files", summary="Upload article files (text, Markdown, HTML, JSON Lines, feeds, WARC)",
             responses=INGEST_ANSWERS, dependencies=[Depends(require_multipart)])
async def ingest_files(
    workers: WorkersDep,
    files: Annotated[list[UploadFile], File(description="One or more files; the format is read from content.")],
    background: Background = False,
) -> JSONResponse:
    folder = tempfile.mkdtemp(prefix="newsdesk-upload-")
    try:
        paths, labels, refused = await asyncio.to_thread(_save_uploads, files, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not paths:
        shutil.rmtree(folder, ignore_errors=True)
        reasons = "; ".join(f"{e['origin']}: {e['reason']}" for e in refused[:5])
        raise HTTPException(415, f"no file of a supported type ({reasons or 'no files'})")
    return await run_ingest(workers, "files", paths, labels, folder, background, refused)


@router.post(
    "/api/ingest/jsonl",
    summary="Ingest articles posted as JSON Lines (one object a line; `text` required)",
    responses=INGEST_ANSWERS,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/x-ndjson": {"schema": {"type": "string"}},
        "application/jsonl": {"schema": {"type": "string"}}}}},
)
async def ingest_jsonl(request: Request, workers: WorkersDep, background: Background = False) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("", "application/x-ndjson", "application/jsonl", "application/json-lines",
                            "application/json", "text/plain"):
        raise HTTPException(415, f"post JSON Lines as application/x-ndjson, not {content_type}")
    body = await request.body()
    if not body.strip():
        raise HTTPException(400, "the body is empty; post one JSON object a line")
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        raise HTTPException(400, "the body is not JSON Lines: each line must be a JSON object with a `text`")
    folder = tempfile.mkdtemp(prefix="newsdesk-upload-")
    path = os.path.join(folder, "request.jsonl")
    await asyncio.to_thread(Path(path).write_bytes, body)
    return await run_ingest(workers, "jsonl", [path], {path: "request.jsonl"}, folder, background)


@router.post("/api/ingest/url", summary="Fetch and ingest a feed (RSS/Atom) or a page by URL",
             responses=INGEST_ANSWERS, dependencies=[Depends(require_json)])
async def ingest_url(body: FeedRequest, workers: WorkersDep, background: Background = False) -> JSONResponse:
    url = body.url.strip()
    if not is_web_url(url):
        raise HTTPException(400, f"not an http(s) URL: {url!r}")
    return await run_ingest(workers, "url", [url], {}, None, background)


@router.delete("/api/articles/{article_id}", summary="Delete one article", response_model=DeletedJSON,
               responses=NOT_FOUND)
async def delete_article(article_id: Annotated[str, PathParam(max_length=200)], workers: WorkersDep) -> dict[str, Any]:
    deleted = await workers.writer.run(tasks.delete, [article_id], None)
    if not deleted:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return {"deleted": deleted}


@router.delete("/api/outlets/{outlet:path}", summary="Delete every article of an outlet",
               response_model=DeletedJSON, responses=NOT_FOUND)
async def delete_outlet(outlet: Annotated[str, PathParam(max_length=300)], workers: WorkersDep) -> dict[str, Any]:
    deleted = await workers.writer.run(tasks.delete, [], outlet)
    if not deleted:
        raise HTTPException(404, f"no articles from outlet {outlet!r}")
    return {"deleted": deleted}


def _safe_name(filename: str | None) -> str:
    """A harmless file name from whatever the client sent: last path part, printable, not hidden."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:120] or "upload"


def _save_uploads(files: list[UploadFile], folder: str) -> tuple[list[str], dict[str, str], list[dict[str, str]]]:
    """Copy uploads into `folder`; refuse binary kinds (PDF, images, archives) by their bytes."""
    from newsdesk.ingest.detect import HEAD, sniff_binary

    paths: list[str] = []
    labels: dict[str, str] = {}
    refused: list[dict[str, str]] = []
    taken: set[str] = set()
    for number, upload in enumerate(files):
        name = _safe_name(upload.filename)
        target_dir = folder if name not in taken else os.path.join(folder, str(number))
        taken.add(name)
        os.makedirs(target_dir, exist_ok=True)
        path = os.path.join(target_dir, name)
        with open(path, "wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
        kind = sniff_binary(head)
        if kind is not None:
            refused.append({"origin": name, "reason": f"unsupported type: {kind}"})
            os.remove(path)
            continue
        paths.append(path)
        labels[path] = name
    return paths, labels, refused
