"""Subscriptions: replay a conversation's events from the table, then follow them live.

The subscriber registers with the broker before it reads the table, so nothing committed
after the read can slip past; events it has already delivered are skipped by sequence, and
a gap (a missed notice) is filled from the table. Hence no event is lost or repeated.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import TypeVar

from convograph.broker import (
    RESYNC,
    EventBroker,
    Subscriber,
    SubscriberOverflow,
    SubscriptionLimit,
)
from convograph.context import Context
from convograph.db.events import EventKind, events_after, stream_start
from convograph.db.tables import Event
from convograph.schema.events import ConversationChange, ConversationEvent
from convograph.schema.request_errors import (
    BadUserInput,
    FellBehind,
    TooManySubscriptions,
    UnknownId,
)
from convograph.schema.types import Info

REPLAY_PAGE_SIZE = 500
PAYLOADS_ATTRIBUTE = "_subscription_payloads"
# Where a shared payload keeps the execution results made from it (api.shared_events).
RESULTS_ATTRIBUTE = "_shared_results"

T = TypeVar("T")


def shareable(payload: T) -> T:
    """Mark a subscription payload as one that every subscriber of its event receives."""
    setattr(payload, RESULTS_ATTRIBUTE, {})
    return payload


def _presented(row: Event, present: Callable[[Event], T]) -> T:
    """`present(row)`, made once per row: the broker hands one row object to every
    subscriber of its conversation, and so each gets the same shareable payload (whose
    execution result they then share, see api.shared_events)."""
    payloads: dict[object, object] | None = getattr(row, PAYLOADS_ATTRIBUTE, None)
    if payloads is None:
        payloads = {}
        object.__setattr__(row, PAYLOADS_ATTRIBUTE, payloads)
    payload = payloads.get(present)
    if payload is None:
        payload = payloads[present] = shareable(present(row))
    return payload  # type: ignore[return-value]


def _broker(context: Context) -> EventBroker:
    if context.broker is None:
        raise RuntimeError("subscriptions need the context's event broker")
    return context.broker


def _subscribe(context: Context, conversation_id: uuid.UUID | None) -> Subscriber:
    broker = _broker(context)
    try:
        if conversation_id is not None:
            return broker.subscribe_to_conversation(conversation_id, context.subject)
        return broker.subscribe_to_owner(context.owner, context.subject)
    except SubscriptionLimit as error:
        raise TooManySubscriptions(
            f"You already hold {error.limit} subscriptions on this server, the most one"
            " owner may: end one first."
        ) from None


async def conversation_events(
    info: Info, conversation_id: uuid.UUID, after_sequence: int | None
) -> AsyncIterator[ConversationEvent]:
    context = info.context
    if after_sequence is not None and after_sequence < 0:
        raise BadUserInput(f"`afterSequence` must not be negative, got {after_sequence}.")
    subscriber = _subscribe(context, conversation_id)
    try:
        last = await _starting_sequence(context, conversation_id, after_sequence)
        if after_sequence is None:
            # Registered and positioned: from here on nothing is missed, and the client
            # knows it without waiting for a first change.
            yield ConversationEvent.live(conversation_id, last)
        async for row in _follow(context, subscriber, conversation_id, last):
            context.refresh_loaders()
            yield _presented(row, ConversationEvent.from_row)
    finally:
        subscriber.close()


async def _starting_sequence(
    context: Context, conversation_id: uuid.UUID, after_sequence: int | None
) -> int:
    owner = context.owner
    start = await _broker(context).reads.read(
        ("start", owner, conversation_id),
        partial(stream_start, owner=owner, conversation_id=conversation_id),
    )
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
    """The table's events after `last`, a page at a time, holding no session while yielding
    (one read for every subscriber that asks for the same page at once)."""
    owner = context.owner
    while True:
        page = await _broker(context).reads.read(
            ("after", owner, conversation_id, last),
            partial(
                events_after,
                owner=owner,
                conversation_id=conversation_id,
                after=last,
                limit=REPLAY_PAGE_SIZE,
            ),
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
    """Live changes of the caller's conversations, after a first LIVE item; no replay
    (re-read the overview after the LIVE item instead)."""
    context = info.context
    subscriber = _subscribe(context, None)
    try:
        yield ConversationChange.live()
        while True:
            item = await _next(subscriber)
            if isinstance(item, Event):
                context.refresh_loaders()
                yield _presented(item, ConversationChange.from_row)
    finally:
        subscriber.close()
