"""Every output a collection gives, as one JSON file, to show that a refactoring changed none of them.

For each collection (the quetta example, `examples/`, RealTime QA dev) this ingests the articles into a
fresh index on the chosen backend and records, per question: the brief, the timeline, the conflicts and
the stories of the articles the question matches; per collection: all conflicts, all stories, the actors,
and the relations of the most named pairs. Two snapshots taken before and after a change are compared
with `--compare A B`, which prints the first differences and exits 1 when there are any.

    python tools/snapshot.py --db /tmp/snap.db --out before.json
    python tools/snapshot.py --db postgresql://... --out before-pg.json
    python tools/snapshot.py --compare before.json after.json

Third-party text ends up in the snapshot: keep it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _collections(rtqa_weeks: int | None) -> Iterator[tuple[str, list[str], list[str]]]:
    """(name, paths to ingest, questions)."""
    quetta = SHARED / "quetta"
    yield "quetta", [str(quetta / "articles")], [(quetta / "question.txt").read_text(encoding="utf-8").strip()]
    yield ("examples", [str(ROOT / "examples" / "articles")],
           [q.strip() for q in (ROOT / "examples" / "questions.txt").read_text(encoding="utf-8").splitlines()
            if q.strip()])
    rtqa = SHARED / "data" / "realtimeqa-dev"
    weeks = sorted({p.name[:8] for p in rtqa.glob("*_qa.jsonl")})
    if rtqa_weeks is not None:
        weeks = weeks[:rtqa_weeks]
    questions = []
    for week in weeks:
        for line in (rtqa / f"{week}_qa.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question_sentence"])
    yield "realtimeqa-dev", [f"rtqa:{w}" for w in weeks], questions


def _ingest(desk: Any, paths: list[str]) -> None:
    rtqa = [p[5:] for p in paths if p.startswith("rtqa:")]
    files = [p for p in paths if not p.startswith("rtqa:")]
    if files:
        desk.ingest(files)
    if rtqa:
        # The evaluation's own reader of the weekly files (gold and search results), written as JSON Lines.
        import tempfile

        from newsdesk.eval.realtimeqa import iter_raw_articles
        directory = SHARED / "data" / "realtimeqa-dev"
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rtqa.jsonl"
            with out.open("w", encoding="utf-8") as handle:
                for raw in iter_raw_articles(directory, rtqa):
                    handle.write(json.dumps({
                        "text": raw.text, "url": raw.url, "title": raw.title, "published": raw.published,
                        "author": raw.author, **{k: v for k, v in raw.metadata.items() if v is not None},
                    }, ensure_ascii=False) + "\n")
            desk.ingest([str(out)])


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def snapshot_collection(db: str, paths: list[str], questions: list[str]) -> dict[str, Any]:
    from newsdesk.desk import Desk
    from newsdesk.render.disputes import disputes_dict
    from newsdesk.render.jsonout import brief_dict
    from newsdesk.render.relations import actors_list, relations_dict
    from newsdesk.render.stories import story_dict
    from newsdesk.render.timeline import timeline_dict

    out: dict[str, Any] = {"questions": {}}
    with Desk(db) as desk:
        _ingest(desk, paths)
        out["stats"] = {k: v for k, v in desk.stats().items() if k not in ("bytes_on_disk", "path", "db", "location")}
        out["conflicts"] = _jsonable(disputes_dict(desk.conflicts(None)))
        out["stories"] = [_jsonable(story_dict(s)) for s in desk.stories(None)]
        actors = actors_list(desk.actors(None, limit=30))
        out["actors"] = _jsonable(actors)
        names = [a["actor"] if "actor" in a else a.get("name") for a in actors[:6]]
        out["relations"] = {}
        for x in names:
            out["relations"][x] = _jsonable(relations_dict(desk.relations(x)))
            for y in names:
                if y != x:
                    out["relations"][f"{x} -> {y}"] = _jsonable(relations_dict(desk.relations(x, y)))
        for number, question in enumerate(questions, 1):
            started = time.perf_counter()
            entry: dict[str, Any] = {"brief": _jsonable(brief_dict(desk.ask(question)))}
            entry["timeline"] = _jsonable(timeline_dict(desk.timeline(question)))
            entry["conflicts"] = _jsonable(disputes_dict(desk.conflicts(question)))
            entry["stories"] = [_jsonable(story_dict(s)) for s in desk.stories(question)]
            out["questions"][question] = entry
            print(f"  {number}/{len(questions)} {time.perf_counter() - started:.1f}s {question[:70]}",
                  file=sys.stderr, flush=True)
    return out


def _drop_volatile(value: Any) -> Any:
    """Timings and run-dependent figures are not outputs."""
    if isinstance(value, dict):
        return {k: _drop_volatile(v) for k, v in value.items() if k not in ("seconds", "elapsed", "took_ms")}
    if isinstance(value, list):
        return [_drop_volatile(v) for v in value]
    if isinstance(value, str) and value.startswith("/"):  # a path under the checkout or a run's temporary folder
        value = re.sub(r"^/tmp/tmp\w+/", "TMP/", value)
        return re.sub(r"^/.*?/(examples|shared)/", r"\1/", value)
    return value


def _differences(a: Any, b: Any, where: str = "") -> Iterator[str]:
    if type(a) is not type(b):
        yield f"{where}: {type(a).__name__} != {type(b).__name__}"
    elif isinstance(a, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                yield f"{where}/{key}: only in {'second' if key not in a else 'first'}"
            else:
                yield from _differences(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from _differences(x, y, f"{where}[{i}]")
    elif a != b:
        yield f"{where}: {str(a)[:120]!r} != {str(b)[:120]!r}"


def compare(first: Path, second: Path, show: int = 40) -> int:
    a = _drop_volatile(json.loads(first.read_text(encoding="utf-8")))
    b = _drop_volatile(json.loads(second.read_text(encoding="utf-8")))
    both = sorted(set(a) & set(b))  # a partial snapshot (--only) is compared on what it holds
    if not both:
        print("no collection in common")
        return 1
    a, b = {k: a[k] for k in both}, {k: b[k] for k in both}
    found = 0
    for line in _differences(a, b):
        if found < show:
            print(line)
        found += 1
    counted = sum(len(c.get("questions", {})) for c in a.values() if isinstance(c, dict))
    print(f"{found} differences over {len(a)} collections ({', '.join(both)}), {counted} questions")
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite path prefix, a postgresql:// server URL (a database per collection), "
                        "or pgserver for a throw-away local server")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--rtqa-weeks", type=int, default=None, help="only the first N dev weeks")
    parser.add_argument("--only", help="only these collections (comma-separated names)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("FIRST", "SECOND"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.db or not args.out:
        parser.error("--db and --out are needed to take a snapshot")
    if args.db == "pgserver":  # a throw-away server of the tests' kind (tests/pg_server.py)
        import tempfile

        sys.path.insert(0, str(ROOT))
        from tests.pg_server import start_server

        server = start_server(Path(tempfile.mkdtemp(prefix="newsdesk-snap-")))
        args.db = server.get_uri()
    result: dict[str, Any] = {}
    for name, paths, questions in _collections(args.rtqa_weeks):
        if args.only and name not in args.only.split(","):
            continue
        print(f"{name}: {len(questions)} questions", file=sys.stderr, flush=True)
        db = _database_for(args.db, name)
        result[name] = snapshot_collection(db, paths, questions)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return 0


def _database_for(location: str, name: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        import psycopg
        from psycopg import sql

        database = "snap_" + name.replace("-", "_")
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        base, _, query = location.partition("?")
        return base.rsplit("/", 1)[0] + "/" + database + (f"?{query}" if query else "")
    path = Path(f"{location}.{name}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
