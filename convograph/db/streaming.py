"""Streamed messages: content appended delta by delta while IN_PROGRESS, then finished.

A delta's `index` is how many deltas its writer had appended before it, so a retry is
recognised by its index: the message counts the deltas applied (`delta_count`), and each
applied one is an event that holds its index and text. A writer that vanished leaves its
message IN_PROGRESS: anyone who may see the conversation can finish it, and the sweep here
fails those that have gone quiet for longer than a configured time.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.access import Owner, lock_member
from convograph.db.errors import Conflict, InvalidInput, LimitExceeded
from convograph.db.events import EventKind, record_event
from convograph.db.tables import Conversation, Event, Message, MessageStatus, utcnow


@dataclass(frozen=True)
class Appended:
    """The message after an append; `applied` is false for a retry answered as applied."""

    message: Message
    conversation: Conversation
    applied: bool


def check_delta(delta: str, index: int) -> None:
    if index < 0:
        raise InvalidInput(f"index must not be negative, got {index}.", "index")
    if not delta:
        raise InvalidInput("delta must not be empty.", "delta")


def check_content_size(content_bytes: int, max_bytes: int) -> None:
    if content_bytes > max_bytes:
        raise LimitExceeded(
            f"The message's content would be {content_bytes} bytes; at most {max_bytes} are"
            " allowed for the whole content.",
            "delta",
        )


def not_in_progress(message_id: uuid.UUID, status: str) -> InvalidInput:
    return InvalidInput(
        f"Message {message_id} is {status}: only an IN_PROGRESS message takes appends.",
        "messageId",
    )


async def applied_delta(
    session: AsyncSession, conversation_id: uuid.UUID, message_id: uuid.UUID, index: int
) -> str | None:
    """The text of the message's delta `index`, from its event (None once pruned)."""
    statement = select(Event.payload).where(
        Event.conversation_id == conversation_id,
        Event.message_id == message_id,
        Event.kind == EventKind.MESSAGE_CONTENT_APPENDED.value,
    )
    for payload in (await session.scalars(statement)).all():
        if payload.get("index") == index:
            return str(payload.get("delta"))
    return None


async def refused_append(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    status: str,
    delta_count: int,
    delta: str,
    index: int,
) -> None:
    """Raise why an append of `delta` at `index` does not apply; return if it is a retry
    of a delta already applied with the same text."""
    if status != MessageStatus.IN_PROGRESS:
        raise not_in_progress(message_id, status)
    if index > delta_count:
        raise Conflict(
            f"Delta {index} leaves a gap: the next index is {delta_count}.",
            "index",
            expected_index=delta_count,
        )
    if index < delta_count:
        if await applied_delta(session, conversation_id, message_id, index) == delta:
            return
        raise Conflict(
            f"Delta {index} was applied with other text; the next index is {delta_count}.",
            "index",
            expected_index=delta_count,
        )


async def append_content(
    session: AsyncSession,
    owner: Owner,
    message_id: uuid.UUID,
    delta: str,
    index: int,
    max_content_bytes: int,
) -> Appended:
    check_delta(delta, index)
    conversation, message = await lock_member(session, owner, Message, message_id, "messageId")
    if message.status != MessageStatus.IN_PROGRESS or index != message.delta_count:
        await refused_append(
            session,
            conversation.id,
            message.id,
            message.status,
            message.delta_count,
            delta,
            index,
        )
        return Appended(message, conversation, applied=False)
    content = message.content + delta
    check_content_size(len(content.encode()), max_content_bytes)
    now = utcnow()
    message.content = content
    message.delta_count += 1
    message.updated_at = conversation.updated_at = now
    await record_event(
        session,
        conversation,
        EventKind.MESSAGE_CONTENT_APPENDED,
        message_id=message.id,
        payload={"index": index, "delta": delta},
    )
    await session.flush()
    return Appended(message, conversation, applied=True)


FINISHED = (MessageStatus.COMPLETE, MessageStatus.FAILED)


async def finish_message(
    session: AsyncSession,
    owner: Owner,
    message_id: uuid.UUID,
    status: MessageStatus,
    content: str | None,
) -> tuple[Message, Conversation]:
    """End a stream as COMPLETE or FAILED, optionally with its whole final content.

    Finishing again with the same status (and content) is a retry: answered, not written.
    """
    if status not in FINISHED:
        raise InvalidInput("A message is finished as COMPLETE or FAILED.", "status")
    conversation, message = await lock_member(session, owner, Message, message_id, "messageId")
    if message.status != MessageStatus.IN_PROGRESS:
        if message.status == status and content in (None, message.content):
            return message, conversation
        raise InvalidInput(f"Message {message_id} is already {message.status}.", "messageId")
    await _finish(session, conversation, message, status, content)
    return message, conversation


async def _finish(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    status: MessageStatus,
    content: str | None,
) -> None:
    now = utcnow()
    message.status = status.value
    if content is not None:
        message.content = content
    message.updated_at = conversation.updated_at = now
    await record_event(
        session,
        conversation,
        EventKind.MESSAGE_FINISHED,
        message_id=message.id,
        payload={"status": status.value, "deltaCount": message.delta_count},
    )
    await session.flush()


async def stale_messages(session: AsyncSession, quiet_for: timedelta, limit: int) -> list[Any]:
    """(message id, conversation id) of IN_PROGRESS messages without an append for `quiet_for`."""
    cutoff: datetime = utcnow() - quiet_for
    statement = (
        select(Message.id, Message.conversation_id)
        .where(Message.status == MessageStatus.IN_PROGRESS.value, Message.updated_at < cutoff)  # type: ignore[operator]
        .limit(limit)
    )
    return list((await session.execute(statement)).all())


async def fail_if_stale(session: AsyncSession, message_id: uuid.UUID, quiet_for: timedelta) -> bool:
    """Mark the message FAILED if it is still IN_PROGRESS and quiet (checked under the lock:
    an append may have come meanwhile)."""
    conversation, message = await lock_member(session, None, Message, message_id, "messageId")
    if message.status != MessageStatus.IN_PROGRESS or message.updated_at >= utcnow() - quiet_for:
        return False
    await _finish(session, conversation, message, MessageStatus.FAILED, None)
    return True


async def compact_deltas(session: AsyncSession, finished_for: timedelta, batch_size: int) -> int:
    """Delete up to `batch_size` delta events of messages finished more than `finished_for`
    ago (their rows hold the full text); returns how many went.

    A conversation's latest event is never among them: it is at least the MESSAGE_FINISHED.
    """
    cutoff: datetime = utcnow() - finished_for
    finished = aliased(Event, name="finished")
    doomed = (
        select(Event.id)
        .where(
            Event.kind == EventKind.MESSAGE_CONTENT_APPENDED.value,
            exists(
                select(finished.id).where(
                    finished.conversation_id == Event.conversation_id,
                    finished.message_id == Event.message_id,
                    finished.kind == EventKind.MESSAGE_FINISHED.value,
                    finished.created_at < cutoff,
                )
            ),
        )
        .limit(batch_size)
    )
    ids = list((await session.scalars(doomed)).all())
    if ids:
        await session.execute(
            delete(Event).where(Event.id.in_(ids)).execution_options(synchronize_session=False)  # type: ignore[attr-defined]
        )
    return len(ids)
