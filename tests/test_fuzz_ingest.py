"""A short run of the full-path ingest fuzzer (tests/fuzz_ingest.py); `make fuzz` runs the long one."""

from __future__ import annotations

from pathlib import Path

from newsdesk.analyze.embedding import Embedder
from tests.fuzz_ingest import Harness, fuzz, fuzz_many


def test_fuzzed_batches_store_or_report_every_input_plainly_and_keep_the_good_file(
        embedder: Embedder, tmp_path: Path) -> None:
    harness = Harness(embedder, tmp_path)
    try:
        fuzz(harness, examples=40, seed=1)
    finally:
        harness.close()
    counts = harness.counts
    assert counts.inputs > 40 and counts.stored > 0 and counts.refused
    assert not counts.escapes and not counts.raw_reasons and not counts.lost and counts.good_missing == 0


def test_hundreds_of_random_inputs_in_one_ingest_call_on_fresh_stores_lose_nothing(
        embedder: Embedder, tmp_path: Path) -> None:
    """The long run's shape (`make fuzz`): many inputs a call, good articles among them, a fresh store now and then."""
    harness = Harness(embedder, tmp_path)
    try:
        fuzz_many(harness, 120, per_call=40, calls_per_store=2, seed=3)
    finally:
        harness.close()
    counts = harness.counts
    assert counts.inputs == 120 and harness.batch == 3 and counts.stored > 0 and counts.refused
    assert not counts.escapes and not counts.raw_reasons and not counts.lost and counts.good_missing == 0
    assert len(list(tmp_path.glob("batch*"))) == 1  # the fresh store left the earlier calls' folders behind
