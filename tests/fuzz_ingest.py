"""Fuzz the whole per-file ingest path: readers -> normalize -> analysis -> a real SQLite store.

Each example is a batch: a few hostile files (random bytes, JSON Lines with any characters in any
field, lone surrogate escapes, feeds with bad character references, HTML, damaged UTF-8, WARC-like
junk) and one good article, written to a folder and ingested by `newsdesk.ingest.pipeline.ingest`,
the entry point the CLI uses. What must hold for every batch:

- nothing escapes: `ingest` returns a report, it never raises;
- every hostile file is stored (a location with its path) or reported as a per-file error;
- every reason is plain (`newsdesk.ingest.reasons.is_plain`: no exception class names, no
  "object has no attribute", no codec messages);
- the good article of the batch is stored.

`make fuzz` runs `python -m tests.fuzz_ingest --examples 100000` and prints the counts; the test suite
runs a short batch (tests/test_fuzz_ingest.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.analyze.embedding import Embedder
from newsdesk.ingest.pipeline import ingest
from newsdesk.ingest.reasons import is_plain
from newsdesk.store.sqlite import SQLiteStore

SENTENCE = "Officials in the capital said the bridge would reopen on Friday after repairs were finished. "

# Any code point, lone surrogates included (hypothesis leaves them out of text() by default).
ANY_CHAR = st.characters(codec=None, categories=None)
ANY_TEXT = st.text(ANY_CHAR, max_size=60)
WORDY = st.text(st.sampled_from("abc de,fgh. XYZ—é’\n"), min_size=0, max_size=80)


def _json_value() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner,
                                                                                            max_size=3),
                        max_leaves=6)


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    """JSON Lines: records with any keys and values, texts with surrogates, broken lines."""
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        record: dict[str, object] = draw(st.dictionaries(
            st.sampled_from(["title", "url", "author", "authors", "published", "outlet", "language", "source",
                             "date"]) | ANY_TEXT, _json_value(), max_size=5))
        if draw(st.booleans()):
            record["text"] = SENTENCE + draw(ANY_TEXT) + " " + SENTENCE
        else:
            record["text"] = draw(_json_value())
        line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
        if draw(st.integers(0, 9)) == 0:
            line = line[: draw(st.integers(0, len(line)))]
        lines.append(line)
    text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass" if draw(st.booleans()) else "surrogateescape"
                       ) if any("\ud800" <= ch <= "\udfff" for ch in text) else text.encode()


@st.composite
def feed_file(draw: st.DrawFn) -> bytes:
    """RSS with numeric character references to no character and odd text in every element."""
    ref = draw(st.sampled_from(["&#xDC00;", "&#xD800;", "&#x110000;", "&#99999999999;", "&#0;", "&#x41;", "&"]))
    items = "".join(
        f"<item><title>{draw(WORDY)}{ref}</title><link>{draw(WORDY)}</link><author>{ref}</author>"
        f"<description>{SENTENCE}{ref}{draw(WORDY)}</description><pubDate>{draw(WORDY)}</pubDate></item>"
        for _ in range(draw(st.integers(1, 3))))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{ref}</title>{items}</channel></rss>'.encode()


@st.composite
def html_file(draw: st.DrawFn) -> bytes:
    body = draw(st.text(ANY_CHAR, max_size=200).filter(lambda t: True))
    charset = draw(st.sampled_from(["utf-8", "latin-1", "x-bogus", "utf-16", ""]))
    page = (f'<html><head><meta charset="{charset}"><title>{draw(WORDY)}</title></head><body><article>'
            f"<p>{SENTENCE}{body}</p><p>{SENTENCE}</p></article></body></html>")
    return page.encode("utf-8", "surrogateescape")


@st.composite
def damaged_text_file(draw: st.DrawFn) -> bytes:
    """A real-looking UTF-8 article with bytes inserted anywhere."""
    data = bytearray(("Headline — here\n\n" + SENTENCE * draw(st.integers(1, 4)) + draw(WORDY)).encode())
    for byte in draw(st.lists(st.integers(0, 255), max_size=40)):
        data.insert(draw(st.integers(0, len(data))), byte)
    return bytes(data)


HOSTILE = st.one_of(st.binary(max_size=300), jsonl_file(), feed_file(), html_file(), damaged_text_file(),
                    st.binary(max_size=40).map(lambda b: b"WARC/1.0\r\nContent-Length: 5\r\n\r\n" + b))
SUFFIXES = st.sampled_from([".txt", ".jsonl", ".xml", ".html", ".warc", ""])


@dataclass
class Counts:
    """What happened to the fuzzed inputs of every batch so far."""

    inputs: int = 0
    stored: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    raw_reasons: list[str] = field(default_factory=list)
    escapes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # neither stored nor reported
    good_missing: int = 0

    def summary(self) -> str:
        lines = [f"inputs: {self.inputs}", f"stored: {self.stored}",
                 f"refused: {sum(self.refused.values())}"]
        lines += [f"  {count:>7}  {reason}" for reason, count in self.refused.most_common()]
        lines += [f"escapes: {len(self.escapes)}", f"raw exception texts: {len(self.raw_reasons)}",
                  f"lost (neither stored nor reported): {len(self.lost)}",
                  f"good files missing: {self.good_missing}"]
        lines += [f"  escape: {text}" for text in self.escapes[:5]]
        lines += [f"  raw: {text}" for text in self.raw_reasons[:5]]
        return "\n".join(lines)


def reason_kind(reason: str) -> str:
    """A reason with its numbers and quoted parts blanked, to count reasons by kind."""
    reason = re.sub(r"\d[\d,]*", "N", reason)
    reason = re.sub(r"\([^)]*\)", "(...)", reason)
    return reason[:90]


class Harness:
    """One real SQLite store in a temporary folder, fed one batch per example."""

    def __init__(self, embedder: Embedder, root: Path) -> None:
        self.embedder = embedder
        self.root = root
        self.db = root / "fuzz.db"
        self.store = SQLiteStore(str(self.db))
        self.batch = 0
        self.counts = Counts()

    def close(self) -> None:
        self.store.close()

    def run(self, files: list[tuple[bytes, str]]) -> None:
        """Ingest the hostile `files` and one good article as a folder; check and count every outcome."""
        self.batch += 1
        folder = self.root / f"batch{self.batch}"
        folder.mkdir()
        paths = []
        for i, (data, suffix) in enumerate(files):
            path = folder / f"in{i}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        good = folder / "zz_good.txt"
        good.write_text(f"Good article {self.batch}\n\n{SENTENCE}Batch {self.batch} was written in full.\n")
        counts = self.counts
        counts.inputs += len(files)
        try:
            report = ingest([str(folder)], self.store, self.embedder)
        except Exception as exc:  # what the harness exists to catch
            counts.escapes.append(f"{type(exc).__name__}: {exc}"[:300])
            return
        stored_paths = {row[0] for row in sqlite3.connect(self.db).execute(
            "SELECT DISTINCT path FROM locations WHERE path LIKE ?", (f"{folder}%",))}
        reported: dict[str, list[str]] = {}
        for error in report.errors:
            if not is_plain(error.reason):
                counts.raw_reasons.append(f"{error.origin}: {error.reason}"[:300])
            owner = next((p for p in [*paths, str(good)] if error.origin.startswith(p)), error.origin)
            reported.setdefault(owner, []).append(error.reason)
        if str(good) not in stored_paths:
            counts.good_missing += 1
        for path in paths:
            if path in stored_paths:
                counts.stored += 1
            elif path in reported:
                counts.refused[reason_kind(reported[path][0])] += 1
            else:
                counts.lost.append(path)

    def problems(self) -> str | None:
        c = self.counts
        if c.escapes or c.raw_reasons or c.lost or c.good_missing:
            return c.summary()
        return None


def fuzz(harness: Harness, examples: int, seed: int | None = None) -> None:
    """Run `examples` hypothesis batches through `harness` (stops at the first broken rule)."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is not None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(HOSTILE, SUFFIXES), min_size=1, max_size=6))
    def one_batch(files: list[tuple[bytes, str]]) -> None:
        harness.run(files)
        problems = harness.problems()
        assert problems is None, problems

    one_batch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="batches (each 1-6 fuzzed inputs)")
    args = parser.parse_args(argv)
    from newsdesk.analyze.embedding import get_embedder
    from newsdesk.config import load_config

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsdesk-fuzz-") as tmp:
        harness = Harness(get_embedder(load_config().embedder), Path(tmp))
        status = 0
        try:
            fuzz(harness, args.examples)
        except AssertionError:
            status = 1
        finally:
            harness.close()
        print(harness.counts.summary())
        print(f"batches: {harness.batch}, seconds: {time.perf_counter() - start:.0f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
