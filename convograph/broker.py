"""Waking this process's subscribers when events commit, in this process or any other.

The event table is the truth; the broker only carries news of it. A notice (conversation,
sequence, owner) arrives after the commit: from PostgreSQL's LISTEN/NOTIFY (one listening
connection per process), or on SQLite from the unit of work in this same process. The
broker reads the announced rows once and hands them to every interested subscriber's
bounded queue. A subscriber that sees a gap, or is told to resync, reads the table itself,
so a lost notice only costs a read, never an event. Subscribers that read the table at
once with the same arguments (thousands resubscribing after a restart) share one read.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from enum import Enum
from typing import Any, TypeVar

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.engine import Database
from convograph.db.events import NOTIFY_CHANNEL, EventNotice, events_of
from convograph.db.tables import Event

logger = logging.getLogger("convograph.broker")
T = TypeVar("T")

LISTEN_HEALTH_CHECK_SECONDS = 15.0
MAX_RECONNECT_DELAY_SECONDS = 10.0
NOTICES_PER_READ = 500
# How the listening connection shows in pg_stat_activity.
LISTENER_APPLICATION_NAME = "convograph-events"


class Resync(Enum):
    """Notices may have been missed: read the table from where you are."""

    RESYNC = "resync"


RESYNC = Resync.RESYNC


class SubscriberOverflow(Exception):
    """The subscriber fell more than its queue's size behind."""


class SubscriptionLimit(Exception):
    """The subject already holds as many subscriptions in this process as it may."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class Subscriber:
    """One stream's inbox: the events for it, bounded; once full it is closed for good."""

    def __init__(
        self,
        broker: "EventBroker",
        conversation_id: uuid.UUID | None,
        owner: str | None,
        size: int,
        subject: str = "",
    ) -> None:
        self.broker = broker
        self.conversation_id = conversation_id
        self.owner = owner
        self.subject = subject
        self.closed = False
        self.overflowed = False
        self._queue: asyncio.Queue[Event | Resync] = asyncio.Queue(size)

    def offer(self, item: Event | Resync) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True

    async def next(self) -> Event | Resync:
        if self.overflowed:
            raise SubscriberOverflow
        return await self._queue.get()

    def close(self) -> None:
        self.broker._remove(self)


class SharedReads:
    """Reads of the event table that many subscribers ask for at once, made once.

    A caller joins a read of the same key only while that read still waits for its
    connection: the read's statements then begin after the caller registered with the
    broker, so they see everything committed before that, as the caller's own read would.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._waiting: dict[Hashable, asyncio.Future[Any]] = {}
        self._running: set[asyncio.Task[None]] = set()

    async def read(self, key: Hashable, read: Callable[[AsyncSession], Awaitable[T]]) -> T:
        shared = self._waiting.get(key)
        if shared is None:
            shared = self._waiting[key] = asyncio.get_running_loop().create_future()
            # Its own task: a caller that leaves does not cancel it for the others.
            task = asyncio.create_task(self._run(key, shared, read))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        result: T = await asyncio.shield(shared)
        return result

    async def _run(
        self,
        key: Hashable,
        shared: "asyncio.Future[T]",
        read: Callable[[AsyncSession], Awaitable[T]],
    ) -> None:
        try:
            async with self.database.read() as session:
                await session.connection()
                # From here on a caller may have registered after the statements began.
                self._forget(key, shared)
                shared.set_result(await read(session))
        except Exception as error:  # every caller gets it (a SERVICE_UNAVAILABLE, mostly)
            if not shared.done():
                shared.set_exception(error)
                # Retrieved, so that a read no caller waits for any more logs no warning.
                shared.exception()
        finally:
            self._forget(key, shared)
            if not shared.done():
                shared.cancel()

    def _forget(self, key: Hashable, shared: "asyncio.Future[Any]") -> None:
        if self._waiting.get(key) is shared:
            del self._waiting[key]


class EventBroker:
    """The in-process broker: enough for one process (SQLite); the base of the PostgreSQL one."""

    def __init__(
        self, database: Database, queue_size: int, max_per_subject: int | None = None
    ) -> None:
        self.database = database
        self.queue_size = queue_size
        self.max_per_subject = max_per_subject
        self._held: dict[str, int] = {}
        self._by_conversation: dict[uuid.UUID, set[Subscriber]] = {}
        self._by_owner: dict[str, set[Subscriber]] = {}
        # Admins' `conversationsChanged`: every owner's changes.
        self._everyone: set[Subscriber] = set()
        self._notices: asyncio.Queue[EventNotice] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self.reads = SharedReads(database)

    @property
    def subscriber_count(self) -> int:
        return (
            sum(map(len, self._by_conversation.values()))
            + sum(map(len, self._by_owner.values()))
            + len(self._everyone)
        )

    def subscribe_to_conversation(
        self, conversation_id: uuid.UUID, subject: str = ""
    ) -> Subscriber:
        subscriber = Subscriber(self, conversation_id, None, self.queue_size, self._hold(subject))
        self._by_conversation.setdefault(conversation_id, set()).add(subscriber)
        return subscriber

    def subscribe_to_owner(self, owner: str | None, subject: str = "") -> Subscriber:
        """Every change of `owner`'s conversations; None (an admin): of everyone's."""
        subscriber = Subscriber(self, None, owner, self.queue_size, self._hold(subject))
        if owner is None:
            self._everyone.add(subscriber)
        else:
            self._by_owner.setdefault(owner, set()).add(subscriber)
        return subscriber

    def _hold(self, subject: str) -> str:
        """Count one more subscription of `subject`, if it may hold one more."""
        held = self._held.get(subject, 0)
        if self.max_per_subject is not None and held >= self.max_per_subject:
            raise SubscriptionLimit(self.max_per_subject)
        self._held[subject] = held + 1
        return subject

    def _release(self, subject: str) -> None:
        held = self._held.get(subject, 0) - 1
        if held > 0:
            self._held[subject] = held
        else:
            self._held.pop(subject, None)

    def _remove(self, subscriber: Subscriber) -> None:
        if subscriber.closed:
            return
        subscriber.closed = True
        self._release(subscriber.subject)
        self._everyone.discard(subscriber)
        for index, key in (
            (self._by_conversation, subscriber.conversation_id),
            (self._by_owner, subscriber.owner),
        ):
            if key is None or key not in index:
                continue
            index[key].discard(subscriber)  # type: ignore[index]
            if not index[key]:  # type: ignore[index]
                del index[key]  # type: ignore[arg-type]

    def committed(self, notices: Sequence[EventNotice]) -> None:
        """A transaction of this process committed these events."""
        for notice in notices:
            self._notices.put_nowait(notice)

    def resync_all(self) -> None:
        for subscriber in self._subscribers():
            subscriber.offer(RESYNC)

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._dispatch_forever(), name="event-dispatch"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def _subscribers(self) -> Iterable[Subscriber]:
        for subscribers in [
            *self._by_conversation.values(),
            *self._by_owner.values(),
            self._everyone,
        ]:
            yield from list(subscribers)

    def _wanted(self, notice: EventNotice) -> bool:
        return (
            bool(self._everyone)
            or notice.conversation_id in self._by_conversation
            or notice.owner in self._by_owner
        )

    async def _dispatch_forever(self) -> None:
        while True:
            notices = [await self._notices.get()]
            while not self._notices.empty() and len(notices) < NOTICES_PER_READ:
                notices.append(self._notices.get_nowait())
            wanted = [notice for notice in notices if self._wanted(notice)]
            if not wanted:
                continue
            try:
                async with self.database.read() as session:
                    events = await events_of(session, wanted)
            except Exception:  # the database is away: subscribers re-read when they can
                logger.exception("could not read announced events")
                self.resync_all()
                continue
            for event in events:
                for subscriber in self._interested_in(event):
                    subscriber.offer(event)

    def _interested_in(self, event: Event) -> list[Subscriber]:
        return [
            *self._by_conversation.get(event.conversation_id, ()),
            *self._by_owner.get(event.owner, ()),
            *self._everyone,
        ]


class PostgresEventBroker(EventBroker):
    """Woken by NOTIFY through one LISTEN connection per process, which reconnects if it drops.

    Every process hears its own commits the same way, so `committed` has nothing to do.
    """

    def __init__(
        self, database: Database, queue_size: int, max_per_subject: int | None = None
    ) -> None:
        super().__init__(database, queue_size, max_per_subject)
        url = make_url(database.url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._conninfo_options = {"application_name": LISTENER_APPLICATION_NAME}
        self.listening = asyncio.Event()

    def committed(self, notices: Sequence[EventNotice]) -> None:
        """NOTIFY brings these, in the same order as every other process sees them."""

    async def start(self) -> None:
        await super().start()
        self._tasks.append(asyncio.create_task(self._listen_forever(), name="event-listen"))

    async def _listen_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._listen()
            except Exception as error:  # any failure: reconnect, then everyone re-reads
                logger.warning("event LISTEN connection lost (%s); reconnecting", error)
            if self.listening.is_set():
                delay = 0.5
            self.listening.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY_SECONDS)

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, **self._conninfo_options
        ) as connection:
            await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.listening.set()
            # Whatever committed while no one was listening is in the table.
            self.resync_all()
            while True:
                # Notices that arrive during the health check wait in psycopg's backlog
                # and come out of the next notifies().
                async for notify in connection.notifies(timeout=LISTEN_HEALTH_CHECK_SECONDS):
                    self._heard(notify)
                await connection.execute("SELECT 1")

    def _heard(self, notify: psycopg.Notify) -> None:
        try:
            self._notices.put_nowait(EventNotice.decode(notify.payload))
        except ValueError:
            logger.warning("ignored a malformed event notice: %r", notify.payload)


def create_broker(
    database: Database, queue_size: int, max_per_subject: int | None = None
) -> EventBroker:
    """`max_per_subject`: how many subscriptions one subject may hold in this process."""
    if database.dialect == "postgresql":
        return PostgresEventBroker(database, queue_size, max_per_subject)
    return EventBroker(database, queue_size, max_per_subject)
