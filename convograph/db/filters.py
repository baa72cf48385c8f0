"""Filters of the conversations overview, compiled to SQL for PostgreSQL and for SQLite.

Metadata is jsonb on PostgreSQL: conditions use `@>` and `?`, which its GIN index serves.
On SQLite, where metadata is JSON text, the same conditions walk it with `json_each`:
keys are compared as values, never spliced into a JSON path, so any key works.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB, array

from convograph.db.tables import Conversation

JSONValue = Any


@dataclass(frozen=True)
class MetadataFilter:
    """Conditions on top-level metadata keys; all of them must hold."""

    equals: Mapping[str, JSONValue] = field(default_factory=dict)
    contains: Mapping[str, JSONValue] = field(default_factory=dict)
    one_of: Mapping[str, Sequence[JSONValue]] = field(default_factory=dict)
    has_keys: Sequence[str] = ()


@dataclass(frozen=True)
class ConversationFilter:
    """What the overview keeps; None means no condition. Time ranges are half-open:
    `after` is inclusive, `before` exclusive."""

    archived: bool | None = None
    title_contains: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    metadata: MetadataFilter | None = None


def filter_conditions(conversation_filter: ConversationFilter, dialect: str) -> list[Any]:
    f = conversation_filter
    conditions: list[Any] = []
    if f.archived is not None:
        archived_at = Conversation.archived_at
        conditions.append(archived_at.is_not(None) if f.archived else archived_at.is_(None))  # type: ignore[union-attr]
    if f.title_contains is not None:
        conditions.append(Conversation.title.icontains(f.title_contains, autoescape=True))  # type: ignore[union-attr]
    for column, lower, upper in (
        (Conversation.created_at, f.created_after, f.created_before),
        (Conversation.updated_at, f.updated_after, f.updated_before),
    ):
        if lower is not None:
            conditions.append(column >= lower)
        if upper is not None:
            conditions.append(column < upper)
    if f.metadata is not None:
        compile_metadata = _postgresql_metadata if dialect == "postgresql" else _sqlite_metadata
        conditions.extend(compile_metadata(f.metadata))
    return conditions


def _postgresql_metadata(f: MetadataFilter) -> list[Any]:
    document = type_coerce(Conversation.__table__.c.metadata, JSONB)  # type: ignore[attr-defined]

    def equal(key: str, value: JSONValue) -> ColumnElement[bool]:
        # Containment is what the GIN index answers; for a scalar it is equality, for an
        # object or array it is not, so those are compared exactly as well.
        contained = document.contains({key: value})
        if _is_container(value):
            return and_(contained, document[key] == type_coerce(value, JSONB))
        return contained

    def one_of(key: str, values: Sequence[JSONValue]) -> ColumnElement[bool]:
        candidates = [equal(key, value) for value in values if _is_container(value)]
        scalars = [literal({key: value}, JSONB) for value in values if not _is_container(value)]
        if scalars:
            # All the scalars in one index condition: `@> ANY (ARRAY[...])`.
            candidates.append(document.bool_op("@>")(any_(array(scalars))))
        return or_(false(), *candidates)

    conditions: list[Any] = [equal(key, value) for key, value in f.equals.items()]
    if f.contains:
        conditions.append(document.contains(dict(f.contains)))
    conditions.extend(one_of(key, values) for key, values in f.one_of.items())
    conditions.extend(document.has_key(key) for key in f.has_keys)
    return conditions


def _is_container(value: JSONValue) -> bool:
    return isinstance(value, dict | list)


def _sqlite_metadata(f: MetadataFilter) -> list[Any]:
    document = Conversation.__table__.c.metadata  # type: ignore[attr-defined]
    conditions: list[Any] = [
        _sqlite_member(document, key, lambda node, v=value: _sqlite_is(node, v, exact=True))
        for key, value in f.equals.items()
    ]
    conditions.extend(
        _sqlite_member(document, key, lambda node, v=value: _sqlite_is(node, v, exact=False))
        for key, value in f.contains.items()
    )
    conditions.extend(
        _sqlite_member(
            document,
            key,
            lambda node, vs=values: or_(false(), *(_sqlite_is(node, v, exact=True) for v in vs)),
        )
        for key, values in f.one_of.items()
    )
    conditions.extend(_sqlite_member(document, key, lambda _node: true()) for key in f.has_keys)
    return conditions


def _sqlite_member(document: Any, key: str | int | None, matches: Any) -> ColumnElement[bool]:
    """Whether the JSON object or array `document` has a member (at `key`, or anywhere when
    `key` is None) for which `matches(member)` holds; a member has key, value, type, atom."""
    member = func.json_each(document).table_valued("key", "value", "type", "atom").alias()
    at_key = [] if key is None else [member.c.key == key]
    return select(literal(1)).select_from(member).where(*at_key, matches(member.c)).exists()


def _sqlite_container(node: Any, kind: str) -> Any:
    """The node's JSON text if it is of `kind`, else an empty one: json_each must never see
    a plain string, which is not JSON, whatever order SQLite evaluates conditions in."""
    return case((node.type == kind, node.value), else_="{}" if kind == "object" else "[]")


def _sqlite_is(node: Any, value: JSONValue, *, exact: bool) -> ColumnElement[bool]:
    """Whether a json_each row equals `value` (`exact`) or contains it (as jsonb's @>)."""
    if value is None:
        return node.type == "null"
    if isinstance(value, bool):
        return node.type == ("true" if value else "false")
    if isinstance(value, int | float):
        return and_(node.type.in_(("integer", "real")), node.atom == value)
    if isinstance(value, str):
        return and_(node.type == "text", node.atom == value)
    if isinstance(value, dict):
        document = _sqlite_container(node, "object")
        members = [
            _sqlite_member(document, key, lambda n, v=item: _sqlite_is(n, v, exact=exact))
            for key, item in value.items()
        ]
        if exact:
            members.append(_sqlite_size(document) == len(value))
        return and_(node.type == "object", *members)
    document = _sqlite_container(node, "array")
    if exact:
        elements = [
            _sqlite_member(document, index, lambda n, v=item: _sqlite_is(n, v, exact=True))
            for index, item in enumerate(value)
        ]
        elements.append(func.json_array_length(document) == len(value))
    else:
        elements = [
            _sqlite_member(document, None, lambda n, v=item: _sqlite_is(n, v, exact=False))
            for item in value
        ]
    return and_(node.type == "array", *elements)


def _sqlite_size(document: Any) -> Any:
    member = func.json_each(document).table_valued("key").alias()
    return select(func.count()).select_from(member).scalar_subquery()
