"""Branch paths: the messages from a root down to a tip, climbed with a recursive CTE.

A message's depth is its parent's plus one, so a path holds exactly one message per
depth from 0 to the tip's depth: a window of a path is a depth range, known before the
query runs. Jump pointers (convograph.db.jump_pointers) take the climb from the tip to
the top of the window in O(log depth) steps; from there it walks parents down to the
window's low end. Whether a path holds a message is the same climb, to its depth.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    Uuid,
    bindparam,
    case,
    column,
    func,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.readers import Prebuilt, Reader, Statement
from convograph.db.rows import MESSAGE_COLUMNS, StoredMessage
from convograph.db.tables import Branch, Message

message = Message.__table__


@dataclass(frozen=True)
class PathWindow:
    """Messages at depths lo <= depth < hi of the path that ends at `tip_id`."""

    tip_id: uuid.UUID
    lo: int
    hi: int


# What a climb carries of each message it visits.
CLIMBED = (
    message.c.id,
    message.c.conversation_id,
    message.c.parent_id,
    message.c.depth,
    message.c.jump_id,
    message.c.jump_depth,
)


def _toward(node: Any, depth: Any) -> Any:
    """The next message on the way from `node` up to `depth`: its jump, unless the jump
    lands above `depth`, else its parent. A root's jump_depth is null: it is never
    climbed from."""
    return case((node.c.jump_depth >= depth, node.c.jump_id), else_=node.c.parent_id)


def _step_from(node: Any, next_id: Any) -> Any:
    """Conditions for the message `next_id` that a climb at `node` goes to."""
    # conversation_id keeps the climb on one shard when messages are distributed by it.
    return (message.c.conversation_id == node.c.conversation_id) & (message.c.id == next_id)


def climb(starts: Any) -> Any:
    """A recursive CTE of (tag, lo, hi, id, depth, ...) from each start message up to depth
    `lo` of its path, through depth `hi - 1` and every depth below it.

    `starts` has the columns tag (passed through), start_id, lo and hi. Above hi - 1 a
    step takes the jump unless it lands above hi - 1, so the rows above the window are
    O(log depth); the window's rows are those with depth < hi (the climb stops at lo).
    """
    seed = (
        select(starts.c.tag, starts.c.lo, starts.c.hi, *CLIMBED)
        .join_from(starts, message, message.c.id == starts.c.start_id)
        .where(message.c.depth >= starts.c.lo)
        .cte("climb", recursive=True)
    )
    below = seed.alias("below")
    step = select(below.c.tag, below.c.lo, below.c.hi, *CLIMBED).where(
        _step_from(below, _toward(below, below.c.hi - 1)), below.c.depth > below.c.lo
    )
    return seed.union_all(step)


def _tip_starts(windows: dict[uuid.UUID, tuple[int, int]]) -> Any:
    """Climb starts for one (lo, hi) window per tip, tagged by the tip."""
    # CASE maps and an IN list keep the statement's shape, and so its compiled form, cached.
    return select(
        message.c.id.label("tag"),
        message.c.id.label("start_id"),
        case({tip: lo for tip, (lo, _) in windows.items()}, value=message.c.id).label("lo"),
        case({tip: hi for tip, (_, hi) in windows.items()}, value=message.c.id).label("hi"),
    ).where(message.c.id.in_(list(windows)))


def window_starts(windows: Sequence[PathWindow]) -> Any:
    """Climb starts for the windows (on SQLite, which has no arrays to unnest): a tip's
    first window in one set of starts, its second (rare: two pages of one path in a
    request) in the next, and so on."""
    layers: list[dict[uuid.UUID, tuple[int, int]]] = []
    earlier: Counter[uuid.UUID] = Counter()
    for window in dict.fromkeys(windows):
        if earlier[window.tip_id] == len(layers):
            layers.append({})
        layers[earlier[window.tip_id]][window.tip_id] = (window.lo, window.hi)
        earlier[window.tip_id] += 1
    starts = [_tip_starts(layer) for layer in layers]
    if len(starts) == 1:
        return starts[0].subquery("starts")
    return union_all(*starts).subquery("starts")


def _window_rows(path: Any) -> Select[Any]:
    """The messages of climbed windows, tagged with their window, root first."""
    return (
        select(path.c.tag, path.c.lo, path.c.hi, *MESSAGE_COLUMNS)
        .join(
            message,
            (message.c.conversation_id == path.c.conversation_id) & (message.c.id == path.c.id),
        )
        .where(path.c.depth < path.c.hi)
        .order_by(path.c.tag, path.c.lo, path.c.hi, path.c.depth)
    )


@cache
def _windows_on_postgresql() -> Prebuilt:
    """One statement for any windows: the starts are three arrays, unnested row by row."""
    given = (
        func.unnest(
            bindparam("tips", type_=ARRAY(Uuid)),
            bindparam("los", type_=ARRAY(Integer)),
            bindparam("his", type_=ARRAY(Integer)),
        )
        .table_valued(column("tip", Uuid), column("lo", Integer), column("hi", Integer))
        .render_derived()
    )
    starts = select(
        given.c.tip.label("tag"), given.c.tip.label("start_id"), given.c.lo, given.c.hi
    ).subquery("starts")
    return Prebuilt(_window_rows(climb(starts)))


async def load_path_windows(
    reader: Reader, windows: Sequence[PathWindow]
) -> list[list[StoredMessage]]:
    """Every window's messages, root first, in one statement whatever the number of windows."""
    wanted = list(dict.fromkeys(w for w in windows if w.hi > w.lo))
    found: dict[PathWindow, list[StoredMessage]] = {w: [] for w in wanted}
    if wanted:
        for row in await reader.rows(*_windows_statement(reader.dialect, wanted)):
            found[PathWindow(row.tag, row.lo, row.hi)].append(row)
    return [found.get(w, []) for w in windows]


def _windows_statement(
    dialect: str, windows: list[PathWindow]
) -> tuple[Statement, dict[str, Any] | None]:
    if dialect != "postgresql":
        return _window_rows(climb(window_starts(windows))), None
    return _windows_on_postgresql(), {
        "tips": [w.tip_id for w in windows],
        "los": [w.lo for w in windows],
        "his": [w.hi for w in windows],
    }


def starts_at(tag: Any, start_id: Any, depth: Any) -> Any:
    """A select of climb starts that climb to `depth` only, to find what a path holds there."""
    return select(
        tag.label("tag"), start_id.label("start_id"), depth.label("lo"), (depth + 1).label("hi")
    )


@cache
def _holds_statement() -> Any:
    """Built once: the same statement every time, with the values bound."""
    depth = bindparam("depth", type_=Integer)
    starts = starts_at(message.c.id, message.c.id, depth).where(message.c.id == bindparam("tip_id"))
    path = climb(starts.subquery("starts"))
    return select(path.c.id).where(path.c.depth == depth)


async def path_holds(session: AsyncSession, tip_id: uuid.UUID, target: Message) -> bool:
    """Whether `target` lies on the path that ends at `tip_id`."""
    at_depth = await session.scalar(_holds_statement(), {"tip_id": tip_id, "depth": target.depth})
    return at_depth == target.id


@cache
def _latest_holding_statement() -> Any:
    """One search through the branches that may hold the target, the preferred one first
    and then latest first, each climbed to the target's depth, stopping at the first that
    holds it."""
    conversation_id = bindparam("conversation_id", type_=Uuid)
    depth = bindparam("depth", type_=Integer)
    target_id = bindparam("target_id", type_=Uuid)
    preferred_id = bindparam("preferred_id", type_=Uuid)
    latest_first = func.row_number().over(
        order_by=(
            case((Branch.id == preferred_id, 0), else_=1),
            Branch.updated_at.desc(),  # type: ignore[attr-defined]
            Branch.id.desc(),  # type: ignore[attr-defined]
        )
    )
    # A tip at the target's depth holds it only by being it: such branches are not climbed.
    candidates = (
        select(latest_first.label("k"), Branch.id.label("branch_id"), Branch.tip_id)
        .where(
            Branch.conversation_id == conversation_id,  # type: ignore[arg-type]
            (Branch.tip_depth > depth) | (Branch.tip_id == target_id),  # type: ignore[operator]
        )
        .cte("candidates")
    )
    seed = (
        select(candidates.c.k, *CLIMBED)
        .join(
            message,
            (message.c.conversation_id == conversation_id) & (message.c.id == candidates.c.tip_id),
        )
        .where(candidates.c.k == 1)
        .cte("search", recursive=True)
    )
    below = seed.alias("below")
    climbing = below.c.depth > depth
    next_tip = select(candidates.c.tip_id).where(candidates.c.k == below.c.k + 1)
    step = select(case((climbing, below.c.k), else_=below.c.k + 1), *CLIMBED).where(
        _step_from(
            below, case((climbing, _toward(below, depth)), else_=next_tip.scalar_subquery())
        ),
        # At the target's depth: found, or on to the next candidate's tip.
        climbing | (below.c.id != target_id),
    )
    search = seed.union_all(step)
    # Scalar subqueries, each run once: no join for the planner to get wrong when it
    # plans for any conversation (a prepared statement's generic plan).
    found = select(search.c.k).where(search.c.depth == depth, search.c.id == target_id)
    branch_id = select(candidates.c.branch_id).where(candidates.c.k == found.scalar_subquery())
    return select(Branch).where(
        Branch.conversation_id == conversation_id,  # type: ignore[arg-type]
        Branch.id == branch_id.scalar_subquery(),  # type: ignore[arg-type]
    )


async def latest_branch_holding(
    session: AsyncSession, target: Message, preferred_id: uuid.UUID | None = None
) -> Branch | None:
    """Branch `preferred_id` if its path holds `target`, else the most recently updated
    branch whose path does.

    Whatever the size of the target's subtree: a pass over the conversation's branch rows,
    then O(log depth) steps for each branch ending deeper than the target, the preferred
    one first and then latest first, up to the first that holds it. One statement.
    """
    values = {
        "conversation_id": target.conversation_id,
        "depth": target.depth,
        "target_id": target.id,
        "preferred_id": preferred_id,
    }
    return (await session.scalars(_latest_holding_statement(), values)).first()


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
