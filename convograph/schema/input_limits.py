"""Checks on what a mutation may store: sizes against the settings, and text both databases
can hold.

An over-limit value raises LimitExceeded (a ValidationError with code LIMIT_EXCEEDED)
naming its input field. Text PostgreSQL cannot store, NUL characters and lone surrogates,
and JSON numbers that are not numbers (NaN, Infinity) are invalid input on SQLite too, so
that both databases accept exactly the same requests.
"""

import json
import math
from typing import Any

from convograph.db.errors import InvalidInput, LimitExceeded

# Nesting deeper than this is no reasonable metadata, and would strain recursive code.
MAX_JSON_DEPTH = 32
# A message's `name` and `toolCallId` are identifiers, not text.
MAX_IDENTIFIER_LENGTH = 256


def checked_text(value: str, field: str, *, max_chars: int = 0, max_bytes: int = 0) -> str:
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field)
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} is not valid Unicode text.", field) from None
    if max_chars and len(value) > max_chars:
        raise LimitExceeded(f"{field} is {len(value)} characters; at most {max_chars}.", field)
    if max_bytes and size > max_bytes:
        raise LimitExceeded(f"{field} is {size} bytes; at most {max_bytes}.", field)
    return value


def checked_optional_text(value: str | None, field: str, *, max_chars: int = 0) -> str | None:
    return None if value is None else checked_text(value, field, max_chars=max_chars)


def checked_json(value: Any, field: str, max_bytes: int) -> Any:
    """A JSON value no larger than `max_bytes` as compact UTF-8, and storable as given."""
    _check_values(value, field)
    try:
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} holds text that is not valid Unicode.", field) from None
    if len(encoded) > max_bytes:
        raise LimitExceeded(f"{field} is {len(encoded)} bytes as JSON; at most {max_bytes}.", field)
    return value


def _check_values(value: Any, field: str) -> None:
    """Walks the document without recursion: its depth is what is being checked."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise LimitExceeded(f"{field} is nested more than {MAX_JSON_DEPTH} levels deep.", field)
        if isinstance(item, dict):
            for key, inner in item.items():
                _check_string(key, field)
                pending.append((inner, depth + 1))
        elif isinstance(item, list):
            pending.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            _check_string(item, field)
        elif isinstance(item, float) and not math.isfinite(item):
            raise InvalidInput(f"{field} holds a number JSON cannot represent.", field)


def _check_string(value: str, field: str) -> None:
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field)
