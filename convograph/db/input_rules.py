"""The rules every input obeys, whichever way it arrives: GraphQL arguments and mutation
inputs, filters, cursors, imported documents (the API's and the CLI's). One place, so that
both databases accept exactly the same inputs, and a value a database would refuse (or
fail on) is refused before it reaches it.

- Text holds no NUL (PostgreSQL cannot store it) and no lone surrogate (not UTF-8).
- JSON numbers are finite, and integers fit in 64 bits (SQLite binds no wider integer,
  and Python's JSON encoder refuses integers of thousands of digits).
- JSON nests at most MAX_JSON_DEPTH levels; sizes stay within the configured limits.
- Times carry a UTC offset and stay within year 1 to 9999 once moved to UTC.

An over-limit value raises LimitExceeded (a ValidationError with code LIMIT_EXCEEDED where
a mutation reports it) naming its field; any other breach raises InvalidInput.
"""

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from convograph.db.errors import InvalidInput, LimitExceeded

if TYPE_CHECKING:
    from convograph.db.imports import ConversationRecord

# Nesting deeper than this is no reasonable metadata, and would strain recursive code.
MAX_JSON_DEPTH = 32
# A message's `name` and `toolCallId` are identifiers, not text.
MAX_IDENTIFIER_LENGTH = 256
MAX_BRANCH_NAME_LENGTH = 200
# SQLite's INTEGER, and PostgreSQL's bigint.
MIN_INTEGER = -(2**63)
MAX_INTEGER = 2**63 - 1


@dataclass(frozen=True)
class InputLimits:
    """The configured sizes (CONVOGRAPH_MAX_CONTENT_BYTES and the like)."""

    content_bytes: int
    metadata_bytes: int
    title_length: int

    @classmethod
    def of(cls, settings: Any) -> "InputLimits":
        return cls(
            settings.max_content_bytes, settings.max_metadata_bytes, settings.max_title_length
        )


def checked_text(value: str, field: str, *, max_chars: int = 0, max_bytes: int = 0) -> str:
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field)
    if max_chars and len(value) > max_chars:
        raise LimitExceeded(f"{field} is {len(value)} characters; at most {max_chars}.", field)
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} is not valid Unicode text.", field) from None
    if max_bytes and size > max_bytes:
        raise LimitExceeded(f"{field} is {size} bytes; at most {max_bytes}.", field)
    return value


def checked_optional_text(value: str | None, field: str, *, max_chars: int = 0) -> str | None:
    return None if value is None else checked_text(value, field, max_chars=max_chars)


def checked_title(value: str | None, limits: InputLimits, field: str = "title") -> str | None:
    return checked_optional_text(value, field, max_chars=limits.title_length)


def checked_branch_name(value: str | None, field: str = "name") -> str | None:
    if value is None:
        return None
    checked_text(value, field)
    if not (value.strip() and len(value) <= MAX_BRANCH_NAME_LENGTH):
        raise InvalidInput(
            f"A branch name has 1 to {MAX_BRANCH_NAME_LENGTH} characters, not only spaces.",
            field,
        )
    return value


def counted_json(value: Any, field: str, max_values: int) -> int:
    """How many values (objects, arrays and what they hold) `value` has, once checked as
    checked_json checks it; more than `max_values` is refused before all are seen."""
    count = _check_values(value, field, max(max_values, 0) + 1)  # 0 would mean no limit
    if count > max_values:
        raise LimitExceeded(f"{field} holds more than {max_values} values.", field)
    return count


def checked_json(value: Any, field: str, max_bytes: int) -> Any:
    """A JSON value no larger than `max_bytes` as compact UTF-8, storable as given on both
    databases."""
    _check_values(value, field, 0)
    try:
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} holds text that is not valid Unicode.", field) from None
    if len(encoded) > max_bytes:
        raise LimitExceeded(f"{field} is {len(encoded)} bytes as JSON; at most {max_bytes}.", field)
    return value


def _check_values(value: Any, field: str, max_values: int) -> int:
    """Walks the document without recursion (its depth is what is being checked), and
    stops once it has counted more than `max_values` values (when given)."""
    pending = [(value, 1)]
    count = 0
    while pending:
        item, depth = pending.pop()
        count += 1
        if max_values and count > max_values:
            return count
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
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not MIN_INTEGER <= item <= MAX_INTEGER:
                raise InvalidInput(
                    f"{field} holds an integer beyond 64 bits; store it as a string.", field
                )
        elif isinstance(item, float) and not math.isfinite(item):
            raise InvalidInput(f"{field} holds a number JSON cannot represent.", field)
    return count


def _check_string(value: str, field: str) -> None:
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} holds text that is not valid Unicode.", field) from None


def checked_moment(value: datetime, field: str) -> datetime:
    """The instant in UTC; one without an offset, or outside years 1 to 9999 in UTC (such
    as year 1 at +14:00), is refused."""
    if value.utcoffset() is None:
        raise InvalidInput(f"{field} needs a UTC offset, got {value.isoformat()}.", field)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            f"{field} is outside the years 1 to 9999 in UTC: {value.isoformat()}.", field
        ) from None


def checked_record(record: "ConversationRecord", limits: InputLimits) -> None:
    """An imported conversation obeys every rule its GraphQL counterpart does: a title,
    content, metadata and names that createConversation, addMessage and renameBranch
    would take."""
    checked_text(record.source_id, "id")
    checked_title(record.title, limits)
    checked_json(record.metadata, "metadata", limits.metadata_bytes)
    for message in record.messages:
        where = f"message {message.key!r}"
        checked_text(message.content, f"{where}: content", max_bytes=limits.content_bytes)
        for name, value in (("name", message.name), ("toolCallId", message.tool_call_id)):
            checked_optional_text(value, f"{where}: {name}", max_chars=MAX_IDENTIFIER_LENGTH)
        if message.tool_calls is not None:
            checked_json(message.tool_calls, f"{where}: toolCalls", limits.content_bytes)
        checked_json(message.metadata, f"{where}: metadata", limits.metadata_bytes)
    for branch in record.branches:
        checked_branch_name(branch.name, f"branch {branch.key!r}: name")
