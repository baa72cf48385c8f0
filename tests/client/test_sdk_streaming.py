"""The SDK's streamed answers, retries, version checks and event stream, against a served
database (both kinds), with a TCP proxy where the network has to fail."""

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from pathlib import Path

import pytest

from convograph.client import (
    ConflictError,
    ConversationEventKind,
    ConversationsClient,
    EventDetails,
    GraphQLRequestError,
    Message,
    MessageStatus,
    NotFoundError,
    TransportError,
    ValidationError,
)
from tests.client.tcp_proxy import TcpProxy, tcp_proxy
from tests.serving import free_port, running_server
from tests.tokens import SECRET, hs256

UNKNOWN = uuid.UUID("00000000-0000-4000-8000-00000000dead")
FOLLOW_TIMEOUT_SECONDS = 60
Kind = ConversationEventKind


@pytest.fixture
async def client(server: str) -> AsyncIterator[ConversationsClient]:
    async with ConversationsClient(server) as sdk:
        yield sdk


@pytest.fixture
async def proxy(server: str) -> AsyncIterator[TcpProxy]:
    async with tcp_proxy(server) as running:
        yield running


async def streamed(client: ConversationsClient) -> tuple[uuid.UUID, uuid.UUID]:
    """A new conversation with one IN_PROGRESS assistant message: their ids."""
    conversation = await client.create_conversation(title="streamed")
    added = await client.add_message(
        conversation.id, Message(role="assistant"), status=MessageStatus.IN_PROGRESS
    )
    return conversation.id, added.message.id


async def chunks_of(*texts: str) -> AsyncIterator[str]:
    for text in texts:
        await asyncio.sleep(0)
        yield text


async def events_until(
    client: ConversationsClient,
    conversation_id: uuid.UUID,
    last_kind: ConversationEventKind,
    after_sequence: int | None = None,
) -> list[EventDetails]:
    """The conversation's events up to and including the first of `last_kind`."""
    seen: list[EventDetails] = []
    async with asyncio.timeout(FOLLOW_TIMEOUT_SECONDS):
        async for event in client.events(conversation_id, after_sequence):
            seen.append(event)
            if event.kind == last_kind:
                return seen
    raise AssertionError(f"the stream ended before {last_kind}: {seen}")


# --- version checks and idempotency keys ---------------------------------------------


async def test_a_conversation_read_has_its_version_and_every_write_raises_it(
    client: ConversationsClient,
) -> None:
    # given
    created = await client.create_conversation(title="versions")
    # when
    added = await client.add_message(created.id, Message(text="hi"))
    read = await client.get_conversation(created.id)
    # then
    assert created.version == 1
    assert added.conversation.version > created.version
    assert read.conversation.version == added.conversation.version


StaleWrite = Callable[[ConversationsClient, dict[str, uuid.UUID], int], Awaitable[object]]
STALE_WRITES: dict[str, StaleWrite] = {
    "add_message": lambda c, ids, v: c.add_message(
        ids["conversation"], Message(text="x"), expected_version=v
    ),
    "update_message": lambda c, ids, v: c.update_message(
        ids["message"], Message(text="x"), expected_version=v
    ),
    "update_message_metadata": lambda c, ids, v: c.update_message_metadata(
        ids["message"], {"k": 1}, expected_version=v
    ),
    "delete_message": lambda c, ids, v: c.delete_message(ids["message"], expected_version=v),
    "update_conversation": lambda c, ids, v: c.update_conversation(
        ids["conversation"], title="x", expected_version=v
    ),
    "delete_conversation": lambda c, ids, v: c.delete_conversation(
        ids["conversation"], expected_version=v
    ),
    "fork_conversation": lambda c, ids, v: c.fork_conversation(ids["message"], expected_version=v),
    "set_current_branch": lambda c, ids, v: c.set_current_branch(
        ids["conversation"], ids["first_branch"], expected_version=v
    ),
    "rename_branch": lambda c, ids, v: c.rename_branch(ids["branch"], "x", expected_version=v),
    "delete_branch": lambda c, ids, v: c.delete_branch(ids["branch"], expected_version=v),
    "append_message_content": lambda c, ids, v: c.append_message_content(
        ids["streamed"], "x", 0, expected_version=v
    ),
    "finish_message": lambda c, ids, v: c.finish_message(ids["streamed"], expected_version=v),
}


@pytest.mark.parametrize("write", list(STALE_WRITES))
async def test_a_stale_expected_version_raises_a_conflict_and_writes_nothing(
    client: ConversationsClient, write: str
) -> None:
    # given: a conversation with a message, a second branch and a streamed message
    conversation = await client.create_conversation(title="guarded")
    first = await client.add_message(conversation.id, Message(text="one"))
    edit = await client.update_message(first.message.id, Message(text="uno"))
    streamed = await client.add_message(
        conversation.id, Message(role="assistant"), status="in_progress"
    )
    ids = {
        "conversation": conversation.id,
        "message": first.message.id,
        "branch": edit.branch.id,
        "first_branch": first.branch.id,
        "streamed": streamed.message.id,
    }
    version = streamed.conversation.version
    # when
    with pytest.raises(ConflictError) as conflict:
        await STALE_WRITES[write](client, ids, version - 1)
    # then: the conflict tells the version now, and nothing changed
    assert conflict.value.field == "expectedVersion"
    assert conflict.value.current_version == version
    assert conflict.value.expected_index is None
    assert (await client.get_conversation(conversation.id)).conversation.version == version
    # when: the version is the current one, the same write goes through
    await STALE_WRITES[write](client, ids, version)
    # then: it wrote an event after that version
    async with (
        asyncio.timeout(FOLLOW_TIMEOUT_SECONDS),
        aclosing(client.events(conversation.id, after_sequence=version)) as stream,
    ):
        assert (await anext(stream)).sequence == version + 1


async def test_an_idempotency_key_makes_a_repeated_write_return_the_first_result(
    client: ConversationsClient,
) -> None:
    key = f"test-{uuid.uuid4()}"
    # when: each keyed write is sent twice
    created = await client.create_conversation(title="once", idempotency_key=key + "-c")
    again = await client.create_conversation(title="once", idempotency_key=key + "-c")
    added = await client.add_message(created.id, Message(text="hi"), idempotency_key=key + "-a")
    added_again = await client.add_message(
        created.id, Message(text="hi"), idempotency_key=key + "-a"
    )
    edit = await client.update_message(
        added.message.id, Message(text="hey"), idempotency_key=key + "-u"
    )
    edit_again = await client.update_message(
        added.message.id, Message(text="hey"), idempotency_key=key + "-u"
    )
    fork = await client.fork_conversation(edit.message.id, idempotency_key=key + "-f")
    fork_again = await client.fork_conversation(edit.message.id, idempotency_key=key + "-f")
    document = await client.export_conversation(created.id)
    await client.delete_conversation(created.id)
    imported = await client.import_conversations(document, idempotency_key=key + "-i")
    imported_again = await client.import_conversations(document, idempotency_key=key + "-i")
    # then: the repeats wrote nothing and answered as the first writes did
    assert again.id == created.id
    assert added_again.message.id == added.message.id
    assert edit_again.message.id == edit.message.id
    assert fork_again.conversation.id == fork.conversation.id
    assert len(imported.imported) == len(imported_again.imported) == 1
    assert imported_again.imported[0].conversation is not None
    assert imported.imported[0].conversation is not None
    assert imported_again.imported[0].conversation.id == imported.imported[0].conversation.id
    assert imported_again.skipped == []
    # when: a key is used again for other input
    with pytest.raises(ConflictError) as reused:
        await client.create_conversation(title="other", idempotency_key=key + "-c")
    # then
    assert reused.value.field == "idempotencyKey"


async def test_a_key_that_is_not_acceptable_raises_a_validation_error(
    client: ConversationsClient,
) -> None:
    with pytest.raises(ValidationError) as empty:
        await client.create_conversation(idempotency_key="")
    assert empty.value.field == "idempotencyKey"


# --- appending and finishing -----------------------------------------------------------


async def test_deltas_append_in_turn_and_a_repeat_is_applied_once(
    client: ConversationsClient,
) -> None:
    # given
    conversation_id, message_id = await streamed(client)
    # when
    first = await client.append_message_content(message_id, "Hel", 0)
    second = await client.append_message_content(str(message_id), "lo", 1)
    repeat = await client.append_message_content(message_id, "lo", 1)
    # then
    assert (first.applied, second.applied, repeat.applied) == (True, True, False)
    assert first.message.content == "Hel"
    assert second.message.content == repeat.message.content == "Hello"
    assert (second.message.delta_count, second.message.status) == (2, MessageStatus.IN_PROGRESS)
    assert second.conversation.id == conversation_id
    assert second.conversation.version == first.conversation.version + 1
    assert repeat.conversation.version == second.conversation.version


@pytest.mark.parametrize(("delta", "index"), [("!", 5), ("other", 1), ("other", 0)])
async def test_a_delta_out_of_turn_raises_a_conflict_with_the_expected_index(
    client: ConversationsClient, delta: str, index: int
) -> None:
    # given: two deltas applied
    _, message_id = await streamed(client)
    await client.append_message_content(message_id, "Hel", 0)
    await client.append_message_content(message_id, "lo", 1)
    # when: a gap, or other text at an applied index
    with pytest.raises(ConflictError) as conflict:
        await client.append_message_content(message_id, delta, index)
    # then
    assert conflict.value.expected_index == 2
    assert conflict.value.field == "index"
    assert (await client.get_message(message_id)).content == "Hello"


async def test_finishing_a_message_completes_it_and_a_repeat_is_harmless(
    client: ConversationsClient,
) -> None:
    # given
    conversation_id, message_id = await streamed(client)
    await client.append_message_content(message_id, "Hello", 0)
    # when
    finished = await client.finish_message(message_id)
    repeat = await client.finish_message(message_id, "complete")
    # then
    assert finished.message.status == repeat.message.status == MessageStatus.COMPLETE
    assert finished.message.content == "Hello"
    assert finished.conversation.id == conversation_id
    assert finished.conversation.version == repeat.conversation.version
    # when: appending to it afterwards
    with pytest.raises(ValidationError) as too_late:
        await client.append_message_content(message_id, "!", 1)
    # then
    assert too_late.value.field == "messageId"


async def test_a_message_can_finish_failed_or_with_its_whole_content(
    client: ConversationsClient,
) -> None:
    _, failing = await streamed(client)
    _, replaced = await streamed(client)
    await client.append_message_content(replaced, "draft", 0)
    # when
    failed = await client.finish_message(failing, MessageStatus.FAILED)
    whole = await client.finish_message(replaced, content="The final text.")
    # then
    assert (failed.message.status, failed.message.content) == (MessageStatus.FAILED, "")
    assert (whole.message.status, whole.message.content) == (
        MessageStatus.COMPLETE,
        "The final text.",
    )


async def test_streaming_writes_raise_typed_errors(client: ConversationsClient) -> None:
    # given
    _, message_id = await streamed(client)
    # then: unknown message, empty delta, a status that is none, in the input and the call
    with pytest.raises(NotFoundError) as unknown:
        await client.append_message_content(UNKNOWN, "x", 0)
    assert unknown.value.field == "messageId"
    with pytest.raises(NotFoundError):
        await client.finish_message(UNKNOWN)
    with pytest.raises(ValidationError) as empty:
        await client.append_message_content(message_id, "", 0)
    assert empty.value.field == "delta"
    with pytest.raises(ValidationError) as not_a_status:
        await client.finish_message(message_id, "done")
    assert not_a_status.value.field == "status"
    with pytest.raises(ValidationError) as in_progress:
        await client.finish_message(message_id, MessageStatus.IN_PROGRESS)
    assert in_progress.value.field == "status"
    with pytest.raises(ValidationError) as bad_input_status:
        await client.add_message(UNKNOWN, Message(text="x"), status=3)  # type: ignore[arg-type]
    assert bad_input_status.value.field == "message.status"
    with pytest.raises(ValidationError) as not_an_id:
        await client.append_message_content("message-1", "x", 0)
    assert not_an_id.value.field == "messageId"
    # and: the message is as it was
    assert (await client.get_message(message_id)).status == MessageStatus.IN_PROGRESS


# --- stream_answer ---------------------------------------------------------------------


async def test_stream_answer_writes_the_chunks_and_completes_the_message(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation(title="answer")
    question = await client.add_message(conversation.id, Message(text="Say hello"))
    chunks = ["Hel", "lo", "", ", wor", "ld", "!"]
    # when
    answer = await client.stream_answer(
        conversation.id, chunks_of(*chunks), parent_id=question.message.id, metadata={"m": 1}
    )
    # then
    assert answer.content == "Hello, world!"
    assert answer.status == MessageStatus.COMPLETE
    assert answer.delta_count == 5  # the empty chunk is skipped
    assert answer.role.value == "ASSISTANT"
    assert answer.parent is not None and answer.parent.id == question.message.id
    assert answer.metadata == {"m": 1}
    read = await client.get_conversation(conversation.id)
    assert [m.content for m in read.messages] == ["Say hello", "Hello, world!"]


async def test_stream_answer_takes_plain_iterables_and_other_roles(
    client: ConversationsClient,
) -> None:
    conversation = await client.create_conversation()
    answer = await client.stream_answer(conversation.id, ["a", "b"], role="tool", name="calc")
    assert (answer.content, answer.role.value, answer.name) == ("ab", "TOOL", "calc")


async def test_stream_answer_fails_the_message_when_the_source_raises(
    client: ConversationsClient,
) -> None:
    # given: a source that breaks after two chunks
    conversation = await client.create_conversation()

    async def breaking() -> AsyncIterator[str]:
        yield "par"
        yield "tial"
        raise RuntimeError("the model went away")

    # when
    with pytest.raises(RuntimeError, match="the model went away"):
        await client.stream_answer(conversation.id, breaking())
    # then: the message keeps what arrived and is FAILED
    (message,) = (await client.get_conversation(conversation.id)).messages
    assert (message.content, message.status) == ("partial", MessageStatus.FAILED)


async def test_stream_answer_fails_the_message_on_a_chunk_that_is_no_text(
    client: ConversationsClient,
) -> None:
    conversation = await client.create_conversation()
    with pytest.raises(TypeError):
        await client.stream_answer(conversation.id, ["a", 1])  # type: ignore[list-item]
    (message,) = (await client.get_conversation(conversation.id)).messages
    assert (message.content, message.status) == ("a", MessageStatus.FAILED)


async def test_stream_answer_stops_on_a_conflict_with_someone_elses_delta(
    client: ConversationsClient,
) -> None:
    # given: a source during which another writer appends to the answer
    conversation = await client.create_conversation()

    async def interrupted() -> AsyncIterator[str]:
        yield "mine"
        (answer,) = (await client.get_conversation(conversation.id)).messages
        await client.append_message_content(answer.id, " theirs", 1)
        yield " mine again"

    # when
    with pytest.raises(ConflictError) as conflict:
        await client.stream_answer(conversation.id, interrupted())
    # then: told the index the server expected; the answer is failed, not overwritten
    assert conflict.value.expected_index == 2
    (message,) = (await client.get_conversation(conversation.id)).messages
    assert (message.content, message.status) == ("mine theirs", MessageStatus.FAILED)


async def test_stream_answer_with_the_same_key_writes_one_message(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation()
    key = f"answer-{uuid.uuid4()}"
    first = await client.stream_answer(conversation.id, ["one ", "two"], idempotency_key=key)

    # when: the whole call is made again with its key
    async def never() -> AsyncIterator[str]:
        raise AssertionError("a finished answer's chunks are not read")
        yield ""

    again = await client.stream_answer(conversation.id, never(), idempotency_key=key)
    # then
    assert again.id == first.id
    assert again.content == "one two"
    assert (await client.get_conversation(conversation.id)).conversation.message_count == 1


async def test_stream_answer_resumed_with_its_key_recognises_the_applied_chunks(
    client: ConversationsClient,
) -> None:
    # given: a first call that broke after two of its chunks, its message left IN_PROGRESS
    conversation = await client.create_conversation()
    key = f"answer-{uuid.uuid4()}"
    started = await client.add_message(
        conversation.id, Message(role="assistant"), status="IN_PROGRESS", idempotency_key=key
    )
    await client.append_message_content(started.message.id, "one ", 0)
    await client.append_message_content(started.message.id, "two ", 1)
    # when: the call is made again with the same key and the same chunks
    answer = await client.stream_answer(
        conversation.id, ["one ", "two ", "three"], idempotency_key=key
    )
    # then: the repeats changed nothing; the rest was appended once
    assert answer.id == started.message.id
    assert (answer.content, answer.delta_count) == ("one two three", 3)


# --- retries after a lost answer -------------------------------------------------------


def append_with_index(index: int) -> Callable[[bytes], bool]:
    pattern = re.compile(rb'"AppendMessageContent".*"index":\s*%d\b' % index, re.DOTALL)
    return lambda data: pattern.search(data) is not None


async def test_an_append_whose_answer_was_lost_is_applied_once_when_retried(
    client: ConversationsClient, proxy: TcpProxy
) -> None:
    # given: a stream with one delta, and a client whose next answer gets lost
    _, message_id = await streamed(client)
    await client.append_message_content(message_id, "Hel", 0)
    proxy.lose_answer_to(append_with_index(1))
    async with ConversationsClient(proxy.url, timeout=1.0) as impatient:
        # when: the request reaches the server, but the client times out
        with pytest.raises(TransportError):
            await impatient.append_message_content(message_id, "lo", 1)
        retried = await impatient.append_message_content(message_id, "lo", 1)
    # then: the first try had been applied; the retry changed nothing
    assert proxy.lost_answers == 1
    assert retried.applied is False
    assert (retried.message.content, retried.message.delta_count) == ("Hello", 2)


async def test_stream_answer_retries_a_lost_delta_with_its_index(
    client: ConversationsClient, proxy: TcpProxy
) -> None:
    # given: the answer to the third delta gets lost
    conversation = await client.create_conversation()
    proxy.lose_answer_to(append_with_index(2))
    async with ConversationsClient(proxy.url, timeout=1.0) as impatient:
        # when
        answer = await impatient.stream_answer(conversation.id, chunks_of("a", "b", "c", "d"))
    # then: every chunk once, in order
    assert proxy.lost_answers == 1
    assert (answer.content, answer.delta_count, answer.status) == (
        "abcd",
        4,
        MessageStatus.COMPLETE,
    )
    appended = [
        e.delta_index
        for e in await events_until(client, conversation.id, Kind.MESSAGE_FINISHED, 0)
        if e.kind == Kind.MESSAGE_CONTENT_APPENDED
    ]
    assert appended == [0, 1, 2, 3]


# --- events ----------------------------------------------------------------------------


async def test_events_start_live_then_follow_every_change_until_deletion(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation(title="followed")
    seen: list[EventDetails] = []
    live = asyncio.Event()

    async def follow() -> None:
        async for event in client.events(conversation.id):
            seen.append(event)
            live.set()

    following = asyncio.create_task(follow())
    await asyncio.wait_for(live.wait(), FOLLOW_TIMEOUT_SECONDS)
    # when
    added = await client.add_message(conversation.id, Message(text="hi"))
    await client.stream_answer(conversation.id, ["Hel", "lo"])
    await client.delete_conversation(conversation.id)
    # then: the iterator ends by itself after the deletion
    await asyncio.wait_for(following, FOLLOW_TIMEOUT_SECONDS)
    assert seen[0].kind == Kind.LIVE
    assert seen[0].sequence == conversation.version
    assert [e.kind for e in seen[1:]] == [
        Kind.MESSAGE_ADDED,
        Kind.MESSAGE_ADDED,
        Kind.MESSAGE_CONTENT_APPENDED,
        Kind.MESSAGE_CONTENT_APPENDED,
        Kind.MESSAGE_FINISHED,
        Kind.CONVERSATION_DELETED,
    ]
    assert [e.sequence for e in seen] == list(range(1, len(seen) + 1))
    assert seen[1].message_id == added.message.id
    assert seen[1].message is not None and seen[1].message.content == "hi"
    assert [(e.delta, e.delta_index) for e in seen[3:5]] == [("Hel", 0), ("lo", 1)]
    assert seen[5].data["status"] == "COMPLETE"


async def test_events_after_a_sequence_replay_what_was_missed_without_live(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation()
    for text in ("one", "two"):
        await client.add_message(conversation.id, Message(text=text))
    await client.delete_conversation(conversation.id)
    # when
    seen = [event async for event in client.events(str(conversation.id), after_sequence=1)]
    # then
    assert [e.kind for e in seen] == [
        Kind.MESSAGE_ADDED,
        Kind.MESSAGE_ADDED,
        Kind.CONVERSATION_DELETED,
    ]
    assert [e.sequence for e in seen] == [2, 3, 4]


async def test_events_without_messages_carry_ids_only(client: ConversationsClient) -> None:
    conversation = await client.create_conversation()
    added = await client.add_message(conversation.id, Message(text="hi"))
    stream = client.events(conversation.id, after_sequence=1, with_messages=False)
    event = await anext(stream)
    await stream.aclose()
    assert (event.kind, event.message_id, event.message) == (
        Kind.MESSAGE_ADDED,
        added.message.id,
        None,
    )


async def test_events_raise_typed_errors(client: ConversationsClient) -> None:
    conversation = await client.create_conversation()
    with pytest.raises(NotFoundError) as unknown:
        await anext(client.events(UNKNOWN))
    assert unknown.value.field == "conversationId"
    with pytest.raises(GraphQLRequestError) as beyond:
        await anext(client.events(conversation.id, after_sequence=99))
    assert beyond.value.code == "BAD_USER_INPUT"
    with pytest.raises(GraphQLRequestError) as negative:
        await anext(client.events(conversation.id, after_sequence=-1))
    assert negative.value.code == "BAD_USER_INPUT"
    with pytest.raises(ValidationError) as not_an_id:
        client.events("conversation-1")
    assert not_an_id.value.field == "conversationId"


async def test_events_give_up_after_their_tries_when_no_server_listens() -> None:
    async with ConversationsClient(f"http://127.0.0.1:{free_port()}", timeout=2.0) as nowhere:
        with pytest.raises(TransportError, match="2 tries"):
            await anext(nowhere.events(UNKNOWN, max_retries=2))


async def follow_a_stream_while_connections_drop(
    client: ConversationsClient, proxy: TcpProxy, drop: Callable[[], Awaitable[None]]
) -> tuple[list[EventDetails], list[str]]:
    """Stream 40 deltas while a follower behind `proxy` loses its connection (by `drop`)
    three times, each time once it has caught up (the next deltas are then written while
    it is away); what the follower saw and the deltas written."""
    conversation_id, message_id = await streamed(client)
    deltas = [f"<{index}>" for index in range(40)]
    seen: list[EventDetails] = []
    arrived = asyncio.Condition()

    def seen_up_to(sequence: int) -> Callable[[], bool]:
        return lambda: bool(seen) and seen[-1].sequence >= sequence

    async with ConversationsClient(proxy.url) as follower:

        async def follow() -> None:
            async for event in follower.events(conversation_id):
                async with arrived:
                    seen.append(event)
                    arrived.notify_all()
                if event.kind == Kind.MESSAGE_FINISHED:
                    return

        following = asyncio.create_task(follow())
        async with asyncio.timeout(FOLLOW_TIMEOUT_SECONDS), arrived:
            await arrived.wait_for(seen_up_to(0))
        for index, delta in enumerate(deltas):
            appended = await client.append_message_content(message_id, delta, index)
            if index % 10 == 9 and index < 39:
                async with asyncio.timeout(FOLLOW_TIMEOUT_SECONDS), arrived:
                    await arrived.wait_for(seen_up_to(appended.conversation.version))
                await drop()
        await client.finish_message(message_id)
        await asyncio.wait_for(following, FOLLOW_TIMEOUT_SECONDS)
    return seen, deltas


def assert_no_gap_and_no_duplicate(seen: list[EventDetails], deltas: list[str]) -> None:
    assert seen[0].kind == Kind.LIVE
    assert [e.sequence for e in seen] == list(range(seen[0].sequence, seen[-1].sequence + 1))
    appended = [e for e in seen if e.kind == Kind.MESSAGE_CONTENT_APPENDED]
    assert [e.delta_index for e in appended] == list(range(len(deltas)))
    assert "".join(e.delta or "" for e in appended) == "".join(deltas)
    assert seen[-1].kind == Kind.MESSAGE_FINISHED


async def test_events_resume_without_gap_or_duplicate_after_connections_are_cut(
    client: ConversationsClient, proxy: TcpProxy
) -> None:
    async def cut() -> None:
        proxy.cut()

    seen, deltas = await follow_a_stream_while_connections_drop(client, proxy, cut)
    assert_no_gap_and_no_duplicate(seen, deltas)
    assert proxy.accepted >= 4  # the first subscription and a resumed one per cut


async def test_events_resume_after_the_server_closes_the_websocket_cleanly(
    client: ConversationsClient, proxy: TcpProxy
) -> None:
    async def close_cleanly() -> None:
        await asyncio.sleep(0.3)  # the frames of the deltas so far have gone through
        await proxy.close_websockets()

    seen, deltas = await follow_a_stream_while_connections_drop(client, proxy, close_cleanly)
    assert_no_gap_and_no_duplicate(seen, deltas)
    assert proxy.accepted >= 4


async def test_events_send_the_token_and_a_refused_one_raises_unauthenticated(
    database_url: str, tmp_path: Path
) -> None:
    environment = {"CONVOGRAPH_AUTH": "jwt", "CONVOGRAPH_JWT_SECRET": SECRET}
    with running_server(database_url, tmp_path / "serve.log", environment=environment) as url:
        async with ConversationsClient(url, token=hs256(sub="alice")) as alice:
            conversation = await alice.create_conversation()
            # when: the owner follows it
            stream = alice.events(conversation.id)
            first = await anext(stream)
            await stream.aclose()
            assert first.kind == Kind.LIVE
        async with ConversationsClient(url, token=hs256(sub="bob")) as bob:
            # then: another owner cannot see it
            with pytest.raises(NotFoundError):
                await anext(bob.events(conversation.id))
        async with ConversationsClient(url, token="not-a-jwt") as nobody:
            # and: a token the server refuses is raised at once, not retried
            with pytest.raises(GraphQLRequestError) as refused:
                await anext(nobody.events(conversation.id))
        assert refused.value.code == "UNAUTHENTICATED"
        expiring = hs256(sub="alice", exp=int(time.time()) + 2)
        async with ConversationsClient(url, token=expiring) as soon_expired:
            # and: a token that expires while the stream is followed ends it
            stream = soon_expired.events(conversation.id)
            assert (await anext(stream)).kind == Kind.LIVE
            with pytest.raises(GraphQLRequestError) as expired:
                async with asyncio.timeout(FOLLOW_TIMEOUT_SECONDS):
                    await anext(stream)
        assert expired.value.code == "UNAUTHENTICATED"
