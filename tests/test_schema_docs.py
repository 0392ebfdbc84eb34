"""The hand-written docs against the code: docs/schema/ is what the types generate, docs/SCHEMA.md names
exactly the brief's fields, and the README's command list is the command line's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from newsdesk.cli import main
from newsdesk.render.documents import DOCUMENTS
from newsdesk.render.schema import SCHEMA_DIR, json_schema, rendered

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_MD = (ROOT / "docs" / "SCHEMA.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

# docs/SCHEMA.md's name of each part of the brief -> its definition in the generated schema.
DOC_NAMES = {
    "brief": "BriefJSON", "Statement": "StatementJSON", "Citation": "Citation", "Source": "Source",
    "Conflict": "ConflictEntry", "Version": "ConflictVersion", "Stance": "StancePart", "Event": "RelationEvent",
    "Event citation": "RelationCitation", "Story": "StoryEntry", "TimelineEntry": "TimelineEntryJSON",
    "Stance trend": "StanceTrend", "Stance outlet": "OutletStance",
}


# --- generated schema files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_committed_schema_files_are_what_the_types_generate(name: str) -> None:
    path = SCHEMA_DIR / f"{name}.json"
    assert path.is_file(), f"{path} is missing: run python -m newsdesk.render.schema"
    assert path.read_text(encoding="utf-8") == rendered(name), \
        f"{path} differs from the code: run python -m newsdesk.render.schema"


def test_schema_check_command_fails_on_a_stale_file(tmp_path: Path) -> None:
    from newsdesk.render.schema import main as schema_main

    assert schema_main(["--out", str(tmp_path)]) == 0
    assert schema_main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "brief.json").write_text("{}\n", encoding="utf-8")
    assert schema_main(["--out", str(tmp_path), "--check"]) == 1


def test_fields_written_only_when_set_are_never_null_in_the_schema() -> None:
    defs = json_schema("brief")["$defs"]
    assert defs["StatementJSON"]["properties"]["conflict"] == {"title": "Conflict", "type": "integer"}
    assert "conflict" not in defs["StatementJSON"]["required"]
    assert defs["ConflictEntry"]["properties"]["note"] == {"title": "Note", "type": "string"}
    assert defs["ConflictVersion"]["properties"]["speaker"]["anyOf"][-1] == {"type": "null"}, "written as null"


# --- docs/SCHEMA.md names the brief's fields, no more and no less -------------------------------------------


def _balanced(text: str, start: int) -> str:
    """The text from the bracket at `start` to its matching closing bracket."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "{[":
            depth += 1
        elif text[i] in "}]":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    raise AssertionError(f"unbalanced brackets from: {text[start:start + 80]!r}")


def _fields(obj: str) -> dict[str, str]:
    """The top-level field names of an object written `{a, b: [...], "c": 1}`, each with its value text."""
    inner, out, depth, token = obj[1:-1], {}, 0, ""
    for ch in inner + ",":
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if ch == "," and depth == 0:
            name, _, value = token.partition(":")
            name = name.strip().strip('"')
            if re.fullmatch(r"[a-z_]+", name):
                out[name] = value.strip()
            token = ""
        else:
            token += ch
    return out


def _json_block(after: str) -> str:
    """The first ```json example after the text `after`."""
    at = SCHEMA_MD.index(after)
    block = SCHEMA_MD.index("```json", at)
    return _balanced(SCHEMA_MD, SCHEMA_MD.index("{", block))


def _listed(name: str) -> str:
    """The `{...}` field list that follows **name** in the prose."""
    match = re.search(r"\*\*" + re.escape(name) + r"\*\*\s*`\{", SCHEMA_MD)
    assert match, f"docs/SCHEMA.md has no field list **{name}** `{{...}}`"
    return _balanced(SCHEMA_MD, match.end() - 1)


def _nested(fields: dict[str, str], key: str) -> dict[str, str]:
    value = fields[key]
    return _fields(_balanced(value, value.index("{")))


def documented() -> dict[str, set[str]]:
    """The fields docs/SCHEMA.md gives each part of the brief."""
    statement = _fields(_listed("Statement"))
    relation_blocks = [_fields(_balanced(SCHEMA_MD, m.start())) for m in re.finditer(r'\{"kind": "', SCHEMA_MD)]
    stance = next(b for b in relation_blocks if b["kind"] == '"stance"')
    event = next(b for b in relation_blocks if b["kind"] == '"event"')
    parts = {
        "brief": _fields(_json_block("# The brief's JSON")),
        "Statement": statement,
        "Citation": _nested(statement, "citations"),
        "Source": _fields(_listed("Source")),
        "Conflict": _fields(_json_block("## Conflict")),
        "Version": _fields(_listed("Version")),
        "Stance": stance,
        "Event": event,
        "Event citation": _nested(event, "citations"),
        "Stance trend": _nested(stance, "trend"),
        "Stance outlet": _nested(stance, "outlets"),
        "Story": _fields(_listed("Story")),
        "TimelineEntry": _fields(_listed("TimelineEntry")),
    }
    return {name: set(fields) for name, fields in parts.items()}


def test_every_part_of_the_brief_schema_has_a_documented_name() -> None:
    schema = json_schema("brief")
    assert set(DOC_NAMES.values()) == {"BriefJSON", *schema["$defs"]}, \
        "a part was added to or removed from the brief: document it in docs/SCHEMA.md and DOC_NAMES"


@pytest.mark.parametrize("doc_name", list(DOC_NAMES))
def test_schema_md_documents_exactly_the_fields_of_the_brief_schema(doc_name: str) -> None:
    schema = json_schema("brief")
    definition: dict[str, Any] = schema if DOC_NAMES[doc_name] == "BriefJSON" else \
        schema["$defs"][DOC_NAMES[doc_name]]
    generated = set(definition["properties"])
    written = documented()[doc_name]
    assert not generated - written, f"{doc_name}: fields not documented in docs/SCHEMA.md"
    assert not written - generated, f"{doc_name}: docs/SCHEMA.md documents fields the schema lacks"


def test_the_field_reader_sees_a_missing_field() -> None:
    """The check above can fail: a field list without one field is told apart."""
    assert set(_fields("{text, citations: [{source, start}], score}")) == {"text", "citations", "score"}
    written = '{"kind": "event", "dates": [], "citations": [{"source": 1}]}'
    assert set(_fields(written)) == {"kind", "dates", "citations"}


# --- the README's command list is the command line's ------------------------------------------------------------


def readme_commands() -> set[str]:
    """`newsdesk X` (and `newsdesk GROUP X`) named in the README's Use block."""
    block = README.split("## Use", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    found = set()
    for match in re.finditer(r"\bnewsdesk ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", block):
        command, sub = match.groups()
        group = main.commands.get(command)
        found.add(f"{command} {sub}" if sub and hasattr(group, "commands") else command)
    return found


def click_commands() -> set[str]:
    """Every command `newsdesk --help` lists; a group's commands as `GROUP COMMAND`."""
    out = set()
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", None)
        out |= {f"{name} {sub}" for sub in subcommands} if subcommands else {name}
    return out


def test_readme_use_block_lists_every_command_and_no_other() -> None:
    listed, real = readme_commands(), click_commands()
    assert not real - listed, f"commands missing from the README's Use block: {sorted(real - listed)}"
    assert not listed - real, f"the README's Use block names commands that do not exist: {sorted(listed - real)}"


def test_schema_md_documents_every_field_of_a_change_record() -> None:
    section = SCHEMA_MD.split("`newsdesk.change/1`", 1)[1].split("\n## ", 1)[0]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    documented = set(_fields(_balanced(block, block.index("{"))))
    properties = set(json_schema("change")["properties"])
    optional = {"statement", "source", "stance"}  # one part a record, the example shows `conflict`
    assert documented | optional == properties
    for name in optional:
        assert f"`{name}`" in section, f"docs/SCHEMA.md does not describe a change record's `{name}`"
