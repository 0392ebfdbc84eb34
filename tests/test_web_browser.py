"""The web page in a real browser: Debian's chromium driven by Playwright, against `newsdesk serve`.

The server is the real command, started here on a free loopback port over a new index; the page
is used as a person would: files go in through the upload form, the question through the ask box,
citations are clicked. Hostile articles (scripts, event handlers, javascript: links, markup in
titles) must show as text and never run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.api import WEB_DIR

try:
    from playwright.sync_api import BrowserContext, Page, sync_playwright
except ImportError:  # a developer without the test extras; CI fails instead (see _need)
    sync_playwright = None

QUESTION = "What does ISIS think of Pakistan?"
PAGE_ERRORS: list[str] = []  # uncaught exceptions in the page under test
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_HTML = """<!doctype html>
<html><head><title>Velmora dock strike &lt;script&gt;</title>
<script>window.__pwned = "html-script"; document.title = "pwned";</script>
<meta property="og:site_name" content="Velmora Harbour Herald">
<meta name="date" content="2025-10-02">
</head>
<body onload="window.__pwned = 'html-onload'">
<article>
<h1>Velmora dockworkers strike over unpaid overtime</h1>
<p>Dockworkers in the port of Velmora walked off the job on Wednesday, halting the loading of grain ships,
union leaders said. <img src="x" onerror="window.__pwned = 'html-img'; document.title = 'pwned'"></p>
<p>The strike began after the port authority refused to pay three months of overtime, according to the
dockworkers' union. <a href="javascript:window.__pwned='html-link'">Read the union statement</a>.</p>
<p>A spokesman for the port authority wrote &lt;script&gt;alert("the strike is illegal")&lt;/script&gt; in a
message that the union later published in full.</p>
<svg onload="window.__pwned = 'html-svg'"><script>window.__pwned = 'html-svg-script'</script></svg>
<iframe srcdoc="&lt;script&gt;parent.__pwned='html-iframe'&lt;/script&gt;"></iframe>
</article>
</body></html>
"""
HOSTILE_TITLE = "<img src=x onerror=\"window.__pwned='jsonl-title';document.title='pwned'\"> Velmora talks fail"
# Three tags at most: a record with more is taken for an HTML page by format detection (a known limit).
HOSTILE_RECORD = {
    "title": HOSTILE_TITLE,
    "text": "🔥🔥 Talks to end the Velmora dock strike collapsed on Thursday. "
            "The union said the port authority still refused to pay the overtime it owes the dockworkers. "
            "Its leader held up a sign reading <img src=x onerror=\"window.__pwned='jsonl-text'\"> "
            "and <script>window.__pwned='jsonl-script' for the cameras, a prank on the censors.\n\n"
            "The Velmora strike is now in its second day, and grain ships are waiting outside the harbour.",
    "url": "javascript:window.__pwned='jsonl-url'",
    "outlet": "Evil Outlet & \"Co\" onmouseover=window.__pwned",
    "published": "2025-10-03",
    "language": "en",
}

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # `make vendor` fetches it (pinned, checked by hash)
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}

# In the page: what breaks a layout. Each visible element must lie across within its parent (text that
# overflows its box), nothing may reach past the viewport, no two labels of one chart may overlap or
# leave it, and a date must not wrap. Returns a list of problems, empty when the layout holds.
LAYOUT_CHECK = (Path(__file__).parent / "web_layout.js").read_text(encoding="utf-8")


def _layout_problems(page: Page, root: str = "body") -> list[str]:
    return list(page.evaluate(LAYOUT_CHECK, root))


def _axe_violations(page: Page) -> list[str]:
    """Serious and critical accessibility violations, by axe-core (evaluated over CDP, so the CSP stays on)."""
    if not AXE.is_file():
        _need("axe-core", "`make vendor` fetches it from the npm registry")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate("""async () => {
        const result = await window.axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
    }""")
    return list(found)



def _chromium() -> str | None:
    found = os.environ.get("NEWSDESK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.path.isfile(found) and os.access(found, os.X_OK) else None


def _need(what: str, hint: str) -> None:
    """Skip when a browser piece is missing on a developer's machine; fail in CI, which must have it."""
    message = f"{what} not found; {hint}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`newsdesk serve` in a child process on a free loopback port."""

    def __init__(self, db: Path, log: Path, token: str | None = None, follow: bool = False) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "newsdesk.cli", "serve", "--db", str(db), "--port", str(self.port)]
        env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_TOKEN"}
        if token:
            args += ["--token", token]
        if follow:
            args.append("--follow")
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(args, stdout=self._log_file, stderr=subprocess.STDOUT, env=env)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"newsdesk serve exited: {log.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/api/health", headers=self.headers, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"newsdesk serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.1)

    def ask(self, question: str) -> dict:
        response = httpx.post(f"{self.url}/api/ask", json={"question": question}, headers=self.headers, timeout=60)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web")
    running = Server(folder / "web.db", folder / "server.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser_context() -> Iterator[BrowserContext]:
    chromium = _chromium()
    if chromium is None:
        _need("chromium", "`make browser` installs Debian's chromium (apt-get install chromium)")
    if sync_playwright is None:
        _need("the playwright package", "`pip install playwright==1.65.2` (never `playwright install`)")
    profile = tempfile.mkdtemp(prefix="newsdesk-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        # Outside the page's reach (CDP, not subject to its CSP): notice any blocked script or injected element.
        context.add_init_script("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
        """)
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(browser_context: BrowserContext, server: Server) -> Iterator[Page]:
    tab = browser_context.new_page()
    tab.on("pageerror", lambda exc: PAGE_ERRORS.append(str(exc)))
    yield tab
    tab.close()


def upload_through_the_form(page: Page, *paths: Path) -> str:
    page.set_input_files("#files", [str(p) for p in paths])
    page.click("#upload-button")
    page.wait_for_function(
        "() => /^Added \\d+/.test(document.getElementById('progress-text').textContent)", timeout=60_000)
    return page.inner_text("#progress-text")


def ask_through_the_form(page: Page, question: str) -> None:
    if page.is_visible("#reader"):  # on a wide screen the open article takes the ask column's place
        page.keyboard.press("Escape")
    page.fill("#question", question)
    page.click("#ask-button")
    page.wait_for_function(
        "q => document.getElementById('brief-question').textContent === q && "
        "!document.getElementById('ask-button').disabled", arg=question)


@pytest.fixture(scope="module")
def example_loaded(page: Page, server: Server, quetta_dir: Path, examples_dir: Path) -> str:
    """The running example and the project's examples, ingested through the page's upload form."""
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_function("() => /article/.test(document.getElementById('stats').textContent)")
    return upload_through_the_form(page, *sorted(quetta_dir.iterdir()), *sorted(examples_dir.iterdir()))


def test_upload_form_ingests_the_running_example_and_reports_it(page: Page, example_loaded: str) -> None:
    assert example_loaded.startswith("Added 11, already known 0, failed 0"), example_loaded
    # The page reports the upload, then fetches the new counts: wait for that fetch, not a fixed time.
    page.wait_for_function("() => /^\\d+ article/.test(document.getElementById('stats').textContent) && "
                           "!document.getElementById('stats').textContent.startsWith('0 articles')", timeout=10_000)
    assert page.inner_text("#stats").startswith("11 articles")


def test_clicking_a_citation_highlights_the_quoted_span_in_its_article(page: Page, example_loaded: str) -> None:
    ask_through_the_form(page, QUESTION)
    statements = page.locator("#answer > li.statement")
    assert statements.count() >= 2
    assert "Islamic State" in page.inner_text("#answer")
    for i in range(statements.count()):
        statement = statements.nth(i)
        quoted = statement.locator("q.quote").first.inner_text()
        statement.locator("button.cite").first.click()
        page.wait_for_function(
            "q => document.querySelector('#reader-text mark.cited')?.textContent === q", arg=quoted)
        assert page.locator("mark.cited").count() == 1
        visible = page.evaluate("""() => {
            const box = document.getElementById('reader-text').getBoundingClientRect();
            const mark = document.querySelector('mark.cited').getBoundingClientRect();
            return mark.top >= box.top && mark.bottom <= box.bottom && mark.bottom <= window.innerHeight;
        }""")
        assert visible, "the cited span is not scrolled into view"
    assert page.locator("#sources tbody tr").count() >= 2
    assert page.locator("#history li").first.inner_text() == QUESTION
    assert PAGE_ERRORS == []


def test_disagreements_table_marks_the_current_fire_toll_and_shows_the_note(page: Page, server: Server,
                                                                           example_loaded: str) -> None:
    question = "How many people died in the fire at the Halvard Chemicals plant in Marlow Bay?"
    killed = next(c for c in server.ask(question)["conflicts"] if c["attribute"] == "killed")
    ask_through_the_form(page, question)
    assert page.is_visible("#conflicts-section")
    row = page.locator(f"#conflicts-table-{killed['id']}")
    fact = row.locator("th").inner_text()
    assert "people killed" in fact and killed["event"] in fact  # the event, not only the attribute
    how = row.locator("td").nth(1).inner_text()
    assert how.startswith("superseded") and killed["note"] in how  # "six (...) supersedes Four"
    current = row.locator("li.version.current .value").all_inner_texts()
    earlier = row.locator("li.version.earlier .value").all_inner_texts()
    assert earlier == ["Four"] and current and all(v in ("six", "At least five") for v in current), (current, earlier)
    assert row.locator("li.version.current .tag").first.inner_text() == "current figure"


def test_filters_and_history_ask_again_with_the_same_restrictions(page: Page, example_loaded: str) -> None:
    page.fill("#f-outlet", "The Northern Gazette")
    ask_through_the_form(page, "Who is blamed for the Marlow Bay chemical plant fire?")
    outlets = page.locator("#sources tbody tr td:nth-child(3)").all_inner_texts()
    assert outlets and set(outlets) == {"The Northern Gazette"}
    page.fill("#f-outlet", "")
    page.locator("#history li button", has_text=QUESTION).click()
    page.wait_for_function(
        "q => document.getElementById('brief-question').textContent === q", arg=QUESTION)
    assert page.locator("#sources tbody tr").count() >= 2


def test_timeline_lists_dated_entries_and_the_undated_apart_with_why(page: Page, example_loaded: str) -> None:
    ask_through_the_form(page, "How did the Halvard Chemicals fire unfold?")
    assert page.is_visible("#timeline-section")
    dates = page.locator("#timeline-body > ol.tl-list .tl-when time").all_inner_texts()
    assert len(dates) >= 5 and dates == sorted(dates) and dates[0] == "2025-09-16"
    undated = page.locator(".tl-undated .tl-entry")
    assert undated.count() >= 3
    assert all(w.startswith("Why undated: ") for w in page.locator(".tl-undated .why").all_inner_texts())
    if (WEB_DIR / "vendor" / "d3.min.js").is_file():
        assert page.locator("#timeline-body svg .tl-dot").count() == len(dates)
    # A question nothing answers has no timeline, not even one of publication dates.
    ask_through_the_form(page, "zzqx blorf vantablack unicorn?")
    assert page.is_hidden("#timeline-section") and page.is_hidden("#relations-section")
    assert page.locator("#timeline-body *").count() == 0


def test_a_timeline_with_only_undated_entries_lists_them_with_why_and_draws_no_chart(
        page: Page, server: Server, example_loaded: str) -> None:
    question = "What happened in Quetta, in order?"
    entries = server.ask(question)["timeline"]
    assert entries and not any(e["date"] for e in entries), "the Quetta articles give no dates"
    ask_through_the_form(page, question)
    assert page.is_visible("#timeline-section")
    assert page.locator(".tl-undated .tl-entry").count() == len(entries)
    whys = page.locator(".tl-undated .why").all_inner_texts()
    assert len(whys) == len(entries) and all(w.startswith("Why undated: ") and len(w) > 14 for w in whys)
    assert "None of these entries could be dated" in page.inner_text(".tl-undated")
    assert page.locator("#timeline-body svg, #timeline-body .tl-strip").count() == 0  # no chart without dates


def test_printing_a_brief_hides_the_controls_and_gives_the_brief_the_full_width(page: Page,
                                                                                example_loaded: str) -> None:
    ask_through_the_form(page, QUESTION)
    page.emulate_media(media="print")
    try:
        hidden = [s for s in (".top", ".side", "#brief-actions", "#token-box", "#reader", ".views")
                  if page.locator(s).first.is_visible()]
        widths = page.evaluate("""() => ({page: document.documentElement.clientWidth,
            brief: document.getElementById('brief').getBoundingClientRect().width,
            left: document.getElementById('brief').getBoundingClientRect().left})""")
        problems = _layout_problems(page, "#brief")
    finally:
        page.emulate_media(media="screen")
    assert hidden == [], f"shown in print: {hidden}"
    assert widths["brief"] >= widths["page"] - 40 and widths["left"] <= 20, widths
    assert problems == []
    assert page.is_visible(".top")  # back on screen


def test_hostile_articles_show_as_text_and_never_run(page: Page, server: Server, example_loaded: str,
                                                     tmp_path: Path) -> None:
    html = tmp_path / "velmora.html"
    html.write_text(HOSTILE_HTML, encoding="utf-8")
    jsonl = tmp_path / "velmora.jsonl"
    jsonl.write_text(json.dumps(HOSTILE_RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    report = upload_through_the_form(page, html, jsonl)
    assert report.startswith("Added 2,"), report

    question = "Why are the Velmora dockworkers on strike?"
    ask_through_the_form(page, question)
    brief = server.ask(question)
    hostile_ids = {s["article_id"] for s in brief["sources"] if "Velmora" in s["title"]}
    cited_ids = set(page.eval_on_selector_all("button.cite", "buttons => buttons.map(b => b.dataset.article)"))
    assert len(hostile_ids) == 2 and hostile_ids <= cited_ids  # both are quoted, the one with emoji included
    sources = page.inner_text("#sources")
    assert HOSTILE_TITLE in sources  # the markup is shown, as text
    assert HOSTILE_RECORD["outlet"] in sources
    for i in range(page.locator("button.cite").count()):
        cite = page.locator("button.cite").nth(i)
        quoted = cite.locator("xpath=ancestor::li[1]/q").first.inner_text()
        cite.click()
        page.wait_for_function(
            "q => document.querySelector('#reader-text mark.cited')?.textContent === q", arg=quoted)
    page.locator("#sources button.link", has_text="Velmora talks fail").click()
    page.wait_for_function(
        "() => document.getElementById('reader-text').textContent.includes('<script>window.__pwned')")

    state = page.evaluate("""() => ({
        pwned: window.__pwned === undefined ? null : String(window.__pwned),
        title: document.title,
        violations: window.__violations,
        images: document.querySelectorAll('img').length,
        scripts: [...document.scripts].map(s => s.getAttribute('src')),
        badLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                    .filter(href => !/^(https?:|\\/|#)/.test(href)),
        handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name)))
                    .map(e => e.tagName),
        iframes: document.querySelectorAll('iframe').length,
    })""")
    assert state["pwned"] is None
    assert state["title"] == "newsdesk"
    assert state["violations"] == []
    assert state["images"] == 0 and state["iframes"] == 0 and state["handlers"] == []
    assert state["badLinks"] == []
    assert all(src.startswith("/static/") for src in state["scripts"])
    assert PAGE_ERRORS == []


def _event(n: int, source: str, target: str, action: str, part: str | None, text: str) -> dict:
    return {"kind": "event", "event": n, "direction": "forward", "source_actor": source, "source_part": None,
            "target_actor": target, "target_part": part, "action": action, "mode": "action", "polarity": -1.0,
            "tone": "hostile", "attributed": False, "speaker": None, "speaker_text": None, "negated": False,
            "anchor": None, "dates": [], "trigger": "x",
            "citations": [{"source": 1, "article_id": "x", "start": 0, "end": 8, "text": text,
                           "trigger_start": 0, "trigger_end": 1}]}


def test_relation_graph_and_disputes_render_untrusted_names_as_text(page: Page, example_loaded: str) -> None:
    hostile_name = "<img src=x onerror=alert(2)>"
    brief = {
        "schema": "newsdesk.brief/1", "question": "<b>synthetic</b>", "question_type": "stance", "notes": [],
        "answer": [{"text": "A quote.", "citations": [{"source": 1, "article_id": "x", "start": 0, "end": 8}],
                    "score": 1.0, "also": [], "language": None, "conflict": 1}],
        "evidence": [], "stories": [], "timeline": [],
        "sources": [{"n": 1, "article_id": "x", "title": "<img src=x onerror=alert(1)>", "outlet": "Out",
                     "published": "2016-10-25", "url": "javascript:alert(1)", "path": None, "language": "en"}],
        "conflicts": [{"id": 1, "attribute": "killed", "event": "attack", "classification": "differ", "versions": [
            {"value": "60", "qualifier": "exact", "polarity": "affirmed", "phrase": "60", "text": "killing 60 people",
             "outlet": "A", "published": "2016-10-25", "speaker": None, "detail": None, "superseded": False,
             "citations": [{"source": 1, "article_id": "x", "start": 0, "end": 8}]},
            {"value": "61", "qualifier": "lower", "polarity": "affirmed", "phrase": "at least 61",
             "text": "<script>window.__pwned=1</script>", "outlet": "B", "published": None, "speaker": None,
             "detail": None, "superseded": False,
             "citations": [{"source": 1, "article_id": "x", "start": 0, "end": 8}]}]}],
        "relations": [
            _event(1, "Islamic State", "Pakistan", "claim_responsibility", "police school", "It claimed it."),
            _event(2, "Islamic State", "Pakistan", "claim_responsibility", "lawyers", "It claimed that too."),
            _event(3, "Islamic State", "Pakistan", "threaten", None, "It threatened more."),
            _event(4, "Pakistan", "Islamic State", "attack", None, "Troops struck back."),
            _event(5, hostile_name, "Pakistan", "accuse", None, "An accusation."),
        ],
    }
    page.evaluate("b => window.newsdesk.renderBrief(b)", brief)
    assert page.is_visible("#conflicts-section") and page.is_visible("#relations-section")
    table = page.inner_text("#conflicts-table")
    assert "60" in table and "at least 61" in table and "<script>window.__pwned=1</script>" in table
    assert page.locator("#answer .badge").count() == 1
    lines = page.locator("#relations-list .relation-line").all_inner_texts()
    assert lines[:2] == ["Islamic State claimed responsibility for an attack on Pakistan (police school)",
                         "Islamic State claimed responsibility for an attack on Pakistan (lawyers)"]
    assert len(lines) == len(set(lines)) == 5  # each event once, told apart by its detail
    assert not any("_" in line for line in lines)
    if (WEB_DIR / "vendor" / "d3.min.js").is_file():
        labels = page.locator("#relations-chart svg .node-label").all_text_contents()
        assert sorted(labels) == sorted(["Islamic State", "Pakistan", hostile_name])
        edges = page.locator("#relations-chart svg .edge-label").all_text_contents()
        assert sorted(edges) == sorted(["claimed responsibility ×2", "threatened", "attacked", "accused"])
        paths = page.eval_on_selector_all("#relations-chart svg path.edge", "ps => ps.map(p => p.getAttribute('d'))")
        assert len(paths) == len(set(paths)) == 4  # three edges between the same two actors, each on its own curve
        assert _layout_problems(page, "#relations-section") == []
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => window.__pwned === undefined")


def test_each_line_shows_its_confidence_as_a_percentage_and_never_markup(page: Page, example_loaded: str) -> None:
    cite = [{"source": 1, "article_id": "x", "start": 0, "end": 8}]
    brief = {
        "schema": "newsdesk.brief/1", "question": "Which city?", "question_type": "which", "notes": [],
        "answer": [{"text": "A quote.", "citations": cite, "score": 0.9, "also": [], "language": None,
                    "confidence": 0.734}],
        "evidence": [{"text": "Another.", "citations": cite, "score": 0.4, "also": [], "language": None,
                      "confidence": "<img src=x onerror=window.__pwned=3>"},
                     {"text": "A third.", "citations": cite, "score": 0.3, "also": [], "language": None}],
        "stories": [], "timeline": [],
        "sources": [{"n": 1, "article_id": "x", "title": "T", "outlet": "Out", "published": "2016-10-25",
                     "url": None, "path": None, "language": "en"}],
    }
    page.evaluate("b => window.newsdesk.renderBrief(b)", brief)
    assert page.locator("#answer .badge.confidence").all_inner_texts() == ["73%"]
    assert page.locator("#evidence .badge.confidence").count() == 0  # not a probability: not shown
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => window.__pwned === undefined")


def test_the_offline_api_docs_page_lists_the_endpoints(page: Page, server: Server) -> None:
    page.goto(server.url + "/docs")
    page.wait_for_selector("text=POST /api/ask")
    assert page.locator("#docs section").count() >= 10
    assert "`" not in page.inner_text("#docs")  # Markdown is rendered, not shown
    assert page.locator("#docs code", has_text="Authorization: Bearer TOKEN").count() >= 1
    assert PAGE_ERRORS == []


def test_a_token_server_asks_for_the_token_then_works(browser_context: BrowserContext, tmp_path: Path,
                                                      quetta_dir: Path) -> None:
    locked = Server(tmp_path / "locked.db", tmp_path / "locked.log", token="page-s3cret")
    tab = browser_context.new_page()
    try:
        tab.goto(locked.url + "/")
        tab.wait_for_selector("#token-box:not([hidden])")
        assert tab.inner_text("#token-message") == "This server needs a token."
        tab.fill("#token-input", "not-the-token")
        tab.click("#token-form button")
        tab.wait_for_function("() => document.getElementById('token-message').textContent.includes('not accepted')")
        assert tab.is_visible("#connection")
        tab.fill("#token-input", "page-s3cret")
        tab.click("#token-form button")
        tab.wait_for_function("() => /0 articles/.test(document.getElementById('stats').textContent)")
        assert tab.is_hidden("#token-box") and tab.is_hidden("#connection")  # the header is clear again
        upload_through_the_form(tab, *sorted(quetta_dir.iterdir()))
        ask_through_the_form(tab, QUESTION)
        assert tab.locator("#answer li").count() >= 1
        docs = browser_context.new_page()  # a new tab: its session holds no token yet
        try:
            docs.goto(locked.url + "/docs")
            docs.wait_for_selector("#token-box:not([hidden])")
            assert docs.locator("#docs section").count() == 0
            docs.fill("#token-input", "page-s3cret")
            docs.click("#token-form button")
            docs.wait_for_selector("text=POST /api/ask")
            assert docs.is_hidden("#token-box") and docs.locator("#docs section").count() >= 10
            assert docs.locator("#docs", has_text="GET /api/watches").count() == 1
        finally:
            docs.close()
        locked.stop()
        tab.click("#ask-button")
        tab.wait_for_selector("#brief.stale")
        assert "not answering" in tab.inner_text("#connection")
        assert tab.is_visible(".stale-note")
    finally:
        tab.close()
        if locked.process.poll() is None:
            locked.stop()


WATCHED = "What happened at the Orlin dam?"
ORLIN = {
    "title": "Orlin dam opens its spillway", "outlet": "Orlin Valley Times", "published": "2025-11-04",
    "url": "https://valley.example/orlin-dam", "language": "en",
    "text": "The Orlin dam opened its spillway gates on Tuesday after three days of heavy rain, the water authority "
            "said. Villages below the Orlin dam were told to move livestock to higher ground.\n\n"
            "The authority said the reservoir behind the Orlin dam had reached its highest level since 1998.",
}


@pytest.fixture(scope="module")
def watched(page: Page, server: Server, example_loaded: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    """A question watched from its brief, then an article that changes its answer, added through the form."""
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    ask_through_the_form(page, WATCHED)
    page.click("#watch-question")
    page.wait_for_selector("#watch-status a")
    listing = httpx.get(f"{server.url}/api/watches", timeout=30).json()["watches"]
    [watch] = [w for w in listing if w["question"] == WATCHED]
    assert watch["changes"] == 0  # its brief now is where it starts
    article = tmp_path_factory.mktemp("orlin") / "orlin.jsonl"
    article.write_text(json.dumps(ORLIN) + "\n", encoding="utf-8")
    assert upload_through_the_form(page, article).startswith("Added 1,")
    page.wait_for_selector("#watch-unread:not([hidden])")
    return int(watch["id"])


def test_a_watched_question_shows_what_changed_verbatim_with_links_and_marks_it_read(
        page: Page, server: Server, watched: int) -> None:
    changes = httpx.get(f"{server.url}/api/changes", params={"watch": watched}, timeout=30).json()["changes"]
    statements = [c["statement"]["text"] for c in changes if c["kind"] == "statement"]
    assert statements and any("spillway" in text for text in statements)
    assert page.inner_text("#watch-unread") == str(len(changes))

    page.click("#nav-watching")
    page.wait_for_function("() => document.body.dataset.view === 'watching'")
    item = page.locator("li.watch", has_text=WATCHED)
    assert f"{len(changes)} unread change" in item.inner_text()
    item.locator("a", has_text="What changed").click()
    page.wait_for_function("v => document.body.dataset.view === v", arg=f"watching/{watched}")
    assert page.locator("li.change").count() == len(changes)
    assert page.locator("li.change.unread").count() == len(changes)  # unread when the view opened
    shown = page.locator("li.change[data-kind=statement] .change-text q.quote").all_inner_texts()
    assert sorted(shown) == sorted(statements)  # the cited text, verbatim
    spillway = page.locator("li.change[data-kind=statement]", has_text="spillway").first
    quoted = spillway.locator("q.quote").inner_text()
    spillway.locator("button.cite").first.click()
    page.wait_for_function("q => document.querySelector('#reader-text mark.cited')?.textContent === q", arg=quoted)
    page.keyboard.press("Escape")
    assert page.locator("li.change a.ext", has_text="↗").first.get_attribute("href") == ORLIN["url"]

    after = httpx.get(f"{server.url}/api/watches", timeout=30).json()["watches"]
    assert [w["unread"] for w in after if w["id"] == watched] == [0]  # seen, and so marked read in the index
    assert page.is_hidden("#watch-unread")
    page.click("#reopen-brief")
    page.wait_for_function("q => document.getElementById('brief-question').textContent === q", arg=WATCHED)
    assert "spillway" in page.inner_text("#answer")  # the brief as it is now
    assert PAGE_ERRORS == []


def _open_view(page: Page, server: Server, view: str) -> str:
    """Go to a view as a reader would (a link or a question) and wait until it is drawn; its root selector."""
    if view.startswith("?q="):
        page.goto(f"{server.url}/{view}")
        page.wait_for_function("() => !document.getElementById('brief-body').hidden && "
                               "!document.getElementById('ask-button').disabled", timeout=60_000)
        return "body"
    page.goto(f"{server.url}/{view}")
    page.wait_for_function("v => document.body.dataset.view === v && !document.getElementById('collection')"
                           ".classList.contains('loading') && document.getElementById('collection').children.length",
                           arg=view.removeprefix("#/"))
    if view == "#/actors":
        page.locator("button.actor-open").first.click()
        page.wait_for_selector("#actor-relations h3")
    return "body"


VIEWS = {
    "brief-timeline": "?q=How did the Halvard Chemicals fire unfold?",
    "brief-relations": "?q=What does ISIS think of Pakistan?",
    "disagreements": "#/disagreements",
    "actors": "#/actors",
    "stories": "#/stories",
    "watching": "#/watching",
}


@pytest.mark.parametrize("size", list(SIZES))
def test_every_view_holds_its_layout_and_passes_axe(page: Page, server: Server, example_loaded: str, watched: int,
                                                     size: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    shots = tmp_path_factory.mktemp(f"screens-{size}")
    page.set_viewport_size(SIZES[size])
    stories = httpx.get(f"{server.url}/api/stories", timeout=30).json()["stories"]
    fire = next(s for s in stories if "Halvard" in s["label"])
    problems: dict[str, list[str]] = {}
    try:
        details = [("story", f"#/story/{fire['id']}"), ("what-changed", f"#/watching/{watched}")]
        for name, view in [*VIEWS.items(), *details]:
            root = _open_view(page, server, view)
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            found = _layout_problems(page, root) + _axe_violations(page)
            if found:
                problems[name] = found
        print(f"screenshots in {shots}; problems: {json.dumps(problems, indent=1)}")
    finally:
        page.set_viewport_size({"width": 1400, "height": 900})
    assert problems == {}
    assert PAGE_ERRORS == []


def test_the_story_page_shows_its_articles_disagreements_and_actors(page: Page, server: Server,
                                                                    example_loaded: str) -> None:
    stories = httpx.get(f"{server.url}/api/stories", timeout=30).json()["stories"]
    fire = next(s for s in stories if "Halvard" in s["label"])
    page.goto(f"{server.url}/#/stories")
    page.locator("a", has_text=fire["label"]).first.click()
    page.wait_for_selector("#story-conflicts")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == fire["articles"]
    outlets = set(page.locator("table.listing tbody td:nth-child(2)").all_inner_texts())
    assert outlets - {"—"} == set(fire["outlets"])  # "—": an article that names no outlet
    assert page.locator(".story-actor h4").all_inner_texts()[:2] == fire["actors"][:2]
    assert "reported by The" in page.inner_text(".story-actors")


def test_a_question_link_reopens_the_brief_and_exports_keep_it(page: Page, server: Server,
                                                               example_loaded: str) -> None:
    question = "How did the Halvard Chemicals fire unfold?"
    page.goto(f"{server.url}/?q={question.replace(' ', '+')}")
    page.wait_for_function("q => document.getElementById('brief-question').textContent === q", arg=question)
    assert page.is_visible("#stories-section")  # the brief's stories are shown
    own = page.locator("q.quote.own-marks").first  # a quote that has its own quotation marks gets no more
    assert own.evaluate("q => getComputedStyle(q).quotes") == "none"
    with page.expect_download() as markdown:
        page.click("#export-md")
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert text.startswith(f"# {question}\n") and "## Sources" in text and "[1]" in text
    with page.expect_download() as html:
        page.click("#export-html")
    exported = Path(html.value.path()).read_text(encoding="utf-8")
    assert "<script" not in exported and "<link" not in exported and "<style>" in exported
    assert page.inner_text("#answer li.statement q") in exported
