"""The command line, run in-process with click's runner against a real index (and once as a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "cli.db")
    result = CliRunner().invoke(main, ["ingest", "--db", path, "-q", str(quetta_dir), str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.output
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_ask_json_follows_the_brief_schema(db: str) -> None:
    code, out = run("ask", "--db", db, "--json", "What does ISIS think of Pakistan?")
    assert code == 0, out
    brief = json.loads(out)
    assert brief["schema"] == "newsdesk.brief/1"
    assert set(brief) >= {"schema", "question", "answer", "evidence", "sources", "conflicts", "relations", "stories"}
    assert brief["relations"][0]["kind"] == "stance"  # actor relations (tests/test_stance.py)
    assert {c["attribute"] for c in brief["conflicts"]} >= {"killed", "responsibility"}  # where sources disagree
    source = brief["sources"][0]
    assert set(source) == {"n", "article_id", "title", "outlet", "published", "url", "path", "language", "copies"}
    for statement in brief["answer"] + brief["evidence"]:
        for citation in statement["citations"]:
            assert set(citation) == {"source", "article_id", "start", "end"}
            code, shown = run("show", "--db", db, "--json", citation["article_id"])
            assert json.loads(shown)["text"][citation["start"] : citation["end"]] == statement["text"]


def test_ask_prints_numbered_citations_and_the_source_list(db: str) -> None:
    code, out = run("ask", "--db", db, "What does ISIS think of Pakistan?")
    assert code == 0
    assert "Answer" in out and "Sources" in out
    assert "[1]" in out and "[2]" in out
    assert "Pakistan: IS is committed to attack on police school" in out


def test_ask_markdown_lists_sources(db: str) -> None:
    code, out = run("ask", "--db", db, "--markdown", "Who claimed responsibility for the Quetta attack?")
    assert code == 0
    assert out.startswith("## Who claimed") and "**Sources**" in out


def test_ask_batch_writes_one_json_line_per_question(db: str, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    asked = ["How many were killed in Quetta?", "Who is blamed for the Marlow Bay fire?"]
    questions.write_text(f"{asked[0]}\n\n{asked[1]}\n", encoding="utf-8")
    code, out = run("ask", "--db", db, "--batch", str(questions))
    assert code == 0, out
    lines = [json.loads(line) for line in out.splitlines()]
    assert [b["question"] for b in lines] == asked


def test_ask_needs_a_question_or_a_batch(db: str) -> None:
    code, out = run("ask", "--db", db)
    assert code == 2 and "QUESTION" in out


def test_bad_since_date_is_a_usage_error(db: str) -> None:
    code, out = run("ask", "--db", db, "--since", "not-a-date", "Who?")
    assert code == 2 and "--since" in out


def test_search_lists_passages_with_article_ids(db: str) -> None:
    code, out = run("search", "--db", db, "--json", "--limit", "3", "police training college")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert len(hits) == 3 and all(h["article_id"] and h["text"] for h in hits)


def test_show_unknown_id_fails_clearly(db: str) -> None:
    code, out = run("show", "--db", db, "nope")
    assert code == 1 and "no article with id 'nope'" in out


def test_stats_counts_articles(db: str) -> None:
    code, out = run("stats", "--db", db, "--json")
    stats = json.loads(out)
    assert stats["articles"] == 11 and stats["sentences"] > 100 and stats["schema_version"] >= 1


def test_delete_by_id_and_by_outlet(tmp_path: Path) -> None:
    path = str(tmp_path / "d.db")
    assert run("ingest", "--db", path, "-q", str(EXAMPLES))[0] == 0
    stats = json.loads(run("stats", "--db", path, "--json")[1])
    code, out = run("delete", "--db", path, "--outlet", "The Northern Gazette")
    assert code == 0 and "deleted 2 article(s)" in out
    some_id = json.loads(run("search", "--db", path, "--json", "--limit", "1", "fire")[1].splitlines()[0])["article_id"]
    assert run("delete", "--db", path, some_id)[1].startswith("deleted 1 article(s)")
    assert json.loads(run("stats", "--db", path, "--json")[1])["articles"] == stats["articles"] - 3
    code, out = run("delete", "--db", path, "missing-id")
    assert code == 1 and "not found" in out


def test_db_from_environment_and_real_console_script(db: str) -> None:
    script = Path(sys.executable).with_name("newsdesk")
    env = {**os.environ, "NEWSDESK_DB": db}
    done = subprocess.run([str(script), "stats"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"db: {db}" in done.stdout
