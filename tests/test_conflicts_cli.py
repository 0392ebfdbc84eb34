"""`newsdesk conflicts` and the "Where sources disagree" table of `newsdesk ask`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.analyze.embedding import Embedder
from newsdesk.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, quetta_dir: Path, examples_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("conflicts-cli") / "cli.db")
    result = CliRunner().invoke(main, ["ingest", "--db", path, "-q", str(quetta_dir), str(examples_dir)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_conflicts_lists_the_disputes_of_the_whole_collection(db: str) -> None:
    out = run("conflicts", "--db", db)
    assert out.startswith("Where sources disagree (across the collection")
    for expected in ("killed", "injured", "responsibility", "evacuated", "supersedes", "Sources"):
        assert expected in out


def test_conflicts_for_a_query_keeps_to_its_event(db: str) -> None:
    data = json.loads(run("conflicts", "--db", db, "--json", "Quetta police training college attack"))
    assert data["schema"] == "newsdesk.conflicts/1"
    assert {c["attribute"] for c in data["conflicts"]} == {"killed", "injured", "responsibility"}
    numbers = {s["n"]: s["article_id"] for s in data["sources"]}
    for conflict in data["conflicts"]:
        assert set(conflict) >= {"id", "attribute", "event", "classification", "versions"}
        for version in conflict["versions"]:
            assert set(version) >= {"value", "qualifier", "text", "citations", "outlet", "published", "speaker"}
            for c in version["citations"]:
                assert numbers[c["source"]] == c["article_id"]


def test_ask_shows_the_table_under_where_sources_disagree(db: str) -> None:
    out = run("ask", "--db", db, "How many people were killed in the attack on the police training college in Quetta?")
    assert "Where sources disagree" in out and "‡" in out
    table = out[out.index("Where sources disagree") : out.index("\nSources")]
    assert "killed" in table and "at least 61" in table and "60" in table
