"""A bounded fuzzing run of what reaches the server before GraphQL: WebSocket messages on
both protocols, and the claims of signed tokens. No answer may be an HTTP 500 or carry
INTERNAL_SERVER_ERROR, and the server's log may hold no traceback. Derandomised, so CI
sends the same messages every time. On SQLite and PostgreSQL."""

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed

from tests.databases import DATABASES, fresh_database
from tests.serving import running_server
from tests.tokens import SECRET, claims, hs256

MAX_EXAMPLES = 150
# The same examples every run, however long a server takes to answer them.
REPEATABLE = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HOSTILE_STRINGS = ["\x00", "a\x00b", "\ud800", "\U0001d4b3", "'; DROP TABLE message; --", "%s"]
DOCUMENTS = [
    "{ __typename }",
    "query { conversations(first: 1) { totalCount } }",
    "subscription { conversationsChanged { kind } }",
    'mutation { createConversation(input: {title: "f"}) { __typename } }',
    "{",
    "",
]


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    directory = tmp_path_factory.mktemp(f"fuzz-transport-{request.param}")
    log = directory / "serve.log"
    environment = {"CONVOGRAPH_AUTH": "jwt", "CONVOGRAPH_JWT_SECRET": SECRET}
    for url in fresh_database(request.param, directory):
        with running_server(url, log, environment=environment) as base_url:
            yield base_url, log


def json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
        st.sampled_from(HOSTILE_STRINGS),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(max_size=8), children, max_size=3),
        ),
        max_leaves=8,
    )


def messages(kinds: list[str]) -> st.SearchStrategy[Any]:
    payloads = st.one_of(
        json_values(),
        st.fixed_dictionaries(
            {"query": st.one_of(st.sampled_from(DOCUMENTS), json_values())},
            optional={"variables": json_values(), "operationName": json_values()},
        ),
    )
    structured = st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(kinds), json_values())},
        optional={"id": st.one_of(st.text(max_size=6), json_values()), "payload": payloads},
    )
    return st.one_of(structured, json_values(), st.text(max_size=20))


def signed(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """An HS256 token of any header and claims (PyJWT's encoder refuses odd ones)."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    # json.dumps escapes lone surrogates, so any generated string can be carried.
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def assert_no_traceback(log: Path) -> None:
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]


# Sent after the generated messages: once its `complete` comes back, the server has read
# everything before it (generated ids are at most 6 characters, so none is this one).
END_MARKER = "fuzz-end-marker"
MARKER_TYPE = {"graphql-transport-ws": "subscribe", "graphql-ws": "start"}


async def exchange(base_url: str, protocol: str, sequence: list[Any]) -> None:
    """Open a socket, acknowledge, send the messages and an operation that marks their end,
    and read every answer until the marker's `complete` (or the socket closes)."""
    url = base_url.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": f"Bearer {hs256()}"}
    marker = {
        "id": END_MARKER,
        "type": MARKER_TYPE[protocol],
        "payload": {"query": "{ __typename }"},
    }
    async with websockets.connect(url, subprotocols=[protocol], additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        try:
            await asyncio.wait_for(ws.recv(), 5)
            for message in [*sequence, marker]:
                await ws.send(message if isinstance(message, str) else json.dumps(message))
            while True:
                answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert "INTERNAL_SERVER_ERROR" not in json.dumps(answer), answer
                if answer == {"id": END_MARKER, "type": "complete"}:
                    return
        except (ConnectionClosed, TimeoutError):
            pass


@pytest.mark.parametrize(
    ("protocol", "kinds"),
    [
        ("graphql-transport-ws", ["connection_init", "subscribe", "complete", "ping", "pong"]),
        ("graphql-ws", ["connection_init", "start", "stop", "connection_terminate"]),
    ],
)
def test_generated_websocket_messages_never_fault_the_server(
    server: tuple[str, Path], protocol: str, kinds: list[str]
) -> None:
    base_url, log = server

    @REPEATABLE
    @given(sequence=st.lists(messages(kinds), min_size=1, max_size=3))
    def check(sequence: list[Any]) -> None:
        asyncio.run(exchange(base_url, protocol, sequence))

    check()
    assert_no_traceback(log)


def test_generated_token_claims_never_fault_the_server(server: tuple[str, Path]) -> None:
    base_url, log = server
    claim_values = st.dictionaries(
        st.sampled_from(["sub", "exp", "nbf", "iat", "roles", "aud", "iss", "x"]),
        json_values(),
        max_size=5,
    )

    @REPEATABLE
    @given(
        overrides=claim_values,
        headers=st.dictionaries(st.sampled_from(["kid", "typ"]), json_values(), max_size=2),
    )
    def check(overrides: dict[str, Any], headers: dict[str, Any]) -> None:
        token = signed({"alg": "HS256", "typ": "JWT", **headers}, {**claims(), **overrides})
        with httpx.Client(base_url=base_url, timeout=30) as http:
            response = http.post(
                "/graphql",
                content=json.dumps({"query": DOCUMENTS[3]}),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        assert response.status_code != 500, response.text
        codes = {e.get("extensions", {}).get("code") for e in response.json().get("errors", [])}
        assert "INTERNAL_SERVER_ERROR" not in codes, response.text
        assert None not in codes, response.text

    check()
    assert_no_traceback(log)
