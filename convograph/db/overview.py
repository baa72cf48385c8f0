"""The conversations overview: counted, filtered and paged by keyset in one order."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Uuid,
    bindparam,
    func,
    select,
    tuple_,
)

from convograph.db.access import Owner, owned_by, owned_by_parameter
from convograph.db.filters import ConversationFilter, filter_conditions
from convograph.db.readers import Prebuilt, Reader, Statement
from convograph.db.rows import CONVERSATION_COLUMNS, StoredConversation
from convograph.db.tables import Conversation, UTCDateTime


class ConversationOrder(Enum):
    CREATED_AT_DESC = ("created_at", True)
    CREATED_AT_ASC = ("created_at", False)
    UPDATED_AT_DESC = ("updated_at", True)
    UPDATED_AT_ASC = ("updated_at", False)

    @property
    def column(self) -> str:
        return self.value[0]

    @property
    def descending(self) -> bool:
        return self.value[1]


@dataclass(frozen=True)
class ConversationKey:
    """A position in an ordered overview: the sort timestamp and the id that breaks ties."""

    at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class ConversationPageRequest:
    order: ConversationOrder
    limit: int
    after: ConversationKey | None = None
    before: ConversationKey | None = None
    offset: int = 0
    from_end: bool = False
    ids: Sequence[uuid.UUID] | None = None
    filter: ConversationFilter | None = None


def _overview_filter(
    reader: Reader,
    owner: Owner,
    ids: Sequence[uuid.UUID] | None,
    conversation_filter: ConversationFilter | None,
) -> list[ColumnElement[bool]]:
    conditions = [owned_by(owner)]
    if ids is not None:
        conditions.append(Conversation.id.in_(list(ids)))  # type: ignore[attr-defined]
    if conversation_filter is not None:
        conditions.extend(filter_conditions(conversation_filter, reader.dialect))
    return conditions


async def count_conversations(
    reader: Reader,
    owner: Owner,
    ids: Sequence[uuid.UUID] | None,
    conversation_filter: ConversationFilter | None = None,
) -> int:
    conditions = _overview_filter(reader, owner, ids, conversation_filter)
    statement = select(func.count().label("count")).select_from(Conversation).where(*conditions)
    [row] = await reader.rows(statement)
    return int(row.count)


def _page_select(
    order: ConversationOrder,
    conditions: list[ColumnElement[bool]],
    after: Any,
    before: Any,
    from_end: bool,
    offset: Any,
    limit: Any,
) -> Select[Any]:
    """A page of the overview; the bounds (key tuples), offset and limit are values or
    bound parameters."""
    at = getattr(Conversation, order.column)
    key = tuple_(at, Conversation.id)
    # In a descending order "after" means smaller keys.
    if after is not None:
        conditions.append(key < after if order.descending else key > after)
    if before is not None:
        conditions.append(key > before if order.descending else key < before)
    descending = order.descending != from_end
    ordering = (
        [at.desc(), Conversation.id.desc()] if descending else [at.asc(), Conversation.id.asc()]
    )  # type: ignore[attr-defined]
    return (
        select(*CONVERSATION_COLUMNS)
        .where(*conditions)
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    )


def _key_parameters(name: str) -> Any:
    return tuple_(bindparam(f"{name}_at", type_=UTCDateTime), bindparam(f"{name}_id", type_=Uuid))


@cache
def _plain_page(
    order: ConversationOrder, scoped: bool, after: bool, before: bool, from_end: bool
) -> Prebuilt:
    """The overview without ids or a filter, the common request: built once per shape."""
    return Prebuilt(
        _page_select(
            order,
            [owned_by_parameter(scoped)],
            _key_parameters("after") if after else None,
            _key_parameters("before") if before else None,
            from_end,
            bindparam("offset"),
            bindparam("limit"),
        )
    )


def _page_statement(
    reader: Reader, owner: Owner, request: ConversationPageRequest
) -> tuple[Statement, dict[str, Any] | None]:
    if request.ids is None and request.filter is None:
        after, before = request.after, request.before
        statement = _plain_page(
            request.order,
            owner is not None,
            after is not None,
            before is not None,
            request.from_end,
        )
        params: dict[str, Any] = {"offset": request.offset, "limit": request.limit + 1}
        if owner is not None:
            params["owner"] = owner
        for name, key in (("after", after), ("before", before)):
            if key is not None:
                params |= {f"{name}_at": key.at, f"{name}_id": key.id}
        return statement, params
    bound = {
        name: tuple_(key.at, key.id) if key is not None else None
        for name, key in (("after", request.after), ("before", request.before))
    }
    conditions = _overview_filter(reader, owner, request.ids, request.filter)
    return _page_select(
        request.order,
        conditions,
        bound["after"],
        bound["before"],
        request.from_end,
        request.offset,
        request.limit + 1,
    ), None


async def page_conversations(
    reader: Reader, owner: Owner, request: ConversationPageRequest
) -> tuple[list[StoredConversation], bool]:
    """One page in the requested order, and whether more rows lie beyond it.

    `from_end` pages backwards (GraphQL `last`): rows are read in reverse order and
    handed back in the requested one.
    """
    statement, params = _page_statement(reader, owner, request)
    rows: list[StoredConversation] = list(await reader.rows(statement, params))
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.from_end:
        rows.reverse()
    return rows, more
