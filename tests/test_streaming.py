"""Streamed messages: IN_PROGRESS, appendMessageContent with its index, finishMessage,
MESSAGE_CONTENT_APPENDED events, abandoned streams and compaction; on SQLite and PostgreSQL."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from convograph.db.engine import Database
from convograph.db.streaming import compact_deltas
from convograph.db.tables import Event, Message, utcnow
from convograph.retention import fail_stale_messages
from convograph.settings import Settings
from tests import test_subscriptions
from tests.conftest import GraphQLClient
from tests.documents import APPEND_MESSAGE_CONTENT as APPEND
from tests.documents import FINISH_MESSAGE as FINISH
from tests.factories import add_message, create_conversation
from tests.test_subscriptions import BrokeredClient, next_events

STREAMED = {"role": "ASSISTANT", "content": "", "status": "IN_PROGRESS"}

START_STREAM = """
mutation Start($input: AddMessageInput!) {
  addMessage(input: $input) {
    __typename
    ... on AddMessageSuccess { message { id content status deltaCount } conversation { version } }
    ... on UserError { code detail field }
  }
}
"""

EDIT = """
mutation Edit($input: UpdateMessageInput!) {
  updateMessage(input: $input) { __typename ... on UserError { code detail field } }
}
"""

READ_STREAM = """
query Read($id: UUID!) {
  conversation(id: $id) { version messages { nodes { id content status deltaCount } } }
}
"""

MESSAGE_EVENTS = """
subscription Deltas($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
    sequence kind messageId delta deltaIndex data
  }
}
"""


# The broker and the client that uses it, as test_subscriptions makes them.
broker = test_subscriptions.broker
client = test_subscriptions.client


async def start_stream(gql: GraphQLClient) -> tuple[str, str]:
    """A conversation and an IN_PROGRESS assistant message in it: their ids."""
    conversation = await create_conversation(gql)
    result = await gql.data(
        START_STREAM, input={"conversationId": conversation["id"], "message": STREAMED}
    )
    assert result["addMessage"]["__typename"] == "AddMessageSuccess", result
    return conversation["id"], result["addMessage"]["message"]["id"]


async def append(gql: GraphQLClient, message_id: str, delta: str, index: int) -> dict[str, Any]:
    data = await gql.data(APPEND, input={"messageId": message_id, "delta": delta, "index": index})
    return data["appendMessageContent"]


async def finish(gql: GraphQLClient, message_id: str, **input: Any) -> dict[str, Any]:
    data = await gql.data(FINISH, input={"messageId": message_id, **input})
    return data["finishMessage"]


async def delta_events(database: Database, message_id: str) -> list[tuple[int, str]]:
    async with database.read() as session:
        rows = (
            await session.scalars(
                select(Event)
                .where(Event.kind == "MESSAGE_CONTENT_APPENDED")
                .order_by(Event.sequence)  # type: ignore[arg-type]
            )
        ).all()
    return [
        (row.payload["index"], row.payload["delta"])
        for row in rows
        if str(row.message_id) == message_id
    ]


async def test_a_streamed_message_grows_delta_by_delta_and_is_finished(gql: GraphQLClient) -> None:
    # given
    _, message_id = await start_stream(gql)
    # when
    appended = [
        await append(gql, message_id, delta, i) for i, delta in enumerate(["Hel", "lo", "!"])
    ]
    finished = await finish(gql, message_id)
    # then
    assert [a["applied"] for a in appended] == [True, True, True]
    assert appended[-1]["message"] == {
        "id": message_id,
        "content": "Hello!",
        "status": "IN_PROGRESS",
        "deltaCount": 3,
    }
    assert finished["message"] == {
        "id": message_id,
        "content": "Hello!",
        "status": "COMPLETE",
        "deltaCount": 3,
    }
    assert finished["conversation"]["version"] == appended[-1]["conversation"]["version"] + 1
    assert await delta_events(gql.database, message_id) == [(0, "Hel"), (1, "lo"), (2, "!")]


async def test_messages_are_complete_unless_started_in_progress(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    await add_message(gql, conversation["id"], "plain")
    # when
    data = await gql.data(READ_STREAM, id=conversation["id"])
    # then
    [message] = data["conversation"]["messages"]["nodes"]
    assert (message["status"], message["deltaCount"]) == ("COMPLETE", 0)


async def test_a_retry_of_an_applied_index_with_the_same_delta_changes_nothing(
    gql: GraphQLClient,
) -> None:
    # given
    _, message_id = await start_stream(gql)
    first = await append(gql, message_id, "one ", 0)
    await append(gql, message_id, "two", 1)
    # when both are retried
    retries = [await append(gql, message_id, "one ", 0), await append(gql, message_id, "two", 1)]
    # then
    assert first["applied"] is True
    assert [r["applied"] for r in retries] == [False, False]
    assert retries[-1]["message"]["content"] == "one two"
    assert await delta_events(gql.database, message_id) == [(0, "one "), (1, "two")]


@pytest.mark.parametrize(("delta", "index"), [("other", 0), ("later", 3)])
async def test_other_text_at_an_applied_index_or_a_gap_is_a_conflict_naming_the_next_index(
    gql: GraphQLClient, delta: str, index: int
) -> None:
    # given two deltas applied
    _, message_id = await start_stream(gql)
    await append(gql, message_id, "a", 0)
    await append(gql, message_id, "b", 1)
    # when
    result = await append(gql, message_id, delta, index)
    # then
    assert result["__typename"] == "ConflictError"
    assert (result["code"], result["field"], result["expectedIndex"]) == ("CONFLICT", "index", 2)
    assert await delta_events(gql.database, message_id) == [(0, "a"), (1, "b")]


async def test_appending_to_a_finished_message_and_editing_an_unfinished_one_are_invalid(
    gql: GraphQLClient,
) -> None:
    # given one finished stream and one still running
    conversation_id, finished_id = await start_stream(gql)
    await finish(gql, finished_id, content="done")
    running = await gql.data(
        START_STREAM, input={"conversationId": conversation_id, "message": STREAMED}
    )
    running_id = running["addMessage"]["message"]["id"]
    plain = await add_message(gql, conversation_id, "complete from the start")
    # when
    late = await append(gql, finished_id, "more", 0)
    to_plain = await append(gql, plain["message"]["id"], "more", 0)
    edit = await gql.data(
        EDIT, input={"messageId": running_id, "message": {"role": "USER", "content": "x"}}
    )
    # then
    for result in (late, to_plain, edit["updateMessage"]):
        assert result["__typename"] == "ValidationError", result
        assert (result["code"], result["field"]) == ("INVALID_INPUT", "messageId")


async def test_finishing_again_the_same_way_is_a_retry_and_another_way_is_invalid(
    gql: GraphQLClient,
) -> None:
    # given
    _, message_id = await start_stream(gql)
    await append(gql, message_id, "partial", 0)
    first = await finish(gql, message_id, status="FAILED")
    # when
    again = await finish(gql, message_id, status="FAILED")
    other = await finish(gql, message_id, status="COMPLETE")
    in_progress = await finish(gql, message_id, status="IN_PROGRESS")
    # then
    assert first["message"]["status"] == again["message"]["status"] == "FAILED"
    assert again["conversation"]["version"] == first["conversation"]["version"]
    assert (other["__typename"], other["field"]) == ("ValidationError", "messageId")
    assert (in_progress["__typename"], in_progress["field"]) == ("ValidationError", "status")


async def test_finishing_with_content_replaces_what_was_appended(gql: GraphQLClient) -> None:
    # given
    _, message_id = await start_stream(gql)
    await append(gql, message_id, "draft", 0)
    # when
    finished = await finish(gql, message_id, content="The final answer.")
    # then
    assert finished["message"]["content"] == "The final answer."


@pytest.mark.parametrize(("delta", "field"), [("", "delta"), ("nul\x00", "delta")])
async def test_a_bad_delta_is_invalid(gql: GraphQLClient, delta: str, field: str) -> None:
    _, message_id = await start_stream(gql)
    result = await append(gql, message_id, delta, 0)
    assert (result["__typename"], result["field"]) == ("ValidationError", field)


async def test_a_negative_index_is_invalid(gql: GraphQLClient) -> None:
    _, message_id = await start_stream(gql)
    result = await append(gql, message_id, "x", -1)
    assert (result["__typename"], result["field"]) == ("ValidationError", "index")


async def test_the_content_limit_applies_to_the_whole_content(
    database: Database, settings: Settings
) -> None:
    # given a limit of 10 bytes and 8 appended
    gql = GraphQLClient(database, settings.model_copy(update={"max_content_bytes": 10}))
    _, message_id = await start_stream(gql)
    await append(gql, message_id, "12345678", 0)
    # when
    over = await append(gql, message_id, "abc", 1)
    within = await append(gql, message_id, "ab", 1)
    # then
    assert (over["__typename"], over["code"], over["field"]) == (
        "ValidationError",
        "LIMIT_EXCEEDED",
        "delta",
    )
    assert within["message"]["content"] == "12345678ab"


async def test_a_stranger_cannot_append_and_an_admin_can_finish_an_abandoned_stream(
    database: Database, settings: Settings
) -> None:
    # given alice's stream, abandoned
    alice = GraphQLClient(database, settings, "alice")
    _, message_id = await start_stream(alice)
    await append(alice, message_id, "half an ans", 0)
    # when
    stranger = await append(GraphQLClient(database, settings, "mallory"), message_id, "wer", 1)
    finished = await finish(
        GraphQLClient(database, settings, "ops", admin=True), message_id, status="FAILED"
    )
    # then
    assert (stranger["__typename"], stranger["field"]) == ("NotFoundError", "messageId")
    assert finished["message"] == {
        "id": message_id,
        "content": "half an ans",
        "status": "FAILED",
        "deltaCount": 1,
    }


async def test_concurrent_appends_with_the_same_index_apply_once(gql: GraphQLClient) -> None:
    # given
    _, message_id = await start_stream(gql)
    # when eight writers send index 0 at once: four with one text, four with another
    results = await asyncio.gather(
        *(append(gql, message_id, "same" if i % 2 else "other", 0) for i in range(8))
    )
    # then exactly one delta is applied, the same text is answered as applied, the other conflicts
    [(index, winner)] = await delta_events(gql.database, message_id)
    assert index == 0
    for i, result in enumerate(results):
        text = "same" if i % 2 else "other"
        if text == winner:
            assert result["__typename"] == "AppendMessageContentSuccess", result
        else:
            assert (result["__typename"], result["expectedIndex"]) == ("ConflictError", 1)
    assert sum(1 for r in results if r.get("applied")) == 1


async def test_concurrent_writers_with_stale_indexes_never_interleave(gql: GraphQLClient) -> None:
    # given
    _, message_id = await start_stream(gql)

    async def writer(name: str) -> list[str]:
        """Appends 5 deltas, taking the next index from each answer, as a client would."""
        index, outcomes = 0, []
        for n in range(5):
            result = await append(gql, message_id, f"{name}{n}.", index)
            outcomes.append(result["__typename"])
            if result["__typename"] == "ConflictError":
                index = result["expectedIndex"]
            else:
                index += 1
        return outcomes

    # when three writers race on one message
    outcomes = await asyncio.gather(*(writer(name) for name in "abc"))
    # then the deltas are dense from 0, each applied once, and the content is their sum
    deltas = await delta_events(gql.database, message_id)
    assert [i for i, _ in deltas] == list(range(len(deltas)))
    data = await gql.data(READ_STREAM, id=(await message_conversation(gql.database, message_id)))
    [message] = data["conversation"]["messages"]["nodes"]
    assert message["content"] == "".join(d for _, d in deltas)
    assert message["deltaCount"] == len(deltas)
    applied = sum(o.count("AppendMessageContentSuccess") for o in outcomes)
    assert applied == len(deltas) and len(deltas) >= 5


async def message_conversation(database: Database, message_id: str) -> str:
    async with database.read() as session:
        value = await session.scalar(
            select(Message.conversation_id).where(Message.id == uuid.UUID(message_id))
        )  # type: ignore[arg-type]
    return str(value)


async def test_a_subscriber_joining_mid_stream_reads_the_content_then_every_later_delta(
    client: BrokeredClient,
) -> None:
    # given a stream with two deltas
    conversation_id, message_id = await start_stream(client)
    await append(client, message_id, "Once ", 0)
    await append(client, message_id, "upon ", 1)
    # when a client reads the conversation, subscribes after its version, and more comes
    read = await client.data(READ_STREAM, id=conversation_id)
    version = read["conversation"]["version"]
    stream = await client.subscribe(
        MESSAGE_EVENTS, conversationId=conversation_id, afterSequence=version
    )
    await append(client, message_id, "a ", 2)
    await append(client, message_id, "time", 3)
    await finish(client, message_id)
    events = await next_events(stream, 3)
    # then the content read plus the deltas received make the whole text, none twice
    [message] = read["conversation"]["messages"]["nodes"]
    assert (message["content"], message["deltaCount"]) == ("Once upon ", 2)
    deltas = [
        (e["deltaIndex"], e["delta"]) for e in events if e["kind"] == "MESSAGE_CONTENT_APPENDED"
    ]
    assert deltas == [(2, "a "), (3, "time")]
    assert events[-1]["kind"] == "MESSAGE_FINISHED" and events[-1]["data"]["status"] == "COMPLETE"
    assert [e["sequence"] for e in events] == [version + 1, version + 2, version + 3]
    await stream.aclose()


async def test_a_subscription_without_after_sequence_says_when_it_is_live(
    client: BrokeredClient,
) -> None:
    # given
    conversation_id, message_id = await start_stream(client)
    # when
    stream = await client.subscribe(MESSAGE_EVENTS, conversationId=conversation_id)
    [live] = await next_events(stream, 1)
    await append(client, message_id, "now", 0)
    [delta] = await next_events(stream, 1)
    # then no sleep was needed: the delta written after LIVE arrives
    assert live["kind"] == "LIVE"
    assert (delta["kind"], delta["delta"], delta["sequence"]) == (
        "MESSAGE_CONTENT_APPENDED",
        "now",
        live["sequence"] + 1,
    )
    await stream.aclose()


async def test_a_reconnecting_subscriber_resumes_without_gap_or_duplicate(
    client: BrokeredClient,
) -> None:
    # given a subscriber that received the first delta and dropped
    conversation_id, message_id = await start_stream(client)
    stream = await client.subscribe(MESSAGE_EVENTS, conversationId=conversation_id)
    await next_events(stream, 1)
    await append(client, message_id, "a", 0)
    [first] = await next_events(stream, 1)
    await stream.aclose()
    # when deltas come while it is away, and it resumes after the last sequence it saw
    for index, delta in enumerate("bcd", start=1):
        await append(client, message_id, delta, index)
    resumed = await client.subscribe(
        MESSAGE_EVENTS, conversationId=conversation_id, afterSequence=first["sequence"]
    )
    events = await next_events(resumed, 3)
    # then
    assert [e["delta"] for e in [first, *events]] == ["a", "b", "c", "d"]
    await resumed.aclose()


async def quiet_for(database: Database, message_id: str, seconds: float) -> None:
    """Make the message look as if its last append was `seconds` ago."""
    async with database.transaction() as session:
        await session.execute(
            update(Message)
            .where(Message.id == uuid.UUID(message_id))
            .values(updated_at=utcnow() - timedelta(seconds=seconds))  # type: ignore[arg-type]
        )


async def test_the_sweep_fails_streams_quiet_for_longer_than_the_timeout(
    gql: GraphQLClient,
) -> None:
    # given one stream quiet for an hour and one active
    conversation_id, quiet_id = await start_stream(gql)
    await append(gql, quiet_id, "abandoned", 0)
    await quiet_for(gql.database, quiet_id, 3600)
    _, active_id = await start_stream(gql)
    await append(gql, active_id, "going", 0)
    # when
    failed = await fail_stale_messages(gql.database, timedelta(minutes=10))
    # then
    assert failed == 1
    quiet = await gql.data(READ_STREAM, id=conversation_id)
    assert quiet["conversation"]["messages"]["nodes"][0]["status"] == "FAILED"
    assert (await append(gql, active_id, " on", 1))["applied"] is True


async def test_delta_events_of_finished_messages_are_compacted_after_the_delay(
    gql: GraphQLClient,
) -> None:
    # given a finished stream and a running one
    _, finished_id = await start_stream(gql)
    await append(gql, finished_id, "old", 0)
    await finish(gql, finished_id)
    _, running_id = await start_stream(gql)
    await append(gql, running_id, "new", 0)
    # when compacting what finished more than an hour ago, and then what finished at all
    async with gql.database.transaction() as session:
        too_young = await compact_deltas(session, timedelta(hours=1), 100)
    async with gql.database.transaction() as session:
        compacted = await compact_deltas(session, timedelta(seconds=-1), 100)
    # then only the finished message's deltas go
    assert (too_young, compacted) == (0, 1)
    assert await delta_events(gql.database, finished_id) == []
    assert await delta_events(gql.database, running_id) == [(0, "new")]
    async with gql.database.read() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Event).where(Event.kind == "MESSAGE_FINISHED")
            )
            == 1
        )
