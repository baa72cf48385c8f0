"""Safe writes: Conversation.version with expectedVersion, idempotency keys, and imports that
reach subscribers; on SQLite and PostgreSQL."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from convograph.broker import EventBroker
from convograph.db.engine import Database
from convograph.db.tables import Event, IdempotencyKey, Message, utcnow
from convograph.resolvers import unit_of_work
from convograph.retention import prune_idempotency_keys
from convograph.settings import Settings
from tests import test_subscriptions
from tests.conftest import GraphQLClient
from tests.documents import (
    CONVERSATIONS_CHANGED,
    CREATE_CONVERSATION,
    DELETE_CONVERSATION,
    FORK_CONVERSATION,
    IMPORT_CONVERSATIONS,
    RENAME_BRANCH,
    SET_CURRENT_BRANCH,
    UPDATE_CONVERSATION,
    UPDATE_MESSAGE,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import add_message, create_conversation
from tests.test_subscriptions import BrokeredClient, live_changes, next_result

VERSION = "query Version($id: UUID!) { conversation(id: $id) { version messageCount } }"

ADD_WITH_CONFLICT = """
mutation Add($input: AddMessageInput!) {
  addMessage(input: $input) {
    __typename
    ... on AddMessageSuccess { message { id content } conversation { version } }
    ... on ConflictError { currentVersion }
    ... on UserError { code detail field }
  }
}
"""

UPDATE_WITH_CONFLICT = """
mutation UpdateConversation($input: UpdateConversationInput!) {
  updateConversation(input: $input) {
    __typename
    ... on UpdateConversationSuccess { conversation { title version } }
    ... on ConflictError { currentVersion }
    ... on UserError { code detail field }
  }
}
"""


# The broker, as test_subscriptions makes it.
broker = test_subscriptions.broker


async def version_of(gql: GraphQLClient, conversation_id: str) -> int:
    return (await gql.data(VERSION, id=conversation_id))["conversation"]["version"]


async def message_count(database: Database) -> int:
    async with database.read() as session:
        return (await session.scalar(select(func.count()).select_from(Message))) or 0


# --- versions ---------------------------------------------------------------------------


async def test_the_version_is_the_latest_event_sequence_and_grows_with_each_write(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql)
    created = await version_of(gql, conversation["id"])
    # when
    added = await add_message(gql, conversation["id"], "hello")
    # then: created (1), then message added (2)
    assert created == 1
    assert added["conversation"]["id"] == conversation["id"]
    assert await version_of(gql, conversation["id"]) == 2
    assert await latest_sequence_of(gql, conversation["id"]) == 2


async def latest_sequence_of(gql: GraphQLClient, conversation_id: str) -> int:
    async with gql.database.read() as session:
        value = await session.scalar(
            select(func.max(Event.sequence)).where(
                Event.conversation_id == uuid.UUID(conversation_id)
            )
        )
    return value or 0


async def test_a_matching_expected_version_writes(gql: GraphQLClient) -> None:
    conversation = await create_conversation(gql)
    result = await gql.data(
        ADD_WITH_CONFLICT,
        input={
            "conversationId": conversation["id"],
            "message": {"role": "USER", "content": "hi"},
            "expectedVersion": 1,
        },
    )
    assert result["addMessage"]["conversation"]["version"] == 2


async def test_a_stale_expected_version_is_a_conflict_with_the_current_version_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given a conversation another tab has written to since version 1
    conversation = await create_conversation(gql)
    await add_message(gql, conversation["id"], "from the other tab")
    # when
    result = await gql.data(
        ADD_WITH_CONFLICT,
        input={
            "conversationId": conversation["id"],
            "message": {"role": "USER", "content": "stale"},
            "expectedVersion": 1,
        },
    )
    # then
    conflict = result["addMessage"]
    assert (conflict["__typename"], conflict["code"], conflict["field"]) == (
        "ConflictError",
        "CONFLICT",
        "expectedVersion",
    )
    assert conflict["currentVersion"] == 2
    assert await version_of(gql, conversation["id"]) == 2
    assert await message_count(gql.database) == 1


@pytest.mark.parametrize(
    ("document", "name", "input"),
    [
        (
            UPDATE_MESSAGE,
            "updateMessage",
            lambda c, m, b: {"messageId": m, "message": {"role": "USER", "content": "x"}},
        ),
        (
            UPDATE_MESSAGE_METADATA,
            "updateMessageMetadata",
            lambda c, m, b: {"messageId": m, "metadata": {"a": 1}},
        ),
        (
            SET_CURRENT_BRANCH,
            "setCurrentBranch",
            lambda c, m, b: {"conversationId": c, "branchId": b},
        ),
        (UPDATE_CONVERSATION, "updateConversation", lambda c, m, b: {"id": c, "title": "t"}),
        (RENAME_BRANCH, "renameBranch", lambda c, m, b: {"branchId": b, "name": "main"}),
        (FORK_CONVERSATION, "forkConversation", lambda c, m, b: {"messageId": m}),
        (DELETE_CONVERSATION, "deleteConversation", lambda c, m, b: {"id": c}),
    ],
)
async def test_every_mutation_that_changes_a_conversation_checks_the_expected_version(
    gql: GraphQLClient, document: str, name: str, input: Any
) -> None:
    # given a conversation at version 2
    conversation = await create_conversation(gql)
    added = await add_message(gql, conversation["id"], "hello")
    ids = (conversation["id"], added["message"]["id"], added["branch"]["id"])
    # when
    result = (await gql.data(document, input={**input(*ids), "expectedVersion": 1}))[name]
    # then
    assert (result["__typename"], result["field"]) == ("ConflictError", "expectedVersion")
    assert await version_of(gql, conversation["id"]) == 2


async def test_concurrent_writers_with_the_same_expected_version_one_wins(
    gql: GraphQLClient,
) -> None:
    # given two tabs that read version 1
    conversation = await create_conversation(gql)

    async def write(title: str) -> dict[str, Any]:
        data = await gql.data(
            UPDATE_WITH_CONFLICT,
            input={"id": conversation["id"], "title": title, "expectedVersion": 1},
        )
        return data["updateConversation"]

    # when both write at once
    results = await asyncio.gather(*(write(f"tab {i}") for i in range(6)))
    # then exactly one wrote; the others learn the version it made
    winners = [r for r in results if r["__typename"] == "UpdateConversationSuccess"]
    losers = [r for r in results if r["__typename"] == "ConflictError"]
    assert len(winners) == 1 and len(losers) == 5
    assert all(loser["currentVersion"] == 2 for loser in losers)
    assert await version_of(gql, conversation["id"]) == 2


# --- idempotency ------------------------------------------------------------------------


async def test_a_repeated_key_returns_the_first_message_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql)
    input = {
        "conversationId": conversation["id"],
        "message": {"role": "USER", "content": "once"},
        "idempotencyKey": "k-1",
        "expectedVersion": 1,
    }
    first = (await gql.data(ADD_WITH_CONFLICT, input=input))["addMessage"]
    # when the client retries, with an expectedVersion that its first try made stale
    again = (await gql.data(ADD_WITH_CONFLICT, input=input))["addMessage"]
    # then
    assert again["message"] == first["message"]
    assert await message_count(gql.database) == 1
    assert await version_of(gql, conversation["id"]) == 2


async def test_a_key_with_other_input_is_a_conflict(gql: GraphQLClient) -> None:
    conversation = await create_conversation(gql)
    base = {"conversationId": conversation["id"], "idempotencyKey": "k-2"}
    await gql.data(ADD_WITH_CONFLICT, input={**base, "message": {"role": "USER", "content": "a"}})
    other = (
        await gql.data(
            ADD_WITH_CONFLICT, input={**base, "message": {"role": "USER", "content": "b"}}
        )
    )["addMessage"]
    assert (other["__typename"], other["field"]) == ("ConflictError", "idempotencyKey")
    assert await message_count(gql.database) == 1


async def test_keys_are_per_owner(database: Database, settings: Settings) -> None:
    # given alice used a key
    alice, bob = (
        GraphQLClient(database, settings, "alice"),
        GraphQLClient(database, settings, "bob"),
    )
    first = await alice.data(CREATE_CONVERSATION, input={"title": "a", "idempotencyKey": "shared"})
    # when bob uses the same key
    second = await bob.data(CREATE_CONVERSATION, input={"title": "a", "idempotencyKey": "shared"})
    # then each has a conversation of their own
    ids = {r["createConversation"]["conversation"]["id"] for r in (first, second)}
    assert len(ids) == 2


async def test_a_key_older_than_the_retention_window_is_forgotten(gql: GraphQLClient) -> None:
    # given a key used two days ago
    input = {"title": "daily", "idempotencyKey": "k-3"}
    first = (await gql.data(CREATE_CONVERSATION, input=input))["createConversation"]
    async with gql.database.transaction() as session:
        await session.execute(
            update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2))
        )
    # when
    second = (await gql.data(CREATE_CONVERSATION, input=input))["createConversation"]
    # then a second conversation is made
    assert second["conversation"]["id"] != first["conversation"]["id"]


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
async def test_a_bad_key_is_invalid(gql: GraphQLClient, key: str) -> None:
    result = (await gql.data(CREATE_CONVERSATION, input={"idempotencyKey": key}))[
        "createConversation"
    ]
    assert (result["__typename"], result["field"]) == ("ValidationError", "idempotencyKey")


async def test_a_failed_request_keeps_no_key(gql: GraphQLClient) -> None:
    # given a retry-keyed request that fails (its conversation is unknown)
    missing = "00000000-0000-4000-8000-000000000000"
    input = {
        "conversationId": missing,
        "message": {"role": "USER", "content": "x"},
        "idempotencyKey": "k-4",
    }
    failed = (await gql.data(ADD_WITH_CONFLICT, input=input))["addMessage"]
    # then nothing is kept under the key
    assert failed["__typename"] == "NotFoundError"
    async with gql.database.read() as session:
        assert await session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


async def test_concurrent_requests_with_one_key_write_once(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    input = {
        "conversationId": conversation["id"],
        "message": {"role": "USER", "content": "race"},
        "idempotencyKey": "k-5",
    }
    # when five copies of one request arrive at once
    results = await asyncio.gather(*(gql.data(ADD_WITH_CONFLICT, input=input) for _ in range(5)))
    # then one message, and every answer names it
    assert {r["addMessage"]["message"]["id"] for r in results} == {
        results[0]["addMessage"]["message"]["id"]
    }
    assert await message_count(gql.database) == 1


@pytest.mark.parametrize("document", [UPDATE_MESSAGE, FORK_CONVERSATION])
async def test_edits_and_forks_are_idempotent_too(gql: GraphQLClient, document: str) -> None:
    # given
    conversation = await create_conversation(gql)
    added = await add_message(gql, conversation["id"], "original")
    input: dict[str, Any] = {"messageId": added["message"]["id"], "idempotencyKey": "k-6"}
    if document is UPDATE_MESSAGE:
        input["message"] = {"role": "USER", "content": "edited"}
    name = "updateMessage" if document is UPDATE_MESSAGE else "forkConversation"
    # when
    first = (await gql.data(document, input=input))[name]
    again = (await gql.data(document, input=input))[name]
    # then
    assert first["__typename"] == again["__typename"] != "ConflictError"
    assert again["message"]["id"] == first["message"]["id"]
    assert await message_count(gql.database) == 2


async def test_a_repeated_import_key_returns_the_first_summary(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql, title="to copy")
    await add_message(gql, conversation["id"], "hello")
    exported = await gql.data(
        "query E($id: UUID!) { exportConversation(id: $id) }", id=conversation["id"]
    )
    document = exported["exportConversation"]
    await gql.data(DELETE_CONVERSATION, input={"id": conversation["id"]})
    input = {"data": document, "idempotencyKey": "import-1"}
    # when
    first = (await gql.data(IMPORT_CONVERSATIONS, input=input))["importConversations"]
    again = (await gql.data(IMPORT_CONVERSATIONS, input=input))["importConversations"]
    # then the retry reports it imported (not skipped), and nothing more was written
    assert len(first["imported"]) == 1
    assert again["imported"] == first["imported"] and again["skipped"] == []
    assert await message_count(gql.database) == 1


# --- imports as events ------------------------------------------------------------------


async def test_an_imported_conversation_reaches_conversations_changed_subscribers(
    database: Database, settings: Settings, broker: EventBroker
) -> None:
    # given a document of a conversation from elsewhere, and a subscriber to the overview
    client = BrokeredClient(database, settings, broker, "local")
    conversation = await create_conversation(client, title="exported")
    await add_message(client, conversation["id"], "hello")
    exported = await client.data(EXPORT, id=conversation["id"])
    document = exported["exportConversation"]
    document["conversations"][0]["id"] = str(uuid.uuid4())
    stream = await live_changes(await client.subscribe(CONVERSATIONS_CHANGED))
    pending = asyncio.ensure_future(changes_until_created(stream))
    # when
    result = await client.data(IMPORT_CONVERSATIONS, input={"data": document})
    # then
    [item] = result["importConversations"]["imported"]
    created = await pending
    assert created["conversationId"] == item["conversation"]["id"]
    assert created["event"] == {"sequence": 1, "kind": "CONVERSATION_CREATED"}
    assert await version_of(client, item["conversation"]["id"]) == 1
    await stream.aclose()


EXPORT = "query Export($id: UUID!) { exportConversation(id: $id) }"


async def changes_until_created(stream: AsyncIterator[Any]) -> dict[str, Any]:
    """The first CREATED change (those of the setup before it may still be arriving)."""
    while True:
        change = (await next_result(stream)).data["conversationsChanged"]
        if change["kind"] == "CREATED":
            return change


async def test_old_keys_are_pruned(gql: GraphQLClient) -> None:
    # given one key from two days ago and one from now
    await gql.data(CREATE_CONVERSATION, input={"idempotencyKey": "old"})
    async with gql.database.transaction() as session:
        await session.execute(
            update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2))
        )
    await gql.data(CREATE_CONVERSATION, input={"idempotencyKey": "new"})
    # when
    pruned = await prune_idempotency_keys(gql.database, timedelta(days=1))
    # then
    async with gql.database.read() as session:
        kept = (await session.scalars(select(IdempotencyKey.key))).all()
    assert (pruned, kept) == (1, ["new"])


async def test_a_response_lost_after_the_commit_is_answered_by_the_retry(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a request whose connection dies between its commit and its response
    conversation = await create_conversation(gql)
    input = {
        "conversationId": conversation["id"],
        "message": {"role": "USER", "content": "acknowledged?"},
        "idempotencyKey": "lost-response",
    }
    rows_in = unit_of_work._rows_in

    def connection_lost(outcome: object) -> list[object]:
        raise ConnectionResetError("the client went away")

    monkeypatch.setattr(unit_of_work, "_rows_in", connection_lost)
    lost = await gql.execute(ADD_WITH_CONFLICT, input=input)
    monkeypatch.setattr(unit_of_work, "_rows_in", rows_in)
    # when the client retries
    retried = (await gql.data(ADD_WITH_CONFLICT, input=input))["addMessage"]
    # then the write happened once and the retry names it
    assert lost.errors is not None
    assert retried["message"]["content"] == "acknowledged?"
    assert await message_count(gql.database) == 1
