"""The HTTP API and the web page: `create_app(db, token)` builds the app, `serve()` runs it with uvicorn.

Why it is shaped this way:
- A question is CPU-bound Python, so threads would take turns on the GIL. Reads (ask, search, show,
  stats, listings) go to a pool of reader processes (`reader_workers`, one per core by default), each
  owning a read-only Desk whose models load when it starts; writes (ingest, delete, watches) go to
  one writer process, so an ingest competes with neither the event loop nor a reader. WAL lets them
  all work at once. A worker that dies is replaced (its request: 503); a read past the limit: 504.
- Uploads are saved to a private temporary folder and handed to `Desk.ingest` like any other
  files, so the web page ingests exactly as the command line does (same readers, same errors).
- Everything an article says is untrusted. The API returns JSON only; the page inserts data with
  DOM text APIs; every response carries a strict Content-Security-Policy as a second line (security.py).
- Bound to localhost by default, where a Host check stops DNS-rebinding pages and an Origin check
  stops other sites from posting into the index. `token` (or NEWSDESK_TOKEN) adds a bearer token.

Modules: app (create_app, serve), security (the guard middleware), pool (the worker processes), tasks
(what a worker runs), jobs (the reader and writer pools, ingest jobs), params (request bodies and
filters), routes/ (one APIRouter per group of endpoints).
"""

from newsdesk.api.app import WEB_DIR, create_app, serve
from newsdesk.api.routes.listings import LISTINGS
from newsdesk.api.security import CONTENT_SECURITY_POLICY

__all__ = ["CONTENT_SECURITY_POLICY", "LISTINGS", "WEB_DIR", "create_app", "serve"]
