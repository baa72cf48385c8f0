"""Conversation rows: create, switch branch, retitle or archive, delete."""

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import Owner, lock_conversation, member_of
from convograph.db.events import EventKind, record_event
from convograph.db.merge_patch import merge_patch
from convograph.db.tables import Branch, Conversation, Message, utcnow


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
    session: AsyncSession,
    owner: Owner,
    conversation_id: uuid.UUID,
    changes: ConversationChanges,
    field: str = "conversationId",
) -> Conversation:
    """Set or clear the title, merge-patch the metadata, archive or unarchive.

    Archiving an archived conversation keeps the time it was first archived. `field` is the
    input field that named the conversation, for a NotFound.
    """
    conversation = await lock_conversation(session, owner, conversation_id, field)
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
    session: AsyncSession, owner: Owner, conversation_id: uuid.UUID, field: str = "conversationId"
) -> DeletedConversation:
    conversation = await lock_conversation(session, owner, conversation_id, field)
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
