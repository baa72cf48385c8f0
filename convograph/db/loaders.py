"""Batch reads behind the per-request DataLoaders: one statement per batch, any batch size.

Each function takes a short-lived connection (or a unit of work's session) and a list of
keys, and returns one result per key in key order, as a DataLoader's batch function must.
Rows come back as Core rows (`convograph.db.rows`), never as ORM objects.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel

from convograph.db.conversations import Owner, owned_by
from convograph.db.rows import (
    BRANCH_COLUMNS,
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    Reader,
    StoredBranch,
    StoredConversation,
    StoredMessage,
    columns_of,
)
from convograph.db.tables import Branch, Conversation, Message


def _in_key_order(rows: Any, ids: Sequence[uuid.UUID]) -> list[Any]:
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


async def conversations_by_id(
    session: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredConversation | None]:
    statement = select(*CONVERSATION_COLUMNS).where(Conversation.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    return _in_key_order(await session.execute(statement), ids)


async def branches_by_id(
    session: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredBranch | None]:
    statement = (
        select(*BRANCH_COLUMNS)
        .join(Conversation, Conversation.id == Branch.conversation_id)
        .where(Branch.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    )
    return _in_key_order(await session.execute(statement), ids)


async def messages_by_id(
    session: Reader, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[StoredMessage | None]:
    statement = (
        select(*MESSAGE_COLUMNS)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    )
    return _in_key_order(await session.execute(statement), ids)


async def _counts(session: Reader, column: Any, keys: Sequence[Any], *where: Any) -> list[int]:
    statement = select(column, func.count()).where(column.in_(keys), *where).group_by(column)
    found: dict[Any, int] = dict((await session.execute(statement)).all())  # type: ignore[arg-type]
    return [found.get(k, 0) for k in keys]


async def message_counts(session: Reader, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Message.conversation_id, conversation_ids)


async def branch_counts(session: Reader, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Branch.conversation_id, conversation_ids)


async def child_counts(session: Reader, parent_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Message.parent_id, parent_ids)


async def fork_counts(
    session: Reader, owner: Owner, conversation_ids: Sequence[uuid.UUID]
) -> list[int]:
    return await _counts(
        session, Conversation.forked_from_conversation_id, conversation_ids, owned_by(owner)
    )


@dataclass(frozen=True)
class SiblingPosition:
    index: int
    count: int


async def sibling_positions(
    session: Reader, message_ids: Sequence[uuid.UUID]
) -> list[SiblingPosition | None]:
    """Each message's 0-based rank among its parent's children (roots: the conversation's
    roots) in creation order, and how many there are."""
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
    statement = (
        select(
            target.id,
            func.count(sibling.id).filter(earlier),
            func.count(sibling.id),
        )
        .join(
            sibling,
            and_(sibling.conversation_id == target.conversation_id, same_parent),
        )
        .where(target.id.in_(message_ids))  # type: ignore[attr-defined]
        .group_by(target.id)
    )
    found = {
        message_id: SiblingPosition(index, count)
        for message_id, index, count in (await session.execute(statement))
    }
    return [found.get(i) for i in message_ids]


@dataclass(frozen=True)
class RankWindow:
    """Rows lo <= rank < hi (0-based) of one group of an ordered list."""

    key: uuid.UUID
    lo: int
    hi: int


async def _ranked_windows(
    session: Reader,
    entity: type[SQLModel],
    group: Any,
    windows: Sequence[RankWindow],
    *where: Any,
) -> list[list[Any]]:
    """Windows of per-group lists ordered by (created_at, id), ranked in SQL."""
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    rank = (
        func.row_number()
        .over(partition_by=group, order_by=(entity.created_at, entity.id))  # type: ignore[attr-defined]
        .label("rank")
    )
    ranked = select(entity.__table__, rank).where(group.in_(keys), *where).subquery()  # type: ignore[attr-defined]
    lo = min(w.lo for w in windows)
    hi = max(w.hi for w in windows)
    statement = (
        select(*columns_of(entity, ranked), ranked.c.rank)
        .where(ranked.c.rank > lo, ranked.c.rank <= hi)
        .order_by(ranked.c.rank)
    )
    grouped: dict[uuid.UUID, list[tuple[int, Any]]] = {}
    for item in await session.execute(statement):
        grouped.setdefault(getattr(item, group.key), []).append((item.rank - 1, item))
    return [
        [item for position, item in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]


async def branch_windows(
    session: Reader, windows: Sequence[RankWindow]
) -> list[list[StoredBranch]]:
    """Branches of conversations, oldest first."""
    return await _ranked_windows(session, Branch, Branch.conversation_id, windows)


async def child_windows(
    session: Reader, windows: Sequence[RankWindow]
) -> list[list[StoredMessage]]:
    """Children of messages, in sibling order."""
    return await _ranked_windows(session, Message, Message.parent_id, windows)


async def fork_windows(
    session: Reader, owner: Owner, windows: Sequence[RankWindow]
) -> list[list[StoredConversation]]:
    """Forks of conversations, oldest first."""
    return await _ranked_windows(
        session, Conversation, Conversation.forked_from_conversation_id, windows, owned_by(owner)
    )
