"""One locked conversation slows nothing else: writes to it hold at most a few pooled
connections (the rest queue briefly, then fail with a retryable SERVICE_UNAVAILABLE that
says why), reads have a pool of their own, a statement timeout is set, and each failure's
message names its real cause. On SQLite and PostgreSQL (SQLite has one write lock for
the whole database, so there "another conversation" is written after the lock is gone)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from convograph.db.engine import Database
from convograph.db.faults import unavailable_reason
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.databases import conversation_locked_elsewhere
from tests.documents import ADD_MESSAGE, CONVERSATION
from tests.factories import create_conversation

WRITES_TO_THE_LOCKED_CONVERSATION = 8


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        pool_size=2,
        pool_max_overflow=0,
        read_pool_size=2,
        read_pool_max_overflow=0,
        pool_timeout_seconds=1,
        max_writers_per_conversation=1,
        conversation_write_wait_seconds=0.5,
        lock_timeout_seconds=2,
    )


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = settings.database()
    yield database
    await database.dispose()


async def add(gql: GraphQLClient, conversation_id: str, content: str) -> Any:
    return await gql.execute(
        ADD_MESSAGE,
        input={"conversationId": conversation_id, "message": {"role": "USER", "content": content}},
    )


def codes_and_messages(result: Any) -> tuple[str, str]:
    [error] = result.errors
    return error.extensions["code"], error.message


async def test_writes_to_a_locked_conversation_hold_few_connections_and_say_why_they_fail(
    gql: GraphQLClient, database_url: str, settings: Settings
) -> None:
    # given two conversations, the first locked by another client's transaction
    locked = await create_conversation(gql, title="locked")
    other = await create_conversation(gql, title="other")
    postgres = not settings.is_sqlite
    async with conversation_locked_elsewhere(database_url, locked["id"]):
        # when many writes to it are under way, and meanwhile reads (and, on PostgreSQL,
        # a write to the other conversation) are made
        writes = [
            asyncio.ensure_future(add(gql, locked["id"], f"w{index}"))
            for index in range(WRITES_TO_THE_LOCKED_CONVERSATION)
        ]
        await asyncio.sleep(0.2)
        reads = [await gql.execute(CONVERSATION, id=c["id"]) for c in (locked, other, other)]
        elsewhere = await add(gql, other["id"], "elsewhere") if postgres else None
        results = await asyncio.gather(*writes)
    # then reads (and the other conversation's write) went through
    assert all(read.errors is None for read in reads), [read.errors for read in reads]
    if elsewhere is not None:
        assert elsewhere.errors is None
        assert elsewhere.data["addMessage"]["__typename"] == "AddMessageSuccess"
    # and every write to the locked one failed, retryably, saying why
    failures = [codes_and_messages(result) for result in results]
    assert {code for code, _ in failures} == {"SERVICE_UNAVAILABLE"}
    queued = [m for _, m in failures if "more writes under way" in m and locked["id"] in m]
    waited = [m for _, m in failures if "locked by another" in m or "busy with another" in m]
    assert len(queued) == WRITES_TO_THE_LOCKED_CONVERSATION - 1
    assert len(waited) == 1
    # and once the lock is gone, writes to it go through again
    after = await add(gql, locked["id"], "after")
    assert after.errors is None
    assert after.data["addMessage"]["__typename"] == "AddMessageSuccess"


async def test_writes_by_message_id_take_the_conversations_turn_too(
    gql: GraphQLClient, database_url: str
) -> None:
    # given a message of a conversation that another client holds locked
    conversation = await create_conversation(gql)
    first = await add(gql, conversation["id"], "first")
    message_id = first.data["addMessage"]["message"]["id"]
    document = """
    mutation Patch($input: UpdateMessageMetadataInput!) {
      updateMessageMetadata(input: $input) { __typename }
    }
    """
    async with conversation_locked_elsewhere(database_url, conversation["id"]):
        # when several writes name only the message
        results = await asyncio.gather(
            *[
                gql.execute(document, input={"messageId": message_id, "metadata": {"n": n}})
                for n in range(4)
            ]
        )
    # then all but one queued and failed fast, naming the conversation
    messages = [codes_and_messages(result)[1] for result in results]
    assert sum(conversation["id"] in message for message in messages) == 3


async def test_a_read_blocked_by_an_exclusive_table_lock_says_so(
    gql: GraphQLClient, database_url: str, settings: Settings
) -> None:
    if settings.is_sqlite:
        pytest.skip("SQLite's readers are never blocked by a writer (WAL)")
    # given another client holding an exclusive lock on the conversation table
    conversation = await create_conversation(gql)
    conninfo = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(conninfo.render_as_string(hide_password=False)) as connection:
        connection.execute("LOCK TABLE conversation IN ACCESS EXCLUSIVE MODE")
        # when a read needs it
        result = await gql.execute(CONVERSATION, id=conversation["id"])
        connection.rollback()
    # then it fails retryably, naming the lock rather than "other writes"
    code, message = codes_and_messages(result)
    assert code == "SERVICE_UNAVAILABLE"
    assert "locked by another transaction" in message
    assert "writes" not in message


async def test_a_statement_timeout_is_set_and_named_when_it_strikes(
    database_url: str, settings: Settings
) -> None:
    if settings.is_sqlite:
        pytest.skip("SQLite has no statement timeout")
    # given a database whose statements may run half a second
    database = settings.model_copy(update={"statement_timeout_seconds": 0.5}).database()
    try:
        async with database.read() as session:
            shown = await session.scalar(text("SHOW statement_timeout"))
            # when a statement runs longer
            with pytest.raises(OperationalError) as raised:
                await session.execute(text("SELECT pg_sleep(3)"))
    finally:
        await database.dispose()
    # then
    assert shown == "500ms"
    assert "statement timeout" in unavailable_reason(raised.value)
