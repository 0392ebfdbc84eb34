"""`follow run` killed with SIGKILL during a poll and started again: no entry lost, no change reported twice.
Real processes, a real loopback server and a real SQLite index (bench/follow.py runs 20 cycles)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import main
from tests.feed_server import Site, serve
from tests.follow_kill import kill_cycles


def test_a_follower_killed_mid_poll_and_restarted_loses_no_entry_and_reports_no_change_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "index.db")
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "1")
    with serve(Site()) as site:
        runner = CliRunner()
        assert runner.invoke(main, ["follow", "add", site.url("/feed"), "--every", "1s", "--db", db]).exit_code == 0
        watch = runner.invoke(main, ["watch", "add", "How many people died in the Riverside market bombing?",
                                     "--db", db])
        assert watch.exit_code == 0, watch.output
        report = kill_cycles(site, db, cycles=3)
    assert report.kills_mid_poll >= 2, "the kills cut polls short (the third may land while re-answering)"
    assert report.taken == report.entries == 9
    assert report.lost == 0
    assert report.changes > 0
    assert report.duplicates == 0
