"""Inputs that once became INTERNAL_SERVER_ERROR (or a database's own refusal), and the cost
limits on arguments: each is a clear error with the same outcome on SQLite and PostgreSQL.

Query arguments give a top-level BAD_USER_INPUT or LIMIT_EXCEEDED; mutation inputs a
ValidationError; imports a failure whose reason names the field, never database text.
"""

import base64
import json
import math
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from convograph.api import node_limit
from convograph.app import create_app
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.documents import (
    CONVERSATIONS,
    FORK_CONVERSATION,
    IMPORT_CONVERSATIONS,
    RENAME_BRANCH,
)
from tests.factories import conversation_with_messages, create_conversation

FILTERED = """
query Filtered($filter: ConversationFilter, $after: String) {
  conversations(filter: $filter, first: 10, after: $after) { totalCount nodes { id } }
}
"""

SEARCH = """
query Search($query: String!, $after: String, $mark: String! = "<b>") {
  searchMessages(query: $query, after: $after) {
    totalCount
    nodes { snippet(startMark: $mark, endMark: $mark) }
  }
}
"""

BRANCH_MESSAGES = """
query Messages($id: UUID!, $after: String) {
  conversation(id: $id) { messages(after: $after) { totalCount } }
}
"""

HOSTILE_TEXT = ["a\x00b", "\ud800", "x\udfffy"]
# Far enough from year 1 and 9999 that UTC moves them out of range.
OUT_OF_RANGE_TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


def top_level_error(result: Any) -> dict[str, Any]:
    assert result.errors, result.data
    [error] = [error.formatted for error in result.errors]
    assert error["extensions"]["code"] in {"BAD_USER_INPUT", "LIMIT_EXCEEDED"}, error
    return error


def index_cursor(digits: str) -> str:
    return base64.urlsafe_b64encode(f"i|{digits}".encode()).decode()


def keyset_cursor(at: str) -> str:
    parts = f"CREATED_AT_DESC|{at}|00000000-0000-0000-0000-000000000000"
    return base64.urlsafe_b64encode(parts.encode()).decode()


# --- cursors --------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [str(2**63), "9" * 19, "9" * 5000])
async def test_an_index_cursor_beyond_any_list_is_bad_user_input(
    gql: GraphQLClient, digits: str
) -> None:
    # given a conversation (its messages are paged by index) and a search
    conversation, _ = await conversation_with_messages(gql, "needle")
    cursor = index_cursor(digits)
    # when
    messages = await gql.execute(BRANCH_MESSAGES, id=conversation["id"], after=cursor)
    search = await gql.execute(SEARCH, query="needle", after=cursor)
    # then
    for result in (messages, search):
        assert "not a cursor of this list" in top_level_error(result)["message"]


@pytest.mark.parametrize("at", OUT_OF_RANGE_TIMES)
async def test_a_keyset_cursor_at_the_edge_of_time_is_bad_user_input(
    gql: GraphQLClient, at: str
) -> None:
    # given
    await create_conversation(gql, title="one")
    # when
    result = await gql.execute(CONVERSATIONS, first=1, after=keyset_cursor(at))
    # then
    assert top_level_error(result)["extensions"]["code"] == "BAD_USER_INPUT"


# --- filters --------------------------------------------------------------------------


@pytest.mark.parametrize("at", OUT_OF_RANGE_TIMES)
@pytest.mark.parametrize("argument", ["createdAfter", "createdBefore", "updatedAfter"])
async def test_filter_times_outside_utc_years_are_bad_user_input(
    gql: GraphQLClient, argument: str, at: str
) -> None:
    # given / when
    result = await gql.execute(FILTERED, filter={argument: at})
    # then
    error = top_level_error(result)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "years 1 to 9999" in error["message"]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
@pytest.mark.parametrize(
    "make_filter",
    [
        lambda text: {"titleContains": text},
        lambda text: {"metadata": {"equals": {text: 1}}},
        lambda text: {"metadata": {"equals": {"k": text}}},
        lambda text: {"metadata": {"contains": {"k": [text]}}},
        lambda text: {"metadata": {"in": {"k": [text]}}},
        lambda text: {"metadata": {"hasKeys": [text]}},
    ],
    ids=["titleContains", "equals-key", "equals-value", "contains", "in", "hasKeys"],
)
async def test_text_no_database_can_store_is_bad_user_input_in_filters(
    gql: GraphQLClient, make_filter: Any, text: str
) -> None:
    # given / when
    result = await gql.execute(FILTERED, filter=make_filter(text))
    # then
    assert top_level_error(result)["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, 2**63, -(2**63) - 1, 10**400], ids=str
)
@pytest.mark.parametrize("condition", ["equals", "contains"])
async def test_numbers_beyond_json_or_64_bits_are_bad_user_input_in_filters(
    gql: GraphQLClient, condition: str, value: Any
) -> None:
    # given / when
    result = await gql.execute(FILTERED, filter={"metadata": {condition: {"k": value}}})
    # then
    assert top_level_error(result)["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("condition", ["equals", "contains"])
async def test_a_filter_nested_900_levels_is_refused(gql: GraphQLClient, condition: str) -> None:
    # given
    value: Any = 1
    for _ in range(900):
        value = [value]
    # when
    result = await gql.execute(FILTERED, filter={"metadata": {condition: {"k": value}}})
    # then
    assert "nested more than" in top_level_error(result)["message"]


@pytest.mark.parametrize(
    "metadata",
    [
        {"equals": {f"k{i}": i for i in range(3000)}},
        {"in": {"k": [{"a": i} for i in range(20_000)]}},
        {"contains": {"k": "x" * 20_000}},
    ],
    ids=["equals-3000-keys", "in-20000-objects", "contains-20-kb"],
)
async def test_a_metadata_filter_too_large_is_limit_exceeded(
    gql: GraphQLClient, metadata: dict[str, Any]
) -> None:
    # given / when
    result = await gql.execute(FILTERED, filter={"metadata": metadata})
    # then
    assert top_level_error(result)["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_metadata_filter_within_its_limits_still_filters(gql: GraphQLClient) -> None:
    # given
    await create_conversation(gql, title="tagged", metadata={"k": 7})
    await create_conversation(gql, title="other", metadata={"k": 8})
    # when: 100 values in all, the default limit
    result = await gql.data(FILTERED, filter={"metadata": {"in": {"k": list(range(7, 7 + 98))}}})
    # then
    assert result["conversations"]["totalCount"] == 2


# --- ids and other lists --------------------------------------------------------------


async def test_25000_ids_are_refused_before_any_is_coerced(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: coercing the variables would fail the test
    def coerce(*_: Any) -> Any:
        raise AssertionError("the variables were coerced")

    monkeypatch.setattr(node_limit, "get_variable_values", coerce)
    ids = ["00000000-0000-0000-0000-000000000000"] * 25_000
    # when
    result = await gql.execute(CONVERSATIONS, ids=ids)
    # then
    error = top_level_error(result)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "25000 items; at most 1000" in error["message"]


async def test_a_long_list_inside_an_input_object_is_refused(gql: GraphQLClient) -> None:
    # given / when
    result = await gql.execute(FILTERED, filter={"metadata": {"hasKeys": ["k"] * 1001}})
    # then
    assert "1001 items" in top_level_error(result)["message"]


# --- search and snippets --------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXT)
async def test_a_search_query_no_database_can_store_is_bad_user_input(
    gql: GraphQLClient, text: str
) -> None:
    # given / when
    result = await gql.execute(SEARCH, query=f"needle {text}")
    # then
    assert top_level_error(result)["extensions"]["code"] == "BAD_USER_INPUT"


async def test_snippet_marks_longer_than_the_limit_are_refused(gql: GraphQLClient) -> None:
    # given a hit
    await conversation_with_messages(gql, "a needle in a haystack")
    # when
    allowed = await gql.execute(SEARCH, query="needle", mark="m" * 100)
    refused = await gql.execute(SEARCH, query="needle", mark="m" * 30 * 1024)
    # then
    assert allowed.errors is None
    assert allowed.data["searchMessages"]["nodes"][0]["snippet"].count("m" * 100) == 2
    assert refused.data is None
    codes = {error.formatted["extensions"]["code"] for error in refused.errors}
    assert codes == {"LIMIT_EXCEEDED"}
    assert "at most 100" in refused.errors[0].message


# --- the response size ----------------------------------------------------------------


async def test_a_response_over_the_cap_is_one_limit_error_not_a_cut_body(
    gql: GraphQLClient,
) -> None:
    # given 10 conversations of 10 KB of metadata each
    for n in range(10):
        await create_conversation(gql, title=f"c{n}", metadata={"k": "x" * 10_000})
    capped = GraphQLClient(
        gql.database, gql.settings.model_copy(update={"max_response_bytes": 50_000})
    )
    document = "{ conversations(first: 10) { nodes { metadata } } }"
    # when
    small = await capped.execute("{ conversations(first: 3) { nodes { metadata } } }")
    large = await capped.execute(document)
    # then
    assert small.errors is None
    assert large.data is None
    error = top_level_error(large)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "exceed 50000 bytes" in error["message"]


# --- mutations: names and titles ------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXT)
async def test_a_branch_name_no_database_can_store_is_a_validation_error(
    gql: GraphQLClient, text: str
) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    data = await gql.data(
        RENAME_BRANCH,
        input={"branchId": conversation["currentBranch"]["id"], "name": f"name {text}"},
    )
    # then
    result = data["renameBranch"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "ValidationError",
        "INVALID_INPUT",
        "name",
    )


@pytest.mark.parametrize(
    ("title", "code"),
    [("t" * 100_000, "LIMIT_EXCEEDED"), ("a\x00b", "INVALID_INPUT"), ("\ud800", "INVALID_INPUT")],
    ids=["100000-characters", "NUL", "lone-surrogate"],
)
async def test_fork_titles_obey_the_title_rules(gql: GraphQLClient, title: str, code: str) -> None:
    # given
    _, [message] = await conversation_with_messages(gql, "hi")
    # when
    data = await gql.data(FORK_CONVERSATION, input={"messageId": message["id"], "title": title})
    # then
    result = data["forkConversation"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "ValidationError",
        code,
        "title",
    )


# --- imports --------------------------------------------------------------------------


def document_of(**conversation: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "source-1",
        "title": "imported",
        "metadata": {},
        "createdAt": "2024-01-01T00:00:00+00:00",
        "messages": [
            {
                "id": "m1",
                "parentId": None,
                "role": "user",
                "content": "hello",
                "createdAt": "2024-01-01T00:00:00+00:00",
            }
        ],
        "branches": [{"id": "b1", "tipId": "m1", "createdAt": "2024-01-01T00:00:00+00:00"}],
        "currentBranchId": "b1",
    }
    messages = conversation.pop("messages", None)
    if messages is not None:
        base["messages"] = [dict(base["messages"][0], **messages)]
    return {"format": "convograph", "version": 1, "conversations": [{**base, **conversation}]}


def deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"k": value}
    return value


@pytest.mark.parametrize(
    ("conversation", "reason"),
    [
        ({"title": "t" * 900_000}, "title is 900000 characters"),
        ({"title": "a\x00b"}, "NUL"),
        ({"title": "\ud800"}, "not valid Unicode"),
        ({"metadata": deep(900)}, "nested more than"),
        ({"metadata": {"k": "x" * 70_000}}, "bytes as JSON"),
        ({"metadata": {"k": 2**64}}, "beyond 64 bits"),
        ({"messages": {"content": "x" * 300_000}}, "content is 300000 bytes"),
        ({"messages": {"content": "a\x00b"}}, "NUL"),
        ({"messages": {"metadata": {"\x00": 1}}}, "NUL"),
        ({"createdAt": "0001-01-01T00:00:00+14:00"}, "years 1 to 9999"),
    ],
    ids=[
        "long-title",
        "NUL-title",
        "surrogate-title",
        "deep-metadata",
        "large-metadata",
        "huge-integer",
        "large-content",
        "NUL-content",
        "NUL-metadata-key",
        "year-0",
    ],
)
async def test_imports_apply_every_input_rule(
    gql: GraphQLClient, conversation: dict[str, Any], reason: str
) -> None:
    # given / when
    data = await gql.data(IMPORT_CONVERSATIONS, input={"data": document_of(**conversation)})
    # then
    result = data["importConversations"]
    assert result["imported"] == []
    [failure] = result["failures"]
    assert reason in failure["reason"], failure


async def test_an_import_within_the_rules_is_imported(gql: GraphQLClient) -> None:
    # given / when
    data = await gql.data(IMPORT_CONVERSATIONS, input={"data": document_of()})
    # then
    assert [i["conversation"]["messageCount"] for i in data["importConversations"]["imported"]] == [
        1
    ]


# --- request bodies -------------------------------------------------------------------


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",
        b'{"query": "{ __typename \xff\xfe }"}',
        b"\xff\xfe{}",
    ],
    ids=["5000-digit-integer", "invalid-utf8-in-string", "invalid-utf8-bom"],
)
async def test_a_body_json_cannot_read_is_a_400_with_a_graphql_error(
    http: httpx.AsyncClient, body: bytes
) -> None:
    # given / when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_variables_nested_900_levels_are_answered(http: httpx.AsyncClient) -> None:
    # given a JSON variable of 900 levels
    body = json.dumps(
        {"query": FILTERED, "variables": {"filter": {"metadata": {"equals": {"k": deep(900)}}}}}
    )
    # when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
