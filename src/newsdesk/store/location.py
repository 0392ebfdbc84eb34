"""Where an index lives: a database server URL or a file path, and how to print it without secrets."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: str | Path) -> bool:
    """True when `location` names a database server rather than a file."""
    return str(location).startswith(URL_SCHEMES)


def redact(location: str | Path) -> str:
    """`location` fit to print: a server URL without its password (a path as it is)."""
    text = str(location)
    if not is_server_url(text):
        return text
    parts = urlsplit(text)
    if not parts.password:
        return text
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
