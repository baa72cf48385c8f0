"""The SDK end to end: a real `convograph serve` process on the test's own database."""

import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pydantic
import pytest

from convograph.client import (
    ConflictError,
    ConversationsClient,
    ConvographError,
    GraphQLRequestError,
    LimitExceededError,
    Message,
    NotFoundError,
    Role,
    SchemaMismatchError,
    TransportError,
    ValidationError,
)
from tests.serving import free_port, running_server


@pytest.fixture
def server_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The GraphQL URL of a `convograph serve` process on this test's fresh database."""
    with running_server(database_url, tmp_path / "server.log") as base_url:
        yield f"{base_url}/graphql"


@pytest.fixture
async def client(server_url: str) -> AsyncIterator[ConversationsClient]:
    async with ConversationsClient(server_url) as sdk:
        yield sdk


def is_aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


async def test_the_r2r_sequence_create_add_edit_read_patch_list_delete(
    client: ConversationsClient,
) -> None:
    # given: a conversation with three messages, the second edited
    conversation = await client.create_conversation(title="Trip", metadata={"topic": "travel"})
    first = await client.add_message(conversation.id, Message(text="Where should I go?"))
    second = await client.add_message(
        str(conversation.id),
        Message(role="assistant", content="Lisbon."),
        metadata={"model": "m1"},
    )
    third = await client.add_message(conversation.id, Message(role=Role.USER, content="In May?"))
    edit = await client.update_message(
        second.message.id, Message(role="ASSISTANT", content="Porto."), metadata={"model": "m2"}
    )

    # when: both branches are read, the current one without naming it
    current = await client.get_conversation(conversation.id)
    original = await client.get_conversation(str(conversation.id), str(third.branch.id))

    # then
    assert current.conversation.id == conversation.id
    assert current.conversation.title == "Trip"
    assert current.conversation.metadata == {"topic": "travel"}
    assert current.conversation.message_count == 4
    assert current.conversation.branch_count == 2
    assert current.branch.id == edit.branch.id
    assert current.branch.is_current
    assert [m.content for m in current.messages] == ["Where should I go?", "Porto."]
    assert [m.id for m in current.messages] == [first.message.id, edit.message.id]
    assert current.messages[1].edit_of is not None
    assert current.messages[1].edit_of.id == second.message.id
    assert current.messages[1].parent is not None
    assert current.messages[1].parent.id == first.message.id
    assert current.messages[1].metadata == {"model": "m2"}
    assert original.branch.id == third.branch.id == first.branch.id
    assert not original.branch.is_current
    assert [m.content for m in original.messages] == ["Where should I go?", "Lisbon.", "In May?"]
    assert [m.role for m in original.messages] == [Role.USER, Role.ASSISTANT, Role.USER]
    assert original.messages[0].parent is None
    assert original.messages[1].metadata == {"model": "m1"}
    assert all(isinstance(m.id, uuid.UUID) for m in original.messages)
    assert all(is_aware(m.created_at) and is_aware(m.updated_at) for m in original.messages)
    assert edit.branch.branch_point is not None
    assert edit.branch.branch_point.id == first.message.id
    assert edit.branch.forked_from is not None
    assert edit.branch.forked_from.id == first.branch.id

    # when: metadata is patched, then read back
    patched = await client.update_message_metadata(second.message.id, {"model": None, "rating": 5})
    read = await client.get_message(second.message.id)
    # then
    assert patched.metadata == read.metadata == {"rating": 5}

    # when: the overview lists given ids, newest first, with offset and limit
    later = await client.create_conversation(title="Later")
    latest = await client.create_conversation(title="Latest")
    ids: list[str | uuid.UUID] = [conversation.id, str(later.id), latest.id]
    everything = await client.conversations_overview(ids)
    middle = await client.conversations_overview(conversation_ids=ids, offset=1, limit=1)
    # then
    assert [c.id for c in everything.conversations] == [latest.id, later.id, conversation.id]
    assert everything.total_count == 3
    assert [c.id for c in middle.conversations] == [later.id]
    assert middle.total_count == 3

    # when: it is deleted
    deleted = await client.delete_conversation(conversation.id)
    # then: it, its messages and its branches are gone
    assert deleted.deleted_conversation_id == conversation.id
    assert (deleted.deleted_message_count, deleted.deleted_branch_count) == (4, 2)
    with pytest.raises(NotFoundError) as missing:
        await client.get_conversation(conversation.id)
    assert missing.value.code == "NOT_FOUND"
    with pytest.raises(NotFoundError):
        await client.get_message(second.message.id)
    with pytest.raises(NotFoundError):
        await client.delete_conversation(conversation.id)
    assert (await client.conversations_overview(ids)).total_count == 2


async def test_replies_fork_branches_that_can_be_listed_read_and_switched_to(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation()
    root = await client.add_message(conversation.id, Message(text="root"))
    tip = await client.add_message(conversation.id, Message(text="tip"))

    # when: a reply to the root forks, and a message is appended to the first branch by id
    fork = await client.add_message(
        conversation.id, Message(text="fork"), parent_id=root.message.id
    )
    appended = await client.add_message(
        conversation.id, Message(text="appended"), branch_id=tip.branch.id
    )

    # then
    assert fork.branch.id != tip.branch.id
    assert fork.message.parent is not None
    assert fork.message.parent.id == root.message.id
    assert appended.branch.id == tip.branch.id
    assert appended.message.parent is not None
    assert appended.message.parent.id == tip.message.id
    branches = await client.branches_overview(conversation.id)
    assert [b.id for b in branches] == [tip.branch.id, fork.branch.id]
    assert [b.message_count for b in branches] == [3, 2]
    assert [b.is_current for b in branches] == [True, False]

    # when: the fork becomes current
    switched = await client.set_current_branch(conversation.id, str(fork.branch.id))
    # then
    assert switched.branch.id == fork.branch.id
    assert switched.conversation.current_branch.id == fork.branch.id
    branch = await client.get_branch(fork.branch.id)
    assert branch.is_current
    assert branch.tip is not None
    assert branch.tip.id == fork.message.id
    assert branch.conversation.id == conversation.id
    current = await client.get_conversation(conversation.id)
    assert [m.content for m in current.messages] == ["root", "fork"]
    message = await client.get_message(str(fork.message.id))
    assert message.conversation.id == conversation.id
    assert (message.depth, message.sibling_index, message.sibling_count) == (1, 1, 2)


async def test_fork_delete_and_organise(client: ConversationsClient) -> None:
    # given root - a - b, with c forked at a
    conversation = await client.create_conversation(title="Trip", metadata={"topic": "travel"})
    root = await client.add_message(conversation.id, Message(text="root"))
    a = await client.add_message(conversation.id, Message(role="assistant", content="a"))
    b = await client.add_message(conversation.id, Message(text="b"))
    c = await client.add_message(conversation.id, Message(text="c"), parent_id=a.message.id)

    # when: the path to a is forked, once with a title and once without
    fork = await client.fork_conversation(a.message.id, title="Trip, again")
    untitled = await client.fork_conversation(str(root.message.id), title=None)
    same_title = await client.fork_conversation(root.message.id)
    # then
    assert fork.conversation.title == "Trip, again"
    assert fork.conversation.metadata == {"topic": "travel"}
    assert fork.conversation.message_count == 2
    assert fork.conversation.forked_from is not None
    assert fork.conversation.forked_from.conversation.id == conversation.id
    assert fork.conversation.forked_from.message is not None
    assert fork.conversation.forked_from.message.id == a.message.id
    assert fork.branch.tip is not None
    assert fork.branch.tip.id == fork.message.id != a.message.id
    assert (fork.message.content, fork.message.role) == ("a", Role.ASSISTANT)
    assert untitled.conversation.title is None
    assert same_title.conversation.title == "Trip"
    forked = await client.get_conversation(fork.conversation.id)
    assert [m.content for m in forked.messages] == ["root", "a"]

    # when: branches are named
    main = await client.rename_branch(b.branch.id, "main")
    # then
    assert main.name == "main"
    with pytest.raises(ConflictError) as taken:
        await client.rename_branch(c.branch.id, "main")
    assert (taken.value.code, taken.value.field) == ("CONFLICT", "name")
    assert (await client.rename_branch(str(b.branch.id), None)).name is None

    # when: a goes, with b and c
    deleted = await client.delete_message(a.message.id)
    # then: both branches end at root, so one of them goes too
    assert deleted.deleted_message_id == a.message.id
    assert (deleted.deleted_message_count, deleted.deleted_branch_count) == (3, 1)
    assert deleted.deleted_branch_ids == [b.branch.id]
    assert (deleted.conversation.message_count, deleted.conversation.branch_count) == (1, 1)
    assert deleted.conversation.current_branch.id == c.branch.id
    source = (await client.get_conversation(fork.conversation.id)).conversation
    assert source.forked_from is not None
    assert source.forked_from.message is None

    # when: a branch is deleted, then the last one
    extra = await client.add_message(conversation.id, Message(text="extra"), parent_id=None)
    assert extra.branch.id == c.branch.id
    edit = await client.update_message(extra.message.id, Message(text="extra, edited"))
    gone = await client.delete_branch(edit.branch.id)
    # then
    assert (gone.deleted_branch_id, gone.deleted_message_count) == (edit.branch.id, 1)
    assert gone.conversation.current_branch.id == c.branch.id
    with pytest.raises(ValidationError) as last:
        await client.delete_branch(c.branch.id)
    assert last.value.field == "branchId"

    # when: the conversation is renamed, patched and archived
    updated = await client.update_conversation(
        conversation.id, title="Lisbon", metadata={"topic": None, "year": 2026}, archived=True
    )
    # then
    assert (updated.title, updated.metadata) == ("Lisbon", {"year": 2026})
    assert updated.archived_at is not None and is_aware(updated.archived_at)
    kept = await client.update_conversation(conversation.id, archived=False)
    assert (kept.title, kept.archived_at) == ("Lisbon", None)
    assert (await client.update_conversation(conversation.id, title=None)).title is None

    # when / then: ids that name nothing
    unknown = uuid.uuid4()
    for call in (
        client.fork_conversation(unknown),
        client.delete_message(unknown),
        client.delete_branch(unknown),
        client.rename_branch(unknown, "x"),
        client.update_conversation(unknown, title="x"),
    ):
        with pytest.raises(NotFoundError):
            await call


async def test_the_overview_is_filtered_on_the_server(client: ConversationsClient) -> None:
    # given
    travel = await client.create_conversation(title="Lisbon", metadata={"topic": "travel"})
    work = await client.create_conversation(title="Standup", metadata={"topic": "work"})
    archived = await client.create_conversation(title="Old trip", metadata={"topic": "travel"})
    await client.update_conversation(archived.id, archived=True)
    # when
    by_metadata = await client.conversations_overview(metadata={"equals": {"topic": "travel"}})
    not_archived = await client.conversations_overview(
        archived=False, metadata={"in": {"topic": ["travel", "work"]}}
    )
    by_title = await client.conversations_overview(title_contains="TRIP")
    since = await client.conversations_overview(
        created_after=work.created_at, created_before=archived.created_at, offset=0, limit=5
    )
    by_ids = await client.conversations_overview(
        [travel.id, work.id], metadata={"hasKeys": ["topic"]}, offset=1, limit=1
    )
    # then
    assert [c.id for c in by_metadata.conversations] == [archived.id, travel.id]
    assert [c.id for c in not_archived.conversations] == [work.id, travel.id]
    assert [c.title for c in by_title.conversations] == ["Old trip"]
    assert by_title.conversations[0].archived_at is not None
    assert [c.id for c in since.conversations] == [work.id]
    assert ([c.id for c in by_ids.conversations], by_ids.total_count) == ([travel.id], 2)
    # when / then: a time without its zone never leaves the client
    with pytest.raises(ValidationError) as refused:
        await client.conversations_overview(created_after=datetime(2026, 1, 1))
    assert refused.value.field == "filter"
    later = work.created_at + timedelta(days=1)
    assert (await client.conversations_overview(created_after=later)).total_count == 0


async def test_a_long_branch_is_read_page_by_page(client: ConversationsClient) -> None:
    # given: more messages than the server sends in one page
    conversation = await client.create_conversation()
    contents = [f"message {n}" for n in range(105)]
    for content in contents:
        await client.add_message(conversation.id, Message(text=content))
    # when
    read = await client.get_conversation(conversation.id)
    # then
    assert [m.content for m in read.messages] == contents
    assert read.branch.message_count == 105


async def test_an_overview_longer_than_a_page_is_read_page_by_page(
    client: ConversationsClient,
) -> None:
    # given
    created = [await client.create_conversation(title=f"c{n}") for n in range(103)]
    newest_first = [c.id for c in reversed(created)]
    # when
    overview = await client.conversations_overview(offset=1, limit=101)
    # then
    assert [c.id for c in overview.conversations] == newest_first[1:102]
    assert overview.total_count == 103


async def test_message_records_carry_roles_tool_calls_and_names(
    client: ConversationsClient,
) -> None:
    # given
    conversation = await client.create_conversation()
    call = {"id": "call_1", "type": "function", "function": {"name": "weather"}}
    # when
    asked = await client.add_message(
        conversation.id, {"role": "assistant", "content": "", "tool_calls": [call]}
    )
    answered = await client.add_message(
        conversation.id,
        Message(role="tool", content="sunny", name="weather", tool_call_id="call_1"),
    )
    # then
    assert asked.message.role == Role.ASSISTANT
    assert asked.message.tool_calls == [call]
    assert answered.message.role == Role.TOOL
    assert (answered.message.name, answered.message.tool_call_id) == ("weather", "call_1")


async def test_user_errors_raise_typed_exceptions(client: ConversationsClient) -> None:
    # given
    conversation = await client.create_conversation()
    other = await client.create_conversation()
    elsewhere = await client.add_message(other.id, Message(text="elsewhere"))
    unknown = uuid.uuid4()

    # when / then: a parent from another conversation
    with pytest.raises(ValidationError) as refused:
        await client.add_message(
            conversation.id, Message(text="reply"), parent_id=elsewhere.message.id
        )
    assert refused.value.code == "INVALID_INPUT"
    assert refused.value.field == "parentId"
    assert str(refused.value) == refused.value.detail != ""

    # when / then: a branch of another conversation
    with pytest.raises(ValidationError) as refused:
        await client.set_current_branch(conversation.id, elsewhere.branch.id)
    assert refused.value.field == "branchId"

    # when / then: ids that name nothing
    for call in (
        client.update_message(unknown, Message(text="edit")),
        client.update_message_metadata(unknown, {"a": 1}),
        client.add_message(unknown, Message(text="hello")),
        client.delete_conversation(unknown),
        client.set_current_branch(unknown, elsewhere.branch.id),
        client.get_conversation(unknown),
        client.get_message(unknown),
        client.get_branch(unknown),
        client.branches_overview(unknown),
    ):
        with pytest.raises(NotFoundError) as missing:
            await call
        assert missing.value.code == "NOT_FOUND"
        assert isinstance(missing.value, ConvographError)

    # when / then: an id that is not a UUID never leaves the client
    with pytest.raises(ValidationError) as refused:
        await client.get_message("not-a-uuid")
    assert refused.value.field == "messageId"


async def test_malformed_requests_raise_graphql_request_errors(
    client: ConversationsClient, server_url: str
) -> None:
    # given
    conversation = await client.create_conversation()
    other = await client.create_conversation()
    # when / then: a negative offset
    with pytest.raises(GraphQLRequestError) as failed:
        await client.conversations_overview(offset=-1)
    assert failed.value.code == "BAD_USER_INPUT"
    assert failed.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    # when / then: reading a branch through a conversation it does not belong to
    with pytest.raises(GraphQLRequestError) as failed:
        await client.get_conversation(conversation.id, other.current_branch.id)
    assert failed.value.code == "BAD_USER_INPUT"
    # when / then: a URL that is not the GraphQL endpoint
    async with ConversationsClient(server_url.replace("/graphql", "/nowhere")) as lost:
        with pytest.raises(TransportError) as failed_http:
            await lost.create_conversation()
    assert failed_http.value.status_code == 404


async def test_a_server_address_without_a_path_means_its_graphql_endpoint(
    server_url: str,
) -> None:
    # given
    base_url = server_url.removesuffix("/graphql")
    # when
    async with ConversationsClient(base_url, timeout=5.0) as client:
        conversation = await client.create_conversation(title="bare")
    # then
    assert conversation.title == "bare"


async def test_a_server_that_is_not_listening_raises_a_transport_error() -> None:
    # given
    url = f"http://127.0.0.1:{free_port()}/graphql"
    # when / then
    async with ConversationsClient(url, timeout=5.0) as client:
        with pytest.raises(TransportError) as failed:
            await client.conversations_overview()
    assert failed.value.status_code is None
    assert isinstance(failed.value, ConvographError)


def test_a_message_takes_text_as_content_and_is_a_user_message_by_default() -> None:
    assert Message(text="Hello, world!") == Message(role=Role.USER, content="Hello, world!")
    assert Message(role="Assistant", content="Hi").role == Role.ASSISTANT
    assert Message(role="tool").role == Role.TOOL
    with pytest.raises(ValueError):
        Message(text="one", content="two")
    with pytest.raises(pydantic.ValidationError):
        Message(role="narrator", content="Once upon a time")


class FakeGraphQLServer(ThreadingHTTPServer):
    """Answers every POST with one canned response and keeps the requests' headers."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeGraphQLHandler)
        self.status = 200
        self.body: bytes = b"{}"
        self.headers_seen: list[dict[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/graphql"

    def answer(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()


class FakeGraphQLHandler(BaseHTTPRequestHandler):
    server: FakeGraphQLServer

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.headers_seen.append(dict(self.headers))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[FakeGraphQLServer]:
    server = FakeGraphQLServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def test_a_token_is_sent_as_a_bearer_authorization(
    fake_server: FakeGraphQLServer,
) -> None:
    # given
    fake_server.answer(200, {"data": {"message": None}})
    # when
    async with ConversationsClient(fake_server.url, token="s3cret") as client:
        with pytest.raises(NotFoundError):
            await client.get_message(uuid.uuid4())
    async with ConversationsClient(fake_server.url) as anonymous:
        with pytest.raises(NotFoundError):
            await anonymous.get_message(uuid.uuid4())
    # then
    with_token, without = fake_server.headers_seen
    assert with_token["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in without


async def test_answers_that_are_not_graphql_results_raise_distinct_errors(
    fake_server: FakeGraphQLServer,
) -> None:
    async with ConversationsClient(fake_server.url) as client:
        # a server fault without a GraphQL body
        fake_server.answer(502, b"bad gateway")
        with pytest.raises(TransportError) as failed:
            await client.get_branch(uuid.uuid4())
        assert failed.value.status_code == 502

        # a refused request that does carry GraphQL errors
        fake_server.answer(
            401, {"errors": [{"message": "no", "extensions": {"code": "UNAUTHENTICATED"}}]}
        )
        with pytest.raises(GraphQLRequestError) as refused:
            await client.get_branch(uuid.uuid4())
        assert refused.value.code == "UNAUTHENTICATED"

        # a top-level error with a request id
        fault = {"code": "INTERNAL_SERVER_ERROR", "requestId": "r-1"}
        fake_server.answer(
            200, {"data": None, "errors": [{"message": "boom", "extensions": fault}]}
        )
        with pytest.raises(GraphQLRequestError) as crashed:
            await client.get_branch(uuid.uuid4())
        assert (crashed.value.code, crashed.value.request_id) == ("INTERNAL_SERVER_ERROR", "r-1")

        # a result of a schema this client was not generated from
        fake_server.answer(200, {"data": {"branch": {"id": "not a uuid"}}})
        with pytest.raises(SchemaMismatchError):
            await client.get_branch(uuid.uuid4())


async def test_an_input_over_a_limit_raises_limit_exceeded(client: ConversationsClient) -> None:
    # given / when
    with pytest.raises(LimitExceededError) as raised:
        await client.create_conversation(title="t" * 1001)
    # then
    assert raised.value.code == "LIMIT_EXCEEDED"
    assert raised.value.field == "title"
