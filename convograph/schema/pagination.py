"""Relay connections of our own: `edges`, `nodes`, `pageInfo` and `totalCount`."""

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from convograph.schema.request_errors import BadUserInput

T = TypeVar("T")


@strawberry.type(description="Where a page lies in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a connection and its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


# How many items the whole list holds: known already, or counted only if asked for.
Total = int | Callable[[], Awaitable[int]]


@strawberry.type(description="A page of a list, paged in SQL.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total: strawberry.Private[Total]

    @strawberry.field(description="Items in the whole list, not the page.")
    async def total_count(self) -> int:
        return self.total if isinstance(self.total, int) else await self.total()

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(
        cls,
        nodes: Sequence[T],
        cursor: Callable[[T], str],
        *,
        total_count: Total,
        has_next_page: bool,
        has_previous_page: bool,
    ) -> "Connection[T]":
        edges = [Edge(cursor=cursor(node), node=node) for node in nodes]
        return cls(
            edges=edges,
            total=total_count,
            page_info=PageInfo(
                has_next_page=has_next_page,
                has_previous_page=has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode()


def decode_cursor(cursor: str, argument: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(f"`{argument}` is not a cursor this API issued.") from None


INDEX = "i"


def index_cursor(index: int) -> str:
    return encode_cursor(INDEX, str(index))


# Positions this API hands out fit in 18 digits; SQL offsets stop at 2**63.
MAX_INDEX_DIGITS = 18


def decode_index(cursor: str, argument: str) -> int:
    parts = decode_cursor(cursor, argument)
    if (
        len(parts) != 2
        or parts[0] != INDEX
        or not (parts[1].isascii() and parts[1].isdecimal())
        or len(parts[1]) > MAX_INDEX_DIGITS
    ):
        raise BadUserInput(f"`{argument}` is not a cursor of this list.")
    return int(parts[1])


@dataclass(frozen=True)
class PageArgs:
    """The Relay arguments of one connection field, checked against the size limit."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def checked(self, maximum: int) -> "PageArgs":
        for name in ("first", "last"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= maximum:
                raise BadUserInput(f"`{name}` must be between 0 and {maximum}, got {value}.")
        return self


@dataclass(frozen=True)
class IndexWindow:
    """Positions lo <= i < hi of a list of `total` items."""

    lo: int
    hi: int
    total: int

    @classmethod
    def of(cls, args: PageArgs, total: int, default_size: int) -> "IndexWindow":
        lo, hi = 0, total
        if args.after is not None:
            lo = max(lo, decode_index(args.after, "after") + 1)
        if args.before is not None:
            hi = min(hi, decode_index(args.before, "before"))
        if args.first is not None:
            hi = min(hi, lo + args.first)
        if args.last is not None:
            lo = max(lo, hi - args.last)
        if args.first is None and args.last is None:
            hi = min(hi, lo + default_size)
        return cls(lo, max(lo, hi), total)

    def connection(self, nodes: Sequence[T]) -> Connection[T]:
        """The page, given its nodes in list order starting at position `lo`."""
        positions = {id(node): self.lo + offset for offset, node in enumerate(nodes)}
        return Connection.of(
            nodes,
            lambda node: index_cursor(positions[id(node)]),
            total_count=self.total,
            has_next_page=self.hi < self.total,
            has_previous_page=self.lo > 0,
        )
