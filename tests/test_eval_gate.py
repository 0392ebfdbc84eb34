"""The quality gate: every RealTime QA dev question with a gold article must score at or above the floors in the repo.

All the dev weeks, not a subset: on about a hundred questions one question is about 0.01, so a floor set
at the measured score notices a single question lost. tests/test_eval_floors_history.py keeps the
floors from going down.
"""

from __future__ import annotations

import json

import pytest

from newsdesk.eval.realtimeqa import corpus_fingerprint, run_realtimeqa, weeks_in
from tests.conftest import ROOT, shared_path

FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = shared_path("data", FLOORS["data"])
    weeks = FLOORS["weeks"]
    assert weeks == weeks_in(data), "the gate covers every dev week: re-measure and set new floors explicitly"
    fingerprint = corpus_fingerprint(data, weeks)
    assert fingerprint == FLOORS["fingerprint"], "the gate's data changed: re-measure and set new floors explicitly"
    db = tmp_path_factory.mktemp("gate") / "gate.db"
    result, _ = run_realtimeqa(data, weeks, db=db, choices=True)
    print(json.dumps(result))
    return result


@pytest.mark.slow
def test_gate_asks_every_question_with_a_gold_article(summary: dict) -> None:
    assert summary["questions"] == FLOORS["questions"]
    assert summary["articles_failed"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_score_stays_at_or_above_its_floor(summary: dict, metric: str) -> None:
    floor = FLOORS["floors"][metric]
    assert summary[metric] >= floor, f"{metric} fell to {summary[metric]} below its floor {floor}"
