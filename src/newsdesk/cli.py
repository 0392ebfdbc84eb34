"""The `newsdesk` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsdesk.config import DEFAULT_DB, load_config
from newsdesk.model import Filters, IngestReport
from newsdesk.store.base import StoreError

db_option = click.option(
    "--db", envvar="NEWSDESK_DB", default=DEFAULT_DB, show_default=True,
    help="Index file, or a postgresql:// URL (or NEWSDESK_DB).",
)


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD)."),
        click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD)."),
        click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable)."),
        click.option("--lang", "languages", multiple=True, help="Only this language code (repeatable)."),
    ]):
        func = option(func)
    return func


def _filters(since: str | None, until: str | None, outlets: tuple[str, ...], languages: tuple[str, ...]) -> Filters:
    from newsdesk.ingest.normalize import parse_date

    def day(value: str | None, name: str) -> str | None:
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise click.BadParameter(f"{value!r} is not a date", param_hint=name)
        return parsed[:10]

    return Filters(day(since, "--since"), day(until, "--until"), tuple(outlets), tuple(languages))


@contextmanager
def _open_desk(db: str, *, readonly: bool = True, warn: bool = True) -> Iterator[Any]:
    """A Desk for one command: store errors become clear messages, and it is always closed.

    Read commands open the index read-only (it may be a file this process cannot write); with `warn`,
    what `newsdesk migrate` would bring up to date is said once on stderr.
    """
    desk = _desk(db, readonly=readonly)
    try:
        if warn:
            for note in desk.pending_work():
                click.echo(f"warning: {note}", err=True)
        yield desk
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        desk.close()


def _desk(db: str, readonly: bool = False) -> Any:
    from newsdesk.desk import Desk

    try:
        return Desk(db, load_config(db=db), readonly=readonly)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.version_option(package_name="newsdesk")
def main() -> None:
    """Answer questions over a collection of news articles with a sourced, cited brief."""


@main.command("ingest")
@db_option
@click.argument("paths", nargs=-1, required=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--cluster", metavar="ADDRESS",
              help="Analyze on the workers of this Dask scheduler (tcp://host:8786); this process writes.")
def ingest_command(db: str, paths: tuple[str, ...], quiet: bool, cluster: str | None) -> None:
    """Add articles from files, folders (recursively), URLs of feeds or pages, or - for stdin."""
    from tqdm import tqdm

    desk = _desk(db)
    bar = tqdm(unit=" docs", disable=quiet or None, file=sys.stderr, dynamic_ncols=True)

    def progress(report: IngestReport, origin: str) -> None:
        bar.update(1)
        bar.set_postfix(added=report.added, known=report.known, failed=report.failed, refresh=False)

    try:
        report = desk.ingest(paths, on_progress=progress, cluster=cluster)
        _after_ingest(desk, report)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except (OSError, ImportError) as exc:  # no Dask, or the scheduler cannot be reached (OSError after a timeout)
        if cluster is None:
            raise
        raise click.ClickException(f"cluster {cluster}: {exc}") from exc
    finally:
        bar.close()
        desk.close()
    for error in report.errors:
        click.echo(f"error: {error.origin}: {error.reason}", err=True)
    click.echo(f"read {report.read}, added {report.added}, already known {report.known}, failed {report.failed}")
    if report.failed:
        sys.exit(1)


@main.command("migrate")
@db_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def migrate_command(db: str, quiet: bool) -> None:
    """Bring the index up to date: re-extract analysis made by older rules, group articles into stories."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(what: str, done: int, todo: int) -> None:
        if what not in bars:
            for bar in bars.values():
                bar.close()
            bars[what] = tqdm(unit=" articles", desc=what, total=todo, disable=quiet or None, file=sys.stderr,
                              dynamic_ncols=True)
        bars[what].total = todo
        bars[what].update(done - bars[what].n)

    with _open_desk(db, readonly=False, warn=False) as desk:
        try:
            report = desk.migrate(on_progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
    redone = ", ".join(f"{name} of {count} article(s)" for name, count in report.redone.items())
    click.echo(f"re-extracted {redone or 'nothing'}; organised {report.organized} article(s) into stories")


@main.command("export")
@db_option
@click.argument("out", type=click.File("w", encoding="utf-8", lazy=True))
def export_command(db: str, out: Any) -> None:
    """Write the whole index (articles, analysis, vectors) as JSON Lines to OUT (- for stdout)."""
    from newsdesk.store.open import open_store
    from newsdesk.transfer import export_index

    try:
        store = open_store(db, readonly=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        count = export_index(store, out)
    finally:
        store.close()
    click.echo(f"exported {count} article(s)", err=True)


@main.command("import")
@db_option
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(db: str, file: Any) -> None:
    """Add the articles of a `newsdesk export` FILE (- for stdin) to the index, without re-analysing them."""
    from newsdesk.analyze.steps import steps_named
    from newsdesk.ingest.migrate import bring_up_to_date
    from newsdesk.store.open import open_store
    from newsdesk.transfer import import_index

    config = load_config(db=db)
    try:
        store = open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = import_index(store, file, source=file.name, batch_size=config.batch_size)
        # Copies and stories are the receiving index's own, and analysis by older rules is redone (ingest/migrate.py).
        bring_up_to_date(store, steps_named(config.analysis))
        store.prepare_dense_search()  # vectors (and a large index's graph) saved beside it for the first question
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file.name}: not a newsdesk export (not UTF-8 text: {exc.reason})") from exc
    finally:
        store.close()
    for error in report.errors:
        click.echo(f"error: {error.origin}: {error.reason}", err=True)
    click.echo(f"read {report.read}, added {report.added}, already known {report.known}, failed {report.failed}")
    if report.failed:
        sys.exit(1)


@main.command("ask")
@db_option
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON (schema newsdesk.brief/1).")
@click.option("--markdown", is_flag=True, help="Print the brief as Markdown.")
@click.option("--batch", type=click.File("r", encoding="utf-8", errors="surrogateescape"),
              help="Answer one question per line of FILE (- for stdin); JSON Lines out.")
@_filter_options
def ask_command(db: str, question: str | None, as_json: bool, markdown: bool, batch: Any, since: str | None,
                until: str | None, outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """Answer QUESTION with a brief quoted from the sources."""
    from newsdesk.render.jsonout import brief_dict
    from newsdesk.render.terminal import render_markdown, render_terminal

    filters = _filters(since, until, outlets, languages)
    if (question is None) == (batch is None):
        raise click.UsageError("give either a QUESTION or --batch FILE")
    if question is not None:
        question = _question_text(question, "QUESTION")
    with _open_desk(db, warn=False) as desk:  # a brief carries the notes itself
        if batch is not None:
            _ask_batch(desk, batch, filters, brief_dict)
            return
        try:
            brief = desk.ask(question or "", filters)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        if as_json:
            click.echo(json.dumps(brief_dict(brief), ensure_ascii=False, indent=2))
        elif markdown:
            click.echo(render_markdown(brief), nl=False)
        else:
            click.echo(render_terminal(brief), nl=False)


def _question_text(value: str, name: str) -> str:
    """A question or query argument as text, or a usage error saying what is wrong with it.

    A byte that is not UTF-8 reaches Python as a lone surrogate, which no later stage can encode.
    """
    bad = next((i for i, ch in enumerate(value) if "\ud800" <= ch <= "\udfff"), None)
    if bad is not None:
        raise click.UsageError(f"{name} is not valid UTF-8 text (an undecodable byte at character {bad + 1})")
    if not value.strip():
        raise click.UsageError(f"{name} is empty")
    return value


def _ask_batch(desk: Any, batch: Any, filters: Any, brief_dict: Any) -> None:
    """One JSON line per question; a line that cannot be asked gets {"line", "error"} and the rest go on."""
    failed = 0
    for number, line in enumerate(batch, start=1):
        if not line.strip():
            continue
        try:
            brief = desk.ask(_question_text(line.strip(), f"line {number}"), filters)
        except (click.UsageError, ValueError) as exc:
            failed += 1
            reason = exc.format_message() if isinstance(exc, click.UsageError) else str(exc)
            click.echo(json.dumps({"line": number, "error": reason}, ensure_ascii=False))
            click.echo(f"warning: {reason}", err=True)
            continue
        click.echo(json.dumps(brief_dict(brief), ensure_ascii=False))
    if failed:
        raise click.exceptions.Exit(1)


@main.command("timeline")
@db_option
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON (schema newsdesk.timeline/1).")
@click.option("--markdown", is_flag=True, help="Print the timeline as Markdown.")
@_filter_options
def timeline_command(db: str, query: str, as_json: bool, markdown: bool, since: str | None, until: str | None,
                     outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """The events and claims of the articles matching QUERY in the order they happened, each quoted and cited."""
    from newsdesk.render.timeline import render_timeline, render_timeline_markdown, timeline_dict

    filters = _filters(since, until, outlets, languages)
    with _open_desk(db) as desk:
        try:
            timeline = desk.timeline(query, filters)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(timeline_dict(timeline), ensure_ascii=False, indent=2))
    elif markdown:
        click.echo(render_timeline_markdown(timeline), nl=False)
    else:
        click.echo(render_timeline(timeline), nl=False)


@main.command("search")
@db_option
@click.argument("query")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_filter_options
def search_command(db: str, query: str, limit: int, as_json: bool, since: str | None, until: str | None,
                   outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """List the passages that best match QUERY (hybrid BM25 + dense)."""
    query = _question_text(query, "QUERY")
    with _open_desk(db) as desk:
        hits = desk.search(query, _filters(since, until, outlets, languages), limit=limit)
        articles = desk.store.articles([h.passage.article_id for h in hits])
    for rank, hit in enumerate(hits, 1):
        art = articles[hit.passage.article_id]
        if as_json:
            click.echo(json.dumps({
                "rank": rank, "score": round(hit.score, 5), "article_id": art.id, "title": art.title,
                "outlet": art.outlet, "published": art.published, "start": hit.passage.start,
                "end": hit.passage.end, "text": hit.passage.text,
            }, ensure_ascii=False))
        else:
            click.echo(f"{rank:2d}. {art.title} ({art.outlet or '?'}, {art.published or '?'}) id:{art.id}")
            click.echo("    " + " ".join(hit.passage.text.split())[:300])


@main.command("show")
@db_option
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print metadata and the full text as JSON.")
def show_command(db: str, article_id: str, as_json: bool) -> None:
    """Show an article's metadata and full stored text."""
    from newsdesk.render.jsonout import article_dict

    with _open_desk(db) as desk:
        art = desk.article(article_id)
    if art is None:
        raise click.ClickException(f"no article with id {article_id!r}")
    if as_json:
        click.echo(json.dumps(article_dict(art), ensure_ascii=False, indent=2))
        return
    click.echo(art.title)
    for key in ("id", "outlet", "published", "language", "author"):
        click.echo(f"{key}: {getattr(art, key) or '-'}")
    for loc in art.locations:
        click.echo(f"seen at: {loc.url or loc.path}")
    click.echo("")
    click.echo(art.text)


@main.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats_command(db: str, as_json: bool) -> None:
    """Counts of articles, sentences, passages, outlets and languages in the index."""
    with _open_desk(db) as desk:
        stats = desk.stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        for key, value in stats.items():
            click.echo(f"{key}: {value}")


@main.command("delete")
@db_option
@click.argument("article_ids", nargs=-1)
@click.option("--outlet", help="Delete every article of this outlet.")
def delete_command(db: str, article_ids: tuple[str, ...], outlet: str | None) -> None:
    """Delete articles by id, or all articles of an outlet."""
    if not article_ids and not outlet:
        raise click.UsageError("give ARTICLE_ID... or --outlet NAME")
    with _open_desk(db, readonly=False, warn=False) as desk:
        deleted = desk.delete(article_ids, outlet=outlet)
    click.echo(f"deleted {deleted} article(s)")
    missing = len(article_ids) - (deleted if not outlet else 0)
    if article_ids and not outlet and missing > 0:
        raise click.ClickException(f"{missing} id(s) not found")


@main.command("conflicts")
@db_option
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema newsdesk.conflicts/1).")
@click.option("--limit", default=40, show_default=True, help="Articles matching QUERY to compare.")
@_filter_options
def conflicts_command(db: str, query: str | None, as_json: bool, limit: int, since: str | None, until: str | None,
                      outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """List where sources disagree: across the collection, or among the articles matching QUERY."""
    from newsdesk.render.disputes import disputes_dict, render_disputes

    filters = _filters(since, until, outlets, languages)
    with _open_desk(db) as desk:
        disputes = desk.conflicts(query, filters, limit=limit)
    if as_json:
        click.echo(json.dumps(disputes_dict(disputes), ensure_ascii=False, indent=2))
    else:
        click.echo(render_disputes(disputes), nl=False)


@main.command("stories")
@db_option
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON Lines.")
@click.option("--limit", default=40, show_default=True, help="Articles matching QUERY whose stories are listed.")
@_filter_options
def stories_command(db: str, query: str | None, as_json: bool, limit: int, since: str | None, until: str | None,
                    outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """List stories (reports of one event) in time order: all, or those of the articles matching QUERY."""
    from newsdesk.render.stories import story_dict

    filters = _filters(since, until, outlets, languages)
    with _open_desk(db) as desk:
        found = desk.stories(query, filters, limit=limit)
    for story in found:
        entry = story_dict(story)
        if as_json:
            click.echo(json.dumps(entry, ensure_ascii=False))
            continue
        days = story.first_published or "?"
        if story.last_published and story.last_published != story.first_published:
            days += f" to {story.last_published}"
        click.echo(f"{story.id:5d}  {days}  {story.label}")
        click.echo(f"       {story.articles} articles, {story.sources} sources; outlets: {', '.join(story.outlets[:6])}"
                   f"; languages: {', '.join(story.languages) or '?'}"
                   + (f"; actors: {', '.join(story.actors)}" if story.actors else ""))
    if not found and not as_json:
        click.echo("no stories")


@main.command("actors")
@db_option
@click.argument("name", required=False)
@click.option("--limit", default=50, show_default=True, help="At most this many actors.")
@click.option("--json", "as_json", is_flag=True, help="Print the actors as JSON.")
def actors_command(db: str, name: str | None, limit: int, as_json: bool) -> None:
    """List actors with their names as written, parts and counts (or the actor NAME and its parts)."""
    from newsdesk.render.relations import actor_lines, actors_list

    with _open_desk(db) as desk:
        actors = desk.actors(name, limit=limit)
    if as_json:
        click.echo(json.dumps(actors_list(actors), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(actor_lines(actors)))


@main.command("relations")
@db_option
@click.argument("x")
@click.argument("y", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the stance and the timeline as JSON.")
@_filter_options
def relations_command(db: str, x: str, y: str | None, as_json: bool, since: str | None, until: str | None,
                      outlets: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """What X did to and said about Y (or anyone), as a timeline of cited events; with Y, the stance both ways."""
    from newsdesk.render.relations import relations_dict, timeline_lines

    filters = _filters(since, until, outlets, languages)
    with _open_desk(db) as desk:
        report = desk.relations(x, y, filters)
    if as_json:
        click.echo(json.dumps(relations_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(timeline_lines(report)))


@main.group("eval")
def eval_group() -> None:
    """Measure newsdesk on third-party news QA data."""


@eval_group.command("realtimeqa")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--weeks", help="Comma-separated weeks (YYYYMMDD); default all in DIRECTORY.")
@click.option("--choices", is_flag=True, help="Also pick the choice best supported by the cited evidence.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Per-question results (JSON Lines).")
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option("--db", help="Build the index here: a file or a postgresql:// URL (default: a temporary file).")
@click.option("--reuse-index", is_flag=True, help="Use the index in --db as it is (no ingest).")
@click.option("--variant", type=click.Choice(["qa", "qa_nota"]), default="qa", show_default=True,
              help="qa_nota: the same questions with a \"none of the above\" choice.")
def eval_realtimeqa_command(directory: Path, weeks: str | None, choices: bool, out: Path | None, limit: int | None,
                            db: str | None, reuse_index: bool, variant: str) -> None:
    """Ask RealTime QA questions over their weeks' articles; report citation and answer rates.

    Weeks without gold files are asked every question; their citation figures are then absent.
    """
    import tempfile

    from newsdesk.eval.realtimeqa import run_realtimeqa

    if reuse_index and db is None:
        raise click.UsageError("--reuse-index needs --db")
    week_list = [w.strip() for w in weeks.split(",") if w.strip()] if weeks else None
    with tempfile.TemporaryDirectory() as tmp:
        summary, _ = run_realtimeqa(directory, week_list, db=db or str(Path(tmp) / "rtqa.db"), choices=choices, out=out,
                                    limit=limit, reuse_index=reuse_index, variant=variant)
    for key, value in summary.items():
        if key not in ("weeks", "fingerprint"):
            click.echo(f"{key:>22}: {value}")
    click.echo(json.dumps(summary))


@eval_group.command("stance")
@click.argument("items", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="The directory holding realtimeqa-dev/ and realtimeqa-2023/ (e.g. ../shared/data).")
@click.option("--db", required=True, help="The index to build once and reuse (a file or a postgresql:// URL).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Per-item results (JSON Lines).")
def eval_stance_command(items: Path, data: Path, db: str, out: Path | None) -> None:
    """Ask the stance dev set's questions; report label accuracy and whether the justifying sentence is cited."""
    from newsdesk.eval.stance import StanceSetError, run_stance

    try:
        summary, results = run_stance(items, data, db, out)
    except StanceSetError as exc:
        raise click.ClickException(str(exc)) from None
    for r in results:
        mark = "ok " if r.correct else "BAD"
        cited = {None: "-", True: "cited", False: "not cited"}[r.sentence_cited]
        click.echo(f"{mark} {r.expected:>8} -> {r.got:<10} [{cited}] {r.question}  | {r.summary}", err=True)
    click.echo(json.dumps(summary))


@eval_group.command("rgb")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Per-question results (JSON Lines).")
@click.option("--quiet", "-q", is_flag=True, help="No per-question progress.")
@click.option("--retrieval", is_flag=True,
              help="Retrieval mode (zh_refine): positive passage cited, answer quoted; no disagreement measures.")
@click.option("--translations", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --retrieval: JSON Lines {id, query, query_en}; only these questions, asked in both languages.")
def eval_rgb_command(file: Path, limit: int | None, out: Path | None, quiet: bool, retrieval: bool,
                     translations: Path | None) -> None:
    """RGB en_fact: are true and fake answers shown as a disagreement? False alarms? 'No answer' on noise?"""
    from newsdesk.eval.rgb import RgbResult, run_rgb, summary_table

    if retrieval or translations:
        from newsdesk.eval.rgb_retrieval import Asking, run_rgb_retrieval

        def each(a: Asking) -> None:
            if not quiet:
                click.echo(f"{a.id:>4} {a.language} first={int(a.positive_first)} cited={int(a.positive_cited)} "
                           f"quoted={int(a.answer_quoted)} "
                           f"in_brief={int(a.answer_in_brief)}  {a.query}", err=True)

        click.echo(json.dumps(run_rgb_retrieval(file, translations=translations, limit=limit, out=out,
                                                progress=each), ensure_ascii=False, indent=2))
        return

    def progress(r: RgbResult) -> None:
        if not quiet:
            mark = "flagged" if r.flagged else "settled" if r.settled else "-"
            click.echo(f"{r.id:4d} {mark:8s} true={int(r.true_in_answer)} fake={int(r.fake_in_answer)} "
                       f"false_alarm={int(r.false_alarm)} {r.seconds:5.1f}s  {r.query[:60]}", err=True)

    summary, _ = run_rgb(file, limit=limit, out=out, progress=progress)
    click.echo(summary_table(summary))
    click.echo(json.dumps(summary))


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (default: localhost only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="NEWSDESK_TOKEN", help="Require `Authorization: Bearer TOKEN` (or NEWSDESK_TOKEN).")
@click.option("--follow", is_flag=True, help="Also poll the followed feeds and re-answer the watches, as `follow run`.")
@click.option("--reader-workers", type=click.IntRange(0, 64), default=None,
              help="Processes answering questions at once (default: the reader_workers setting; 0: one per core).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=120.0, show_default=True,
              help="Seconds a question may take, waiting included, before it is answered 504.")
def serve_command(db: str, host: str, port: int, token: str | None, follow: bool, reader_workers: int | None,
                  timeout: float) -> None:
    """Serve the web page and the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    from newsdesk.api import serve

    stop = _start_following(db) if follow else None
    try:
        serve(db, host=host, port=port, token=token or None, reader_workers=reader_workers, timeout=timeout)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if stop is not None:
            stop.set()


def _start_following(db: str) -> Any:
    from newsdesk.follow.background import start_following

    return start_following(db)

# --- following feeds and watching questions (follow/, watch/) ----------------------------------------------


@click.group("follow")
def follow_group() -> None:
    """Follow feeds (RSS, Atom, JSON Feed, news sitemaps): polled on a schedule into the index."""


@follow_group.command("add")
@db_option
@click.argument("url")
@click.option("--every", default="15m", show_default=True, help="How often to poll it: 90s, 15m, 2h, 1d.")
def follow_add_command(db: str, url: str, every: str) -> None:
    """Follow the feed at URL (polled at the next `follow run`)."""
    from newsdesk.follow.schedule import format_interval, parse_interval
    from newsdesk.net.fetch import is_web_url

    if not is_web_url(url):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="URL")
    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    with _open_desk(db, readonly=False, warn=False) as desk:
        added = desk.store.add_feed(url, seconds)
    click.echo(f"following {url} every {format_interval(seconds)}" if added else f"already following {url}")


@follow_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one feed a line.")
def follow_list_command(db: str, as_json: bool) -> None:
    """The followed feeds: interval, last poll, entries taken, and a failing feed's backoff and last error."""
    from dataclasses import asdict
    from datetime import UTC, datetime

    from newsdesk.follow.schedule import format_interval

    with _open_desk(db, warn=False) as desk:  # read-only: listing writes nothing
        feeds = desk.store.feeds()
    for feed in feeds:
        next_poll = datetime.fromtimestamp(feed.next_poll, UTC).isoformat(timespec="seconds")
        if as_json:
            click.echo(json.dumps({**asdict(feed), "next_poll": next_poll}, ensure_ascii=False))
            continue
        state = "ok" if feed.failures == 0 else f"failing ({feed.failures} in a row; next try {next_poll})"
        click.echo(f"{feed.url}  every {format_interval(feed.every_seconds)}  entries {feed.entries}  "
                   f"last polled {feed.last_polled or 'never'}  {state}")
        if feed.url != feed.added_url:
            click.echo(f"  moved from {feed.added_url}")
        if feed.last_error:
            click.echo(f"  last error: {feed.last_error}")
    if not feeds and not as_json:
        click.echo("no feeds followed (newsdesk follow add URL)")


@follow_group.command("remove")
@db_option
@click.argument("url")
def follow_remove_command(db: str, url: str) -> None:
    """Stop following the feed at URL (its articles stay in the index)."""
    with _open_desk(db, readonly=False, warn=False) as desk:
        removed = desk.store.remove_feed(url)
    if not removed:
        raise click.ClickException(f"not following {url}")
    click.echo(f"no longer following {url}")


@follow_group.command("run")
@db_option
@click.option("--once", is_flag=True, help="Poll every feed once, re-answer the watches, and exit.")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds per request.")
@click.option("--quiet", "-q", is_flag=True, help="Only errors.")
def follow_run_command(db: str, once: bool, timeout: float, quiet: bool) -> None:
    """Poll the feeds as they fall due, ingest new entries, re-answer the watches; until stopped."""
    import signal
    import threading

    from newsdesk.follow.poll import Limits, PollOutcome
    from newsdesk.follow.run import CycleReport, run
    from newsdesk.net.policy import host_policy

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def said(poll: PollOutcome) -> None:
        if poll.error:
            click.echo(f"error: {poll.feed.url}: {poll.error}", err=True)
        elif not quiet:
            moved = f" (moved to {poll.moved_to})" if poll.moved_to else ""
            click.echo(f"{poll.feed.url}{moved}: {poll.status}, {poll.entries} entries, {poll.added} added")
        if not quiet:
            for note in poll.notes:
                click.echo(f"note: {note}", err=True)

    def cycle(report: CycleReport) -> None:
        for error in report.delivery.errors:
            click.echo(f"error: webhook: {error}", err=True)
        if report.changes and not quiet:
            click.echo(f"{len(report.changes)} new change record(s) (newsdesk watch changes)")

    with _open_desk(db, readonly=False, warn=False) as desk:
        limits = Limits(timeout=timeout, max_bytes=desk.config.max_file_bytes)
        try:
            run(desk, host_policy(desk.config), once=once, limits=limits, stop=stop, on_cycle=cycle, on_poll=said)
        except KeyboardInterrupt:
            pass


@click.group("watch")
def watch_group() -> None:
    """Saved questions, re-answered after each ingest: what changed in their briefs, reported once."""


@watch_group.command("add")
@db_option
@click.argument("question")
@click.option("--webhook", metavar="URL", help="POST each change here (signed: X-Newsdesk-Signature).")
@click.option("--secret", envvar="NEWSDESK_WEBHOOK_SECRET",
              help="The webhook's HMAC-SHA256 key (default: generated and printed once).")
def watch_add_command(db: str, question: str, webhook: str | None, secret: str | None) -> None:
    """Save QUESTION; its brief now is the baseline, and what later ingests change in it is recorded."""
    from newsdesk.net.fetch import is_web_url
    from newsdesk.watch.refresh import add_watch

    if webhook is not None and not is_web_url(webhook):
        raise click.BadParameter(f"{webhook!r} is not an http(s) URL", param_hint="--webhook")
    with _open_desk(db, readonly=False, warn=False) as desk:
        try:
            watch = add_watch(desk, question, webhook, secret)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="QUESTION") from exc
    click.echo(f"watch {watch.id}: {watch.question}")
    if webhook is not None and secret is None:
        click.echo(f"webhook secret (HMAC-SHA256 key; shown once): {watch.secret}")


@watch_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one watch a line.")
def watch_list_command(db: str, as_json: bool) -> None:
    """The saved questions, with how many changes each has recorded."""
    with _open_desk(db, warn=False) as desk:  # read-only: listing writes nothing
        watches = desk.store.watches()
        counts = {w.id: len(desk.store.changes(watch_id=w.id)) for w in watches}
    for w in watches:
        if as_json:
            click.echo(json.dumps({"id": w.id, "question": w.question, "webhook": w.webhook, "created": w.created,
                                   "changes": counts[w.id]}, ensure_ascii=False))
        else:
            hook = f"  -> {w.webhook}" if w.webhook else ""
            click.echo(f"{w.id}  {w.question}  ({counts[w.id]} changes){hook}")
    if not watches and not as_json:
        click.echo('no watches (newsdesk watch add "QUESTION")')


@watch_group.command("remove")
@db_option
@click.argument("watch_id", type=int)
def watch_remove_command(db: str, watch_id: int) -> None:
    """Forget watch WATCH_ID and its change records."""
    with _open_desk(db, readonly=False, warn=False) as desk:
        removed = desk.store.remove_watch(watch_id)
    if not removed:
        raise click.ClickException(f"no watch {watch_id}")
    click.echo(f"removed watch {watch_id}")


@watch_group.command("changes")
@db_option
@click.option("--since", help="Only changes recorded on or after this date (YYYY-MM-DD).")
@click.option("--watch", "watch_id", type=int, help="Only this watch's changes.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines of newsdesk.change/1 records.")
def watch_changes_command(db: str, since: str | None, watch_id: int | None, as_json: bool) -> None:
    """What changed in the watched questions' briefs, in the order recorded."""
    from newsdesk.render.changes import change_line, change_summary

    day = _filters(since, None, (), ()).since
    with _open_desk(db, readonly=False, warn=False) as desk:
        rows = desk.store.changes(since=day, watch_id=watch_id)
    for row in rows:
        click.echo(change_line(row) if as_json else change_summary(row))


def _after_ingest(desk: Any, report: IngestReport) -> None:
    """Re-answer the watches over what an ingest added, and deliver what changed."""
    from newsdesk.watch.refresh import after_ingest

    changes, errors = after_ingest(desk, report.added)
    if changes:
        click.echo(f"{len(changes)} new change record(s) (newsdesk watch changes)", err=True)
    for error in errors:
        click.echo(f"error: webhook: {error}", err=True)


main.add_command(follow_group)
main.add_command(watch_group)


if __name__ == "__main__":
    main()
