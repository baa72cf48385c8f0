"""Batch reads behind the per-request DataLoaders: one statement per batch, any batch size.

Each function takes a Reader (a loader's short-lived connection, or a unit of work's
session) and a list of keys, and returns one result per key in key order, as a DataLoader's
batch function must. Rows are named tuples (`convograph.db.rows`), never ORM objects.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, and_, any_, bindparam, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel

from convograph.db.access import Owner, owned_by_parameter
from convograph.db.readers import Prebuilt, Reader
from convograph.db.rows import (
    StoredBranch,
    StoredConversation,
    StoredMessage,
    columns_of,
)
from convograph.db.tables import Branch, Conversation, Message

# Statements are built once per shape, with the keys of a batch as one parameter.


def among_keys(column: Any, dialect: str) -> ColumnElement[bool]:
    """`column` is one of the batch's keys (the `keys` parameter): one array parameter on
    PostgreSQL, an IN list on SQLite."""
    if dialect == "postgresql":
        return column == any_(bindparam("keys", type_=ARRAY(column.type)))
    return column.in_(bindparam("keys", expanding=True))


def _params(keys: Sequence[Any], owner: Owner) -> dict[str, Any]:
    return {"keys": list(keys)} | ({"owner": owner} if owner is not None else {})


def _in_key_order(rows: Any, ids: Sequence[uuid.UUID]) -> list[Any]:
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


@cache
def _rows_by_id(model: type[SQLModel], dialect: str, scoped: bool) -> Prebuilt:
    statement = select(*columns_of(model)).where(
        among_keys(model.id, dialect), owned_by_parameter(scoped)
    )  # type: ignore[attr-defined]
    if model is not Conversation:
        statement = statement.join(Conversation, Conversation.id == model.conversation_id)  # type: ignore[attr-defined]
    return Prebuilt(statement)


async def _by_id(
    reader: Reader, model: type[SQLModel], owner: Owner, ids: Sequence[uuid.UUID]
) -> list[Any]:
    statement = _rows_by_id(model, reader.dialect, owner is not None)
    return _in_key_order(await reader.rows(statement, _params(ids, owner)), ids)


async def conversations_by_id(
    reader: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredConversation | None]:
    return await _by_id(reader, Conversation, owner, ids)


async def branches_by_id(
    reader: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredBranch | None]:
    return await _by_id(reader, Branch, owner, ids)


async def messages_by_id(
    reader: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredMessage | None]:
    return await _by_id(reader, Message, owner, ids)


@cache
def _count_per(model: type[SQLModel], group: str, dialect: str, scoped: bool) -> Prebuilt:
    column = getattr(model, group)
    statement = (
        select(column.label("key"), func.count().label("count"))
        .where(among_keys(column, dialect))
        .group_by(column)
    )
    if scoped:
        statement = statement.where(owned_by_parameter(scoped))
    return Prebuilt(statement)


async def _counts(
    reader: Reader, model: type[SQLModel], group: str, keys: Sequence[Any], owner: Owner = None
) -> list[int]:
    statement = _count_per(model, group, reader.dialect, owner is not None)
    found = {row.key: row.count for row in await reader.rows(statement, _params(keys, owner))}
    return [found.get(k, 0) for k in keys]


async def message_counts(reader: Reader, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(reader, Message, "conversation_id", conversation_ids)


async def branch_counts(reader: Reader, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(reader, Branch, "conversation_id", conversation_ids)


async def child_counts(reader: Reader, parent_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(reader, Message, "parent_id", parent_ids)


async def fork_counts(
    reader: Reader, owner: Owner, conversation_ids: Sequence[uuid.UUID]
) -> list[int]:
    return await _counts(
        reader, Conversation, "forked_from_conversation_id", conversation_ids, owner
    )


@dataclass(frozen=True)
class SiblingPosition:
    index: int
    count: int


@cache
def _sibling_positions(dialect: str) -> Prebuilt:
    target = aliased(Message, name="target")
    sibling = aliased(Message, name="sibling")
    same_parent = or_(
        sibling.parent_id == target.parent_id,
        and_(sibling.parent_id.is_(None), target.parent_id.is_(None)),  # type: ignore[union-attr]
    )
    earlier = or_(
        sibling.created_at < target.created_at,
        and_(sibling.created_at == target.created_at, sibling.id < target.id),
    )
    return Prebuilt(
        select(
            target.id.label("id"),
            func.count(sibling.id).filter(earlier).label("index"),
            func.count(sibling.id).label("count"),
        )
        .join(
            sibling,
            and_(sibling.conversation_id == target.conversation_id, same_parent),
        )
        .where(among_keys(target.id, dialect))
        .group_by(target.id)
    )


async def sibling_positions(
    reader: Reader, message_ids: Sequence[uuid.UUID]
) -> list[SiblingPosition | None]:
    """Each message's 0-based rank among its parent's children (roots: the conversation's
    roots) in creation order, and how many there are."""
    rows = await reader.rows(_sibling_positions(reader.dialect), _params(message_ids, None))
    found = {row.id: SiblingPosition(row.index, row.count) for row in rows}
    return [found.get(i) for i in message_ids]


@dataclass(frozen=True)
class RankWindow:
    """Rows lo <= rank < hi (0-based) of one group of an ordered list."""

    key: uuid.UUID
    lo: int
    hi: int


@cache
def _ranked(model: type[SQLModel], group: str, dialect: str, scoped: bool) -> Prebuilt:
    """Per-group lists ordered by (created_at, id), ranked in SQL; ranks lo < rank <= hi."""
    column = getattr(model, group)
    rank = (
        func.row_number()
        .over(partition_by=column, order_by=(model.created_at, model.id))  # type: ignore[attr-defined]
        .label("rank")
    )
    ranked = (
        select(model.__table__, rank)  # type: ignore[attr-defined]
        .where(among_keys(column, dialect), owned_by_parameter(scoped))
        .subquery()
    )
    return Prebuilt(
        select(*columns_of(model, ranked), ranked.c.rank)
        .where(ranked.c.rank > bindparam("lo"), ranked.c.rank <= bindparam("hi"))
        .order_by(ranked.c.rank)
    )


async def _ranked_windows(
    reader: Reader,
    model: type[SQLModel],
    group: str,
    windows: Sequence[RankWindow],
    owner: Owner = None,
) -> list[list[Any]]:
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    statement = _ranked(model, group, reader.dialect, owner is not None)
    params = _params(keys, owner) | {
        "lo": min(w.lo for w in windows),
        "hi": max(w.hi for w in windows),
    }
    grouped: dict[uuid.UUID, list[tuple[int, Any]]] = {}
    for item in await reader.rows(statement, params):
        grouped.setdefault(getattr(item, group), []).append((item.rank - 1, item))
    return [
        [item for position, item in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]


async def branch_windows(reader: Reader, windows: Sequence[RankWindow]) -> list[list[StoredBranch]]:
    """Branches of conversations, oldest first."""
    return await _ranked_windows(reader, Branch, "conversation_id", windows)


async def child_windows(reader: Reader, windows: Sequence[RankWindow]) -> list[list[StoredMessage]]:
    """Children of messages, in sibling order."""
    return await _ranked_windows(reader, Message, "parent_id", windows)


async def tree_windows(reader: Reader, windows: Sequence[RankWindow]) -> list[list[StoredMessage]]:
    """Every message of conversations, in creation order: a parent comes before its replies
    unless an import gave it a later time."""
    return await _ranked_windows(reader, Message, "conversation_id", windows)


async def fork_windows(
    reader: Reader, owner: Owner, windows: Sequence[RankWindow]
) -> list[list[StoredConversation]]:
    """Forks of conversations, oldest first."""
    return await _ranked_windows(
        reader, Conversation, "forked_from_conversation_id", windows, owner
    )
