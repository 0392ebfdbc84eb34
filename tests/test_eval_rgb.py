"""`newsdesk eval rgb`: mixed collections of true and fake passages, read from ../shared/data/rgb."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.analyze.embedding import Embedder
from newsdesk.cli import main
from newsdesk.eval.rgb import contains, documents, evaluate, load_rgb
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def rgb() -> Path:
    return shared_path("data", "rgb", "en_fact.json")


def test_each_passage_is_one_article_from_its_own_outlet(rgb: Path) -> None:
    record = load_rgb(rgb)[0]
    docs = documents(record, ("positive", "positive_wrong", "negative"))
    expected = len(record["positive"]) + len(record["positive_wrong"]) + len(record["negative"])
    assert len(docs) == expected
    assert len({d.outlet for d in docs}) == expected and all(d.outlet.endswith(".example") for d in docs)
    assert [d.text for d in docs] == [d.text for d in documents(record, ("positive", "positive_wrong", "negative"))]
    assert {d.text for d in docs} == {*record["positive"], *record["positive_wrong"], *record["negative"]}


def test_answers_match_across_spellings_of_a_date() -> None:
    assert contains("Splatoon 2 was released on Jul. 21, 2017 worldwide.", ["July 21 2017", "Jul. 21, 2017"])
    assert not contains("It was released on July 1, 2007.", ["July 21 2017", "Jul. 21, 2017"])
    assert contains("Revenue was $10.4 billion.", ["$10.4 billion"])
    assert not contains("Revenue was $1.04 billion.", ["$10.4 billion"])


def test_true_and_fake_answers_are_flagged_and_the_agreeing_set_is_quiet(rgb: Path, embedder: Embedder) -> None:
    result = evaluate(load_rgb(rgb)[0], embedder.name)  # Super Bowl 2021: Tampa vs Glendale
    assert result.flagged and not result.settled
    assert not result.false_alarm
    flagged = next(c for c in result.conflicts if any("Glendale" in v["text"] for v in c["versions"]))
    assert any("Tampa" in v["text"] for v in flagged["versions"])


def test_eval_rgb_prints_a_summary_and_a_final_json_line(rgb: Path, tmp_path: Path, embedder: Embedder) -> None:
    out = tmp_path / "rgb.jsonl"
    result = CliRunner().invoke(main, ["eval", "rgb", str(rgb), "--limit", "2", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["questions"] == 2
    assert set(summary) >= {"true_in_answer", "fake_in_answer", "disagreement_flagged", "presented_as_settled",
                            "false_alarm_agreeing", "no_answer_on_negatives"}
    assert "disagreement flagged" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
