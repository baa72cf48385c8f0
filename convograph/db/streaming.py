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
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Text,
    Uuid,
    bindparam,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.access import Owner, lock_member, owned_by, owned_by_parameter
from convograph.db.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from convograph.db.events import NOTIFY_CHANNEL, EventKind, delete_events, record_event
from convograph.db.rows import columns_of
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


async def refused_append(session: AsyncSession, message: Message, delta: str, index: int) -> None:
    """Raise why an append of `delta` at `index` to the locked `message` does not apply;
    return if it is a retry of a delta already applied with the same text."""
    delta_count = message.delta_count
    if message.status != MessageStatus.IN_PROGRESS:
        raise not_in_progress(message.id, message.status)
    if index > delta_count:
        raise Conflict(
            f"Delta {index} leaves a gap: the next index is {delta_count}.",
            "index",
            expected_index=delta_count,
        )
    if index < delta_count:
        if await applied_delta(session, message.conversation_id, message.id, index) == delta:
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
        await refused_append(session, message, delta, index)
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
    return await delete_events(session, doomed)


@dataclass(frozen=True)
class AppendRequest:
    owner: Owner
    message_id: uuid.UUID
    delta: str
    index: int
    max_content_bytes: int


@cache
def _append_statement(scoped: bool) -> Any:
    """PostgreSQL: lock the conversation, append, count the version up, write the event and
    its NOTIFY, in one statement. No row comes back when the append does not apply.

    Built once (for owners and for an admin) with the request's values as parameters: see
    `_append_parameters`. The conversation is locked before the message is updated (the
    update joins the lock), the order every writer takes; rows changed by a writer that
    committed meanwhile are re-checked at their latest version (READ COMMITTED), so the
    index is checked against the deltas applied by then.
    """
    message = Message.__table__  # type: ignore[attr-defined]
    conversation = Conversation.__table__  # type: ignore[attr-defined]
    event = Event.__table__  # type: ignore[attr-defined]
    message_id = bindparam("message_id", type_=Uuid)
    index = bindparam("index", type_=Integer)
    delta = bindparam("delta", type_=Text)
    now = bindparam("now", type_=message.c.updated_at.type)
    locked = (
        select(conversation.c.id)
        .join(message, message.c.conversation_id == conversation.c.id)
        .where(message.c.id == message_id, owned_by_parameter(scoped, "scoped_owner"))
        .with_for_update(of=conversation)
        .cte("locked")
    )
    appended = (
        update(message)
        .where(
            message.c.id == message_id,
            message.c.conversation_id == locked.c.id,
            message.c.status == MessageStatus.IN_PROGRESS.value,
            message.c.delta_count == index,
            func.octet_length(message.c.content) + bindparam("delta_bytes", type_=Integer)
            <= bindparam("max_bytes", type_=Integer),
        )
        .values(
            content=message.c.content + delta, delta_count=message.c.delta_count + 1, updated_at=now
        )
        .returning(*columns_of(Message))
        .cte("appended")
    )
    bumped = (
        update(conversation)
        .where(conversation.c.id == appended.c.conversation_id)
        .values(version=conversation.c.version + 1, updated_at=now)
        .returning(*columns_of(Conversation))
        .cte("bumped")
    )
    inserted = (
        insert(event)
        .from_select(
            [
                "id",
                "conversation_id",
                "owner",
                "sequence",
                "kind",
                "message_id",
                "payload",
                "created_at",
            ],
            select(
                bindparam("event_id", type_=Uuid),
                bumped.c.id,
                bumped.c.owner,
                bumped.c.version,
                literal(EventKind.MESSAGE_CONTENT_APPENDED.value),
                message_id,
                func.jsonb_build_object("index", index, "delta", delta),
                now,
            ),
        )
        .returning(event.c.conversation_id, event.c.sequence, event.c.owner)
        .cte("inserted")
    )
    notice = func.concat_ws(" ", inserted.c.conversation_id, inserted.c.sequence, inserted.c.owner)
    return select(
        *(column.label(f"m_{column.name}") for column in appended.c),
        *(column.label(f"c_{column.name}") for column in bumped.c),
        func.pg_notify(NOTIFY_CHANNEL, notice),
    ).select_from(appended.join(bumped, true()).join(inserted, true()))


def _append_parameters(request: AppendRequest, now: datetime) -> dict[str, Any]:
    parameters = {
        "message_id": request.message_id,
        "index": request.index,
        "delta": request.delta,
        "delta_bytes": len(request.delta.encode()),
        "max_bytes": request.max_content_bytes,
        "now": now,
        "event_id": uuid.uuid4(),
    }
    if request.owner is not None:
        parameters["scoped_owner"] = request.owner
    return parameters


def _rows_from(row: Any) -> tuple[Message, Conversation]:
    values = row._mapping
    message = Message(**{k[2:]: v for k, v in values.items() if k.startswith("m_")})
    conversation = Conversation(**{k[2:]: v for k, v in values.items() if k.startswith("c_")})
    return message, conversation


async def append_in_one_statement(
    engine: AsyncEngine, session_factory: Any, request: AppendRequest
) -> Appended:
    """PostgreSQL's append: one round trip when it applies (autocommit: the statement is
    its own transaction). When it does not, a read of the message tells why, under the
    same rules as `append_content`; a race that the read shows resolved is tried again."""
    check_delta(request.delta, request.index)
    for _ in range(3):
        async with engine.connect() as connection:
            statement = _append_statement(request.owner is not None)
            parameters = _append_parameters(request, utcnow())
            row = (await connection.execute(statement, parameters)).first()
        if row is not None:
            message, conversation = _rows_from(row)
            return Appended(message, conversation, applied=True)
        async with session_factory() as session:
            conversation, message = await lock_free_member(session, request)
            if message.status == MessageStatus.IN_PROGRESS and request.index == message.delta_count:
                check_content_size(
                    len((message.content + request.delta).encode()), request.max_content_bytes
                )
                continue
            await refused_append(session, message, request.delta, request.index)
            return Appended(message, conversation, applied=False)
    raise Conflict("The message changed while appending; try again.", "index")


async def lock_free_member(
    session: AsyncSession, request: AppendRequest
) -> tuple[Conversation, Message]:
    """The message and its conversation as they are now, if the owner may see them."""
    found = (
        await session.execute(
            select(Conversation, Message)
            .join(Message, Message.conversation_id == Conversation.id)
            .where(Message.id == request.message_id, owned_by(request.owner))
        )
    ).first()
    if found is None:
        raise NotFound(f"No message with id {request.message_id}.", "messageId")
    return found[0], found[1]
