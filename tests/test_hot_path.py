"""The tuned read path: cached parsing, fast JSON, lazy totals, no needless statements."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from itertools import pairwise

import httpx
import pytest
from graphql import parse

from convograph.api import document_cache
from convograph.db import engine
from convograph.db.engine import Database
from convograph.settings import Settings
from tests.conftest import GraphQLClient, StatementCounter
from tests.databases import end_other_connections
from tests.documents import CONVERSATION_TITLE
from tests.factories import conversation_with_messages, create_conversation
from tests.serving import app_client, post_graphql

BRANCH_PAGE = """
query BranchPage($id: UUID!) {
  conversation(id: $id) { messages(first: 50) { nodes { id content } } }
}
"""

BRANCH_PAGE_WITH_PARENTS = """
query BranchPageWithParents($id: UUID!) {
  conversation(id: $id) { messages(first: 50) { nodes { id content parent { id } } } }
}
"""

OVERVIEW = "query Overview { conversations(first: 5) { nodes { id } } }"
OVERVIEW_WITH_TOTAL = (
    "query OverviewWithTotal { conversations(first: 5) { nodes { id } totalCount } }"
)

BROKEN = "query Broken { conversations(first: 5) { nodes { id }"

CREATE_WITH_METADATA = """
mutation CreateWithMetadata($metadata: JSON!) {
  createConversation(input: {title: "Crème brûlée", metadata: $metadata}) {
    ... on CreateConversationSuccess { conversation { title metadata } }
  }
}
"""


@pytest.fixture
def counted_parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every document the cache had to parse, from an empty cache."""
    parsed: list[str] = []

    def counting_parse(query: str, **options: object) -> object:
        parsed.append(query)
        return parse(query, **options)  # type: ignore[arg-type]

    document_cache._parsed.cache_clear()
    monkeypatch.setattr(document_cache, "parse", counting_parse)
    yield parsed
    document_cache._parsed.cache_clear()


async def test_a_document_is_parsed_once_and_then_served_from_the_cache(
    gql: GraphQLClient, counted_parses: list[str]
) -> None:
    # given
    await create_conversation(gql, title="one")
    counted_parses.clear()
    # when
    first = await gql.data(OVERVIEW)
    second = await gql.data(OVERVIEW)
    # then
    assert counted_parses == [OVERVIEW]
    assert first == second and len(first["conversations"]["nodes"]) == 1


async def test_a_document_that_does_not_parse_is_reported_with_its_code_every_time(
    gql: GraphQLClient, counted_parses: list[str]
) -> None:
    # when
    results = [await gql.execute(BROKEN) for _ in range(2)]
    # then
    for result in results:
        [error] = result.errors
        assert error.message.startswith("Syntax Error")
        assert error.extensions["code"] == "BAD_USER_INPUT"
    # and it was parsed once: reading up to the error is the cost of refusing it
    assert counted_parses == [BROKEN]


async def test_a_cached_document_still_meets_a_lower_token_limit(
    database: Database, settings: Settings, counted_parses: list[str]
) -> None:
    # given the overview parsed under the default limit
    await GraphQLClient(database, settings).data(OVERVIEW)
    strict = GraphQLClient(database, settings.model_copy(update={"max_tokens": 5}))
    # when
    result = await strict.execute(OVERVIEW)
    # then
    [error] = result.errors
    assert error.extensions["code"] == "LIMIT_EXCEEDED"


async def test_parents_on_a_branch_page_cost_no_statement(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, *[f"turn {i}" for i in range(20)])
    # when
    statements.reset()
    plain = await gql.data(BRANCH_PAGE, id=conversation["id"])
    without_parents = statements.count
    statements.reset()
    linked = await gql.data(BRANCH_PAGE_WITH_PARENTS, id=conversation["id"])
    with_parents = statements.count
    # then
    nodes = linked["conversation"]["messages"]["nodes"]
    assert [n["content"] for n in nodes] == [
        n["content"] for n in plain["conversation"]["messages"]["nodes"]
    ]
    assert nodes[0]["parent"] is None
    assert all(n["parent"]["id"] == p["id"] for p, n in pairwise(nodes))
    assert with_parents == without_parents


@pytest.mark.resolver_path
async def test_the_total_of_a_list_is_counted_only_when_asked_for(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given
    for title in ("one", "two", "three"):
        await create_conversation(gql, title=title)
    # when
    statements.reset()
    await gql.data(OVERVIEW)
    without_total = statements.count
    statements.reset()
    data = await gql.data(OVERVIEW_WITH_TOTAL)
    with_total = statements.count
    # then
    assert data["conversations"]["totalCount"] == 3
    assert (without_total, with_total) == (1, 2)


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as client:
        yield client


@pytest.mark.parametrize(
    "metadata",
    [
        # the largest integers the input rules accept (64 bits: both databases store them)
        {"big": 2**63 - 1, "negative": -(2**63), "text": "naïve ☕"},
        {"small": 7, "list": [1.5, None, True]},
    ],
)
async def test_responses_carry_any_json_the_api_accepted(
    http: httpx.AsyncClient, metadata: dict[str, object]
) -> None:
    # when
    response = await post_graphql(http, CREATE_WITH_METADATA, metadata=metadata)
    # then
    assert response.status_code == 200
    created = json.loads(response.content)["data"]["createConversation"]["conversation"]
    assert created == {"title": "Crème brûlée", "metadata": metadata}


async def test_a_pooled_connection_lost_while_idle_is_replaced_before_use(
    gql: GraphQLClient, database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("an SQLite connection has no server that could drop it")
    # given pooled connections that the server then drops while they sit idle
    monkeypatch.setattr(engine, "PING_AFTER_IDLE_SECONDS", 0.05)
    await create_conversation(gql, title="before")
    end_other_connections(database_url)
    await asyncio.sleep(0.1)
    # when
    data = await gql.data(OVERVIEW_WITH_TOTAL)
    # then
    assert data["conversations"]["totalCount"] == 1


@pytest.mark.resolver_path
async def test_a_batch_read_that_loses_its_server_is_retryable_and_the_next_one_reads(
    gql: GraphQLClient, database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("an SQLite connection has no server that could drop it")
    # given pooled connections dropped by the server, and no ping to notice it first
    monkeypatch.setattr(engine, "PING_AFTER_IDLE_SECONDS", 1000)
    conversation = await create_conversation(gql, title="before")
    end_other_connections(database_url)
    # when a loader's prebuilt statement runs on a dead connection, and then again
    failed = await gql.execute(CONVERSATION_TITLE, id=conversation["id"])
    retried = await gql.data(CONVERSATION_TITLE, id=conversation["id"])
    # then the first failure is retryable, and the retry reads
    [error] = failed.errors
    assert error.extensions["code"] == "SERVICE_UNAVAILABLE"
    assert retried["conversation"]["title"] == "before"
