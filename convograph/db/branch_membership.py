"""Which branches' paths hold a message: exactly those whose tip lies in its subtree.

Batch reads behind DataLoaders (one statement per batch): every message's subtree is
walked down with one recursive CTE, tagged with the message it started from.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from convograph.db.loaders import RankWindow
from convograph.db.readers import Reader
from convograph.db.rows import StoredBranch, columns_of
from convograph.db.tables import Branch, Message

message = Message.__table__


def _subtrees(message_ids: Sequence[uuid.UUID]) -> Any:
    """A recursive CTE of (origin, id, conversation_id): each origin's subtree, itself included."""
    seed = (
        select(message.c.id.label("origin"), message.c.id, message.c.conversation_id).where(
            message.c.id.in_(list(message_ids))
        )
    ).cte("subtree", recursive=True)
    below = seed.alias("below")
    return seed.union_all(
        select(below.c.origin, message.c.id, message.c.conversation_id).where(
            # conversation_id keeps the walk on one shard when messages are distributed by it.
            message.c.conversation_id == below.c.conversation_id,
            message.c.parent_id == below.c.id,
        )
    )


def _holding(subtree: Any) -> Any:
    return (subtree.c.id == Branch.tip_id) & (subtree.c.conversation_id == Branch.conversation_id)


async def holding_branch_counts(session: Reader, message_ids: Sequence[uuid.UUID]) -> list[int]:
    subtree = _subtrees(message_ids)
    statement = (
        select(subtree.c.origin, func.count().label("count"))
        .select_from(subtree)
        .join(Branch, _holding(subtree))
        .group_by(subtree.c.origin)
    )
    found: dict[uuid.UUID, int] = {row.origin: row.count for row in await session.rows(statement)}
    return [found.get(i, 0) for i in message_ids]


async def holding_branch_windows(
    session: Reader, windows: Sequence[RankWindow]
) -> list[list[StoredBranch]]:
    """Windows of the branches holding each message, oldest first (created_at, id)."""
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    subtree = _subtrees(keys)
    rank = (
        func.row_number()
        .over(partition_by=subtree.c.origin, order_by=(Branch.created_at, Branch.id))
        .label("rank")
    )
    ranked = (
        select(Branch, subtree.c.origin, rank)
        .select_from(subtree)
        .join(Branch, _holding(subtree))
        .subquery()
    )
    statement = (
        select(*columns_of(Branch, ranked), ranked.c.origin, ranked.c.rank)
        .where(ranked.c.rank > min(w.lo for w in windows))
        .where(ranked.c.rank <= max(w.hi for w in windows))
        .order_by(ranked.c.origin, ranked.c.rank)
    )
    grouped: dict[uuid.UUID, list[tuple[int, StoredBranch]]] = {}
    for branch in await session.rows(statement):
        grouped.setdefault(branch.origin, []).append((branch.rank - 1, branch))
    return [
        [branch for position, branch in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]
