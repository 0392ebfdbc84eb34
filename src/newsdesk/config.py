"""Settings, chosen by name: from the environment, a `newsdesk.toml`, or the caller."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DB = "newsdesk.db"


@dataclass(frozen=True)
class Config:
    db: str = DEFAULT_DB
    embedder: str = "use-multilingual-v3"
    max_file_bytes: int = 50_000_000
    batch_size: int = 64  # articles per ingest transaction
    answer_size: int = 3  # sentences in a brief's answer
    evidence_size: int = 8  # further sentences in its evidence
    candidates: int = 80  # passages of the fused short list whose sentences are reranked (dense search returns as many)
    dense_passages: int = 1  # passages embedded per article at ingest: 1 = title and lead, 0 = all
    # The answer ranker by name (answer/ranker.py): "learned" (the model in newsdesk/data/ranker-learned.json),
    # "hand" (the hand-set weights, the baseline), another packaged model's name, or a path to a .json model.
    ranker: str = "hand"
    # The model whose calibrated probability that a line answers is shown as its `confidence` when `ranker` is
    # "hand" (a learned ranker gives its own); "" for none (no confidence, no abstention).
    confidence_model: str = "learned"
    # An answer line whose confidence is below this goes to `evidence`: "model" takes the threshold chosen with
    # the model on held-out weeks (`python -m newsdesk.eval.train_ranker fit`: at most 0.02 of answers lost),
    # or a number from 0 to 1. "0", the default, never abstains: abstaining costs some answers (at most 0.02 on
    # held-out weeks) and the eval gate's floors allow the loss of none; "model" switches it on.
    answer_confidence: str = "0"
    pool_size: int = 4  # connections each process keeps to a PostgreSQL database (docs/POSTGRES.md)
    reader_workers: int = 0  # processes of `newsdesk serve` that answer questions at once; 0: one per core
    ingest_workers: int = 1  # processes analysing at a local ingest (ingest/parallel.py); 1: all in the writer's
    # Analysis steps run at ingest, by name (analyze/steps.py); NEWSDESK_ANALYSIS="claims,actors" in the environment.
    analysis: tuple[str, ...] = ("claims", "actors")
    # Server-side fetches (ingest of a URL, feeds) may reach loopback, private and link-local hosts only when set:
    # for a desk inside a newsroom network. NEWSDESK_ALLOW_PRIVATE_HOSTS=1 in the environment (net/policy.py).
    allow_private_hosts: bool = False
    # Or only these networks ("10.20.0.0/16", "192.168.1.5"), e.g. the newsroom's own feed server.
    allowed_private_networks: tuple[str, ...] = ()


def load_config(path: str | Path | None = None, **overrides: object) -> Config:
    """Defaults, then `newsdesk.toml` (or `path`), then NEWSDESK_* variables, then `overrides`."""
    config = Config()
    file = Path(path) if path else Path("newsdesk.toml")
    if file.is_file():
        with file.open("rb") as handle:
            data = tomllib.load(handle).get("newsdesk", {})
        config = _merge(config, data, str(file))
    env = {f.name: os.environ[f"NEWSDESK_{f.name.upper()}"] for f in fields(Config)
           if f"NEWSDESK_{f.name.upper()}" in os.environ}
    config = _merge(config, env, "environment")
    return _merge(config, {k: v for k, v in overrides.items() if v is not None}, "arguments")


def _merge(config: Config, values: Mapping[str, object], where: str) -> Config:
    known = {f.name: f.type for f in fields(Config)}
    changes: dict[str, Any] = {}  # each value converted to its field's type above, so `replace` may take it
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"{where}: unknown setting {key!r}")
        default = getattr(config, key)
        if isinstance(default, tuple):
            changes[key] = _names(value, key, where)
            continue
        if isinstance(default, bool):
            changes[key] = _flag(value, key, where)
            continue
        try:
            changes[key] = type(default)(value)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: setting {key!r} must be a {type(default).__name__}, got {value!r}") from None
    return replace(config, **changes)


def _names(value: object, key: str, where: str) -> tuple[str, ...]:
    """A list setting: a TOML array of strings, or one string of comma-separated names (the environment)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{where}: setting {key!r} must be a list of names, got {value!r}")
    return tuple(i.strip() for i in items if i.strip())


def _flag(value: object, key: str, where: str) -> bool:
    """A yes/no setting: TOML booleans, or 1/0, true/false, yes/no, on/off as text (bool("0") would be True)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{where}: setting {key!r} must be true or false, got {value!r}")
