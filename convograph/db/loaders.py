"""Batch reads behind the per-request DataLoaders: one statement per batch, any batch size.

Each function takes a short-lived session and a list of keys, and returns one result per
key in key order, as a DataLoader's batch function must.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.conversations import Owner, owned_by
from convograph.db.tables import Branch, Conversation, Message


async def conversations_by_id(
    session: AsyncSession, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[Conversation | None]:
    statement = select(Conversation).where(Conversation.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    found = {row.id: row for row in await session.scalars(statement)}
    return [found.get(i) for i in ids]


async def branches_by_id(
    session: AsyncSession, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[Branch | None]:
    statement = (
        select(Branch)
        .join(Conversation, Conversation.id == Branch.conversation_id)
        .where(Branch.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    )
    found = {row.id: row for row in await session.scalars(statement)}
    return [found.get(i) for i in ids]


async def messages_by_id(
    session: AsyncSession, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[Message | None]:
    statement = (
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id.in_(ids), owned_by(owner))  # type: ignore[attr-defined]
    )
    found = {row.id: row for row in await session.scalars(statement)}
    return [found.get(i) for i in ids]


async def _counts(
    session: AsyncSession, column: Any, keys: Sequence[Any], *where: Any
) -> list[int]:
    statement = select(column, func.count()).where(column.in_(keys), *where).group_by(column)
    found: dict[Any, int] = dict((await session.execute(statement)).all())
    return [found.get(k, 0) for k in keys]


async def message_counts(session: AsyncSession, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Message.conversation_id, conversation_ids)


async def branch_counts(session: AsyncSession, conversation_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Branch.conversation_id, conversation_ids)


async def child_counts(session: AsyncSession, parent_ids: Sequence[uuid.UUID]) -> list[int]:
    return await _counts(session, Message.parent_id, parent_ids)


async def fork_counts(
    session: AsyncSession, owner: Owner, conversation_ids: Sequence[uuid.UUID]
) -> list[int]:
    return await _counts(
        session, Conversation.forked_from_conversation_id, conversation_ids, owned_by(owner)
    )


@dataclass(frozen=True)
class SiblingPosition:
    index: int
    count: int


async def sibling_positions(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
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
    session: AsyncSession, entity: Any, group: Any, windows: Sequence[RankWindow], *where: Any
) -> list[list[Any]]:
    """Windows of per-group lists ordered by (created_at, id), ranked in SQL."""
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    rank = (
        func.row_number()
        .over(partition_by=group, order_by=(entity.created_at, entity.id))
        .label("rank")
    )
    ranked = select(entity, rank).where(group.in_(keys), *where).subquery()
    row = aliased(entity, ranked)
    lo = min(w.lo for w in windows)
    hi = max(w.hi for w in windows)
    statement = (
        select(row, ranked.c.rank)
        .where(ranked.c.rank > lo, ranked.c.rank <= hi)
        .order_by(ranked.c.rank)
    )
    grouped: dict[uuid.UUID, list[tuple[int, Any]]] = {}
    for item, position in await session.execute(statement):
        grouped.setdefault(getattr(item, group.key), []).append((position - 1, item))
    return [
        [item for position, item in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]


async def branch_windows(
    session: AsyncSession, windows: Sequence[RankWindow]
) -> list[list[Branch]]:
    """Branches of conversations, oldest first."""
    return await _ranked_windows(session, Branch, Branch.conversation_id, windows)


async def child_windows(
    session: AsyncSession, windows: Sequence[RankWindow]
) -> list[list[Message]]:
    """Children of messages, in sibling order."""
    return await _ranked_windows(session, Message, Message.parent_id, windows)


async def fork_windows(
    session: AsyncSession, owner: Owner, windows: Sequence[RankWindow]
) -> list[list[Conversation]]:
    """Forks of conversations, oldest first."""
    return await _ranked_windows(
        session, Conversation, Conversation.forked_from_conversation_id, windows, owned_by(owner)
    )
