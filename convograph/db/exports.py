"""Reading whole conversations for export: the conversation, its tree and its branches."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import Owner, owned_by
from convograph.db.tables import Branch, Conversation, Message


@dataclass(frozen=True)
class ConversationTree:
    conversation: Conversation
    messages: list[Message]
    """Parents before children; siblings in their order (creation time, then id)."""
    branches: list[Branch]
    """Oldest first (creation time, then id), as the API lists them."""


async def conversation_trees(
    session: AsyncSession, owner: Owner, ids: Sequence[uuid.UUID]
) -> list[ConversationTree]:
    """The trees of those of `ids` that the owner has, in the order of `ids`: three
    statements, whatever the number of conversations."""
    found = {
        row.id: row
        for row in await session.scalars(
            select(Conversation).where(Conversation.id.in_(list(ids)), owned_by(owner))  # type: ignore[attr-defined]
        )
    }
    messages: dict[uuid.UUID, list[Message]] = {i: [] for i in found}
    branches: dict[uuid.UUID, list[Branch]] = {i: [] for i in found}
    if found:
        for message in await session.scalars(
            select(Message)
            .where(Message.conversation_id.in_(list(found)))  # type: ignore[attr-defined]
            .order_by(Message.depth, Message.created_at, Message.id)
        ):
            messages[message.conversation_id].append(message)
        for branch in await session.scalars(
            select(Branch)
            .where(Branch.conversation_id.in_(list(found)))  # type: ignore[attr-defined]
            .order_by(Branch.created_at, Branch.id)
        ):
            branches[branch.conversation_id].append(branch)
    return [
        ConversationTree(found[i], messages[i], branches[i])
        for i in dict.fromkeys(ids)
        if i in found
    ]
