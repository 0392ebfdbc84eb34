"""The HTTP API and the web page: `create_app(db, token)` builds the app, `serve()` runs it with uvicorn.

Why it is shaped this way:
- A SQLite connection may only be used by the thread that opened it, and models should load once.
  So every Desk call runs on a dedicated thread that owns its Desk: one thread reads (ask, search,
  show, stats, listings), one writes (ingest, delete). WAL lets them work at the same time; the
  embedder is shared between the two and locks itself.
- Uploads are saved to a private temporary folder and handed to `Desk.ingest` like any other
  files, so the web page ingests exactly as the command line does (same readers, same errors).
- Everything an article says is untrusted. The API returns JSON only; the page inserts data with
  DOM text APIs; every response carries a strict Content-Security-Policy as a second line.
- Bound to localhost by default, where a Host check stops DNS-rebinding pages and an Origin check
  stops other sites from posting into the index. `token` (or NEWSDESK_TOKEN) adds a bearer token.
"""

import asyncio
import hmac
import inspect
import itertools
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk import __version__
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Filters, IngestReport
from newsdesk.store.base import StoreError
from newsdesk.store.open import redact

log = logging.getLogger("newsdesk.api")

WEB_DIR = Path(__file__).resolve().parent / "web"
T = TypeVar("T")

# Strict by design: only our own scripts and styles, no inline code, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Paths that carry no data: the page and its files, so a browser can load them and then ask for the token.
PUBLIC_PATHS = re.compile(r"^/(?:|docs|favicon\.ico|static/.*)$")
JSON_BODY_LIMIT = 1_000_000  # ask/feed requests are a few hundred bytes; anything this big is not one
MAX_QUESTION_CHARS = 2_000
MAX_JOBS = 200
LISTINGS = ("conflicts", "actors", "relations", "stories")


# -- request bodies ---------------------------------------------------------------------------------


class AskRequest(BaseModel):
    """A question and the filters that restrict which articles may answer it."""

    model_config = ConfigDict(extra="forbid")

    question: StrictStr = Field(max_length=MAX_QUESTION_CHARS, examples=["What does ISIS think of Pakistan?"])
    since: StrictStr | None = Field(None, description="Only articles published on or after this date (YYYY-MM-DD).")
    until: StrictStr | None = Field(None, description="Only articles published on or before this date (YYYY-MM-DD).")
    outlet: list[StrictStr] = Field(default_factory=list, description="Only these outlets (a string or a list).")
    lang: list[StrictStr] = Field(default_factory=list, description="Only these language codes (a string or a list).")

    @field_validator("outlet", "lang", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class FeedRequest(BaseModel):
    """A feed (RSS/Atom) or page URL for the server to fetch and ingest."""

    model_config = ConfigDict(extra="forbid")

    url: StrictStr = Field(max_length=2_000, examples=["https://www.example.org/feed.xml"])


# -- one thread per Desk ----------------------------------------------------------------------------


class DeskThread:
    """A single worker thread that owns one Desk, because SQLite connections are bound to their thread."""

    def __init__(self, db: str, name: str) -> None:
        self.db = db
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"newsdesk-{name}")
        self._desk: Desk | None = None

    def _get(self) -> Desk:
        if self._desk is None:
            self._desk = Desk(self.db, load_config(db=self.db))
        return self._desk

    def submit(self, work: Callable[[Desk], T]) -> "Future[T]":
        return self._executor.submit(lambda: work(self._get()))

    async def run(self, work: Callable[[Desk], T]) -> T:
        return await asyncio.wrap_future(self.submit(work))

    def close(self) -> None:
        def close_desk() -> None:
            if self._desk is not None:
                self._desk.close()
                self._desk = None

        self._executor.submit(close_desk).result()
        self._executor.shutdown(wait=True)


# -- ingest jobs --------------------------------------------------------------------------------------


@dataclass
class Job:
    """An ingest run, so the page can show progress while the writer thread works through it."""

    id: str
    kind: str
    state: str = "queued"  # queued, running, done, failed
    documents: int = 0
    added: int = 0
    known: int = 0
    failed: int = 0
    current: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "state": self.state, "documents": self.documents,
            "added": self.added, "known": self.known, "failed": self.failed, "current": self.current,
            "report": self.report, "error": self.error,
            "seconds": round((self.finished or time.time()) - self.started, 3),
        }


class Jobs:
    """The most recent ingest jobs, oldest finished ones forgotten first."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def new(self, kind: str) -> Job:
        with self._lock:
            job = Job(id=f"{next(self._ids)}-{os.urandom(4).hex()}", kind=kind)
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS:
                oldest = next((k for k, j in self._jobs.items() if j.state in ("done", "failed")), None)
                if oldest is None:
                    break
                del self._jobs[oldest]
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)


# -- the guard: host, token, origin, body size, security headers --------------------------------------


class _BodyTooLarge(Exception):
    pass


class Guard:
    """Pure ASGI middleware that refuses what must never reach the app and labels every response.

    Checked in order: the Host header (DNS rebinding), the bearer token, the Origin of unsafe
    requests (other sites posting into a local index), then the body size, counted as it streams.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: Sequence[str] | None,
                 max_upload_bytes: int) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None
        self.allowed_hosts = None if allowed_hosts is None else {h.lower().strip("[]") for h in allowed_hosts}
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        send = self._labelled(send, path)
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers, path)
        if refusal is not None:
            status, message = refusal
            extra = {"www-authenticate": 'Bearer realm="newsdesk"'} if status == 401 else {}
            await JSONResponse({"detail": message}, status_code=status, headers=extra)(scope, receive, send)
            return
        limit = self.max_upload_bytes if path.startswith("/api/ingest/") else JSON_BODY_LIMIT
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status, message = (413, _too_large(limit)) if declared.isdigit() else (400, "bad Content-Length")
            await JSONResponse({"detail": message}, status_code=status)(scope, receive, send)
            return

        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # whatever the app makes of a cut-off body, the answer is 413
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await JSONResponse({"detail": _too_large(limit)}, status_code=413)(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers, path: str) -> tuple[int, str] | None:
        if self.allowed_hosts is not None:
            host = _host_name(headers.get("host", ""))
            if host not in self.allowed_hosts:
                return 400, "invalid Host header (this server answers to localhost only)"
        if self.token is not None and not PUBLIC_PATHS.match(path):
            given = headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode("utf-8"), self.token):
                return 401, "a bearer token is required (Authorization: Bearer TOKEN)"
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "cross-site request refused"
            if origin is not None and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                return 403, "cross-origin request refused"
        return None

    def _labelled(self, send: Send, path: str) -> Send:
        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if path.startswith("/api/") or path == "/openapi.json":
                    headers["cache-control"] = "no-store"
            await send(message)

        return labelled


def _host_name(host: str) -> str:
    """The host part of a Host header, without port or IPv6 brackets, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _too_large(limit: int) -> str:
    return f"request body over the limit of {limit:,} bytes"


# -- helpers --------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """Dataclasses, tuples and sets from a Desk listing as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def _day(value: str | None, name: str) -> str | None:
    from newsdesk.ingest.normalize import parse_date

    if value is None or not value.strip():
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise HTTPException(400, f"{name}: {value!r} is not a date (use YYYY-MM-DD)")
    return parsed[:10]


def _filters(since: str | None, until: str | None, outlets: Sequence[str], languages: Sequence[str]) -> Filters:
    start, end = _day(since, "since"), _day(until, "until")
    if start and end and start > end:
        raise HTTPException(400, f"since ({start}) is after until ({end})")
    return Filters(start, end, tuple(o.strip() for o in outlets if o.strip()),
                   tuple(lang.strip() for lang in languages if lang.strip()))


def _safe_name(filename: str | None) -> str:
    """A harmless file name from whatever the client sent: last path part, printable, not hidden."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:120] or "upload"


def _label(origin: str, labels: dict[str, str]) -> str:
    """`origin` with a temporary upload path replaced by the name the client sent."""
    for prefix, name in labels.items():
        if origin.startswith(prefix):
            return name + origin[len(prefix):]
    return origin


def _report_dict(report: IngestReport, labels: dict[str, str]) -> dict[str, Any]:
    """The ingest report as JSON, with temporary paths replaced by the names the client sent."""
    return {
        "read": report.read, "added": report.added, "known": report.known, "failed": report.failed,
        "added_ids": list(report.added_ids),
        "errors": [{"origin": _label(e.origin, labels), "reason": e.reason} for e in report.errors],
    }


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


# -- the app ----------------------------------------------------------------------------------------------


def create_app(db: str, token: str | None = None, *, max_upload_bytes: int | None = None,
               allowed_hosts: Sequence[str] | None = LOOPBACK_HOSTS) -> FastAPI:
    """The API and the page over the index `db`.

    `token`: required as `Authorization: Bearer TOKEN` on every API call when set.
    `max_upload_bytes`: limit of one ingest request's body (default: the configured max_file_bytes).
    `allowed_hosts`: Host header names answered (default: loopback names; None answers any).
    """
    config = load_config(db=db)
    upload_limit = max_upload_bytes if max_upload_bytes is not None else config.max_file_bytes
    reader = DeskThread(db, "read")
    writer = DeskThread(db, "write")
    jobs = Jobs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        # Load the models in the background at start, so the first question does not pay for it.
        reader.submit(lambda desk: desk.embedder)
        writer.submit(lambda desk: desk.embedder)
        try:
            yield
        finally:
            await asyncio.gather(asyncio.to_thread(reader.close), asyncio.to_thread(writer.close))

    app = FastAPI(
        title="newsdesk",
        version=__version__,
        summary="Ask questions of a pile of news; get a brief quoted from the sources with citations.",
        description="Every endpoint answers JSON; errors are `{\"detail\": message}` with a 4xx status. "
                    "When the server has a token, send it as `Authorization: Bearer TOKEN`.",
        docs_url=None,  # FastAPI's docs page loads scripts from a CDN; /docs is our own, offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts, max_upload_bytes=upload_limit)
    app.mount("/static", StaticFiles(directory=WEB_DIR, check_dir=False), name="static")

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Without the offending input: it may be large, binary, or the very thing being refused.
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": _validation_message(exc), "errors": errors}, status_code=422)

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); see the server log"},
                            status_code=500)

    # -- the page -----------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(WEB_DIR / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(WEB_DIR / "favicon.svg", media_type="image/svg+xml")

    # -- reading ----------------------------------------------------------------------------------

    @app.get("/api/health", summary="Liveness, version and what this server offers")
    async def health() -> dict[str, Any]:
        available = await reader.run(lambda desk: [n for n in LISTINGS if callable(getattr(desk, n, None))])
        charts = (WEB_DIR / "vendor" / "d3.min.js").is_file()
        return {"status": "ok", "version": __version__, "listings": available, "charts": charts,
                "max_upload_bytes": upload_limit}

    @app.get("/api/stats", summary="Counts of articles, sentences, passages, outlets and languages")
    async def stats() -> dict[str, Any]:
        return await reader.run(lambda desk: desk.stats())

    @app.post("/api/ask", summary="Answer a question with a brief (JSON schema newsdesk.brief/1)")
    async def ask(body: AskRequest) -> JSONResponse:
        """The brief as `newsdesk ask --json` prints it (docs/SCHEMA.md)."""
        from newsdesk.render.jsonout import brief_dict

        if not body.question.strip():
            raise HTTPException(400, "the question is empty")
        filters = _filters(body.since, body.until, body.outlet, body.lang)

        def work(desk: Desk) -> dict[str, Any]:
            return brief_dict(desk.ask(body.question.strip(), filters))

        try:
            return JSONResponse(await reader.run(work))
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.get("/api/search", summary="The passages that best match a query (hybrid BM25 + dense)")
    async def search(
        q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS, description="The query.")],
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        since: str | None = None,
        until: str | None = None,
        outlet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults per request
        lang: Annotated[list[str], Query()] = [],  # noqa: B006
    ) -> dict[str, Any]:
        if not q.strip():
            raise HTTPException(400, "the query is empty")
        filters = _filters(since, until, outlet, lang)

        def work(desk: Desk) -> dict[str, Any]:
            hits = desk.search(q, filters, limit=limit)
            articles = desk.store.articles([h.passage.article_id for h in hits])
            out = []
            for rank, hit in enumerate(hits, 1):
                art = articles[hit.passage.article_id]
                out.append({
                    "rank": rank, "score": round(hit.score, 5), "article_id": art.id, "title": art.title,
                    "outlet": art.outlet, "published": art.published, "language": art.language,
                    "start": hit.passage.start, "end": hit.passage.end, "text": hit.passage.text,
                })
            return {"query": q, "hits": out}

        return await reader.run(work)

    @app.get("/api/timeline", summary="Events and claims matching a query in the order they happened, each cited")
    async def timeline(
        q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS, description="The query.")],
        since: str | None = None,
        until: str | None = None,
        outlet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults per request
        lang: Annotated[list[str], Query()] = [],  # noqa: B006
    ) -> dict[str, Any]:
        """As `newsdesk timeline --json` prints it (schema newsdesk.timeline/1, docs/SCHEMA.md)."""
        from newsdesk.render.timeline import timeline_dict

        if not q.strip():
            raise HTTPException(400, "the query is empty")
        filters = _filters(since, until, outlet, lang)
        return await reader.run(lambda desk: timeline_dict(desk.timeline(q, filters)))

    @app.get("/api/articles/{article_id}", summary="An article's metadata and full stored text")
    async def article(article_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """`text` is the text that citations' `start`/`end` offsets index into."""
        from newsdesk.render.jsonout import article_dict

        found = await reader.run(lambda desk: desk.article(article_id))
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return article_dict(found)

    def listing(name: str) -> Callable[..., Awaitable[Any]]:
        async def endpoint(q: Annotated[str | None, Query(max_length=MAX_QUESTION_CHARS)] = None) -> Any:
            def work(desk: Desk) -> tuple[bool, Any]:
                method = getattr(desk, name, None)
                if not callable(method):
                    return False, None
                if q:
                    return True, method(q)
                required = [p for p in inspect.signature(method).parameters.values()
                            if p.default is inspect.Parameter.empty
                            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
                if required:
                    raise HTTPException(400, f"{name} needs a query: ?q=...")
                return True, method()

            present, result = await reader.run(work)
            if not present:
                raise HTTPException(404, f"{name} are not available in this version of newsdesk")
            return JSONResponse({name: _jsonable(result)})

        endpoint.__name__ = name
        return endpoint

    for name in LISTINGS:
        app.get(f"/api/{name}", name=name,
                summary=f"List {name} (404 when this version of newsdesk has none)")(listing(name))

    @app.get("/api/jobs/{job_id}", summary="Progress and, when done, the report of an ingest job")
    async def job(job_id: str) -> dict[str, Any]:
        found = jobs.get(job_id)
        if found is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return found.view()

    # -- writing ----------------------------------------------------------------------------------

    async def run_ingest(kind: str, paths: list[str], labels: dict[str, str], folder: str | None,
                         background: bool, pre_errors: list[dict[str, str]] | None = None) -> JSONResponse:
        job = jobs.new(kind)
        early = list(pre_errors or [])

        def work(desk: Desk) -> dict[str, Any]:
            job.state = "running"

            def progress(report: IngestReport, origin: str) -> None:
                job.documents = report.read + report.failed
                job.added, job.known, job.failed = report.added, report.known, report.failed + len(early)
                job.current = _label(origin, labels)

            try:
                report = _report_dict(desk.ingest(paths, on_progress=progress), labels) if paths else \
                    _report_dict(IngestReport(), labels)
                report["failed"] += len(early)
                report["errors"] = early + report["errors"]
                job.report, job.state = report, "done"
                job.added, job.known, job.failed = report["added"], report["known"], report["failed"]
                return report
            except Exception as exc:
                job.state, job.error = "failed", str(exc) or type(exc).__name__
                raise
            finally:
                job.finished = time.time()
                job.current = None
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)

        future = writer.submit(work)
        if background:
            return JSONResponse({"job": job.id, "url": f"/api/jobs/{job.id}"}, status_code=202)
        report = await asyncio.wrap_future(future)
        if report["added"] + report["known"] == 0 and report["failed"]:
            first = report["errors"][0]
            return JSONResponse({"detail": f"nothing could be ingested: {first['origin']}: {first['reason']}",
                                 "report": report}, status_code=422)
        return JSONResponse(report)

    @app.post("/api/ingest/files", summary="Upload article files (text, Markdown, HTML, JSON Lines, feeds, WARC)")
    async def ingest_files(
        files: Annotated[list[UploadFile], File(description="One or more files; the format is read from content.")],
        background: Annotated[bool, Query(description="Answer 202 with a job to poll at /api/jobs/{id}.")] = False,
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
        return await run_ingest("files", paths, labels, folder, background, refused)

    @app.post(
        "/api/ingest/jsonl",
        summary="Ingest articles posted as JSON Lines (one object a line; `text` required)",
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/jsonl": {"schema": {"type": "string"}}}}},
    )
    async def ingest_jsonl(
        request: Request,
        background: Annotated[bool, Query(description="Answer 202 with a job to poll at /api/jobs/{id}.")] = False,
    ) -> JSONResponse:
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
        return await run_ingest("jsonl", [path], {path: "request.jsonl"}, folder, background)

    @app.post("/api/ingest/url", summary="Fetch and ingest a feed (RSS/Atom) or a page by URL")
    async def ingest_url(
        body: FeedRequest,
        background: Annotated[bool, Query(description="Answer 202 with a job to poll at /api/jobs/{id}.")] = False,
    ) -> JSONResponse:
        url = body.url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
            raise HTTPException(400, f"not an http(s) URL: {url!r}")
        return await run_ingest("url", [url], {}, None, background)

    @app.delete("/api/articles/{article_id}", summary="Delete one article")
    async def delete_article(article_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        deleted = await writer.run(lambda desk: desk.delete([article_id]))
        if not deleted:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return {"deleted": deleted}

    @app.delete("/api/outlets/{outlet:path}", summary="Delete every article of an outlet")
    async def delete_outlet(outlet: Annotated[str, PathParam(max_length=300)]) -> dict[str, Any]:
        deleted = await writer.run(lambda desk: desk.delete([], outlet=outlet))
        if not deleted:
            raise HTTPException(404, f"no articles from outlet {outlet!r}")
        return {"deleted": deleted}

    return app


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


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the API and the page with uvicorn until interrupted."""
    import uvicorn

    Desk(db, load_config(db=db)).close()  # fail now, with the store's message, rather than on the first call
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    if not loopback and not token:
        print(f"warning: serving {host} without a token; anyone who can reach it can read and change the index",
              file=sys.stderr)
    app = create_app(db, token=token, allowed_hosts=(*LOOPBACK_HOSTS, host) if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    print(f"newsdesk: http://{shown}:{port}/  (index {redact(db)}; Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
