"""Per-file failure reasons a user can act on, never a Python exception's own text.

An unexpected exception inside a reader, normalize or the analysis is a bug in newsdesk or a
library, not something the user can fix in the file; its class and message ("'NoneType' object
has no attribute ...", "chr() arg not in range") mean nothing to them. The file is reported with
the stage that failed and a plain sentence, and the exception goes to the debug log for whoever
fixes it.
"""

from __future__ import annotations

import logging
import re

_LOG = logging.getLogger("newsdesk.ingest")

# What a reason must not contain: exception class names and the stock phrases of Python's messages.
RAW_EXCEPTION_TEXT = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception|Warning)\b|object has no attribute|object is not|NoneType|"
    r"codec can't|arg not in range|unexpected keyword|positional argument|not supported between|"
    r"<class |surrogates not allowed|\bint too large\b|index out of range|\bKeyError\b"
)


def is_plain(reason: str) -> bool:
    """True when `reason` reads as a sentence for a user, with no raw exception text in it."""
    return bool(reason.strip()) and RAW_EXCEPTION_TEXT.search(reason) is None


def unexpected(stage: str, origin: str, exc: BaseException) -> str:
    """The reason for a failure nobody foresaw in `stage`; the exception itself goes to the debug log."""
    _LOG.debug("%s failed on %s", stage, origin, exc_info=exc)
    return f"{stage} failed on this input for an unexpected reason (a bug in newsdesk: please report it)"
