"""The HTTP API and the web page: `create_app(db, token)` builds the app, `serve()` runs it with uvicorn.

Why it is shaped this way:
- A SQLite connection may only be used by the thread that opened it, and models should load once.
  So every Desk call runs on a dedicated thread that owns its Desk: one thread reads (ask, search,
  show, stats, listings), one writes (ingest, delete). WAL lets them work at the same time; the
  embedder is shared between the two and locks itself (workers.py).
- Uploads are saved to a private temporary folder and handed to `Desk.ingest` like any other
  files, so the web page ingests exactly as the command line does (same readers, same errors).
- Everything an article says is untrusted. The API returns JSON only; the page inserts data with
  DOM text APIs; every response carries a strict Content-Security-Policy as a second line (security.py).
- Bound to localhost by default, where a Host check stops DNS-rebinding pages and an Origin check
  stops other sites from posting into the index. `token` (or NEWSDESK_TOKEN) adds a bearer token.

Modules: app (create_app, serve), security (the guard middleware), jobs (the Desk threads and ingest
jobs), params (request bodies and filters), routes/ (one APIRouter per group of endpoints).
"""

from newsdesk.api.app import WEB_DIR, create_app, serve
from newsdesk.api.routes.listings import LISTINGS
from newsdesk.api.security import CONTENT_SECURITY_POLICY

__all__ = ["CONTENT_SECURITY_POLICY", "LISTINGS", "WEB_DIR", "create_app", "serve"]
