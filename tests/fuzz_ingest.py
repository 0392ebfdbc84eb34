"""Fuzz the whole per-file ingest path: readers -> normalize -> analysis -> a real SQLite store.

Each hypothesis example is a batch: a few hostile files (random bytes, JSON Lines with any characters in any
field, lone surrogate escapes, feeds with bad character references, HTML, damaged UTF-8, WARC-like
junk) and one good article, written to a folder and ingested by `newsdesk.ingest.pipeline.ingest`,
the entry point the CLI uses. What must hold for every batch:

- nothing escapes: `ingest` returns a report, it never raises;
- every hostile file is stored (a location with its path) or reported as a per-file error;
- every reason is plain (`newsdesk.ingest.reasons.is_plain`: no exception class names, no
  "object has no attribute", no codec messages);
- the good article of the batch is stored.

`make fuzz` runs `python -m tests.fuzz_ingest --inputs 100000`: files drawn by `RandomInputs` (the same
kinds as the hypothesis strategies, drawn cheaply), 250 to an ingest call with good articles among them,
a fresh store every 8 calls; it prints the counts. The test suite runs a short hypothesis run and a short
random one (tests/test_fuzz_ingest.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
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


_ORIGIN_PART = re.compile(r"(:line \d+|#(entry|record) \d+)$")
GOOD_EVERY = 25  # a good article among every this many fuzzed inputs: each must be stored


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

    def fresh_store(self) -> None:
        """A new, empty index: organising reads every story of the index once per ingest call."""
        self.store.close()
        for path in self.root.glob("fuzz.db*"):
            path.unlink()
        for folder in self.root.glob("batch*"):
            shutil.rmtree(folder)
        self.store = SQLiteStore(str(self.db))

    def run(self, files: list[tuple[bytes, str]]) -> None:
        """Ingest the hostile `files` with good articles among them (one per GOOD_EVERY) as one folder, in one call.

        Check and count every outcome.
        """
        self.batch += 1
        folder = self.root / f"batch{self.batch}"
        folder.mkdir()
        paths, goods = [], []
        for i, (data, suffix) in enumerate(files):
            path = folder / f"in{i:05d}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
            if i % GOOD_EVERY == 0:
                good = folder / f"in{i:05d}_good.txt"
                good.write_text(f"Good article {self.batch} {i}\n\n{SENTENCE}Batch {self.batch} item {i} was "
                                "written in full.\n")
                goods.append(str(good))
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
            owner = _ORIGIN_PART.sub("", error.origin)  # "path:line 3", "path#entry 2": the file
            reported.setdefault(owner, []).append(error.reason)
        counts.good_missing += len(set(goods) - stored_paths)
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


class RandomInputs:
    """The same kinds of hostile files as HOSTILE, drawn with `random` for the long run: hypothesis spends more
    time drawing a batch of hundreds than the pipeline spends ingesting it. Seeded: a run can be repeated."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def char(self) -> str:
        r = self.rng
        band = r.random()
        if band < 0.5:
            return chr(r.randrange(0x20, 0x7F))
        if band < 0.6:
            return chr(r.randrange(0xD800, 0xE000))  # lone surrogates
        if band < 0.7:
            return chr(r.randrange(0, 0x20))
        return chr(r.randrange(0x80, 0x110000))

    def text(self, most: int = 60) -> str:
        return "".join(self.char() for _ in range(self.rng.randrange(most + 1)))

    def wordy(self) -> str:
        return "".join(self.rng.choice("abc de,fgh. XYZ—é’\n0123") for _ in range(self.rng.randrange(81)))

    def value(self, depth: int = 0) -> object:
        r = self.rng
        kind = r.randrange(7 if depth < 2 else 5)
        if kind == 0:
            return None
        if kind == 1:
            return r.random() < 0.5
        if kind == 2:
            return r.choice([0, -1, 2**63, r.randrange(-10**6, 10**6)])
        if kind == 3:
            return r.choice([float("nan"), float("inf"), r.uniform(-1e9, 1e9)])
        if kind == 4:
            return self.text()
        if kind == 5:
            return [self.value(depth + 1) for _ in range(r.randrange(4))]
        return {self.text(10): self.value(depth + 1) for _ in range(r.randrange(4))}

    def jsonl(self) -> bytes:
        r = self.rng
        lines = []
        for _ in range(r.randrange(1, 4)):
            keys = ["title", "url", "author", "authors", "published", "outlet", "language", "source", "date"]
            record: dict[str, object] = {r.choice(keys) if r.random() < 0.7 else self.text(10): self.value()
                                         for _ in range(r.randrange(6))}
            record["text"] = SENTENCE + self.text() + " " + SENTENCE if r.random() < 0.5 else self.value()
            line = json.dumps(record, ensure_ascii=r.random() < 0.5, allow_nan=True)
            if r.randrange(10) == 0:
                line = line[: r.randrange(len(line) + 1)]
            lines.append(line)
        text = "\n".join(lines)
        handler = "surrogateescape" if r.random() < 0.5 else "surrogatepass"
        try:  # surrogateescape: U+DC80-U+DCFF as the raw bytes they stand for; surrogatepass: encoded as such
            return text.encode("utf-8", handler)
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogatepass")

    def feed(self) -> bytes:
        ref = self.rng.choice(["&#xDC00;", "&#xD800;", "&#x110000;", "&#99999999999;", "&#0;", "&#x41;", "&"])
        items = "".join(
            f"<item><title>{self.wordy()}{ref}</title><link>{self.wordy()}</link><author>{ref}</author>"
            f"<description>{SENTENCE}{ref}{self.wordy()}</description><pubDate>{self.wordy()}</pubDate></item>"
            for _ in range(self.rng.randrange(1, 4)))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{ref}</title>{items}</channel></rss>'.encode()

    def html(self) -> bytes:
        charset = self.rng.choice(["utf-8", "latin-1", "x-bogus", "utf-16", ""])
        page = (f'<html><head><meta charset="{charset}"><title>{self.wordy()}</title></head><body><article>'
                f"<p>{SENTENCE}{self.text(200)}</p><p>{SENTENCE}</p></article></body></html>")
        return page.encode("utf-8", "surrogatepass")

    def damaged_text(self) -> bytes:
        r = self.rng
        data = bytearray(("Headline — here\n\n" + SENTENCE * r.randrange(1, 5) + self.wordy()).encode())
        for _ in range(r.randrange(41)):
            data.insert(r.randrange(len(data) + 1), r.randrange(256))
        return bytes(data)

    def file(self) -> tuple[bytes, str]:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            data = r.randbytes(r.randrange(301))
        elif kind == 5:
            data = b"WARC/1.0\r\nContent-Length: 5\r\n\r\n" + r.randbytes(r.randrange(41))
        else:
            data = [self.jsonl, self.feed, self.html, self.damaged_text][kind - 1]()
        return data, r.choice([".txt", ".jsonl", ".xml", ".html", ".warc", ""])


def fuzz_many(harness: Harness, inputs: int, *, per_call: int = 250, calls_per_store: int = 8, seed: int = 0,
              seconds: float | None = None, report: bool = False) -> None:
    """Feed `inputs` random hostile files through `harness`, `per_call` to an ingest call, a fresh store every
    `calls_per_store` calls; stop early after `seconds`. Keeps going past broken rules: the counts say."""
    source = RandomInputs(seed)
    start = time.perf_counter()
    while harness.counts.inputs < inputs:
        if harness.batch and harness.batch % calls_per_store == 0:
            harness.fresh_store()
        harness.run([source.file() for _ in range(min(per_call, inputs - harness.counts.inputs))])
        elapsed = time.perf_counter() - start
        if report:
            print(f"{harness.counts.inputs} inputs, {elapsed:.0f} s, {harness.counts.inputs / elapsed:.1f}/s",
                  file=sys.stderr, flush=True)
        if seconds is not None and elapsed > seconds:
            break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="fuzzed files in all")
    parser.add_argument("--per-call", type=int, default=250, help="fuzzed files a folder, ingested in one call")
    parser.add_argument("--calls-per-store", type=int, default=8, help="ingest calls before a fresh store")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long, with the counts so far")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from newsdesk.analyze.embedding import get_embedder
    from newsdesk.config import load_config

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsdesk-fuzz-") as tmp:
        harness = Harness(get_embedder(load_config().embedder), Path(tmp))
        try:
            fuzz_many(harness, args.inputs, per_call=args.per_call, calls_per_store=args.calls_per_store,
                      seed=args.seed, seconds=None if args.minutes is None else args.minutes * 60, report=True)
        finally:
            harness.close()
        print(harness.counts.summary())
        print(f"ingest calls: {harness.batch}, seed: {args.seed}, seconds: {time.perf_counter() - start:.0f}")
    return 1 if harness.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
