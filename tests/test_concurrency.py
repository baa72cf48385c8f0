"""Concurrent writers against `convograph serve --workers 2`: nothing lost, no orphans.

Every write takes its conversation's lock (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
BEGIN IMMEDIATE with a busy timeout), so writers to one conversation take turns even
across server processes. Each test fires its requests at once and then checks every
acknowledged write against what the database holds.
"""

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from convograph.db import loaders
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.databases import DATABASES, conversation_locked_elsewhere
from tests.documents import (
    ADD_MESSAGE,
    BRANCH,
    CONVERSATION,
    CREATE_CONVERSATION,
    DELETE_CONVERSATION,
    MESSAGE,
    UPDATE_MESSAGE,
)
from tests.factories import conversation_with_messages
from tests.serving import Served, app_client, post_graphql, response_data, served_database

WRITERS = 50
REQUEST_TIMEOUT_SECONDS = 60.0


@pytest.fixture(scope="module", params=DATABASES)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A two-worker server on a fresh database."""
    directory = tmp_path_factory.mktemp(f"concurrency-{request.param}")
    yield from served_database(request.param, directory, workers=2)


@pytest.fixture
async def http(served: Served) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=WRITERS * 2, max_keepalive_connections=WRITERS * 2)
    async with httpx.AsyncClient(
        base_url=served.base_url, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits
    ) as client:
        yield client


async def call(http: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    """The one field a document returns; any top-level error fails the test."""
    [result] = response_data(await post_graphql(http, document, **variables)).values()
    return result


def user(content: str) -> dict[str, str]:
    return {"role": "USER", "content": content}


async def new_conversation(http: httpx.AsyncClient, *contents: str) -> tuple[str, list[str]]:
    created = await call(http, CREATE_CONVERSATION, input={"title": "busy"})
    conversation = created["conversation"]["id"]
    ids = []
    for content in contents:
        added = await call(
            http, ADD_MESSAGE, input={"conversationId": conversation, "message": user(content)}
        )
        ids.append(added["message"]["id"])
    return conversation, ids


def orphans(database_url: str) -> dict[str, int]:
    """Messages and branches whose conversation is gone, counted in SQL."""
    queries = {
        table: f"SELECT count(*) FROM {table} WHERE conversation_id NOT IN "
        "(SELECT id FROM conversation)"
        for table in ("message", "branch")
    }
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database)) as connection:
            return {t: connection.execute(q).fetchone()[0] for t, q in queries.items()}
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        return {t: connection.execute(q).fetchone()[0] for t, q in queries.items()}


async def test_concurrent_appends_make_one_linear_branch(http: httpx.AsyncClient) -> None:
    # given an empty conversation
    conversation, _ = await new_conversation(http)
    # when 50 writers append to it at once, naming neither parent nor branch
    added = await asyncio.gather(
        *(
            call(
                http, ADD_MESSAGE, input={"conversationId": conversation, "message": user(f"m{i}")}
            )
            for i in range(WRITERS)
        )
    )
    # then every write succeeded, and all 50 form one path: no fork, none lost
    assert {result["__typename"] for result in added} == {"AddMessageSuccess"}
    read = await call(http, CONVERSATION, id=conversation, first=100)
    assert read["messageCount"] == WRITERS
    assert read["branchCount"] == 1
    path = [edge["node"] for edge in read["messages"]["edges"]]
    assert [node["depth"] for node in path] == list(range(WRITERS))
    assert {node["id"] for node in path} == {result["message"]["id"] for result in added}
    assert sorted(node["content"] for node in path) == sorted(f"m{i}" for i in range(WRITERS))


async def test_concurrent_replies_to_one_tip_extend_it_once_and_fork_the_rest(
    http: httpx.AsyncClient,
) -> None:
    # given a conversation whose current branch ends at `root`
    conversation, [root] = await new_conversation(http, "root")
    main = (await call(http, CONVERSATION, id=conversation))["currentBranch"]["id"]
    # when 50 writers reply to `root` at once
    added = await asyncio.gather(
        *(
            call(
                http,
                ADD_MESSAGE,
                input={"conversationId": conversation, "parentId": root, "message": user(f"r{i}")},
            )
            for i in range(WRITERS)
        )
    )
    # then the first extended the main branch and each of the other 49 forked a new one
    assert {result["__typename"] for result in added} == {"AddMessageSuccess"}
    branches = [result["branch"]["id"] for result in added]
    assert branches.count(main) == 1
    assert len(set(branches)) == WRITERS
    read = await call(http, CONVERSATION, id=conversation)
    assert read["messageCount"] == 1 + WRITERS
    assert read["branchCount"] == WRITERS
    extended = await call(http, BRANCH, id=main, first=100)
    [extension] = [r["message"]["id"] for r in added if r["branch"]["id"] == main]
    assert [node["id"] for node in extended["messages"]["nodes"]] == [root, extension]
    for result in added:
        assert result["message"]["parent"] == {"id": root}
        if result["branch"]["id"] != main:
            assert result["branch"]["branchPoint"] == {"id": root}
            # forked from whichever branch was current then: one of these
            assert result["branch"]["forkedFrom"]["id"] in set(branches)


async def test_edits_and_appends_racing_deletes_leave_no_orphans_and_lose_nothing(
    http: httpx.AsyncClient, served: Served
) -> None:
    # given five conversations of five messages each
    conversations = [await new_conversation(http, *"abcde") for _ in range(5)]
    writes: list[tuple[str, str, dict[str, Any]]] = []
    for conversation, messages in conversations:
        writes += [
            (conversation, UPDATE_MESSAGE, {"messageId": m, "message": user("edit")})
            for m in messages + messages[:3]
        ]
        writes += [
            (conversation, ADD_MESSAGE, {"conversationId": conversation, "message": user("more")})
        ] * 2
        writes.append((conversation, DELETE_CONVERSATION, {"id": conversation}))
    random.Random(4).shuffle(writes)
    # when all 55 run at once
    results = await asyncio.gather(
        *(call(http, document, input=input) for _, document, input in writes)
    )
    # then each conversation is gone, together with every message and branch it had
    assert orphans(served.database_url) == {"message": 0, "branch": 0}
    for conversation, _ in conversations:
        outcomes = [r for (c, _, _), r in zip(writes, results, strict=True) if c == conversation]
        [deleted] = [r for r in outcomes if r["__typename"] == "DeleteConversationSuccess"]
        written = [
            r for r in outcomes if r["__typename"] in ("UpdateMessageSuccess", "AddMessageSuccess")
        ]
        refused = [r for r in outcomes if r["__typename"] == "NotFoundError"]
        # every write either landed before the delete, which then counted it, or found
        # the conversation gone: no acknowledged write is missing from the count
        assert len(written) + len(refused) + 1 == len(outcomes)
        assert deleted["deletedMessageCount"] == 5 + len(written)
        # each edit forks a branch; appends extend the current one
        edits = [r for r in written if r["__typename"] == "UpdateMessageSuccess"]
        assert deleted["deletedBranchCount"] == 1 + len(edits)
        assert (await call(http, CONVERSATION, id=conversation)) is None


@pytest.fixture
def impatient(settings: Settings) -> Settings:
    return settings.model_copy(update={"lock_timeout_seconds": 0.2})


@pytest.fixture
async def impatient_http(impatient: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(impatient) as client:
        yield client


async def test_a_writer_that_waits_past_the_lock_timeout_gets_a_clear_error(
    impatient_http: httpx.AsyncClient, impatient: Settings
) -> None:
    # given a conversation whose lock another transaction holds
    created = await post_graphql(impatient_http, CREATE_CONVERSATION, input={})
    conversation = created.json()["data"]["createConversation"]["conversation"]["id"]
    async with conversation_locked_elsewhere(impatient.database_url, conversation):
        # when a write to it waits longer than the lock timeout
        blocked = await post_graphql(
            impatient_http,
            ADD_MESSAGE,
            input={"conversationId": conversation, "message": user("x")},
        )
    # then it fails with SERVICE_UNAVAILABLE, saying why, and wrote nothing
    [error] = blocked.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    # (PostgreSQL names the lock; SQLite has one write lock for the whole database)
    assert any(
        cause in error["message"]
        for cause in ("locked by another transaction", "busy with another write")
    )
    after = await post_graphql(impatient_http, CONVERSATION, id=conversation)
    assert after.json()["data"]["conversation"]["messageCount"] == 0


@pytest.mark.resolver_path
async def test_a_conversation_deleted_while_a_query_reads_it_is_a_retryable_error(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a message whose conversation is deleted after the message was read: each
    # DataLoader batch reads in a session of its own
    _, [message] = await conversation_with_messages(gql, "hi")

    async def deleted_meanwhile(_session: Any, _owner: Any, ids: list[Any]) -> list[None]:
        return [None for _ in ids]

    monkeypatch.setattr(loaders, "conversations_by_id", deleted_meanwhile)
    # when
    result = await gql.execute(MESSAGE, id=message["id"])
    # then the client is told to retry, not that the server failed
    [error] = [error.formatted for error in result.errors]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "deleted while this request ran" in error["message"]
    assert result.data == {"message": None}
