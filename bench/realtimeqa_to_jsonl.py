"""Convert RealTime QA weekly search results into newsdesk JSON Lines.

RealTime QA (Kasai et al., 2023) publishes, for each week ``W``, two files of
search results next to its questions:

* ``W_gold.jsonl``: ``{question_id, search_result: [...]}``, the article(s)
  holding the answer;
* ``W_gcs.jsonl``: ``{question_id, search_time, search_result: [...]}``, what a
  web search returned for the question.

Every search result is ``{url, title?, text, authors, publish_date}``. This
script writes one newsdesk JSON Lines record per search result::

    {"text": ..., "title": ..., "url": ..., "published": "2022-06-12",
     "author": "A. Writer, B. Writer", "question_id": "20220617_0",
     "week": "20220617", "kind": "gold"}

``title``, ``published`` and ``author`` are left out when the source has none
(``published`` also when the date cannot be parsed). ``question_id``, ``week``
and ``kind`` are extra fields, which the newsdesk JSON Lines reader keeps as
article metadata. Results with no text, or only whitespace, are skipped and
counted. A summary goes to standard error.

Usage::

    python bench/realtimeqa_to_jsonl.py SRC_DIR OUT.jsonl [--weeks 20220617,20220624]

The data is third-party and copyrighted: read it from where it lies, and keep
the output out of the repository. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

KINDS: tuple[str, ...] = ("gold", "gcs")
_FILE_RE = re.compile(r"^(?P<week>\d{8})_(?P<kind>gold|gcs)\.jsonl$")
_DATE_FORMATS: tuple[str, ...] = ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y%m%d")


@dataclass
class WeekCounts:
    """What happened to the search results of one week (both kinds together)."""

    read: int = 0
    written: int = 0
    skipped_empty: int = 0
    bad_lines: int = 0
    written_by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def add(self, other: WeekCounts) -> None:
        self.read += other.read
        self.written += other.written
        self.skipped_empty += other.skipped_empty
        self.bad_lines += other.bad_lines
        for kind, n in other.written_by_kind.items():
            self.written_by_kind[kind] = self.written_by_kind.get(kind, 0) + n


def normalize_date(value: Any) -> str | None:
    """Return ``value`` as an ISO 8601 date or datetime, or None if it cannot be parsed.

    RealTime QA writes ``YYYY/MM/DD``; ISO strings and a few close variants are
    accepted too. A datetime without a time of day becomes a plain date.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y%m%d"):
            return parsed.date().isoformat()
        return parsed.isoformat()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        return None


def join_authors(value: Any) -> str | None:
    """Join a list of author names with ", " (empty or missing gives None)."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, list):
        return None
    names = [str(name).strip() for name in value if isinstance(name, str) and name.strip()]
    return ", ".join(names) or None


def to_record(result: dict[str, Any], question_id: str, week: str, kind: str) -> dict[str, Any] | None:
    """Map one search result to a newsdesk record, or None if it has no text."""
    text = result.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    record: dict[str, Any] = {"text": text}
    title = result.get("title")
    if isinstance(title, str) and title.strip():
        record["title"] = title.strip()
    url = result.get("url")
    if isinstance(url, str) and url.strip():
        record["url"] = url.strip()
    published = normalize_date(result.get("publish_date"))
    if published is not None:
        record["published"] = published
    author = join_authors(result.get("authors"))
    if author is not None:
        record["author"] = author
    record["question_id"] = question_id
    record["week"] = week
    record["kind"] = kind
    return record


def find_files(src: Path, weeks: set[str] | None) -> list[tuple[str, str, Path]]:
    """List ``(week, kind, path)`` for the gold and gcs files in ``src``, sorted by week then kind."""
    found: list[tuple[str, str, Path]] = []
    for path in src.iterdir():
        match = _FILE_RE.match(path.name)
        if match is None or not path.is_file():
            continue
        week, kind = match["week"], match["kind"]
        if weeks is None or week in weeks:
            found.append((week, kind, path))
    found.sort(key=lambda item: (item[0], KINDS.index(item[1])))
    return found


def convert_file(path: Path, week: str, kind: str, counts: WeekCounts) -> Iterator[dict[str, Any]]:
    """Yield the records of one weekly file, updating ``counts`` as it goes.

    A line that is not a JSON object with a ``search_result`` list is reported on
    standard error, counted as a bad line, and skipped.
    """
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{line_no}: not JSON ({exc.msg}); skipped", file=sys.stderr)
                counts.bad_lines += 1
                continue
            results = entry.get("search_result") if isinstance(entry, dict) else None
            if not isinstance(results, list):
                print(f"{path}:{line_no}: no search_result list; skipped", file=sys.stderr)
                counts.bad_lines += 1
                continue
            question_id = str(entry.get("question_id") or f"{week}_line{line_no}")
            for result in results:
                counts.read += 1
                record = to_record(result, question_id, week, kind) if isinstance(result, dict) else None
                if record is None:
                    counts.skipped_empty += 1
                    continue
                counts.written += 1
                counts.written_by_kind[kind] = counts.written_by_kind.get(kind, 0) + 1
                yield record


def convert(src: Path, out: Path, weeks: set[str] | None) -> dict[str, WeekCounts]:
    """Convert every selected weekly file in ``src`` into ``out``; return counts per week.

    The output is written to a temporary file beside ``out`` and renamed into
    place at the end, so an interrupted run leaves no half-written file.
    """
    files = find_files(src, weeks)
    per_week: dict[str, WeekCounts] = {}
    tmp = out.with_name(out.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as sink:
            for week, kind, path in files:
                counts = per_week.setdefault(week, WeekCounts())
                for record in convert_file(path, week, kind, counts):
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return per_week


def print_summary(per_week: dict[str, WeekCounts]) -> None:
    """Print a table of counts per week, and the totals, to standard error."""
    total = WeekCounts()

    def row(name: str, c: WeekCounts) -> str:
        gold, gcs = c.written_by_kind.get("gold", 0), c.written_by_kind.get("gcs", 0)
        return f"{name:<10} {c.read:>6} {c.written:>8} {gold:>6} {gcs:>6} {c.skipped_empty:>21}"

    header = f"{'week':<10} {'read':>6} {'written':>8} {'gold':>6} {'gcs':>6} {'skipped (empty text)':>21}"
    print(header, file=sys.stderr)
    for week in sorted(per_week):
        total.add(per_week[week])
        print(row(week, per_week[week]), file=sys.stderr)
    print(row("total", total), file=sys.stderr)
    if total.bad_lines:
        print(f"bad lines skipped: {total.bad_lines}", file=sys.stderr)


def parse_weeks(value: str) -> set[str]:
    """Parse ``--weeks 20220617,20220624`` into a set of week names."""
    weeks = {part.strip() for part in value.split(",") if part.strip()}
    for week in weeks:
        if not re.fullmatch(r"\d{8}", week):
            raise argparse.ArgumentTypeError(f"not a week (YYYYMMDD): {week!r}")
    if not weeks:
        raise argparse.ArgumentTypeError("no weeks given")
    return weeks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Convert RealTime QA weekly gold/gcs search results into newsdesk JSON Lines."
    )
    parser.add_argument("src", type=Path, help="directory holding W_gold.jsonl and W_gcs.jsonl files")
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument(
        "--weeks",
        type=parse_weeks,
        default=None,
        help="comma-separated weeks to keep, e.g. 20220617,20220624",
    )
    args = parser.parse_args(argv)

    if not args.src.is_dir():
        parser.error(f"not a directory: {args.src}")
    per_week = convert(args.src, args.out, args.weeks)
    if args.weeks is not None:
        missing = sorted(args.weeks - per_week.keys())
        if missing:
            print(f"no gold or gcs file for week(s): {', '.join(missing)}", file=sys.stderr)
    if not per_week:
        print(f"no *_gold.jsonl or *_gcs.jsonl files found in {args.src}", file=sys.stderr)
        return 1
    print_summary(per_week)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
