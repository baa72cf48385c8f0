"""Jump pointers: every message but a root points at one of its ancestors, so that the
ancestor at any depth is reached in O(log depth) steps (Myers' skew-binary scheme).

A message at depth d jumps to its ancestor at depth d - s, where s is the smallest term
of d written greedily as a sum of numbers 2^k - 1. It is the rule "a child of p jumps
where p's jump jumps if p's jump and its jump are equally long, else to p", so a new
message's pointer comes from its parent's in O(1) reads, and never changes afterwards.
To reach depth t from below, take the jump when it does not land above t, else the parent:
at most about 3 log2(d) steps.

A jump target is an ancestor: it is deleted only together with the subtree holding the
message, so the pointer needs no foreign key and never dangles.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar

Target = TypeVar("Target")


class Pointing(Protocol):
    """A message as far as its children's jumps are concerned."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def depth(self) -> int: ...

    @property
    def jump_id(self) -> uuid.UUID | None: ...


def jump_depth(depth: int) -> int:
    """The depth that a message at `depth` (> 0) jumps to."""
    rest, term = depth, 0
    while rest:
        term = (1 << ((rest + 1).bit_length() - 1)) - 1  # the largest 2^k - 1 <= rest
        rest -= term
    return depth - term


def jump_under(
    parent: Pointing | None, jump_of: Callable[[uuid.UUID], Target]
) -> tuple[uuid.UUID | Target | None, int | None]:
    """(jump_id, jump_depth) of a new child of `parent` (a root has neither).

    The target is the parent itself or the ancestor the parent's jump jumps to, which
    `jump_of(parent.jump_id)` gives: a lookup, or a SQL expression that reads it.
    """
    if parent is None:
        return None, None
    depth = jump_depth(parent.depth + 1)
    if depth == parent.depth:
        return parent.id, depth
    # Only a message deeper than 1 jumps past its parent, and it has a jump of its own.
    assert parent.jump_id is not None
    return jump_of(parent.jump_id), depth


class _Node(NamedTuple):
    id: uuid.UUID
    depth: int
    jump_id: uuid.UUID | None


def tree_jumps(
    messages: Iterable[tuple[uuid.UUID, uuid.UUID | None, int]],
) -> dict[uuid.UUID, tuple[uuid.UUID | None, int | None]]:
    """The (jump_id, jump_depth) of each (id, parent_id, depth) of a tree, parents first."""
    nodes: dict[uuid.UUID, _Node] = {}
    jumps: dict[uuid.UUID, tuple[uuid.UUID | None, int | None]] = {}
    for id, parent_id, depth in messages:
        parent = nodes[parent_id] if parent_id is not None else None
        jumps[id] = jump_id, _ = jump_under(parent, lambda target: nodes[target].jump_id)
        nodes[id] = _Node(id, depth, jump_id)
    return jumps


def fill_jumps(rows: Sequence[dict[str, Any]]) -> None:
    """Set "jump_id" and "jump_depth" of message rows (dicts keyed by column), parents first."""
    jumps = tree_jumps((row["id"], row["parent_id"], row["depth"]) for row in rows)
    for row in rows:
        row["jump_id"], row["jump_depth"] = jumps[row["id"]]
