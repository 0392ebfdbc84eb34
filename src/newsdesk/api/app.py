"""`create_app(db, token)`: the FastAPI app with its guard, error handlers and routers; `serve()` runs it."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from newsdesk import __version__
from newsdesk.api.jobs import Jobs, Workers
from newsdesk.api.pool import DeskPool, WorkerDied, WorkTimeout, worker_count
from newsdesk.api.responses import COMMON_ERRORS
from newsdesk.api.routes import listings, page, reading, watches, writing
from newsdesk.api.routes.page import WEB_DIR
from newsdesk.api.security import LOOPBACK_HOSTS, Guard
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.store.base import StoreError
from newsdesk.store.open import redact

log = logging.getLogger("newsdesk.api")

__all__ = ["WEB_DIR", "create_app", "serve"]


DEFAULT_TIMEOUT = 120.0  # seconds a read may take, waiting for a free worker included
# The writer process runs at a lower CPU priority: a question waiting for a core beats an ingest job, which
# takes whatever the readers leave (all of it when nobody asks).
WRITER_NICE = 10


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the workers at start, so they load their models before the first question, not during it."""
    workers: Workers = app.state.workers
    workers.writer.start()
    workers.reader.start()
    try:
        yield
    finally:
        await asyncio.gather(asyncio.to_thread(workers.reader.close), asyncio.to_thread(workers.writer.close))


def create_app(db: str, token: str | None = None, *, max_upload_bytes: int | None = None,
               allowed_hosts: Sequence[str] | None = LOOPBACK_HOSTS, reader_workers: int | None = None,
               timeout: float | None = DEFAULT_TIMEOUT) -> FastAPI:
    """The API and the page over the index `db`.

    `token`: required as `Authorization: Bearer TOKEN` on every API call when set.
    `max_upload_bytes`: limit of one ingest request's body (default: the configured max_file_bytes).
    `allowed_hosts`: Host header names answered (default: loopback names; None answers any).
    `reader_workers`: reader processes (default: the `reader_workers` setting; 0 there: one per core).
    `timeout`: seconds a read may take before it is answered 504 (None: no limit). Writes have none:
    an ingest job takes as long as its input.
    """
    config = load_config(db=db)
    readers = worker_count(reader_workers if reader_workers is not None else config.reader_workers)
    upload_limit = max_upload_bytes if max_upload_bytes is not None else config.max_file_bytes
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
    app.state.workers = Workers(DeskPool(db, readers, readonly=True, name="reader", timeout=timeout),
                                DeskPool(db, 1, readonly=False, name="writer", nice=WRITER_NICE), Jobs(), upload_limit)
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts, max_upload_bytes=upload_limit)
    app.mount("/static", StaticFiles(directory=WEB_DIR, check_dir=False), name="static")
    # Starlette types a handler as taking any Exception (its stub); each of ours takes the one it is registered for.
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, _on_store_error)  # type: ignore[arg-type]
    app.add_exception_handler(WorkerDied, _on_worker_died)  # type: ignore[arg-type]
    app.add_exception_handler(WorkTimeout, _on_timeout)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_error)
    for module in (page, reading, listings, writing, watches):
        app.include_router(module.router, responses=None if module is page else COMMON_ERRORS)
    app.openapi = lambda: _openapi(app, token is not None)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, locked: bool) -> dict[str, Any]:
    """FastAPI's spec plus the bearer scheme: required on every API path when the server has a token."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, summary=app.summary,
                           description=app.description, routes=app.routes)
        spec.setdefault("components", {})["securitySchemes"] = {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "Required when the server was started with --token (or NEWSDESK_TOKEN).",
        }}
        if locked:
            spec["security"] = [{"bearer": []}]
        else:
            spec["security"] = [{}, {"bearer": []}]  # optional: this server has no token
        app.openapi_schema = spec
    return app.openapi_schema


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    malformed = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
    if malformed is not None:
        reason = (malformed.get("ctx") or {}).get("error", "invalid JSON")
        where = next((p for p in malformed.get("loc", ()) if isinstance(p, int)), None)
        at = f" at character {where}" if where is not None else ""
        return JSONResponse({"detail": f"the body is not valid JSON{at}: {reason}"}, status_code=400)
    # Without the offending input: it may be large, binary, or the very thing being refused.
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    return JSONResponse({"detail": _validation_message(exc), "errors": errors}, status_code=422)


async def _on_store_error(request: Request, exc: StoreError) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def _on_worker_died(request: Request, exc: WorkerDied) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def _on_timeout(request: Request, exc: WorkTimeout) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=504)


async def _on_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": f"internal error ({type(exc).__name__}); see the server log"},
                        status_code=500)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *,
          reader_workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
    """Run the API and the page with uvicorn until interrupted (`reader_workers`, `timeout`: as `create_app`)."""
    import uvicorn

    Desk(db, load_config(db=db)).close()  # fail now, with the store's message, rather than on the first call
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    if not loopback and not token:
        print(f"warning: serving {host} without a token; anyone who can reach it can read and change the index",
              file=sys.stderr)
    app = create_app(db, token=token, allowed_hosts=(*LOOPBACK_HOSTS, host) if loopback else None,
                     reader_workers=reader_workers, timeout=timeout)
    shown = f"[{host}]" if ":" in host else host
    print(f"newsdesk: http://{shown}:{port}/  (index {redact(db)}; Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
