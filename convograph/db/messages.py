"""Writing messages: append, fork, edit into a new branch, patch metadata (DESIGN section 4)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import SQLModel

from convograph.db.access import Owner, lock_member, lock_with_reads, locking_reads, member_of
from convograph.db.errors import InvalidInput, NotFound
from convograph.db.events import (
    EventKind,
    announce,
    event_parameters,
    inserted_and_notified,
    new_event,
    record_event,
)
from convograph.db.jump_pointers import jump_under
from convograph.db.merge_patch import merge_patch
from convograph.db.message_rows import MessageFields, ParentRow, message_row, new_message
from convograph.db.paths import latest_branch_holding, path_holds
from convograph.db.tables import Branch, Conversation, Event, Message, MessageStatus, utcnow


@dataclass(frozen=True)
class JumpOf:
    """A new message's jump_id when it is another message's (`target`'s) jump_id: read by
    the INSERT itself, no round trip of its own."""

    target: uuid.UUID

    def read(self, conversation_id: uuid.UUID) -> Any:
        return (
            select(Message.jump_id)  # type: ignore[call-overload]
            .where(Message.conversation_id == conversation_id, Message.id == self.target)
            .scalar_subquery()
        )


@dataclass(frozen=True)
class Written:
    """A new message and the branch it now tips."""

    message: Message
    branch: Branch
    conversation: Conversation


async def _branch_reached_from(
    session: AsyncSession, conversation: Conversation, target: Message
) -> Branch | None:
    """The current branch if its path holds `target`, else the latest branch that does."""
    return await latest_branch_holding(session, target, conversation.current_branch_id)


async def _tipped_by(
    session: AsyncSession, conversation: Conversation, message: Message
) -> Branch | None:
    """A branch that ends at `message`: the current one if it does, else the latest."""
    statement = (
        select(Branch)
        .where(Branch.conversation_id == conversation.id, Branch.tip_id == message.id)
        .order_by(Branch.updated_at.desc(), Branch.id.desc())  # type: ignore[attr-defined]
    )
    branches = list((await session.scalars(statement)).all())
    current = [b for b in branches if b.id == conversation.current_branch_id]
    return (current or branches or [None])[0]


def _new_branch(
    conversation: Conversation, forked_from: Branch | None, branch_point: Message | None
) -> Branch:
    return Branch(
        conversation_id=conversation.id,
        forked_from_id=forked_from.id if forked_from else None,
        branch_point_id=branch_point.id if branch_point else None,
    )


async def _resolve_target(
    session: AsyncSession,
    owner: Owner,
    conversation: Conversation,
    parent_id: uuid.UUID | None,
    branch_id: uuid.UUID | None,
) -> tuple[Message | None, Branch]:
    """Where a new message goes: its parent, and the branch it extends or forks."""
    branch = (
        await member_of(session, owner, conversation, Branch, branch_id, "branchId")
        if branch_id is not None
        else None
    )
    if parent_id is None:
        target = branch or await session.get(Branch, conversation.current_branch_id)
        if target is None:
            raise InvalidInput("The conversation has no current branch.", "branchId")
        parent = await session.get(Message, target.tip_id) if target.tip_id else None
        return parent, target
    parent = await member_of(session, owner, conversation, Message, parent_id, "parentId")
    if branch is not None:
        if branch.tip_id == parent.id:
            return parent, branch
        if branch.tip_id is None or not await path_holds(session, branch.tip_id, parent):
            raise InvalidInput(f"Message {parent_id} is not on branch {branch_id}.", "parentId")
        return parent, _new_branch(conversation, branch, parent)
    extended = await _tipped_by(session, conversation, parent)
    if extended is not None:
        return parent, extended
    forked_from = await _branch_reached_from(session, conversation, parent)
    return parent, _new_branch(conversation, forked_from, parent)


async def _write(
    session: AsyncSession,
    conversation: Conversation,
    branch: Branch,
    message: Message,
    kind: EventKind,
) -> Written:
    now = utcnow()
    message.created_at = message.updated_at = now
    if session.get_bind().dialect.name == "postgresql":
        await _write_in_one_statement(session, conversation, branch, message, kind, now)
        return Written(message, branch, conversation)
    if isinstance(message.jump_id, JumpOf):
        # Like a server default, jump_id is then expired on the object after the flush.
        message.jump_id = message.jump_id.read(conversation.id)
    session.add(message)
    await session.flush()
    new_branch = branch not in session
    branch.tip_id, branch.tip_depth = message.id, message.depth
    branch.updated_at = now
    session.add(branch)
    await session.flush()
    if new_branch:
        await record_event(session, conversation, EventKind.BRANCH_CREATED, branch_id=branch.id)
    await record_event(session, conversation, kind, message_id=message.id, branch_id=branch.id)
    if conversation.current_branch_id != branch.id:
        await record_event(
            session, conversation, EventKind.CURRENT_BRANCH_CHANGED, branch_id=branch.id
        )
    conversation.current_branch_id = branch.id
    conversation.updated_at = now
    await session.flush()
    return Written(message, branch, conversation)


def _written_events(
    conversation: Conversation, branch: Branch, message: Message, kind: EventKind, new_branch: bool
) -> list[Event]:
    """The events of a message write, in order: a new branch, the message, a switch."""
    kinds = [
        *([(EventKind.BRANCH_CREATED, None)] if new_branch else []),
        (kind, message.id),
        *(
            [(EventKind.CURRENT_BRANCH_CHANGED, None)]
            if conversation.current_branch_id != branch.id
            else []
        ),
    ]
    return [
        new_event(
            conversation,
            conversation.version + n,
            event_kind,
            message_id=message_id,
            branch_id=branch.id,
        )
        for n, (event_kind, message_id) in enumerate(kinds, start=1)
    ]


def _column_values(row: SQLModel, prefix: str) -> dict[str, Any]:
    """The row's values by column name (`meta` is the `metadata` column), each key
    prefixed: the parameters of `_written_statement`."""
    return {
        prefix + column.name: getattr(row, attribute.key)
        for attribute in sa_inspect(type(row)).column_attrs
        for column in attribute.columns
    }


def _parameters(table: Any, prefix: str) -> dict[str, Any]:
    return {column.name: bindparam(prefix + column.name, type_=column.type) for column in table.c}


@cache
def _written_statement(new_branch: bool, event_count: int, jump_read: bool) -> Select[Any]:
    """The statement of `_write_in_one_statement`, built once per shape: its values are
    parameters (m_* the message's columns, b_* the branch's, e<n>_* the events', and
    jump_target where the message's jump_id is read from another message)."""
    message_table = Message.__table__  # type: ignore[attr-defined]
    message_values = _parameters(message_table, "m_")
    if jump_read:
        message_values["jump_id"] = (
            select(message_table.c.jump_id)
            .where(
                message_table.c.conversation_id == message_values["conversation_id"],
                message_table.c.id == bindparam("jump_target", type_=message_table.c.id.type),
            )
            .scalar_subquery()
        )
    inserted_message = (
        insert(message_table)
        .values(message_values)
        .returning(message_table.c.jump_id)
        .cte("inserted_message")
    )
    branch_table = Branch.__table__  # type: ignore[attr-defined]
    tip = {
        "tip_id": message_values["id"],
        "tip_depth": message_values["depth"],
        "updated_at": bindparam("now", type_=branch_table.c.updated_at.type),
    }
    written_branch = (
        (
            insert(branch_table).values(
                {**_parameters(branch_table, "b_"), **tip, "created_at": bindparam("now")}
            )
            if new_branch
            else update(branch_table).where(branch_table.c.id == bindparam("b_id")).values(tip)
        )
        .returning(branch_table.c.id)
        .cte("written_branch")
    )
    conversation_table = Conversation.__table__  # type: ignore[attr-defined]
    updated_conversation = (
        update(conversation_table)
        .where(conversation_table.c.id == bindparam("c_id"))
        .values(
            current_branch_id=bindparam("b_id"),
            updated_at=bindparam("now"),
            version=bindparam("version"),
        )
        .returning(conversation_table.c.id)
        .cte("updated_conversation")
    )
    inserted_events, notifications = inserted_and_notified(event_count)
    return select(inserted_message.c.jump_id, *notifications).add_cte(
        written_branch, updated_conversation, inserted_events
    )


async def _write_in_one_statement(
    session: AsyncSession,
    conversation: Conversation,
    branch: Branch,
    message: Message,
    kind: EventKind,
    now: datetime,
) -> None:
    """PostgreSQL: the message, its branch's tip, the conversation, the events and their
    notices in one statement of data-modifying CTEs (one round trip instead of five).

    The rows the session holds are then told their new values as already stored, so
    that the commit flushes nothing more.
    """
    new_branch = branch not in session
    events = _written_events(conversation, branch, message, kind, new_branch)
    version = events[-1].sequence
    jump = message.jump_id if isinstance(message.jump_id, JumpOf) else None
    parameters = {
        **_column_values(message, "m_"),
        **({"m_jump_id": None, "jump_target": jump.target} if jump else {}),
        **(_column_values(branch, "b_") if new_branch else {"b_id": branch.id}),
        **event_parameters(events),
        "c_id": conversation.id,
        "now": now,
        "version": version,
    }
    statement = _written_statement(new_branch, len(events), jump is not None)
    message.jump_id = (await session.execute(statement, parameters)).scalar_one()
    if new_branch:
        branch.created_at = now
    tip = {"tip_id": message.id, "tip_depth": message.depth, "updated_at": now}
    for attribute, value in tip.items():
        _stored(branch, attribute, value, new_branch)
    changes = {"current_branch_id": branch.id, "updated_at": now, "version": version}
    for attribute, value in changes.items():
        _stored(conversation, attribute, value, False)
    announce(session, events)


def _stored(row: SQLModel, attribute: str, value: Any, transient: bool) -> None:
    """Set what the database now holds, without the session seeing a change to flush."""
    if transient:
        setattr(row, attribute, value)
    else:
        set_committed_value(row, attribute, value)


@cache
def _current_tip_lock(scoped: bool) -> Select[Any]:
    statement = (
        select(Conversation, Branch, Message)
        .outerjoin(
            Branch,
            and_(
                Branch.conversation_id == Conversation.id,
                Branch.id == Conversation.current_branch_id,
            ),
        )
        .outerjoin(
            Message, and_(Message.conversation_id == Conversation.id, Message.id == Branch.tip_id)
        )
        .where(Conversation.id == bindparam("conversation_id"))
    )
    return locking_reads(statement, scoped)


async def _lock_with_current_tip(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID
) -> Conversation:
    """The conversation, locked, with its current branch and that branch's tip read in
    the same statement (into the session, where the target's resolution finds them)."""
    statement = _current_tip_lock(owner is not None)
    parameters = {"conversation_id": conversation_id}
    locked = await lock_with_reads(session, owner, statement, parameters)
    if locked is None:
        raise NotFound(f"No conversation with id {conversation_id}.", "conversationId")
    return locked[0]


@cache
def _neighbours_lock(scoped: bool) -> Select[Any]:
    parent = aliased(Message, name="parent")
    statement = (
        select(Conversation, Message, parent, Branch)
        .join(Message, Message.conversation_id == Conversation.id)
        .outerjoin(
            parent, and_(parent.conversation_id == Conversation.id, parent.id == Message.parent_id)
        )
        .outerjoin(
            Branch,
            and_(
                Branch.conversation_id == Conversation.id,
                Branch.id == Conversation.current_branch_id,
            ),
        )
        .where(Message.id == bindparam("message_id"))
    )
    return locking_reads(statement, scoped)


async def _lock_with_neighbours(
    session: AsyncSession, owner: Owner, message_id: uuid.UUID
) -> tuple[Conversation, Message]:
    """A message's conversation, locked, with the message, its parent and the current
    branch read in the same statement."""
    statement = _neighbours_lock(owner is not None)
    locked = await lock_with_reads(session, owner, statement, {"message_id": message_id})
    if locked is None:
        raise NotFound(f"No message with id {message_id}.", "messageId")
    conversation, read = locked
    if read is not None:
        return conversation, read[0]
    return conversation, await member_of(
        session, owner, conversation, Message, message_id, "messageId"
    )


async def add_message(
    session: AsyncSession,
    owner: Owner,
    conversation_id: uuid.UUID,
    fields: MessageFields,
    *,
    parent_id: uuid.UUID | None = None,
    branch_id: uuid.UUID | None = None,
    metadata: dict[str, Any] | None = None,
) -> Written:
    conversation = await _lock_with_current_tip(session, owner, conversation_id)
    parent, branch = await _resolve_target(session, owner, conversation, parent_id, branch_id)
    # When the jump target is not the parent, the INSERT reads it (JumpOf).
    jump = jump_under(parent, JumpOf)
    parent_row = ParentRow(parent.id, parent.depth) if parent else None
    message = new_message(
        message_row(conversation.id, fields, parent_row, metadata=metadata, jump=jump)
    )
    return await _write(session, conversation, branch, message, EventKind.MESSAGE_ADDED)


async def edit_message(
    session: AsyncSession,
    owner: Owner,
    message_id: uuid.UUID,
    fields: MessageFields,
    *,
    metadata: dict[str, Any] | None = None,
) -> Written:
    """A new sibling of the original on a new branch; the original tree is never touched."""
    conversation, original = await _lock_with_neighbours(session, owner, message_id)
    if original.status == MessageStatus.IN_PROGRESS:
        raise InvalidInput(
            f"Message {message_id} is still IN_PROGRESS: finish it before editing it.",
            "messageId",
        )
    forked_from = await _branch_reached_from(session, conversation, original)
    parent = await session.get(Message, original.parent_id) if original.parent_id else None
    parent_row = ParentRow(parent.id, parent.depth) if parent else None
    row = message_row(
        conversation.id,
        fields,
        parent_row,
        metadata=dict(original.meta) if metadata is None else metadata,
        # A sibling has the same ancestors, so the same jump.
        jump=(original.jump_id, original.jump_depth),
        edit_of_id=original.id,
    )
    edit = new_message(row)
    branch = _new_branch(conversation, forked_from, parent)
    return await _write(session, conversation, branch, edit, EventKind.MESSAGE_EDITED)


async def patch_message_metadata(
    session: AsyncSession, owner: Owner, message_id: uuid.UUID, patch: dict[str, Any]
) -> Message:
    conversation, message = await lock_member(session, owner, Message, message_id, "messageId")
    now = utcnow()
    message.meta = merge_patch(message.meta, patch)
    message.updated_at = conversation.updated_at = now
    await record_event(
        session, conversation, EventKind.MESSAGE_METADATA_UPDATED, message_id=message.id
    )
    await session.flush()
    return message
