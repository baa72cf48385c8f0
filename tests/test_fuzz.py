"""A bounded fuzzing run: generated queries and mutations against a running server.

hypothesis-graphql builds documents from the committed schema, with ids of real objects
mixed with unknown ones and arbitrary JSON; schema-invalid documents are sent too. No
answer may be an HTTP 500 or carry INTERNAL_SERVER_ERROR. The run is derandomised, so CI
sends the same documents every time, and bounded by MAX_EXAMPLES per kind.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from tests.databases import DATABASES
from tests.documents import ADD_MESSAGE, CREATE_CONVERSATION, UPDATE_MESSAGE
from tests.serving import post_graphql, served_database

SCHEMA = (Path(__file__).resolve().parent.parent / "schema.graphql").read_text()
MAX_EXAMPLES = 100
# Strings that have broken servers: NUL (PostgreSQL cannot store it), a lone surrogate
# (not encodable as UTF-8), astral characters, SQL and format syntax.
HOSTILE_STRINGS = ["\x00", "a\x00b", "\ud800", "\U0001d4b3", "'; DROP TABLE message; --", "%s%n"]


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    directory = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    for served in served_database(request.param, directory):
        yield served.base_url


@pytest.fixture(scope="module")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30.0) as client:
        yield client


def post(http: httpx.Client, document: str, **variables: Any) -> dict[str, Any]:
    return post_graphql(http, document, **variables).json()["data"]


@pytest.fixture(scope="module")
def known_ids(http: httpx.Client) -> list[str]:
    """Ids of a small tree: a conversation, messages, an edit and its branch."""
    created = post(http, CREATE_CONVERSATION, input={"title": "fuzz"})["createConversation"]
    conversation = created["conversation"]
    ids = [conversation["id"], conversation["currentBranch"]["id"]]
    for content in ("one", "two"):
        added = post(
            http,
            ADD_MESSAGE,
            input={
                "conversationId": conversation["id"],
                "message": {"role": "USER", "content": content},
            },
        )["addMessage"]
        ids.append(added["message"]["id"])
    edited = post(
        http,
        UPDATE_MESSAGE,
        input={"messageId": ids[-1], "message": {"role": "USER", "content": "2"}},
    )["updateMessage"]
    return [*ids, edited["message"]["id"], edited["branch"]["id"]]


def json_values() -> st.SearchStrategy[graphql.ValueNode]:
    names = st.from_regex(r"\A[_A-Za-z][_0-9A-Za-z]{0,6}\Z", fullmatch=True)
    leaves = st.one_of(
        st.none().map(lambda _: nodes.Null),
        st.booleans().map(nodes.Boolean),
        st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.one_of(st.text(max_size=20), st.sampled_from(HOSTILE_STRINGS)).map(nodes.String),
    )

    def containers(children: st.SearchStrategy[graphql.ValueNode]) -> st.SearchStrategy[Any]:
        fields = st.dictionaries(names, children, max_size=4).map(
            lambda items: nodes.Object(
                [
                    graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=value)
                    for key, value in items.items()
                ]
            )
        )
        return st.one_of(st.lists(children, max_size=4).map(nodes.List), fields)

    return st.recursive(leaves, containers, max_leaves=12)


def documents(known: list[str], kind: str, mode: Mode) -> st.SearchStrategy[Any]:
    uuids = st.one_of(st.sampled_from(known), st.uuids().map(str)).map(nodes.String)
    build = queries if kind == "query" else mutations
    return build(SCHEMA, custom_scalars={"UUID": uuids, "JSON": json_values()}, mode=mode)


def assert_no_fault(response: httpx.Response) -> None:
    assert response.status_code != 500, response.text
    body = response.json()
    codes = {error.get("extensions", {}).get("code") for error in body.get("errors", [])}
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    assert None not in codes, body


@pytest.mark.parametrize(
    ("kind", "mode"),
    [
        ("query", Mode.POSITIVE),
        ("mutation", Mode.POSITIVE),
        ("query", Mode.NEGATIVE),
        ("mutation", Mode.NEGATIVE),
    ],
    ids=["queries", "mutations", "invalid-queries", "invalid-mutations"],
)
def test_generated_documents_never_fault_the_server(
    http: httpx.Client, known_ids: list[str], kind: str, mode: Mode
) -> None:
    # given documents generated from the schema
    sent: list[str] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(document=documents(known_ids, kind, mode))
    def check(document: str) -> None:
        # when one is sent
        sent.append(document)
        # json.dumps escapes lone surrogates, which UTF-8 (and so httpx's json=) cannot carry
        response = http.post(
            "/graphql",
            content=json.dumps({"query": document}),
            headers={"content-type": "application/json"},
        )
        # then the server answers it without a fault of its own
        assert_no_fault(response)

    check()
    assert len(sent) >= MAX_EXAMPLES // 2
