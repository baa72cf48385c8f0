"""Branch paths: the messages from a root down to a tip, walked with a recursive CTE.

A message's depth is its parent's plus one, so a path holds exactly one message per
depth from 0 to the tip's depth: a window of a path is a depth range, known before the
query runs, and the walk stops as soon as it is below the range.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.readers import Reader
from convograph.db.rows import MESSAGE_COLUMNS, StoredMessage
from convograph.db.tables import Branch, Message

message = Message.__table__


@dataclass(frozen=True)
class PathWindow:
    """Messages at depths lo <= depth < hi of the path that ends at `tip_id`."""

    tip_id: uuid.UUID
    lo: int
    hi: int


def _walk_up(tips: dict[uuid.UUID, int]):  # type: ignore[no-untyped-def]
    """A recursive CTE of (tip, id, depth) from each tip up to depth `tips[tip]`."""
    lowest = case(tips, value=message.c.id, else_=literal(0))
    seed = (
        select(
            message.c.id.label("tip"),
            message.c.id,
            message.c.conversation_id,
            message.c.parent_id,
            message.c.depth,
            lowest.label("lo"),
        )
        .where(message.c.id.in_(list(tips)))
        .cte("path", recursive=True)
    )
    above = seed.alias("above")
    step = select(
        above.c.tip,
        message.c.id,
        message.c.conversation_id,
        message.c.parent_id,
        message.c.depth,
        above.c.lo,
    ).where(
        # conversation_id keeps the walk on one shard when messages are distributed by it.
        message.c.conversation_id == above.c.conversation_id,
        message.c.id == above.c.parent_id,
        above.c.depth > above.c.lo,
    )
    return seed.union_all(step)


async def load_path_windows(
    reader: Reader, windows: Sequence[PathWindow]
) -> list[list[StoredMessage]]:
    """Every window's messages, root first, in one statement whatever the number of windows."""
    spans: dict[uuid.UUID, tuple[int, int]] = {}
    for window in windows:
        if window.hi > window.lo:
            lo, hi = spans.get(window.tip_id, (window.lo, window.hi))
            spans[window.tip_id] = (min(lo, window.lo), max(hi, window.hi))
    by_tip: dict[uuid.UUID, list[StoredMessage]] = {tip: [] for tip in spans}
    if spans:
        path = _walk_up({tip: lo for tip, (lo, _) in spans.items()})
        highest = case({tip: hi for tip, (_, hi) in spans.items()}, value=path.c.tip)
        statement = (
            select(path.c.tip, *MESSAGE_COLUMNS)
            .join(message, message.c.id == path.c.id)
            .where(path.c.depth >= path.c.lo, path.c.depth < highest)
            .order_by(path.c.tip, path.c.depth)
        )
        for row in await reader.rows(statement):
            by_tip[row.tip].append(row)
    return [[m for m in by_tip.get(w.tip_id, []) if w.lo <= m.depth < w.hi] for w in windows]


async def path_holds(session: AsyncSession, tip_id: uuid.UUID, target: Message) -> bool:
    """Whether `target` lies on the path that ends at `tip_id`."""
    path = _walk_up({tip_id: target.depth})
    statement = select(path.c.id).where(path.c.depth == target.depth)
    return (await session.scalar(statement)) == target.id


def subtree(conversation_id: uuid.UUID, top_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """A recursive CTE of the ids of `top_id` and all its descendants."""
    seed = (
        select(message.c.id, message.c.conversation_id)
        .where(message.c.conversation_id == conversation_id, message.c.id == top_id)
        .cte("subtree", recursive=True)
    )
    below = seed.alias("below")
    return seed.union_all(
        select(message.c.id, message.c.conversation_id).where(
            # conversation_id keeps the walk on one shard, and in the siblings index.
            message.c.conversation_id == below.c.conversation_id,
            message.c.parent_id == below.c.id,
        )
    )


async def latest_branch_holding(session: AsyncSession, target: Message) -> Branch | None:
    """The most recently updated branch whose path holds `target`: one whose tip is in its subtree."""
    below = subtree(target.conversation_id, target.id)
    statement = (
        select(Branch)
        .where(
            Branch.conversation_id == target.conversation_id,
            Branch.tip_id.in_(select(below.c.id)),  # type: ignore[union-attr]
        )
        .order_by(Branch.updated_at.desc(), Branch.id.desc())  # type: ignore[attr-defined]
        .limit(1)
    )
    return (await session.scalars(statement)).first()
