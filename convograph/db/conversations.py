"""Conversation rows: create, lock, list, switch branch, delete."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    Uuid,
    bindparam,
    delete,
    func,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.errors import InvalidInput, NotFound
from convograph.db.events import EventKind, record_event
from convograph.db.filters import ConversationFilter, filter_conditions
from convograph.db.merge_patch import merge_patch
from convograph.db.readers import Prebuilt, Reader, Statement
from convograph.db.rows import CONVERSATION_COLUMNS, StoredConversation
from convograph.db.tables import Branch, Conversation, Message, UTCDateTime, utcnow

Owner = str | None
"""The subject whose conversations a request may see; None sees every owner's."""


def owned_by(owner: Owner) -> ColumnElement[bool]:
    return Conversation.owner == owner if owner is not None else Conversation.id.is_not(None)  # type: ignore[attr-defined]


def owned_by_parameter(scoped: bool) -> ColumnElement[bool]:
    """`owned_by` for a statement built once: the owner is its `owner` parameter, and an
    admin's statement (not scoped) has no condition."""
    return Conversation.owner == bindparam("owner") if scoped else true()  # type: ignore[return-value]


async def create_conversation(
    session: AsyncSession, owner: str, title: str | None, metadata: dict[str, Any]
) -> Conversation:
    now = utcnow()
    conversation = Conversation(
        owner=owner, title=title, meta=metadata, created_at=now, updated_at=now
    )
    branch = Branch(conversation_id=conversation.id, created_at=now, updated_at=now)
    conversation.current_branch_id = branch.id
    session.add(conversation)
    await session.flush()
    session.add(branch)
    await session.flush()
    await record_event(session, conversation, EventKind.CONVERSATION_CREATED, branch_id=branch.id)
    return conversation


async def lock_conversation(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID, field: str
) -> Conversation:
    """The conversation, locked for this transaction so writers to it take turns."""
    statement = (
        select(Conversation)
        .where(Conversation.id == conversation_id, owned_by(owner))
        .with_for_update()
    )
    conversation = (await session.scalars(statement)).first()
    if conversation is None:
        raise NotFound(f"No conversation with id {conversation_id}.", field)
    return conversation


Member = TypeVar("Member", Message, Branch)


async def member_of(
    session: AsyncSession,
    owner: Owner,
    conversation: Conversation,
    table: type[Member],
    member_id: uuid.UUID,
    field: str,
) -> Member:
    """A message or branch of `conversation`.

    One of another conversation is invalid input if the caller may see that
    conversation, and unknown if not: an id never tells its existence to a stranger.
    """
    kind = table.__tablename__.capitalize()  # type: ignore[attr-defined]
    member = await session.get(table, member_id)
    if member is not None and member.conversation_id != conversation.id:
        visible = await session.scalar(
            select(Conversation.id).where(
                Conversation.id == member.conversation_id, owned_by(owner)
            )
        )
        if visible is not None:
            raise InvalidInput(f"{kind} {member_id} belongs to another conversation.", field)
        member = None
    if member is None:
        raise NotFound(f"No {kind.lower()} with id {member_id}.", field)
    return member


async def lock_member(
    session: AsyncSession, owner: Owner, table: type[Member], member_id: uuid.UUID, field: str
) -> tuple[Conversation, Member]:
    """A message or branch and its conversation, locked; unknown and foreign ids look alike."""
    conversation_id = await session.scalar(
        select(table.conversation_id)
        .join(Conversation, Conversation.id == table.conversation_id)
        .where(table.id == member_id, owned_by(owner))
    )
    kind = table.__tablename__  # type: ignore[attr-defined]
    if conversation_id is None:
        raise NotFound(f"No {kind} with id {member_id}.", field)
    conversation = await lock_conversation(session, owner, conversation_id, field)
    return conversation, await member_of(session, owner, conversation, table, member_id, field)


async def set_current_branch(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID, branch_id: uuid.UUID
) -> tuple[Conversation, Branch]:
    conversation = await lock_conversation(session, owner, conversation_id, "conversationId")
    branch = await member_of(session, owner, conversation, Branch, branch_id, "branchId")
    if conversation.current_branch_id != branch.id:
        await record_event(
            session, conversation, EventKind.CURRENT_BRANCH_CHANGED, branch_id=branch.id
        )
    conversation.current_branch_id = branch.id
    conversation.updated_at = utcnow()
    await session.flush()
    return conversation, branch


class NotGiven(Enum):
    """A field the caller did not give (None is a value: for a title, none)."""

    NOT_GIVEN = "not given"


NOT_GIVEN = NotGiven.NOT_GIVEN


@dataclass(frozen=True)
class ConversationChanges:
    title: str | NotGiven | None = NOT_GIVEN
    metadata_patch: dict[str, Any] | None = None
    archived: bool | None = None


async def update_conversation(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID, changes: ConversationChanges
) -> Conversation:
    """Set or clear the title, merge-patch the metadata, archive or unarchive.

    Archiving an archived conversation keeps the time it was first archived.
    """
    conversation = await lock_conversation(session, owner, conversation_id, "id")
    now = utcnow()
    if changes.title is not NOT_GIVEN:
        conversation.title = changes.title
    if changes.metadata_patch is not None:
        conversation.meta = merge_patch(conversation.meta, changes.metadata_patch)
    if changes.archived is not None and changes.archived != (conversation.archived_at is not None):
        conversation.archived_at = now if changes.archived else None
    conversation.updated_at = now
    await record_event(session, conversation, EventKind.CONVERSATION_UPDATED)
    await session.flush()
    return conversation


@dataclass(frozen=True)
class DeletedConversation:
    id: uuid.UUID
    message_count: int
    branch_count: int


async def delete_conversation(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID
) -> DeletedConversation:
    conversation = await lock_conversation(session, owner, conversation_id, "id")
    # Counted before deleting: SQLite does not count rows removed by a cascade.
    message_count = await _count(session, Message, conversation.id)
    branch_count = await _count(session, Branch, conversation.id)
    await record_event(
        session,
        conversation,
        EventKind.CONVERSATION_DELETED,
        payload={"deletedMessageCount": message_count, "deletedBranchCount": branch_count},
    )
    await session.flush()
    await session.execute(delete(Branch).where(Branch.conversation_id == conversation.id))
    await session.execute(delete(Message).where(Message.conversation_id == conversation.id))
    await session.execute(delete(Conversation).where(Conversation.id == conversation.id))
    # Its forks stay, no longer linked to it.
    await session.execute(
        update(Conversation)
        .where(Conversation.forked_from_conversation_id == conversation.id)  # type: ignore[arg-type]
        .values(forked_from_conversation_id=None, forked_from_message_id=None)
        .execution_options(synchronize_session=False)
    )
    return DeletedConversation(conversation.id, message_count, branch_count)


async def _count(
    session: AsyncSession, table: type[Message | Branch], conversation_id: uuid.UUID
) -> int:
    statement = (
        select(func.count()).select_from(table).where(table.conversation_id == conversation_id)
    )
    return (await session.scalar(statement)) or 0


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
