"""Print a seeded random sample of an index's relations with their sentences, for checking precision by hand.

Usage: python tools/sample_relations.py INDEX.db [N] [SEED]. Reads the SQLite file read-only; each line is
the relation as stored (source (part) -action-> target (part), speaker, trigger word) and its sentence.
"""

from __future__ import annotations

import random
import sqlite3
import sys


def main(db: str, n: int = 100, seed: int = 18) -> None:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = connection.execute(
        'SELECT r.id, r.source, r.source_part, r.action, r.target, r.target_part, r.speaker, r.negated, a.text, '
        'r.start, r."end", r.trigger_start, r.trigger_end FROM relations r JOIN articles a ON a.id = r.article_id '
        "ORDER BY r.id").fetchall()
    random.seed(seed)
    for i, row in enumerate(random.sample(rows, min(n, len(rows))), 1):
        rid, source, spart, action, target, tpart, speaker, negated, text, start, end, tstart, tend = row
        sentence = " ".join(text[start:end].split())
        verb = f"NOT {action}" if negated else action
        print(f"{i:3d} #{rid} {source}({spart or ''}) -{verb}-> {target}({tpart or ''}) speaker={speaker} "
              f"trigger={text[tstart:tend]!r}\n     {sentence[:400]}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:4]))
