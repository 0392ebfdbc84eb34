"""The quality gate: a fixed RealTime QA subset must score at or above the floors stored in the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.eval.realtimeqa import corpus_fingerprint, run_realtimeqa

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "realtimeqa-dev"
FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    assert DATA.is_dir(), f"{DATA} is missing: the quality gate needs ../shared/data beside the repo"
    weeks = FLOORS["weeks"]
    fingerprint = corpus_fingerprint(DATA, weeks)
    assert fingerprint == FLOORS["fingerprint"], "the gate's data changed: re-measure and set new floors explicitly"
    db = tmp_path_factory.mktemp("gate") / "gate.db"
    result, _ = run_realtimeqa(DATA, weeks, db=db, choices=True)
    print(json.dumps(result))
    return result


def test_gate_asks_every_question_with_a_gold_article(summary: dict) -> None:
    assert summary["questions"] == FLOORS["questions"]
    assert summary["articles_failed"] == 0


@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_score_stays_at_or_above_its_floor(summary: dict, metric: str) -> None:
    floor = FLOORS["floors"][metric]
    assert summary[metric] >= floor, f"{metric} fell to {summary[metric]} below its floor {floor}"
