"""Subscriptions in process (schema.subscribe): replay, live, no gap, no duplicate, owners,
overflow, deletion, retention; on SQLite and PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text, update

from convograph.api import schema
from convograph.broker import LISTENER_APPLICATION_NAME, EventBroker, create_broker
from convograph.context import Context
from convograph.db.engine import Database
from convograph.db.tables import Event, utcnow
from convograph.retention import prune_old_events
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.databases import POSTGRES_URL
from tests.documents import (
    CONVERSATION_EVENTS,
    CONVERSATIONS_CHANGED,
    DELETE_BRANCH,
    DELETE_CONVERSATION,
    DELETE_MESSAGE,
    FORK_CONVERSATION,
    RENAME_BRANCH,
    SET_CURRENT_BRANCH,
    UPDATE_CONVERSATION,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import add_message, create_conversation, edit_message

WAIT_SECONDS = 10.0


class BrokeredClient(GraphQLClient):
    """Runs documents with the broker in the context, as the server does."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        broker: EventBroker | None,
        owner: str,
        *,
        admin: bool = False,
    ) -> None:
        super().__init__(database, settings, owner, admin=admin)
        self.broker = broker

    def context(self, settings: Settings | None = None) -> Context:
        return Context(
            database=self.database,
            settings=settings or self.settings,
            principal=self.principal,
            broker=self.broker,
        )

    async def subscribe(self, document: str, **variables: Any) -> AsyncIterator[Any]:
        return await schema.subscribe(  # type: ignore[return-value]
            document, variable_values=variables, context_value=self.context()
        )


async def started_broker(database: Database, queue_size: int = 1000) -> EventBroker:
    broker = create_broker(database, queue_size)
    await broker.start()
    listening = getattr(broker, "listening", None)
    if listening is not None:
        await asyncio.wait_for(listening.wait(), WAIT_SECONDS)
    return broker


@pytest.fixture
async def broker(database: Database) -> AsyncIterator[EventBroker]:
    broker = await started_broker(database)
    yield broker
    await broker.stop()


@pytest.fixture
def client(database: Database, settings: Settings, broker: EventBroker) -> BrokeredClient:
    return BrokeredClient(database, settings, broker, "local")


async def next_result(stream: AsyncIterator[Any]) -> Any:
    return await asyncio.wait_for(anext(stream), WAIT_SECONDS)


async def live_changes(stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """A conversationsChanged stream once it is live: its first item, LIVE, has come."""
    first = (await next_result(stream)).data["conversationsChanged"]
    assert first == {"kind": "LIVE", "conversationId": None, "conversation": None, "event": None}
    return stream


async def next_events(stream: AsyncIterator[Any], count: int) -> list[dict[str, Any]]:
    events = []
    for _ in range(count):
        result = await next_result(stream)
        assert result.errors is None, [error.formatted for error in result.errors]
        events.append(result.data["conversationEvents"])
    return events


async def ended(stream: AsyncIterator[Any]) -> bool:
    try:
        await next_result(stream)
    except StopAsyncIteration:
        return True
    return False


async def test_replays_after_a_sequence_then_continues_live(client: BrokeredClient) -> None:
    # given a conversation with two messages (events 1-3)
    conversation = await create_conversation(client)
    first = await add_message(client, conversation["id"], "one")
    await add_message(client, conversation["id"], "two")
    # when a client resumes after the first event
    stream = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=1
    )
    replayed = await next_events(stream, 2)
    live_message = await add_message(client, conversation["id"], "three")
    [live] = await next_events(stream, 1)
    # then
    assert [(e["sequence"], e["kind"]) for e in replayed] == [
        (2, "MESSAGE_ADDED"),
        (3, "MESSAGE_ADDED"),
    ]
    assert replayed[0]["message"] == {"id": first["message"]["id"], "content": "one"}
    assert replayed[0]["branch"]["id"] == first["branch"]["id"]
    assert (live["sequence"], live["message"]["id"]) == (4, live_message["message"]["id"])
    await stream.aclose()


async def test_without_after_sequence_only_new_events_come(client: BrokeredClient) -> None:
    # given
    conversation = await create_conversation(client)
    await add_message(client, conversation["id"], "before")
    stream = await client.subscribe(CONVERSATION_EVENTS, conversationId=conversation["id"])
    [live] = await next_events(stream, 1)
    # when
    await add_message(client, conversation["id"], "after")
    # then the first item says it is live, at the version then; the write follows it
    [event] = await next_events(stream, 1)
    assert (live["kind"], live["sequence"], live["messageId"]) == ("LIVE", 2, None)
    assert (event["sequence"], event["message"]["content"]) == (3, "after")
    await stream.aclose()


async def test_concurrent_writes_arrive_once_each_in_order(client: BrokeredClient) -> None:
    # given a subscriber resuming from 0 while a writer appends 20 messages
    conversation = await create_conversation(client)

    async def write() -> None:
        for index in range(20):
            await add_message(client, conversation["id"], f"m{index}")

    writer = asyncio.ensure_future(write())
    stream = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=0
    )
    # when
    events = await next_events(stream, 21)
    await writer
    # then: every event exactly once, in order
    assert [e["sequence"] for e in events] == list(range(1, 22))
    assert [e["message"]["content"] for e in events[1:]] == [f"m{i}" for i in range(20)]
    await stream.aclose()


async def waiting_for_two_events(
    client: BrokeredClient, conversation_id: str
) -> tuple[AsyncIterator[Any], asyncio.Future[list[dict[str, Any]]]]:
    """A subscription after the conversation's first event, and its next two events to come
    (given time to subscribe before anything is written)."""
    stream = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation_id, afterSequence=1
    )
    pending = asyncio.ensure_future(next_events(stream, 2))
    await asyncio.sleep(0.2)
    return stream, pending


async def test_a_missed_notice_is_filled_from_the_table(
    client: BrokeredClient, database: Database, settings: Settings
) -> None:
    # given a subscriber, and a write made by a client that tells no broker (on SQLite no
    # notice at all; on PostgreSQL NOTIFY still wakes the subscriber)
    conversation = await create_conversation(client)
    stream, pending = await waiting_for_two_events(client, conversation["id"])
    silent = BrokeredClient(database, settings, None, "local")
    # when
    await add_message(silent, conversation["id"], "unannounced")
    await add_message(client, conversation["id"], "announced")
    # then
    events = await pending
    assert [(e["sequence"], e["message"]["content"]) for e in events] == [
        (2, "unannounced"),
        (3, "announced"),
    ]
    await stream.aclose()


async def test_every_change_writes_an_event(client: BrokeredClient) -> None:
    # given
    conversation = await create_conversation(client)
    cid = conversation["id"]
    main = conversation["currentBranch"]["id"]
    root = (await add_message(client, cid, "root"))["message"]
    reply = (await add_message(client, cid, "reply"))["message"]
    edited = await edit_message(client, reply["id"], "reply, edited")
    await client.data(
        UPDATE_MESSAGE_METADATA, input={"messageId": root["id"], "metadata": {"a": 1}}
    )
    await client.data(SET_CURRENT_BRANCH, input={"conversationId": cid, "branchId": main})
    await client.data(RENAME_BRANCH, input={"branchId": main, "name": "main"})
    await client.data(UPDATE_CONVERSATION, input={"id": cid, "title": "renamed"})
    fork = (await client.data(FORK_CONVERSATION, input={"messageId": root["id"]}))[
        "forkConversation"
    ]
    await client.data(DELETE_BRANCH, input={"branchId": edited["branch"]["id"]})
    await client.data(DELETE_MESSAGE, input={"messageId": reply["id"]})
    await client.data(DELETE_CONVERSATION, input={"id": cid})
    # when the whole history is replayed
    stream = await client.subscribe(CONVERSATION_EVENTS, conversationId=cid, afterSequence=0)
    events = await next_events(stream, 14)
    # then
    assert [e["kind"] for e in events] == [
        "CONVERSATION_CREATED",
        "MESSAGE_ADDED",
        "MESSAGE_ADDED",
        "BRANCH_CREATED",
        "MESSAGE_EDITED",
        "CURRENT_BRANCH_CHANGED",
        "MESSAGE_METADATA_UPDATED",
        "CURRENT_BRANCH_CHANGED",
        "BRANCH_RENAMED",
        "CONVERSATION_UPDATED",
        "CONVERSATION_FORKED",
        "BRANCH_DELETED",
        "MESSAGE_DELETED",
        "CONVERSATION_DELETED",
    ]
    assert [e["sequence"] for e in events] == list(range(1, 15))
    assert await ended(stream)
    forked = fork["conversation"]["id"]
    fork_stream = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=forked, afterSequence=0
    )
    [created] = await next_events(fork_stream, 1)
    assert created["kind"] == "CONVERSATION_CREATED"
    assert created["data"] == {"forkedFromConversationId": cid}
    await fork_stream.aclose()


async def test_someone_elses_conversation_looks_unknown(
    client: BrokeredClient, database: Database, settings: Settings, broker: EventBroker
) -> None:
    # given a conversation of "local", and a stranger
    conversation = await create_conversation(client)
    stranger = BrokeredClient(database, settings, broker, "stranger")
    unknown = "00000000-0000-4000-8000-000000000000"
    # when
    foreign = await next_result(
        await stranger.subscribe(
            CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=0
        )
    )
    missing = await next_result(
        await stranger.subscribe(CONVERSATION_EVENTS, conversationId=unknown)
    )
    # then both fail alike, with no data
    assert foreign.data is None and missing.data is None
    assert [e.formatted["extensions"] for e in foreign.errors] == [{"code": "NOT_FOUND"}]
    assert [e.formatted["extensions"] for e in missing.errors] == [{"code": "NOT_FOUND"}]
    assert foreign.errors[0].message == f"No conversation with id {conversation['id']}."


async def test_an_owner_sees_only_its_own_changes(
    client: BrokeredClient, database: Database, settings: Settings, broker: EventBroker
) -> None:
    # given a subscriber for each of two owners
    other = BrokeredClient(database, settings, broker, "other")
    mine = await live_changes(await client.subscribe(CONVERSATIONS_CHANGED))
    theirs = await live_changes(await other.subscribe(CONVERSATIONS_CHANGED))
    my_next = asyncio.ensure_future(next_result(mine))
    their_next = asyncio.ensure_future(next_result(theirs))
    # when each creates a conversation, theirs first
    their_conversation = await create_conversation(other, title="theirs")
    my_conversation = await create_conversation(client, title="mine")
    # then
    my_change = (await my_next).data["conversationsChanged"]
    their_change = (await their_next).data["conversationsChanged"]
    assert my_change == {
        "kind": "CREATED",
        "conversationId": my_conversation["id"],
        "conversation": {"id": my_conversation["id"], "title": "mine"},
        "event": {"sequence": 1, "kind": "CONVERSATION_CREATED"},
    }
    assert their_change["conversationId"] == their_conversation["id"]
    # when mine is updated and deleted
    await client.data(UPDATE_CONVERSATION, input={"id": my_conversation["id"], "title": "new"})
    updated = (await next_result(mine)).data["conversationsChanged"]
    await client.data(DELETE_CONVERSATION, input={"id": my_conversation["id"]})
    deleted = (await next_result(mine)).data["conversationsChanged"]
    # then
    assert (updated["kind"], updated["conversation"]["title"]) == ("UPDATED", "new")
    assert (deleted["kind"], deleted["conversation"]) == ("DELETED", None)
    await mine.aclose()
    await theirs.aclose()


async def test_deleting_a_conversation_ends_its_streams(client: BrokeredClient) -> None:
    # given two subscribers of one conversation
    conversation = await create_conversation(client)
    streams = [
        await client.subscribe(
            CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=1
        )
        for _ in range(2)
    ]
    pending = [asyncio.ensure_future(next_events(stream, 1)) for stream in streams]
    await asyncio.sleep(0.2)
    # when
    await client.data(DELETE_CONVERSATION, input={"id": conversation["id"]})
    # then each gets the final event, and its stream ends
    for stream, events in zip(streams, pending, strict=True):
        [event] = await events
        assert (event["sequence"], event["kind"]) == (2, "CONVERSATION_DELETED")
        assert event["data"] == {"deletedMessageCount": 0, "deletedBranchCount": 1}
        assert await ended(stream)
    # and a client resuming from before the deletion still gets it, then the end
    late = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=1
    )
    assert [e["kind"] for e in await next_events(late, 1)] == ["CONVERSATION_DELETED"]
    assert await ended(late)
    # but a new subscriber without a sequence finds no such conversation
    gone = await next_result(
        await client.subscribe(CONVERSATION_EVENTS, conversationId=conversation["id"])
    )
    assert gone.errors[0].formatted["extensions"] == {"code": "NOT_FOUND"}


async def test_a_subscriber_that_falls_behind_is_ended_with_a_clear_error(
    database: Database, settings: Settings
) -> None:
    # given a broker whose subscribers may fall 3 events behind, and a subscriber that
    # reads one event and then stops reading
    broker = await started_broker(database, queue_size=3)
    client = BrokeredClient(database, settings, broker, "local")
    conversation = await create_conversation(client)
    stream = await client.subscribe(CONVERSATION_EVENTS, conversationId=conversation["id"])
    await next_events(stream, 1)  # LIVE
    first = asyncio.ensure_future(next_events(stream, 1))
    await asyncio.sleep(0.2)
    # when 8 events are written
    for index in range(8):
        await add_message(client, conversation["id"], f"m{index}")
    await _until(lambda: broker._notices.empty())
    await asyncio.sleep(0.2)
    # then it gets what it read, then LIMIT_EXCEEDED, and its stream ends
    assert [e["sequence"] for e in await first] == [2]
    result = await next_result(stream)
    assert result.errors[0].formatted["extensions"] == {"code": "LIMIT_EXCEEDED"}
    assert "afterSequence" in result.errors[0].message
    assert await ended(stream)
    assert broker.subscriber_count == 0
    await broker.stop()


async def test_an_event_over_the_response_cap_is_one_limit_error_and_the_stream_goes_on(
    client: BrokeredClient, database: Database, settings: Settings, broker: EventBroker
) -> None:
    # given a subscriber whose responses may be at most 20,000 bytes, each event with
    # the content of its message
    capped = settings.model_copy(update={"max_response_bytes": 20_000})
    subscriber = BrokeredClient(database, capped, broker, "local")
    conversation = await create_conversation(client)
    stream = await subscriber.subscribe(CONVERSATION_EVENTS, conversationId=conversation["id"])
    await next_events(stream, 1)  # LIVE
    # when a message of 30,000 characters is added between two small ones
    for content in ("small", "x" * 30_000, "small again"):
        await add_message(client, conversation["id"], content)
    # then the large one's event is that one error, and the stream goes on after it
    [before] = await next_events(stream, 1)
    assert before["message"]["content"] == "small"
    large = await next_result(stream)
    assert large.data is None
    [error] = [error.formatted for error in large.errors]
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED"}
    assert "exceed 20000 bytes" in error["message"]
    [after] = await next_events(stream, 1)
    assert after["message"]["content"] == "small again"
    await stream.aclose()  # type: ignore[attr-defined]


async def test_old_events_are_pruned_but_each_latest_stays(
    client: BrokeredClient, database: Database
) -> None:
    # given a conversation whose events 1-3 are ten days old
    conversation = await create_conversation(client)
    await add_message(client, conversation["id"], "one")
    await add_message(client, conversation["id"], "two")
    async with database.transaction() as session:
        await session.execute(update(Event).values(created_at=utcnow() - timedelta(days=10)))
    # when events older than 7 days are pruned
    deleted = await prune_old_events(database, timedelta(days=7))
    # then the latest stays, so sequences continue where they were
    assert deleted == 2
    await add_message(client, conversation["id"], "three")
    stream = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=2
    )
    assert [e["sequence"] for e in await next_events(stream, 2)] == [3, 4]
    await stream.aclose()
    # and resuming from before what is kept is refused, not silently gappy
    stale = await client.subscribe(
        CONVERSATION_EVENTS, conversationId=conversation["id"], afterSequence=0
    )
    result = await next_result(stale)
    assert result.errors[0].formatted["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "no longer kept" in result.errors[0].message


async def _until(condition: Any) -> None:
    async with asyncio.timeout(WAIT_SECONDS):
        while not condition():  # noqa: ASYNC110 - the state belongs to the broker's tasks
            await asyncio.sleep(0.02)


@pytest.mark.skipif(POSTGRES_URL is None, reason="CONVOGRAPH_TEST_DATABASE_URL is not set")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_dropped_listen_connection_reconnects_and_loses_nothing(
    client: BrokeredClient, database: Database, broker: EventBroker
) -> None:
    # given a subscriber, and the process's LISTEN connection killed by the server
    conversation = await create_conversation(client)
    stream, pending = await waiting_for_two_events(client, conversation["id"])
    async with database.transaction() as session:
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
            ),
            {"name": LISTENER_APPLICATION_NAME},
        )
    await _until(lambda: not broker.listening.is_set())  # type: ignore[attr-defined]
    # when events commit while no one listens, and after it is back
    await add_message(client, conversation["id"], "while away")
    await asyncio.wait_for(broker.listening.wait(), WAIT_SECONDS)  # type: ignore[attr-defined]
    await add_message(client, conversation["id"], "after")
    # then
    events = await pending
    assert [e["message"]["content"] for e in events] == ["while away", "after"]
    await stream.aclose()
