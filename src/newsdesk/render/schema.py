"""JSON Schemas of newsdesk's JSON outputs, generated from their types (render/documents.py).

    python -m newsdesk.render.schema            # (re)write docs/schema/*.json
    python -m newsdesk.render.schema --check    # exit 1 when a committed file differs

tests/test_schema_docs.py fails when the committed files are not what the code generates, and when
docs/SCHEMA.md and the brief's schema name different fields.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from newsdesk.render.documents import DOCUMENTS

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "docs" / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The JSON's own version names, where it has one.
VERSIONS = {"brief": "newsdesk.brief/1", "conflicts": "newsdesk.conflicts/1", "timeline": "newsdesk.timeline/1",
            "change": "newsdesk.change/1"}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the output `name` (a key of DOCUMENTS)."""
    schema = TypeAdapter(DOCUMENTS[name]).json_schema()
    for definition in [schema, *schema.get("$defs", {}).values()]:
        _never_null_when_omitted(definition)
    head: dict[str, Any] = {"$schema": DIALECT, "$id": f"newsdesk/{name}.json"}
    if name in VERSIONS:
        head["title"] = VERSIONS[name]
    return {**head, **{k: v for k, v in schema.items() if not (k == "title" and "title" in head)}}


def _never_null_when_omitted(definition: dict[str, Any]) -> None:
    """A field written only when set (model.OMIT_NONE) is absent, never null: say so in its schema."""
    kind = _DATACLASSES.get(definition.get("title", ""))
    if kind is None:
        return
    for f in dataclasses.fields(kind):
        prop = definition.get("properties", {}).get(f.name)
        if f.metadata.get("omit_none") and prop and "anyOf" in prop:
            branches = [b for b in prop.pop("anyOf") if b != {"type": "null"}]
            prop.pop("default", None)
            prop.update(branches[0] if len(branches) == 1 else {"anyOf": branches})


def _dataclasses() -> dict[str, type]:
    """Every dataclass the documents are made of, by name (as pydantic titles their definitions)."""
    import typing

    found: dict[str, type] = {}

    def visit(kind: Any) -> None:
        for arg in typing.get_args(kind):
            visit(arg)
        if dataclasses.is_dataclass(kind) and isinstance(kind, type) and kind.__name__ not in found:
            found[kind.__name__] = kind
            for hint in typing.get_type_hints(kind).values():
                visit(hint)

    for document in DOCUMENTS.values():
        visit(document)
    return found


_DATACLASSES = _dataclasses()


def rendered(name: str) -> str:
    """The file's text: stable key order as generated, two-space indents, a final newline."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SCHEMA_DIR, help="folder of the .json files")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a file differs")
    args = parser.parse_args(argv)
    stale = []
    for name in DOCUMENTS:
        path = args.out / f"{name}.json"
        text = rendered(name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "differ from the code (run python -m newsdesk.render.schema)" if args.check else "written"
    for path in stale:
        print(f"{path}: {verb}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
