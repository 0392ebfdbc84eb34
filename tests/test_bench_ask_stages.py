"""bench/ask_stages.py runs over a small real index and ends with per-stage figures as one JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_ask_stages_reports_every_stage_and_the_baseline_ratio(tmp_path: Path, examples_dir: Path) -> None:
    db = tmp_path / "index.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "newsdesk.cli", "ingest", "-q", "--db", str(db), str(examples_dir)],
                   check=True, capture_output=True, env=env, timeout=600)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ask_stages.py"), "--db", str(db), "--questions", "3", "--warm", "1",
         "--questions-dir", str(shared_path("data", "realtimeqa-dev"))],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["questions"] == 3
    assert figures["ask"]["p50"] > 0 and figures["ask"]["p95"] >= figures["ask"]["p50"]
    for stage in ("question", "lexical", "dense", "rerank.embed", "rerank.features", "conflicts", "other"):
        assert stage in figures["stages"], stage
    assert figures["sentence_cache_misses"] > 0  # the questions' sentences were embedded, not taken from the warm-up
    assert figures["baseline"]["p50"] > 0 and figures["ratio_ask_p50"] > 0
    assert "load average" in proc.stdout
