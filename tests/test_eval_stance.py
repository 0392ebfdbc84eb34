"""The stance dev set: every item quotes its page verbatim, bad lines are named, labels are scored coarsely."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.eval.stance import StanceSetError, check_sentences, item_weeks, load_items, score_item
from newsdesk.model import Brief, RelationCitation, RelationEvent, StancePart
from tests.conftest import shared_path

DEV_SET = Path(__file__).parent / "data" / "stance_dev.jsonl"
# Written from other weeks of 2023 than the dev set; its misses guided issue 18's recall fixes once (the causes,
# with tests on its sentences), so it is no longer untouched: a new held-out set is needed for an unseen measure.
HELD_OUT_SET = Path(__file__).parent / "data" / "stance_heldout.jsonl"


def test_every_dev_item_quotes_a_sentence_of_the_page_it_cites() -> None:
    items = load_items(DEV_SET)
    assert len(items) >= 40
    assert {i.expected for i in items} == {"hostile", "friendly", "mixed", "unknown"}
    assert check_sentences(items, shared_path("data")) == []


def test_the_held_out_set_quotes_its_pages_and_shares_no_week_with_the_dev_set() -> None:
    held_out, dev = load_items(HELD_OUT_SET), load_items(DEV_SET)
    assert len(held_out) >= 40
    assert check_sentences(held_out, shared_path("data")) == []
    dev_weeks = {w for weeks in item_weeks(dev).values() for w in weeks}
    assert not {w for weeks in item_weeks(held_out).values() for w in weeks} & dev_weeks


def test_a_sentence_not_on_its_page_is_reported(tmp_path: Path) -> None:
    line = DEV_SET.read_text(encoding="utf-8").splitlines()[0].replace("Major cities", "Minor towns")
    (tmp_path / "set.jsonl").write_text(line + "\n", encoding="utf-8")
    bad = check_sentences(load_items(tmp_path / "set.jsonl"), shared_path("data"))
    assert len(bad) == 1 and "20220617_gcs.jsonl line 2 result 1" in bad[0]


def test_the_index_covers_the_weeks_the_items_cite() -> None:
    weeks = item_weeks(load_items(DEV_SET))
    assert "20220617" in weeks["realtimeqa-dev"] and "20231013" in weeks["realtimeqa-2023"]


@pytest.mark.parametrize(("line", "field"), [
    ('{"question": "What does X think of Y?", "expected": "angry"}', "expected"),
    ('{"expected": "hostile"}', "question"),
    ('{"question": "What does X think of Y?", "expected": "hostile"}', "sentence"),
    ("not json", "not JSON"),
])
def test_a_bad_line_is_named_with_its_field(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"question": "What does A think of B?", "expected": "unknown"}\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(StanceSetError, match=rf"set\.jsonl:2: .*{field}"):
        load_items(path)


def _brief(label: str, quoted: str) -> Brief:
    stance = StancePart(source_actor="X", target_actor="Y", label=label, tone=label, polarity=-0.5, summary=label,
                        counts={}, hostile=1, friendly=0, attributed=0, own_statements=0, sources=1, note=None)
    event = RelationEvent(event=1, direction="forward", source_actor="X", source_part=None, target_actor="Y",
                          target_part=None, action="criticize", mode="statement", polarity=-0.4, tone="unfriendly",
                          attributed=False, speaker=None, speaker_text=None, negated=False, anchor=None, dates=[],
                          trigger="criticized", citations=[RelationCitation(1, "a", 0, len(quoted), quoted, 0, 1)])
    return Brief("q", [], [], [], relations=[stance, event])


def test_unfriendly_counts_as_hostile_and_the_cited_sentence_is_found() -> None:
    item = load_items(DEV_SET)[0]
    result = score_item(item, _brief("unfriendly", item.sentence or ""), 0.1)
    assert (result.got, result.correct, result.sentence_cited) == ("hostile", True, True)
    assert score_item(item, _brief("mixed", "Another sentence."), 0.1).correct is False
