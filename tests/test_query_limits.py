"""Query limits: tokens, depth, aliases (after fragment expansion), nodes, body size,
batching and introspection. Every limit error is a top-level LIMIT_EXCEEDED error."""

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query

from convograph.api import node_limit, query_limits
from convograph.settings import Settings
from tests.conftest import GraphQLClient, StatementCounter
from tests.databases import MigratedTemplates
from tests.factories import conversation_with_messages
from tests.serving import app_client


@pytest.fixture
def database_url(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[str]:
    """Query limits act before any SQL runs: one database, SQLite, suffices."""
    yield from migrated_templates.copy("sqlite", tmp_path)


def limited(gql: GraphQLClient, **limits: Any) -> GraphQLClient:
    settings = gql.settings.model_copy(update=limits)
    return GraphQLClient(gql.database, settings, gql.owner)


def parents(levels: int) -> str:
    """A message query `levels + 1` deep: message { parent { parent { ... } } }."""
    return "query($id: UUID!) { message(id: $id) { %s id %s } }" % (
        "parent { " * levels,
        "}" * levels,
    )


def doubling_fragments(count: int, leaf: str) -> str:
    """`count` fragments, each spreading the next one twice: 2**count copies of `leaf`."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(count)]
    fragments.append(f"fragment F{count} on Query {{ {leaf} }}")
    return "query { ...F0 }\n" + "\n".join(fragments)


def limit_error(result: Any) -> dict[str, Any]:
    """The one top-level error of a refused operation, which must have run no resolver."""
    assert result.data is None, result.data
    [error] = [error.formatted for error in result.errors]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED", error
    return error


# --- depth ----------------------------------------------------------------------------


async def test_a_query_as_deep_as_the_limit_runs(gql: GraphQLClient) -> None:
    # given a message query 12 levels deep (the default limit)
    _, [message] = await conversation_with_messages(gql, "hi")
    # when
    result = await gql.execute(parents(11), id=message["id"])
    # then
    assert result.errors is None
    assert result.data == {"message": {"parent": None}}


async def test_a_query_deeper_than_the_limit_is_refused(gql: GraphQLClient) -> None:
    # given / when
    result = await gql.execute(parents(12), id="00000000-0000-0000-0000-000000000000")
    # then
    assert "13 levels deep; at most 12" in limit_error(result)["message"]


async def test_depth_counts_through_fragments(gql: GraphQLClient) -> None:
    # given a chain of fragments, each adding one level
    chain = [f"fragment P{i} on Message {{ parent {{ ...P{i + 1} }} }}" for i in range(20)]
    chain.append("fragment P20 on Message { id }")
    document = "query($id: UUID!) { message(id: $id) { ...P0 } }\n" + "\n".join(chain)
    # when
    result = await gql.execute(document, id="00000000-0000-0000-0000-000000000000")
    # then
    assert "21 levels deep" in limit_error(result)["message"]


async def test_the_depth_limit_is_configurable(gql: GraphQLClient) -> None:
    # given / when
    result = await limited(gql, max_depth=2).execute(parents(2), id=_zero())
    # then
    assert "at most 2 are allowed" in limit_error(result)["message"]


def _zero() -> str:
    return "00000000-0000-0000-0000-000000000000"


# --- aliases --------------------------------------------------------------------------


def aliases(count: int) -> str:
    return " ".join(f"a{i}: __typename" for i in range(count))


async def test_thirty_aliases_are_allowed(gql: GraphQLClient) -> None:
    # given / when
    result = await gql.execute("query { %s }" % aliases(30))
    # then
    assert result.errors is None


async def test_thirty_one_aliases_are_refused(gql: GraphQLClient) -> None:
    # given / when
    result = await gql.execute("query { %s }" % aliases(31))
    # then
    assert "31 aliases" in limit_error(result)["message"]


async def test_aliases_in_a_fragment_count_each_time_it_is_spread(gql: GraphQLClient) -> None:
    # given 16 aliases written once, in a fragment spread twice (PYSEC-2026-2284)
    document = """
    query { ...Many  again: conversations(first: 1) { totalCount } ...Many }
    fragment Many on Query { %s }
    """ % " ".join(f"c{i}: conversations(first: 1) {{ totalCount }}" for i in range(15))
    # when
    result = await gql.execute(document)
    # then 15 + 1 + 15 aliases are counted, over the limit of 30
    assert "31 aliases" in limit_error(result)["message"]


async def test_doubling_fragments_are_counted_in_full_without_walking_every_copy(
    gql: GraphQLClient,
) -> None:
    # given 2**64 copies of one alias: walking each copy would never finish
    document = doubling_fragments(64, "a: __typename")
    # when
    result = await gql.execute(document)
    # then the selections are counted in full, and refused before validation
    message = limit_error(result)["message"]
    assert re.search(r"The query has (\d+) selections", message)
    assert int(re.search(r"has (\d+) selections", message)[1]) > 2**64


# --- selections, repeated fields, directives, operations (before validation) ----------


def repeated(field: str, count: int) -> str:
    return "{ conversations(first: 100) { %s } }" % " ".join([field] * count)


@pytest.fixture
def unvalidated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation fails the test if it runs: a refused document must never reach it."""

    def validate(*_: Any) -> Any:
        raise AssertionError("validation ran on a refused document")

    monkeypatch.setattr(query_limits, "validate_document", validate)
    query_limits._validated.cache_clear()


@pytest.mark.usefixtures("unvalidated")
async def test_a_field_repeated_without_aliases_is_refused_before_validation(
    gql: GraphQLClient,
) -> None:
    # given `edges { node { id } }` 100 times: inside the other limits, quadratic to validate
    document = repeated("edges { node { id } }", 100)
    # when
    result = await gql.execute(document)
    # then
    assert "repeats fields at one place" in limit_error(result)["message"]


async def test_a_few_repeated_fields_are_merged_as_usual(gql: GraphQLClient) -> None:
    # given a field asked for twice, as fragments of a client often do
    document = "{ conversations(first: 1) { totalCount totalCount nodes { id } nodes { id } } }"
    # when
    result = await gql.execute(document)
    # then
    assert result.errors is None
    assert result.data == {"conversations": {"totalCount": 0, "nodes": []}}


@pytest.mark.usefixtures("unvalidated")
async def test_repeats_in_an_unused_fragment_are_counted(gql: GraphQLClient) -> None:
    # given a fragment no operation spreads, which validation still compares field by field
    document = "{ __typename } fragment F on Query { conversations { %s } }" % " ".join(
        ["nodes { id }"] * 100
    )
    # when
    result = await gql.execute(document)
    # then
    assert "repeats fields at one place" in limit_error(result)["message"]


@pytest.mark.usefixtures("unvalidated")
async def test_selections_are_counted_after_fragment_expansion(gql: GraphQLClient) -> None:
    # given 6 fields in a fragment spread 80 times, at 80 different places
    fragment = "fragment M on Message { id role content name metadata depth }"
    document = "query($id: UUID!) { %s } %s" % (
        " ".join(f"m{i}: message(id: $id) {{ ...M parent {{ ...M }} }}" for i in range(40)),
        fragment,
    )
    # when the aliases are allowed
    result = await limited(gql, max_aliases=100).execute(document, id=_zero())
    # then the 40 * (2 fields + 2 spreads + 2 * 6 fields) selections are too many
    assert "has 640 selections" in limit_error(result)["message"]


@pytest.mark.usefixtures("unvalidated")
async def test_directives_are_counted_before_validation(gql: GraphQLClient) -> None:
    # given
    document = "{ __typename %s }" % " ".join(["@include(if: true)"] * 51)
    # when
    result = await gql.execute(document)
    # then
    assert "51 directives; at most 50" in limit_error(result)["message"]


@pytest.mark.usefixtures("unvalidated")
async def test_operations_per_document_are_counted_before_validation(gql: GraphQLClient) -> None:
    # given
    document = " ".join(f"query Q{i} {{ __typename }}" for i in range(21))
    # when
    result = await gql.execute(document)
    # then
    assert "21 operations; at most 20" in limit_error(result)["message"]


async def test_the_new_shape_limits_are_configurable(gql: GraphQLClient) -> None:
    # given / when
    result = await limited(gql, max_selections=2).execute(
        "{ a: __typename b: __typename c: __typename }"
    )
    # then
    assert "3 selections" in limit_error(result)["message"]


# --- tokens ---------------------------------------------------------------------------


async def test_a_document_over_the_token_limit_is_refused(gql: GraphQLClient) -> None:
    # given 5,001 tokens: braces and 4,999 field names
    document = "{ " + "__typename " * 4999 + "}"
    # when
    result = await gql.execute(document)
    # then
    assert "more than 5000 tokens" in limit_error(result)["message"]


async def test_the_token_limit_is_configurable(gql: GraphQLClient) -> None:
    # given / when
    result = await limited(gql, max_tokens=10).execute(
        "{ a: __typename b: __typename c: __typename }"
    )
    # then
    assert "more than 10 tokens" in limit_error(result)["message"]


# --- nodes ----------------------------------------------------------------------------

NESTED = """
query($outer: Int, $inner: Int) {
  conversations(first: $outer) { nodes { branches(first: $inner) { nodes { id } } } }
}
"""


async def test_nested_default_pages_exceed_the_node_limit_before_any_sql(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given 100 conversations x 100 branches by default: 100 + 100 * 100 nodes
    statements.reset()
    # when
    result = await gql.execute(NESTED)
    # then
    assert "up to 10100 nodes; at most 10000" in limit_error(result)["message"]
    assert statements.count == 0


async def test_smaller_pages_fit_the_node_limit(gql: GraphQLClient) -> None:
    # given 99 x 100 + 99 = 9,999 nodes
    await conversation_with_messages(gql, "hi")
    # when
    result = await gql.execute(NESTED, outer=99, inner=100)
    # then
    assert result.errors is None
    assert len(result.data["conversations"]["nodes"]) == 1


async def test_the_node_count_multiplies_along_each_path_and_adds_across_paths(
    gql: GraphQLClient,
) -> None:
    # given: 50 + 50*50 (messages) + 50*50*2 (children, under messages: last counts too)
    document = """
    query {
      conversations(first: 50) {
        nodes {
          messages(last: 50) { edges { node { children(last: 2) { nodes { id } } } } }
        }
      }
    }
    """
    # when
    result = await limited(gql, max_nodes=7549).execute(document)
    # then
    assert "up to 7550 nodes" in limit_error(result)["message"]


async def test_the_node_limit_counts_each_spread_of_a_fragment(gql: GraphQLClient) -> None:
    # given 2**5 spreads of one page of 100
    document = doubling_fragments(5, "conversations(first: 100) { totalCount }")
    # when the fragment's repeats are allowed, but not that many nodes
    result = await limited(gql, max_repeated_fields=1000, max_nodes=3199).execute(document)
    # then
    assert "up to 3200 nodes" in limit_error(result)["message"]


async def test_a_fault_while_counting_nodes_is_masked(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    def broken(*_: Any) -> int:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(node_limit, "count_nodes", broken)
    # when
    result = await gql.execute("{ conversations { totalCount } }")
    # then
    [error] = [error.formatted for error in result.errors]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"]


# --- introspection --------------------------------------------------------------------


async def test_the_full_introspection_query_of_graphiql_fits_the_limits(
    gql: GraphQLClient,
) -> None:
    # given / when
    result = await gql.execute(get_introspection_query(descriptions=True))
    # then
    assert result.errors is None
    assert result.data["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_can_be_switched_off(gql: GraphQLClient) -> None:
    # given
    closed = limited(gql, introspection=False)
    # when
    introspection = await closed.execute("{ __schema { queryType { name } } }")
    typename = await closed.execute("{ __typename }")
    # then
    errors = [error.formatted for error in introspection.errors]
    assert "introspection has been disabled" in errors[0]["message"]
    assert {error["extensions"]["code"] for error in errors} == {"BAD_USER_INPUT"}
    assert introspection.data is None
    assert typename.data == {"__typename": "Query"}


async def test_nested_introspection_lists_are_refused(gql: GraphQLClient) -> None:
    # given the classic introspection amplification
    document = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    # when
    result = await gql.execute(document)
    # then
    assert "introspection depth" in limit_error(result)["message"]


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as client:
        yield client


def big_body(size: int) -> bytes:
    query = "{ __typename }"
    padding = "x" * (size - len(json.dumps({"query": query, "variables": {"p": ""}})))
    body = json.dumps({"query": query, "variables": {"p": padding}}).encode()
    assert len(body) == size
    return body


async def test_a_body_of_one_mib_is_served(http: httpx.AsyncClient) -> None:
    # given / when
    response = await http.post(
        "/graphql", content=big_body(1024 * 1024), headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_body_over_one_mib_is_413(http: httpx.AsyncClient) -> None:
    # given / when
    response = await http.post(
        "/graphql", content=big_body(1024 * 1024 + 1), headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_chunked_body_over_the_limit_is_cut_off_with_413(
    http: httpx.AsyncClient,
) -> None:
    # given a body without Content-Length, sent in chunks
    body = big_body(1024 * 1024 + 10)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    # when
    response = await http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_batched_operations_are_refused(http: httpx.AsyncClient) -> None:
    # given / when
    response = await http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    # then
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"] == "Batching is not enabled"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("body", [b'"a string"', b"42", b"null", b"true"])
async def test_a_json_body_that_is_not_an_object_is_400(
    http: httpx.AsyncClient, body: bytes
) -> None:
    # given / when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then one error, and no data
    assert response.status_code == 400
    answer = response.json()
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert answer.get("data") is None


async def test_json_nested_too_deeply_for_the_parser_is_400(http: httpx.AsyncClient) -> None:
    # given variables nested 100,000 levels deep
    body = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 100_000
    body += b"]" * 100_000 + b"}}"
    # when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_limit_errors_over_http_are_top_level_with_a_code(http: httpx.AsyncClient) -> None:
    # given / when
    response = await http.post("/graphql", json={"query": "query { %s }" % aliases(31)})
    # then
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


@pytest.fixture
def closed_settings(settings: Settings) -> Iterator[Settings]:
    yield settings.model_copy(update={"introspection": False})


async def test_graphiql_is_not_served_without_introspection(closed_settings: Settings) -> None:
    # given / when
    async with app_client(closed_settings) as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
    # then
    assert response.status_code == 404
