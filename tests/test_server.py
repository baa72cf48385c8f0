"""`convograph serve` as a user runs it: a real process, spoken to over HTTP.

One server per database for the whole module: starting one costs a second or two.
The database is handed over empty, because `serve` applies the migrations itself.
"""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.databases import DATABASES
from tests.documents import (
    ADD_MESSAGE,
    CONVERSATION,
    CONVERSATION_TITLE,
    CONVERSATIONS,
    CREATE_CONVERSATION,
)
from tests.serving import post_graphql, response_data, served_database


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The base URL of a server on a fresh, unmigrated database."""
    directory = tmp_path_factory.mktemp(f"server-{request.param}")
    for served in served_database(request.param, directory):
        yield served.base_url


@pytest.fixture(scope="module")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10.0) as client:
        yield client


def data(http: httpx.Client, document: str, **variables: Any) -> dict[str, Any]:
    return response_data(post_graphql(http, document, **variables))


def create_conversation(http: httpx.Client, title: str) -> dict[str, Any]:
    result = data(http, CREATE_CONVERSATION, input={"title": title})["createConversation"]
    assert result["__typename"] == "CreateConversationSuccess", result
    return result["conversation"]


def conversation_count(http: httpx.Client) -> int:
    return data(http, CONVERSATIONS, first=1)["conversations"]["totalCount"]


def test_a_conversation_is_created_extended_and_read_back_over_http(http: httpx.Client) -> None:
    # given
    conversation = create_conversation(http, "over http")
    # when
    added = data(
        http,
        ADD_MESSAGE,
        input={
            "conversationId": conversation["id"],
            "message": {"role": "USER", "content": "hello over the wire"},
        },
    )["addMessage"]
    read = data(http, CONVERSATION, id=conversation["id"])["conversation"]
    # then
    assert added["__typename"] == "AddMessageSuccess", added
    assert read["id"] == conversation["id"]
    assert read["title"] == "over http"
    assert read["messageCount"] == 1
    [edge] = read["messages"]["edges"]
    assert edge["node"]["id"] == added["message"]["id"]
    assert edge["node"]["content"] == "hello over the wire"
    assert edge["node"]["role"] == "USER"


def test_a_query_can_be_sent_with_get(http: httpx.Client) -> None:
    # given
    conversation = create_conversation(http, "fetched with GET")
    # when
    response = http.get(
        "/graphql",
        params={
            "query": CONVERSATION_TITLE,
            "variables": json.dumps({"id": conversation["id"]}),
        },
    )
    # then
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {"conversation": {"id": conversation["id"], "title": "fetched with GET"}}
    }


def test_a_mutation_sent_with_get_is_refused(http: httpx.Client) -> None:
    # given
    before = conversation_count(http)
    # when
    response = http.get(
        "/graphql",
        params={
            "query": CREATE_CONVERSATION,
            "variables": json.dumps({"input": {"title": "must not exist"}}),
        },
    )
    # then
    assert 400 <= response.status_code < 500, response.text
    assert conversation_count(http) == before


def test_graphiql_is_served_to_a_browser(http: httpx.Client) -> None:
    # given / when
    response = http.get("/graphql", headers={"Accept": "text/html"})
    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_healthz_answers(http: httpx.Client) -> None:
    # given / when
    response = http.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_with_the_database_up(http: httpx.Client) -> None:
    # given / when
    response = http.get("/readyz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_a_malformed_uuid_variable_is_bad_user_input(http: httpx.Client) -> None:
    # given / when
    response = post_graphql(http, CONVERSATION_TITLE, id="not-a-uuid")
    # then
    assert response.status_code < 500, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "not-a-uuid" in error["message"]


def test_a_body_that_is_not_json_is_a_client_error(http: httpx.Client) -> None:
    # given / when
    response = http.post(
        "/graphql",
        content=b'{"query": "{ conversations { totalCount } "',
        headers={"Content-Type": "application/json"},
    )
    # then
    assert 400 <= response.status_code < 500, response.text
