"""Subscriptions: replay a conversation's events from the table, then follow them live.

The subscriber registers with the broker before it reads the table, so nothing committed
after the read can slip past; events it has already delivered are skipped by sequence, and
a gap (a missed notice) is filled from the table. Hence no event is lost or repeated.
"""

import uuid
from collections.abc import AsyncIterator

from convograph.broker import RESYNC, EventBroker, Subscriber, SubscriberOverflow
from convograph.context import Context
from convograph.db.events import EventKind, events_after, stream_start
from convograph.db.tables import Event
from convograph.schema.events import ConversationChange, ConversationEvent
from convograph.schema.request_errors import BadUserInput, FellBehind, UnknownId
from convograph.schema.types import Info

REPLAY_PAGE_SIZE = 500


def _broker(context: Context) -> EventBroker:
    if context.broker is None:
        raise RuntimeError("subscriptions need the context's event broker")
    return context.broker


async def conversation_events(
    info: Info, conversation_id: uuid.UUID, after_sequence: int | None
) -> AsyncIterator[ConversationEvent]:
    context = info.context
    if after_sequence is not None and after_sequence < 0:
        raise BadUserInput(f"`afterSequence` must not be negative, got {after_sequence}.")
    subscriber = _broker(context).subscribe_to_conversation(conversation_id)
    try:
        last = await _starting_sequence(context, conversation_id, after_sequence)
        if after_sequence is None:
            # Registered and positioned: from here on nothing is missed, and the client
            # knows it without waiting for a first change.
            yield ConversationEvent.live(conversation_id, last)
        async for row in _follow(context, subscriber, conversation_id, last):
            context.refresh_loaders()
            yield ConversationEvent.from_row(row)
    finally:
        subscriber.close()


async def _starting_sequence(
    context: Context, conversation_id: uuid.UUID, after_sequence: int | None
) -> int:
    async with context.database.read() as session:
        start = await stream_start(session, context.owner, conversation_id)
    # Someone else's conversation reads as unknown; so does a deleted one, unless a client
    # resumes from before its deletion.
    if not start.visible or (start.deleted and after_sequence is None):
        raise UnknownId(f"No conversation with id {conversation_id}.")
    if after_sequence is None:
        return start.latest
    if after_sequence > start.latest:
        raise BadUserInput(
            f"`afterSequence` {after_sequence} is beyond the latest event, {start.latest}."
        )
    if start.oldest_retained is not None and after_sequence < start.oldest_retained - 1:
        raise BadUserInput(
            f"Events after {after_sequence} are no longer kept (the oldest is"
            f" {start.oldest_retained}): read the conversation afresh and subscribe without"
            " `afterSequence`."
        )
    return after_sequence


async def _follow(
    context: Context, subscriber: Subscriber, conversation_id: uuid.UUID, last: int
) -> AsyncIterator[Event]:
    """Events after `last`, in order, until the conversation is deleted."""
    catching_up = True
    while True:
        if catching_up:
            async for row in _read_after(context, conversation_id, last):
                yield row
                last = row.sequence
                if row.kind == EventKind.CONVERSATION_DELETED:
                    return
            catching_up = False
        item = await _next(subscriber)
        if item is RESYNC:
            catching_up = True
        elif item.sequence == last + 1:
            yield item
            last = item.sequence
            if item.kind == EventKind.CONVERSATION_DELETED:
                return
        elif item.sequence > last + 1:
            # A notice went missing (or is late): the table has everything up to this one.
            catching_up = True


async def _read_after(
    context: Context, conversation_id: uuid.UUID, last: int
) -> AsyncIterator[Event]:
    """The table's events after `last`, a page at a time, holding no session while yielding."""
    while True:
        async with context.database.read() as session:
            page = await events_after(
                session, context.owner, conversation_id, last, limit=REPLAY_PAGE_SIZE
            )
        for row in page:
            yield row
            last = row.sequence
        if len(page) < REPLAY_PAGE_SIZE:
            return


async def _next(subscriber: Subscriber) -> Event | object:
    try:
        return await subscriber.next()
    except SubscriberOverflow:
        raise FellBehind(
            f"This subscriber fell more than {subscriber.broker.queue_size} events behind and"
            " its stream was ended: subscribe again with `afterSequence` set to the last"
            " sequence you received."
        ) from None


async def conversations_changed(info: Info) -> AsyncIterator[ConversationChange]:
    """Live changes of the caller's conversations; no replay (re-read the overview instead)."""
    context = info.context
    subscriber = _broker(context).subscribe_to_owner(context.owner)
    try:
        while True:
            item = await _next(subscriber)
            if isinstance(item, Event):
                context.refresh_loaders()
                yield ConversationChange.from_row(item)
    finally:
        subscriber.close()
