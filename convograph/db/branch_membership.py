"""Which branches' paths hold a message: those whose tip climbs to it (convograph.db.paths).

Batch reads behind DataLoaders (one statement per batch): every branch of the messages'
conversations that is deep enough is climbed once per depth asked about, with one
recursive CTE, in O(log depth) steps each, whatever the size of the messages' subtrees.
"""

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.loaders import RankWindow
from convograph.db.paths import climb, starts_at
from convograph.db.tables import Branch, Message


def _holdings() -> Any:
    """A subquery of (origin, conversation_id, branch_id): each message of the expanding
    `message_ids` with each branch whose path holds it."""
    message_ids: BindParameter[Any] = bindparam("message_ids", expanding=True)
    origin = aliased(Message, name="origin")
    starts = (
        starts_at(Branch.id, Branch.tip_id, origin.depth)
        .join(origin, origin.conversation_id == Branch.conversation_id)
        .where(
            origin.id.in_(message_ids),  # type: ignore[attr-defined]
            Branch.tip_depth >= origin.depth,  # type: ignore[operator]
        )
        # Messages of equal depth share one climb per branch.
        .distinct()
    )
    path = climb(starts.subquery("starts"))
    return (
        select(
            path.c.id.label("origin"),
            path.c.conversation_id,
            path.c.tag.label("branch_id"),
        )
        .where(path.c.depth == path.c.lo, path.c.id.in_(message_ids))
        .subquery("holdings")
    )


@cache
def _counts_statement() -> Any:
    holdings = _holdings()
    return select(holdings.c.origin, func.count()).group_by(holdings.c.origin)


@cache
def _ranked() -> Any:
    """Each message's holding branches with their rank, oldest first (created_at, id)."""
    holdings = _holdings()
    rank = (
        func.row_number()
        .over(partition_by=holdings.c.origin, order_by=(Branch.created_at, Branch.id))
        .label("rank")
    )
    return (
        select(Branch, holdings.c.origin, rank)
        .select_from(holdings)
        .join(
            Branch,
            (Branch.conversation_id == holdings.c.conversation_id)
            & (Branch.id == holdings.c.branch_id),
        )
        .subquery()
    )


async def holding_branch_counts(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
) -> list[int]:
    counted = await session.execute(_counts_statement(), {"message_ids": list(message_ids)})
    found: dict[uuid.UUID, int] = dict(counted.all())  # type: ignore[arg-type]
    return [found.get(i, 0) for i in message_ids]


async def holding_branch_windows(
    session: AsyncSession, windows: Sequence[RankWindow]
) -> list[list[Branch]]:
    """Windows of the branches holding each message, oldest first (created_at, id)."""
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    ranked = _ranked()
    row = aliased(Branch, ranked)
    statement = (
        select(row, ranked.c.origin, ranked.c.rank)
        .where(ranked.c.rank > min(w.lo for w in windows))
        .where(ranked.c.rank <= max(w.hi for w in windows))
        .order_by(ranked.c.origin, ranked.c.rank)
    )
    grouped: dict[uuid.UUID, list[tuple[int, Branch]]] = {}
    for branch, origin, position in await session.execute(statement, {"message_ids": keys}):
        grouped.setdefault(origin, []).append((position - 1, branch))
    return [
        [branch for position, branch in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]
