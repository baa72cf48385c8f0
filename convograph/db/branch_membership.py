"""Which branches' paths hold a message: those whose tip climbs to it (convograph.db.paths).

Batch reads behind DataLoaders (one statement per batch): every branch of the messages'
conversations that is deep enough is climbed once per depth asked about, with one
recursive CTE, in O(log depth) steps each, whatever the size of the messages' subtrees.
"""

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from convograph.db.loaders import RankWindow, among_keys
from convograph.db.paths import climb, starts_at
from convograph.db.readers import Prebuilt, Reader
from convograph.db.rows import StoredBranch, columns_of
from convograph.db.tables import Branch, Message


def _holdings(dialect: str) -> Any:
    """A subquery of (origin, conversation_id, branch_id): each message of the batch's
    `keys` with each branch whose path holds it."""
    origin = aliased(Message, name="origin")
    starts = (
        starts_at(Branch.id, Branch.tip_id, origin.depth)
        .join(origin, origin.conversation_id == Branch.conversation_id)
        .where(
            among_keys(origin.id, dialect),
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
        .where(path.c.depth == path.c.lo, among_keys(path.c.id, dialect))
        .subquery("holdings")
    )


@cache
def _counts_statement(dialect: str) -> Prebuilt:
    holdings = _holdings(dialect)
    return Prebuilt(
        select(holdings.c.origin, func.count().label("count")).group_by(holdings.c.origin)
    )


@cache
def _windows_statement(dialect: str) -> Prebuilt:
    """Each message's holding branches ranked oldest first (created_at, id); ranks
    lo < rank <= hi."""
    holdings = _holdings(dialect)
    rank = (
        func.row_number()
        .over(partition_by=holdings.c.origin, order_by=(Branch.created_at, Branch.id))
        .label("rank")
    )
    ranked = (
        select(Branch.__table__, holdings.c.origin, rank)  # type: ignore[attr-defined]
        .select_from(holdings)
        .join(
            Branch,
            (Branch.conversation_id == holdings.c.conversation_id)
            & (Branch.id == holdings.c.branch_id),
        )
        .subquery()
    )
    return Prebuilt(
        select(*columns_of(Branch, ranked), ranked.c.origin, ranked.c.rank)
        .where(ranked.c.rank > bindparam("lo"), ranked.c.rank <= bindparam("hi"))
        .order_by(ranked.c.origin, ranked.c.rank)
    )


async def holding_branch_counts(reader: Reader, message_ids: Sequence[uuid.UUID]) -> list[int]:
    counted = await reader.rows(_counts_statement(reader.dialect), {"keys": list(message_ids)})
    found = {row.origin: row.count for row in counted}
    return [found.get(i, 0) for i in message_ids]


async def holding_branch_windows(
    reader: Reader, windows: Sequence[RankWindow]
) -> list[list[StoredBranch]]:
    """Windows of the branches holding each message, oldest first (created_at, id)."""
    keys = list({w.key for w in windows if w.hi > w.lo})
    if not keys:
        return [[] for _ in windows]
    params = {"keys": keys, "lo": min(w.lo for w in windows), "hi": max(w.hi for w in windows)}
    grouped: dict[uuid.UUID, list[tuple[int, StoredBranch]]] = {}
    for branch in await reader.rows(_windows_statement(reader.dialect), params):
        grouped.setdefault(branch.origin, []).append((branch.rank - 1, branch))
    return [
        [branch for position, branch in grouped.get(w.key, []) if w.lo <= position < w.hi]
        for w in windows
    ]
