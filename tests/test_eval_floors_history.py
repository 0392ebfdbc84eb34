"""The gate's floors only go up: every version of tests/eval_floors.json in git is checked against the ones before it.

A floor lowered to make a change pass would otherwise be one line in a diff. Versions before the
current format (`"format": 2`, all dev questions) measured a different subset and are not compared.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS_PATH = "tests/eval_floors.json"
FORMAT = 2


def git(*args: str) -> str:
    if shutil.which("git") is None:
        pytest.fail("git is not installed: the floors' history cannot be checked", pytrace=False)
    proc = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"`git {' '.join(args)}` failed in {ROOT}: {proc.stderr.strip()}", pytrace=False)
    return proc.stdout


def versions_with_parents() -> list[tuple[str, list[str]]]:
    """Each commit that changed the floors, with the nearest earlier such commits it descends from."""
    if git("rev-parse", "--is-shallow-repository").strip() != "false":
        pytest.fail("this clone is shallow: the floors' history needs the full history (git fetch --unshallow)",
                    pytrace=False)
    rows = git("log", "--parents", "--format=%H %P", "--", FLOORS_PATH).split("\n")
    return [(row.split()[0], row.split()[1:]) for row in rows if row.strip()]


def read_version(rev: str) -> dict:
    return json.loads(git("show", f"{rev}:{FLOORS_PATH}"))


def lowered(earlier: dict, later: dict) -> list[str]:
    """What `later` lowers or drops of `earlier`'s floors and question count, as readable lines."""
    problems = [f"{metric}: {floor} -> {later['floors'].get(metric, 'removed')}"
                for metric, floor in earlier["floors"].items()
                if later["floors"].get(metric, float("-inf")) < floor]
    if later["questions"] < earlier["questions"]:
        problems.append(f"questions: {earlier['questions']} -> {later['questions']}")
    return problems


def check_history(versions: dict[str, dict], parents: dict[str, list[str]]) -> list[str]:
    """Every version of the current format against each nearest earlier version it descends from."""
    problems = []
    for rev, version in versions.items():
        for parent in parents.get(rev, []):
            before = versions.get(parent)
            if before is None or before.get("format") != FORMAT:
                continue
            if version.get("format") != FORMAT:
                problems.append(f"{rev[:10]} leaves format {FORMAT} (was in {parent[:10]})")
                continue
            problems += [f"{rev[:10]} lowers {line} (set in {parent[:10]})" for line in lowered(before, version)]
    return problems


def test_no_commit_lowers_a_floor() -> None:
    history = versions_with_parents()
    versions = {rev: read_version(rev) for rev, _ in history}
    assert any(v.get("format") == FORMAT for v in versions.values()), "no committed floors of the current format"
    problems = check_history(versions, dict(history))
    assert not problems, "a gate floor went down; floors only go up:\n" + "\n".join(problems)


def test_the_working_copy_lowers_no_committed_floor() -> None:
    committed = json.loads(git("show", f"HEAD:{FLOORS_PATH}"))
    current = json.loads((ROOT / FLOORS_PATH).read_text(encoding="utf-8"))
    assert current.get("format") == FORMAT
    problems = lowered(committed, current) if committed.get("format") == FORMAT else []
    assert not problems, "tests/eval_floors.json lowers a committed floor:\n" + "\n".join(problems)


def test_a_lowered_or_dropped_floor_is_reported() -> None:
    base = {"format": FORMAT, "questions": 100, "floors": {"gold_first": 0.5, "choice_accuracy": 0.8}}
    raised = {"format": FORMAT, "questions": 100, "floors": {"gold_first": 0.51, "choice_accuracy": 0.8}}
    lower = {"format": FORMAT, "questions": 99, "floors": {"gold_first": 0.49}}
    versions = {"a" * 40: base, "b" * 40: raised, "c" * 40: lower}
    assert check_history(versions, {"b" * 40: ["a" * 40]}) == []
    assert check_history(versions, {"c" * 40: ["b" * 40]}) == [
        "cccccccccc lowers gold_first: 0.51 -> 0.49 (set in bbbbbbbbbb)",
        "cccccccccc lowers choice_accuracy: 0.8 -> removed (set in bbbbbbbbbb)",
        "cccccccccc lowers questions: 100 -> 99 (set in bbbbbbbbbb)",
    ]
    assert check_history({"a" * 40: base, "d" * 40: {"floors": {}}}, {"d" * 40: ["a" * 40]}) == [
        "dddddddddd leaves format 2 (was in aaaaaaaaaa)"]
