"""One schema migration runner for both backends.

Each backend ships numbered SQL files (store/migrations/, store/migrations_pg/, the same numbers and
names) and passes a `SchemaDialect`: how to read and record the version and run a script on its own
connection. Each pending file runs in its own write transaction, with the data step some migrations
need in code, and the version is recorded in that transaction: a process killed mid-way leaves the
index at the last whole migration. The version is checked again under the lock, so several processes
opening one new index migrate it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from importlib import resources
from typing import Any, Protocol

from newsdesk.store.base import StoreError

# A migration's data step: runs after the file's SQL, in the same transaction, on its cursor.
DataStep = Callable[[Any], None]


class SchemaDialect(Protocol):
    def version(self) -> int:
        """The version recorded, read without locking (0 for an empty database)."""
        ...

    def transaction(self) -> AbstractContextManager[Any]:
        """A write transaction holding the migration lock; yields a cursor."""
        ...

    def locked_version(self, cur: Any) -> int:
        """The version recorded, read inside `transaction()` (another process may have migrated meanwhile)."""
        ...

    def run_script(self, cur: Any, script: str) -> None: ...

    def record(self, cur: Any, number: int) -> None: ...


def migration_files(folder: str) -> list[tuple[int, str]]:
    """The numbered migrations shipped in `folder` of this package ("migrations", "migrations_pg"), in order."""
    found = [(int(e.name[:3]), e.read_text(encoding="utf-8")) for e in (resources.files("newsdesk.store") / folder)
             .iterdir() if e.name.endswith(".sql") and e.name[:3].isdigit()]
    return sorted(found)


def apply_migrations(dialect: SchemaDialect, folder: str, steps: Mapping[int, DataStep], where: str) -> None:
    """Bring the schema up to the newest file of `folder`; refuse an index newer than this newsdesk."""
    migrations = migration_files(folder)
    latest = migrations[-1][0] if migrations else 0
    current = dialect.version()
    if current > latest:
        raise StoreError(f"{where}: schema version {current} is newer than this newsdesk ({latest})")
    for number, script in migrations:
        if number <= current:
            continue
        with dialect.transaction() as cur:
            if dialect.locked_version(cur) >= number:
                continue
            dialect.run_script(cur, script)
            if number in steps:
                steps[number](cur)
            dialect.record(cur, number)


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (no semicolons inside our literals), for engines that run one at a time."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
