"""bench/run.py runs end to end on a small slice of RealTime QA and ends with its JSON figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_runs_and_ends_with_json(tmp_path: Path) -> None:
    data = shared_path("data", "realtimeqa-dev", "20220617_gold.jsonl").parent
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--data", str(data), "--limit", "40", "--questions", "5",
         "--weeks", "20220617", "--breakdown", "5", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["corpus_articles"] == 40
    assert figures["questions"] == 5
    for key in ("ingest_articles_per_s", "baseline_ingest_articles_per_s", "ask_p50_ms", "ask_p95_ms",
                "ask_mean_ms", "baseline_ask_p50_ms", "cold_start_help_ms", "cold_start_stats_ms",
                "bytes_per_article", "baseline_bytes_per_article", "ingest_peak_rss_mb"):
        assert figures[key] > 0, key
    for key in ("gold_in_sources", "gold_first", "baseline_gold_in_top5", "baseline_gold_first"):
        assert 0.0 <= figures[key] <= 1.0, key
    assert "ratio_ask_p50" in figures and "ratio_ingest_time" in figures
    assert "ask p50 (ms)" in proc.stdout  # the readable table comes before the JSON line
