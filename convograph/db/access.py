"""Who may see a conversation, and the locks its writers take turns on."""

import uuid
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.errors import Conflict, InvalidInput, NotFound
from convograph.db.tables import Branch, Conversation, Message

Owner = str | None
"""The subject whose conversations a request may see; None sees every owner's."""


def owned_by(owner: Owner) -> ColumnElement[bool]:
    return Conversation.owner == owner if owner is not None else Conversation.id.is_not(None)  # type: ignore[attr-defined]


def owned_by_parameter(scoped: bool, name: str = "owner") -> ColumnElement[bool]:
    """`owned_by` for a statement built once: the owner is its parameter `name`, and an
    admin's statement (not scoped) has no condition. (A statement that updates the
    conversation table names it otherwise: a parameter named like a column is also a
    value to SET.)"""
    return Conversation.owner == bindparam(name) if scoped else true()  # type: ignore[return-value]


_EXPECTED_VERSION = "convograph.expected_version"
_PINNED = "convograph.pinned_rows"


def expect_version(session: AsyncSession, version: int | None) -> None:
    """Make the transaction's first lock of a conversation check its version: the client's
    expectedVersion, so that it writes only if nothing changed since it read."""
    if version is not None:
        session.info[_EXPECTED_VERSION] = version


def _check_version(session: AsyncSession, conversation: Conversation) -> None:
    expected = session.info.pop(_EXPECTED_VERSION, None)
    if expected is not None and expected != conversation.version:
        raise Conflict(
            f"The conversation is at version {conversation.version}, not {expected}:"
            " it changed since you read it. Read it again, then decide.",
            "expectedVersion",
            current_version=conversation.version,
        )


async def lock_conversation(
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID, field: str
) -> Conversation:
    """The conversation, locked for this transaction so writers to it take turns."""
    statement = (
        select(Conversation)
        .where(Conversation.id == conversation_id, owned_by(owner))
        .with_for_update()
        # A copy read earlier without the lock may be stale: its version above all.
        .execution_options(populate_existing=True)
    )
    conversation = (await session.scalars(statement)).first()
    if conversation is None:
        raise NotFound(f"No conversation with id {conversation_id}.", field)
    _check_version(session, conversation)
    return conversation


def locking_reads(statement: Select[Any], scoped: bool) -> Select[Any]:
    """`statement` (a select of Conversation first, then rows joined to it) made to lock
    the conversation and tell the version its snapshot saw, for `lock_with_reads`. Build
    it once per shape: the owner is its parameter `lock_owner` (when `scoped`)."""
    snapshot = aliased(Conversation, name="snapshot")
    seen_version = select(snapshot.version).where(snapshot.id == Conversation.id)
    return (
        statement.add_columns(seen_version.scalar_subquery().label("seen_version"))
        .where(owned_by_parameter(scoped, "lock_owner"))
        .with_for_update(of=Conversation)  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )


async def lock_with_reads(
    session: AsyncSession, owner: Owner, locked: Select[Any], parameters: dict[str, Any]
) -> tuple[Conversation, tuple[Any, ...] | None] | None:
    """Run `locked` (from `locking_reads`, scoped if `owner` is not None) with its
    `parameters`: the conversation locked and the joined rows read in one round trip where
    a writer used to need several. None if it finds no conversation of the owner's.

    Only the conversation is locked: the other rows come from the statement's snapshot,
    which a writer that committed while this one waited for the lock has made stale. The
    version the snapshot saw tells: if it is not the locked row's, the other rows are
    dropped (None in their place), for the caller to read them afresh under the lock.
    """
    if owner is not None:
        parameters = {**parameters, "lock_owner": owner}
    found = (await session.execute(locked, parameters)).first()
    if found is None:
        return None
    conversation, *read, seen = found
    _check_version(session, conversation)
    if seen == conversation.version:
        # The session's identity map holds rows weakly: pinned, they answer the writer's
        # later `session.get` calls for the whole transaction without a statement.
        session.info.setdefault(_PINNED, []).extend(read)
        return conversation, tuple(read)
    for row in read:
        if row is not None:
            session.expunge(row)
    return conversation, None


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
