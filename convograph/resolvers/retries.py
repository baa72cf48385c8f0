"""What idempotent mutations keep under their key, and how a retry reads it back.

A key keeps the ids of what the first request made; a retry returns those objects as
they are now (the same message, branch or conversation, never a second one).
"""

import uuid
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.errors import NotFound
from convograph.db.messages import Written
from convograph.db.tables import Branch, Conversation, Message
from convograph.resolvers.unit_of_work import Retryable

Row = TypeVar("Row", Conversation, Branch, Message)


async def _row(session: AsyncSession, table: type[Row], stored: dict[str, Any], name: str) -> Row:
    row = await session.get(table, uuid.UUID(stored[name]))
    if row is None:
        raise NotFound(
            f"The {name} this idempotencyKey made has been deleted since.", "idempotencyKey"
        )
    return row


def _describe_written(written: Written) -> dict[str, Any]:
    return {
        "message": str(written.message.id),
        "branch": str(written.branch.id),
        "conversation": str(written.conversation.id),
    }


async def _replay_written(session: AsyncSession, stored: dict[str, Any]) -> Written:
    return Written(
        await _row(session, Message, stored, "message"),
        await _row(session, Branch, stored, "branch"),
        await _row(session, Conversation, stored, "conversation"),
    )


async def _replay_conversation(session: AsyncSession, stored: dict[str, Any]) -> Conversation:
    return await _row(session, Conversation, stored, "conversation")


async def _replay_fork(
    session: AsyncSession, stored: dict[str, Any]
) -> tuple[Conversation, Branch, Message]:
    return (
        await _row(session, Conversation, stored, "conversation"),
        await _row(session, Branch, stored, "branch"),
        await _row(session, Message, stored, "message"),
    )


ADD_MESSAGE = Retryable("addMessage", _describe_written, _replay_written)
UPDATE_MESSAGE = Retryable("updateMessage", _describe_written, _replay_written)
CREATE_CONVERSATION = Retryable(
    "createConversation",
    lambda conversation: {"conversation": str(conversation.id)},
    _replay_conversation,
)
FORK_CONVERSATION = Retryable(
    "forkConversation",
    lambda rows: {
        "conversation": str(rows[0].id),
        "branch": str(rows[1].id),
        "message": str(rows[2].id),
    },
    _replay_fork,
)
