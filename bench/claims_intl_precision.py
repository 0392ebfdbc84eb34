"""Precision and recall of the de/fr/es/zh claim rules on the labelled sentences in tests/data.

Each line of `tests/data/claims_intl_sentences.tsv` is a sentence written for this purpose with
the claims it makes (`attribute=value`; `claimed=Name`, `denied=Name`; `-` for none, e.g. years,
ages, times, crowds). A found claim is right when it is in that list.

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/claims_intl_precision.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from newsdesk.analyze.claims.intl import extract_claims_intl
from newsdesk.model import Article, Sentence

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims_intl_sentences.tsv"


def labelled(which: str | None = None) -> list[tuple[str, str, set[str]]]:
    """(language, sentence, expected claims) of one set, or all.

    Sets: "dev" (written while building the rules), "heldout" (written before a first measurement,
    then used to fix rules), "heldout2" (written after; its first measurement is the honest one).
    """
    with DATA.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if which in (None, r["set"])]
    return [(r["language"], r["sentence"], set() if r["expected"] == "-" else set(r["expected"].split(";")))
            for r in rows]


def found(language: str, sentence: str) -> set[str]:
    article = Article(id="s", text=sentence, title="", language=language)
    out = set()
    for c in extract_claims_intl(article, [Sentence("s", 0, 0, len(sentence), sentence)], language):
        out.add(f"{c.detail}={c.value}" if c.kind == "responsibility" else f"{c.attribute}={c.value}")
    return out


def score(which: str | None = None) -> dict[str, tuple[int, int, int]]:
    """Per language: (right, found, expected)."""
    totals: dict[str, tuple[int, int, int]] = {}
    for language, sentence, expected in labelled(which):
        got = found(language, sentence)
        right, n_found, n_expected = totals.get(language, (0, 0, 0))
        totals[language] = (right + len(got & expected), n_found + len(got), n_expected + len(expected))
    return totals


def main() -> None:
    for which in ("dev", "heldout", "heldout2"):
        print(f"{which:8s} {'lang':5s} {'found':>6s} {'right':>6s} {'precision':>9s} {'recall':>7s}")
        for language, (right, n_found, n_expected) in sorted(score(which).items()):
            print(f"{'':8s} {language:5s} {n_found:6d} {right:6d} {right / max(1, n_found):9.2f} "
                  f"{right / max(1, n_expected):7.2f}")
    for language, sentence, expected in labelled():
        got = found(language, sentence)
        if got != expected:
            print(f"  {language}: {sentence}\n     expected {sorted(expected)} found {sorted(got)}")


if __name__ == "__main__":
    main()
