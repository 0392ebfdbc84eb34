"""Scoring the hard shapes of answer: figures read as meant, planted falsehoods, one name for several
entities, and questions with parts.

Two sources:
- our dev set (`tests/data/several/`): fictional articles we wrote (`articles.jsonl`, each with a `key`)
  indexed as one collection, and cases (`cases.jsonl`) asked of it, each with what a right brief shows;
- RGB `en_fact` made a minority falsehood: all `positive` passages of a question plus one `positive_wrong`
  (the same passage with the answer swapped), so most sources say the truth and one does not.

`python -m newsdesk.eval.several [--rgb N]` prints one JSON object (the last line) with the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsdesk.config import load_config
from newsdesk.model import Brief, RawDocument, Statement

ROOT = Path(__file__).resolve().parents[3]
DEV = ROOT / "tests" / "data" / "several"
RGB = ROOT.parent / "shared" / "data" / "rgb" / "en_fact.json"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _statements(brief: Brief, *, evidence: bool = True) -> list[Statement]:
    out = []
    for s in [*brief.answer, *(brief.evidence if evidence else [])]:
        out.extend([s, *s.also])
    return out


def _cites(statement: Statement, article_ids: set[str]) -> bool:
    return any(c.article_id in article_ids for c in statement.citations)


def score_figure(brief: Brief, expect: dict[str, Any]) -> dict[str, bool]:
    """The latest total names itself as current; no figure that only raised a toll is ever called current."""
    notes = [c.note or "" for c in brief.conflicts]
    first = [note.split(" ", 1)[0] for note in notes if note]
    wrong = any(word in expect["never_current"] for word in first)
    named = any(note.startswith(expect["current"] + " ") and all(old in note for old in expect["stale"])
                for note in notes)
    return {"pass": named and not wrong, "current_named": named, "no_part_as_current": not wrong}


def _holds(text: str, values: str | list[str]) -> bool:
    """Whether the text names the value (any of its spellings), compared as RGB's own scorer does."""
    from newsdesk.eval.rgb import contains

    return contains(text, [values] if isinstance(values, str) else values)


def score_planted(brief: Brief, expect: dict[str, Any]) -> dict[str, bool]:
    """A disagreement with the true and the planted value in different versions, and the brief says so."""
    true, fake = expect["true"], expect["fake"]  # a value or a list of its spellings
    flagged_ids = set()
    for conflict in brief.conflicts:
        at_true = {i for i, v in enumerate(conflict.versions) if _holds(v.text, true)}
        at_fake = {i for i, v in enumerate(conflict.versions) if _holds(v.text, fake)}
        if any(i != j for i in at_true for j in at_fake):
            flagged_ids.add(conflict.id)
    flagged = bool(flagged_ids)
    answer_text = " ".join(s.text for s in _statements(brief, evidence=False))
    # The brief's notes say the answer is disputed, pointing at that disagreement.
    noted = any(f"(disagreement {k})" in n for k in flagged_ids for n in brief.notes)
    settled_on_fake = _holds(answer_text, fake) and not _holds(answer_text, true) and not flagged
    return {"pass": flagged and noted, "flagged": flagged, "noted": noted, "settled_on_fake": settled_on_fake}


def score_same_name(brief: Brief, expect: dict[str, Any], ids: dict[str, str]) -> dict[str, bool]:
    """One answer statement per entity, each labelled by what tells it apart from the others."""
    covered = labelled = True
    answer = _statements(brief, evidence=False)
    for entity in expect["entities"]:
        wanted = {ids[k] for k in entity["articles"]}
        quoting = [s for s in answer if _cites(s, wanted)]
        covered = covered and bool(quoting)
        labelled = labelled and any(entity["label"].lower() in (s.entity or "").lower() for s in quoting)
    return {"pass": covered and labelled, "every_entity_answered": covered, "labelled": labelled}


def score_parts(brief: Brief, expect: dict[str, Any], ids: dict[str, str]) -> dict[str, bool]:
    """Every part that the collection holds is cited; every part it does not hold is named as not found."""
    cited = said_missing = True
    statements = _statements(brief)
    for part in expect["parts"]:
        if part["articles"]:
            cited = cited and any(_cites(s, {ids[k] for k in part["articles"]}) for s in statements)
        else:
            said_missing = said_missing and any(part["part"].lower() in n.lower() and "found nothing" in n
                                                for n in brief.notes)
    return {"pass": cited and said_missing, "every_part_cited": cited, "missing_part_named": said_missing}


def run_dev(folder: Path = DEV) -> dict[str, Any]:
    """Index the dev articles once, ask every case, and score it by its kind."""
    from newsdesk.desk import Desk

    articles = load_jsonl(folder / "articles.jsonl")
    cases = load_jsonl(folder / "cases.jsonl")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-several-") as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        corpus.write_text("".join(json.dumps({k: v for k, v in a.items() if k != "key"}) + "\n" for a in articles),
                          encoding="utf-8")
        db = Path(tmp) / "several.db"
        desk = Desk(db, load_config(db=str(db)))
        try:
            report = desk.ingest([str(corpus)])
            if report.failed:
                raise ValueError(f"{folder / 'articles.jsonl'}: {report.failed} articles failed to ingest")
            stored = desk.store.articles(desk.store.article_ids())
            by_title = {(a.title, a.outlet): aid for aid, a in stored.items()}
            ids = {a["key"]: by_title[(a["title"], a["outlet"])] for a in articles}
            for case in cases:
                brief = desk.ask(case["question"])
                kind = case["kind"]
                if kind == "figure":
                    got = score_figure(brief, case["expect"])
                elif kind == "planted":
                    got = score_planted(brief, case["expect"])
                elif kind == "same_name":
                    got = score_same_name(brief, case["expect"], ids)
                elif kind == "parts":
                    got = score_parts(brief, case["expect"], ids)
                else:
                    raise ValueError(f"{folder / 'cases.jsonl'}: case {case['id']}: unknown kind {kind!r}")
                results.append({"id": case["id"], "kind": kind, **got})
        finally:
            desk.close()
    return {"cases": results, "by_kind": _rates(results)}


def run_parts(db: Path, cases: Path) -> dict[str, Any]:
    """Questions with parts over an existing index (opened read-only), e.g. the RealTime QA dev weeks.

    What a part needs is read from the index, not from the briefs: the articles holding all the part's
    `terms` (and of its `outlet` and published in its `month`, 1-12 of any year, when given). A part with
    such articles is met when the brief cites one of them; a part without is met when a note names it as
    found nothing. Terms match at the start of a word ("elect" meets "election", "lanton" does not meet
    "Clanton"). A part's `evidence` (phrase and title) records what its writer expected; it is not scored.
    """
    from newsdesk.desk import Desk

    rows = []
    desk = Desk(db, load_config(db=str(db)), readonly=True)
    try:
        stored = desk.store.articles(desk.store.article_ids())
        texts = {aid: f"{a.title}\n{a.text}".lower() for aid, a in stored.items()}
        for case in load_jsonl(cases):
            brief = desk.ask(case["question"])
            statements = _statements(brief)
            cited = missing = True
            has_evidence = []
            notes = _part_notes(brief, len(case["parts"]))
            own = len(notes) == len(case["parts"])
            for part, note in zip(case["parts"], notes, strict=False):
                terms = [re.compile(rf"\b{re.escape(t.lower())}") for t in part["terms"]]  # at a word's start
                holding = {aid for aid, text in texts.items() if all(t.search(text) for t in terms)
                           and (not part.get("outlet") or (stored[aid].outlet or "") == part["outlet"])
                           and _in_month(stored[aid].published, part.get("month"))}
                has_evidence.append(bool(holding))
                if holding:
                    cited = cited and any(_cites(s, holding) for s in statements)
                    own = own and bool(_note_sources(brief, note) & holding)
                else:
                    missing = missing and any(part["part"].lower() in n.lower() and "found nothing" in n
                                              for n in brief.notes)
                    own = own and "found nothing" in note
            rows.append({"id": case["id"], "kind": "parts_index", "pass": cited and missing,
                         "every_part_cited": cited, "missing_part_named": missing,
                         "each_part_own_note_right": own, "all_parts_in_index": all(has_evidence)})
    finally:
        desk.close()
    return {"cases": rows, "by_kind": _rates(rows)}


def _part_notes(brief: Brief, count: int) -> list[str]:
    """The brief's notes on the question's parts, in the question's order (fewer when it was not split so)."""
    return [n for n in brief.notes if n.startswith("Part ")][:count]


def _note_sources(brief: Brief, note: str) -> set[str]:
    """The articles (with their copies) of the sources a part's note cites: stricter than any citation of the brief."""
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", note)}
    return {aid for s in brief.sources if s.n in numbers
            for aid in [s.article_id, *(c.get("article_id") for c in s.copies)] if aid}


def _in_month(published: str | None, month: int | None) -> bool:
    """A part asked "in July" is met only by an article published in a July (of any year, as the question says)."""
    return month is None or (published is not None and published[5:7] == f"{month:02d}")


def _rates(results: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        grouped[r["kind"]].append(r)
    out = {}
    for kind, rows in grouped.items():
        keys = [k for k in rows[0] if k not in ("id", "kind")]
        out[kind] = {"n": len(rows), **{k: round(sum(bool(r[k]) for r in rows) / len(rows), 3) for k in keys}}
    return out


def rgb_minority(path: Path, limit: int | None = None) -> dict[str, Any]:
    """RGB `en_fact` questions with two or more true passages, plus one planted false one (and negatives)."""
    from newsdesk.desk import Desk
    from newsdesk.eval.rgb import _answers, documents, load_rgb
    from newsdesk.ingest.pipeline import ingest_documents

    records = [r for r in load_rgb(path) if len(r.get("positive") or []) >= 2 and r.get("positive_wrong")]
    rows = []
    for record in records[: limit or None]:
        planted = {**record, "positive_wrong": record["positive_wrong"][:1]}
        true, fake = _answers(record["answer"]), _answers(record["fakeanswer"])
        briefs = []
        for kinds in (("positive", "positive_wrong", "negative"), ("positive", "negative")):
            docs: list[RawDocument] = documents(planted, kinds)
            with tempfile.TemporaryDirectory(prefix="newsdesk-several-rgb-") as tmp:
                db = Path(tmp) / "rgb.db"
                desk = Desk(db, load_config(db=str(db)))
                try:
                    ingest_documents(docs, desk.store, desk.embedder, dense_passages=desk.config.dense_passages)
                    briefs.append(desk.ask(record["query"]))
                finally:
                    desk.close()
        # Without the planted passage the sources agree: a "sources disagree" note there is a false alarm.
        false_note = any(n.startswith("Sources disagree") for n in briefs[1].notes)
        rows.append({"id": record["id"], "kind": "rgb_minority",
                     **score_planted(briefs[0], {"true": true, "fake": fake}), "false_note_agreeing": false_note})
    return {"questions": len(rows), **_rates(rows).get("rgb_minority", {})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dev", type=Path, default=DEV, help="folder with articles.jsonl and cases.jsonl")
    parser.add_argument("--rgb", type=int, default=0, help="also score this many RGB minority-falsehood questions")
    parser.add_argument("--parts-db", type=Path, help="also ask the questions with parts of --parts over this index")
    parser.add_argument("--parts", type=Path, default=DEV / "parts_realtimeqa.jsonl",
                        help="questions with parts over the RealTime QA dev weeks (default: ours)")
    args = parser.parse_args(argv)
    summary: dict[str, Any] = run_dev(args.dev)
    for case in summary["cases"]:
        print(json.dumps(case), file=sys.stderr)
    out: dict[str, Any] = {"dev": summary["by_kind"]}
    if args.parts_db:
        parts = run_parts(args.parts_db, args.parts)
        for case in parts["cases"]:
            print(json.dumps(case), file=sys.stderr)
        out["parts_index"] = parts["by_kind"].get("parts_index", {})
    if args.rgb:
        out["rgb_minority"] = rgb_minority(RGB, args.rgb)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
