"""The event outbox: every change writes a row in its own transaction; subscriptions read them.

Sequences are per conversation and allocated under the conversation's row lock, which
every writer already holds, from the conversation's `version` counter, so they are dense
and in commit order and cost no read of this table. On PostgreSQL each
row also sends a NOTIFY, which the server delivers only when (and if) the transaction
commits; on SQLite the unit of work hands the recorded notices to the in-process broker
after its commit.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.access import owned_by
from convograph.db.tables import Conversation, Event, utcnow

NOTIFY_CHANNEL = "convograph_events"
_RECORDED = "convograph.recorded_events"


class EventKind(StrEnum):
    CONVERSATION_CREATED = "CONVERSATION_CREATED"
    CONVERSATION_UPDATED = "CONVERSATION_UPDATED"
    CONVERSATION_FORKED = "CONVERSATION_FORKED"
    CONVERSATION_DELETED = "CONVERSATION_DELETED"
    MESSAGE_ADDED = "MESSAGE_ADDED"
    MESSAGE_EDITED = "MESSAGE_EDITED"
    MESSAGE_METADATA_UPDATED = "MESSAGE_METADATA_UPDATED"
    MESSAGE_DELETED = "MESSAGE_DELETED"
    MESSAGE_CONTENT_APPENDED = "MESSAGE_CONTENT_APPENDED"
    MESSAGE_FINISHED = "MESSAGE_FINISHED"
    BRANCH_CREATED = "BRANCH_CREATED"
    BRANCH_RENAMED = "BRANCH_RENAMED"
    BRANCH_DELETED = "BRANCH_DELETED"
    CURRENT_BRANCH_CHANGED = "CURRENT_BRANCH_CHANGED"
    # Never stored: the first item of a subscription started without afterSequence.
    LIVE = "LIVE"


@dataclass(frozen=True)
class EventNotice:
    """What wakes subscribers: which conversation has a new event, and whose it is."""

    conversation_id: uuid.UUID
    sequence: int
    owner: str

    def encode(self) -> str:
        return f"{self.conversation_id} {self.sequence} {self.owner}"

    @classmethod
    def decode(cls, payload: str) -> "EventNotice":
        conversation_id, sequence, owner = payload.split(" ", 2)
        return cls(uuid.UUID(conversation_id), int(sequence), owner)


async def record_event(
    session: AsyncSession,
    conversation: Conversation,
    kind: EventKind,
    *,
    message_id: uuid.UUID | None = None,
    branch_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    """Write one event of `conversation`, which the caller has locked (or just created);
    returns its sequence. The conversation's `version` becomes it, flushed with the row."""
    event = new_event(
        conversation,
        conversation.version + 1,
        kind,
        message_id=message_id,
        branch_id=branch_id,
        payload=payload,
    )
    conversation.version = event.sequence
    await write_event(session, event)
    return event.sequence


def new_event(
    conversation: Conversation,
    sequence: int,
    kind: EventKind,
    *,
    message_id: uuid.UUID | None = None,
    branch_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    return Event(
        conversation_id=conversation.id,
        owner=conversation.owner,
        sequence=sequence,
        kind=kind.value,
        message_id=message_id,
        branch_id=branch_id,
        payload=payload or {},
        created_at=utcnow(),
    )


async def write_event(session: AsyncSession, event: Event) -> None:
    """Insert an event whose sequence the caller allocated; on PostgreSQL its NOTIFY goes
    in the same statement (one round trip for both)."""
    if session.get_bind().dialect.name == "postgresql":
        # Not flushed first: the conversation's new version goes with its other changes.
        with session.no_autoflush:
            await session.execute(_notified_insert(), event_parameters([event]))
    else:
        session.add(event)
    announce(session, [event])


@cache
def inserted_and_notified(count: int) -> tuple[Any, tuple[Any, ...]]:
    """A CTE inserting `count` events, and the pg_notify calls announcing them (PostgreSQL),
    for a statement that writes them along with anything else: built once per count, its
    values the parameters `event_parameters` gives."""
    table = Event.__table__  # type: ignore[attr-defined]
    columns = table.columns

    def value(n: int, column: Any) -> Any:
        return bindparam(f"e{n}_{column.name}", type_=column.type)

    if count == 1:
        insert_rows = insert(table).values({column.name: value(0, column) for column in columns})
    else:
        # Not values([...]): SQLAlchemy caches no statement with a multi-row VALUES.
        rows = [
            select(*(cast(value(n, column), column.type) for column in columns))
            for n in range(count)
        ]
        insert_rows = insert(table).from_select(
            [column.name for column in columns], union_all(*rows)
        )
    inserted = insert_rows.returning(columns.sequence).cte("inserted_events")
    notifications = tuple(
        func.pg_notify(NOTIFY_CHANNEL, bindparam(f"e{n}_notice", type_=String))
        for n in range(count)
    )
    return inserted, notifications


def event_parameters(events: Sequence[Event]) -> dict[str, Any]:
    """The parameters of `inserted_and_notified(len(events))` for these events."""
    columns = Event.__table__.columns  # type: ignore[attr-defined]
    parameters: dict[str, Any] = {}
    for n, event in enumerate(events):
        # The event's attributes are its column names.
        parameters.update(
            {f"e{n}_{column.name}": getattr(event, column.name) for column in columns}
        )
        parameters[f"e{n}_notice"] = _notice(event).encode()
    return parameters


@cache
def _notified_insert() -> Any:
    inserted, notifications = inserted_and_notified(1)
    return select(*notifications).add_cte(inserted)


def announce(session: AsyncSession, events: Sequence[Event]) -> None:
    """Note events this transaction wrote, for the broker once it commits."""
    session.info.setdefault(_RECORDED, []).extend(_notice(event) for event in events)


def _notice(event: Event) -> EventNotice:
    return EventNotice(event.conversation_id, event.sequence, event.owner)


def recorded_events(session: AsyncSession) -> list[EventNotice]:
    """The events this session's transaction wrote, in order."""
    return list(session.info.get(_RECORDED, []))


async def events_after(
    session: AsyncSession,
    owner: str | None,
    conversation_id: uuid.UUID,
    after: int,
    *,
    limit: int = 500,
) -> list[Event]:
    """The owner's events of one conversation with after < sequence, in order."""
    conditions = [
        Event.conversation_id == conversation_id,
        _event_of(owner),
        Event.sequence > after,
    ]
    statement = select(Event).where(*conditions).order_by(Event.sequence).limit(limit)  # type: ignore[arg-type]
    return list((await session.scalars(statement)).all())


async def events_of(session: AsyncSession, notices: Sequence[EventNotice]) -> list[Event]:
    """The events the notices announce, per conversation in sequence order."""
    by_conversation: dict[uuid.UUID, list[int]] = {}
    for notice in notices:
        by_conversation.setdefault(notice.conversation_id, []).append(notice.sequence)
    if not by_conversation:
        return []
    statement = (
        select(Event)
        .where(
            or_(
                *(
                    and_(Event.conversation_id == conversation_id, Event.sequence.in_(sequences))  # type: ignore[attr-defined]
                    for conversation_id, sequences in by_conversation.items()
                )
            )
        )
        .order_by(Event.conversation_id, Event.sequence)
    )
    return list((await session.scalars(statement)).all())


@dataclass(frozen=True)
class StreamStart:
    """Where a subscriber to one conversation stands when it subscribes."""

    visible: bool
    latest: int
    oldest_retained: int | None
    deleted: bool


def _event_of(owner: str | None) -> ColumnElement[bool]:
    """The events `owner` may see; None (an admin): everyone's."""
    return Event.owner == owner if owner is not None else true()  # type: ignore[return-value]


async def stream_start(
    session: AsyncSession, owner: str | None, conversation_id: uuid.UUID
) -> StreamStart:
    """Whether `owner` may follow the conversation, its latest and oldest kept sequences.

    A deleted conversation stays followable by its owner while its events are kept, so
    that a client resuming after the deletion still gets the final event.
    """
    exists_now = await session.scalar(
        select(Conversation.id).where(Conversation.id == conversation_id, owned_by(owner))
    )
    row = (
        await session.execute(
            select(func.min(Event.sequence), func.max(Event.sequence)).where(
                Event.conversation_id == conversation_id, _event_of(owner)
            )
        )
    ).one()
    oldest, latest = row
    deleted = exists_now is None and latest is not None
    return StreamStart(
        visible=exists_now is not None or deleted,
        latest=latest or 0,
        oldest_retained=oldest,
        deleted=deleted,
    )


async def prune_events(session: AsyncSession, retention: timedelta, batch_size: int) -> int:
    """Delete up to `batch_size` events older than `retention`; returns how many went.

    A conversation's latest event stays (its sequence is where the next one continues)
    unless it is the deletion of the conversation, after which nothing more comes.
    """
    cutoff: datetime = utcnow() - retention
    newer = aliased(Event, name="newer")
    doomed = (
        select(Event.id)
        .where(
            Event.created_at < cutoff,
            or_(
                Event.kind == EventKind.CONVERSATION_DELETED.value,
                exists(
                    select(newer.id).where(
                        newer.conversation_id == Event.conversation_id,
                        newer.sequence > Event.sequence,
                    )
                ),
            ),
        )
        .limit(batch_size)
    )
    return await delete_events(session, doomed)


async def delete_events(session: AsyncSession, doomed: Select[tuple[int]]) -> int:
    """Delete the events whose ids `doomed` selects (one bounded batch); returns how many
    went. PostgreSQL's DELETE takes no LIMIT, so the batch's ids are read first."""
    ids = list((await session.scalars(doomed)).all())
    if ids:
        await session.execute(
            delete(Event).where(Event.id.in_(ids)).execution_options(synchronize_session=False)  # type: ignore[attr-defined]
        )
    return len(ids)
