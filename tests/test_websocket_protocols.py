"""Both WebSocket protocols against a real server with JWT auth: malformed messages get the
protocol's own answer (never a traceback in the log), the legacy protocol runs queries and
mutations, a socket stops acting when its token expires, and operations are capped per
connection and per owner. On SQLite and PostgreSQL."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.databases import DATABASES, fresh_database
from tests.documents import CREATE_CONVERSATION
from tests.serving import running_server
from tests.tokens import SECRET, hs256

WAIT_SECONDS = 15.0
PER_CONNECTION = 3
PER_OWNER = 5
TRANSPORT = "graphql-transport-ws"
LEGACY = "graphql-ws"

OVERVIEW = "query Overview { conversations(first: 5) { totalCount } }"
CHANGES = "subscription Changes { conversationsChanged { kind conversationId } }"
ENVIRONMENT = {
    "CONVOGRAPH_AUTH": "jwt",
    "CONVOGRAPH_JWT_SECRET": SECRET,
    "CONVOGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION": str(PER_CONNECTION),
    "CONVOGRAPH_MAX_SUBSCRIPTIONS_PER_OWNER": str(PER_OWNER),
}


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def jwt_server(
    kind: str, directory: Path, environment: Mapping[str, str] = ENVIRONMENT
) -> Iterator[Server]:
    """A server with JWT auth (and `environment`) on a fresh database of `kind`."""
    log = directory / "serve.log"
    for url in fresh_database(kind, directory):
        with running_server(url, log, environment=environment) as base_url:
            yield Server(base_url, log)


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    yield from jwt_server(request.param, tmp_path_factory.mktemp(f"ws-{request.param}"))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def connect(server: Server, protocol: str, token: str | None = None) -> AsyncIterator[Any]:
    url = server.url.replace("http://", "ws://") + "/graphql"
    headers = auth(token) if token is not None else None
    async with websockets.connect(
        url, subprotocols=[protocol], additional_headers=headers, open_timeout=WAIT_SECONDS
    ) as ws:  # type: ignore[arg-type]
        yield ws


async def send(ws: Any, message: object) -> None:
    await ws.send(message if isinstance(message, str) else json.dumps(message))


async def receive(ws: Any) -> dict[str, Any]:
    """The next message other than keep-alives."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT_SECONDS))
        if message["type"] not in ("ka", "ping", "pong"):
            return message


async def subscribe_to_changes(ws: Any, protocol: str, operation_id: str) -> None:
    """Start conversationsChanged, and wait for its first item: it is live then."""
    kind = "start" if protocol == LEGACY else "subscribe"
    await send(ws, {"type": kind, "id": operation_id, "payload": {"query": CHANGES}})
    live = await receive(ws)
    assert live["id"] == operation_id, live
    assert live["payload"]["data"]["conversationsChanged"]["kind"] == "LIVE", live


async def acknowledged(ws: Any, init: dict[str, Any] | None = None) -> None:
    await send(ws, init if init is not None else {"type": "connection_init", "payload": {}})
    assert (await receive(ws))["type"] == "connection_ack"


async def close_code(ws: Any) -> int | None:
    """The code the server closed the socket with, reading until it does."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), WAIT_SECONDS)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None


def assert_no_traceback(server: Server) -> None:
    text = server.log.read_text()
    assert "Traceback" not in text, text[-3000:]


# --- malformed messages ---------------------------------------------------------------

MALFORMED = [
    "not json",
    "[]",
    "1",
    '"text"',
    {},
    {"type": 1},
    {"type": "subscribe"},
    {"type": "subscribe", "id": "1"},
    {"type": "subscribe", "id": ["1"], "payload": {"query": OVERVIEW}},
    {"type": "subscribe", "id": "", "payload": {"query": OVERVIEW}},
    {"type": "subscribe", "id": "1", "payload": "query"},
    {"type": "subscribe", "id": "1", "payload": {"query": 1}},
    {"type": "subscribe", "id": "1", "payload": {"query": None}},
    {"type": "subscribe", "id": "1", "payload": {"query": ["{ a }"]}},
    {"type": "subscribe", "id": "1", "payload": {"query": OVERVIEW, "variables": "x"}},
    {"type": "subscribe", "id": "1", "payload": {"query": OVERVIEW, "operationName": 1}},
    {"type": "complete", "id": {"a": 1}},
    {"type": "unknown"},
]


@pytest.mark.parametrize("message", MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
async def test_a_malformed_message_closes_a_transport_ws_socket_with_4400(
    server: Server, message: object
) -> None:
    # given an acknowledged socket
    async with connect(server, TRANSPORT, hs256()) as ws:
        await acknowledged(ws)
        # when
        await send(ws, message)
        # then
        code = await close_code(ws)
    assert code == 4400
    assert_no_traceback(server)


@pytest.mark.parametrize("message", MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
async def test_a_malformed_message_gets_an_error_on_a_legacy_socket_which_stays_usable(
    server: Server, message: object
) -> None:
    # given an acknowledged legacy socket
    legacy = json.loads(json.dumps(message).replace('"subscribe"', '"start"'))
    async with connect(server, LEGACY, hs256()) as ws:
        await acknowledged(ws)
        # when
        await send(ws, legacy if not isinstance(message, str) else message)
        answer = await receive(ws)
        # then the protocol's error, and the socket still runs queries
        assert answer["type"] == "error", answer
        assert isinstance(answer["payload"]["message"], str)
        await send(ws, {"type": "start", "id": "q", "payload": {"query": OVERVIEW}})
        data = await receive(ws)
    assert data["type"] == "data", data
    assert "totalCount" in data["payload"]["data"]["conversations"]
    assert_no_traceback(server)


UNRUNNABLE = ["query A { x } query B { y }", "", "{", "subscription { nope }", "{ __typename"]


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
@pytest.mark.parametrize("document", UNRUNNABLE)
async def test_a_document_that_cannot_run_gets_an_error_or_a_4400(
    server: Server, protocol: str, document: str
) -> None:
    # given an acknowledged socket
    kind = "start" if protocol == LEGACY else "subscribe"
    async with connect(server, protocol, hs256()) as ws:
        await acknowledged(ws)
        # when
        await send(ws, {"type": kind, "id": "1", "payload": {"query": document}})
        try:
            answer: dict[str, Any] | None = await receive(ws)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4400
            answer = None
    # then an error for the operation (or, graphql-transport-ws, a close with 4400)
    if answer is not None:
        assert (answer["type"], answer["id"]) == ("error", "1"), answer
        errors = answer["payload"] if protocol == TRANSPORT else [answer["payload"]]
        assert all(isinstance(error["message"], str) for error in errors)
        assert protocol == LEGACY or all(
            error.get("extensions", {}).get("code") for error in errors
        )
    assert_no_traceback(server)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_connection_init_without_a_payload_is_acknowledged(
    server: Server, protocol: str
) -> None:
    # given a valid header, when connection_init carries no payload at all
    async with connect(server, protocol, hs256()) as ws:
        await acknowledged(ws, {"type": "connection_init"})
    # then
    assert_no_traceback(server)


async def test_a_legacy_connection_init_with_a_non_object_payload_is_a_connection_error(
    server: Server,
) -> None:
    # given / when
    async with connect(server, LEGACY, hs256()) as ws:
        await send(ws, {"type": "connection_init", "payload": [1]})
        answer = await receive(ws)
    # then
    assert answer["type"] == "connection_error"
    assert_no_traceback(server)


# --- the legacy protocol runs queries and mutations -----------------------------------


async def test_queries_and_mutations_run_over_the_legacy_protocol(server: Server) -> None:
    # given
    token = hs256(sub="legacy-user")
    async with connect(server, LEGACY, token) as ws:
        await acknowledged(ws)
        # when a mutation, then a query
        create = {"query": CREATE_CONVERSATION, "variables": {"input": {"title": "over ws"}}}
        await send(ws, {"type": "start", "id": "m", "payload": create})
        created, completed = await receive(ws), await receive(ws)
        await send(ws, {"type": "start", "id": "q", "payload": {"query": OVERVIEW}})
        listed = await receive(ws)
    # then
    assert created["type"] == "data" and created["id"] == "m"
    assert created["payload"]["data"]["createConversation"]["conversation"]["title"] == "over ws"
    assert completed == {"type": "complete", "id": "m"}
    assert listed["payload"]["data"]["conversations"]["totalCount"] == 1
    assert_no_traceback(server)


# --- tokens expire --------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_a_socket_is_closed_when_its_token_expires_and_runs_nothing_after(
    server: Server, protocol: str
) -> None:
    # given a socket whose token expires in two seconds
    subject = f"expiring-{protocol}"
    token = hs256(sub=subject, exp=int(time.time()) + 2)
    kind = "start" if protocol == LEGACY else "subscribe"
    async with connect(server, protocol, token) as ws:
        await acknowledged(ws)
        # when the token expires
        code = await close_code(ws)
    # then the server closed the socket
    assert code == 4401
    # and a write sent in a second socket with the same expired token never runs
    async with connect(server, protocol) as ws:
        await send(ws, {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        create = {"query": CREATE_CONVERSATION, "variables": {"input": {"title": "late"}}}
        await send(ws, {"type": kind, "id": "m", "payload": create})
        with pytest.raises((ConnectionClosed, TimeoutError)):
            while (await receive(ws))["type"] != "data":
                pass
    async with httpx.AsyncClient(base_url=server.url) as http:
        listed = await http.post(
            "/graphql", json={"query": OVERVIEW}, headers=auth(hs256(sub=subject))
        )
    assert listed.json()["data"]["conversations"]["totalCount"] == 0
    assert_no_traceback(server)


async def test_an_operation_sent_after_expiry_but_before_the_close_does_not_run(
    server: Server,
) -> None:
    # given a socket whose token expires in two seconds, acknowledged
    subject = "racing"
    token = hs256(sub=subject, exp=int(time.time()) + 2)
    async with connect(server, LEGACY, token) as ws:
        await acknowledged(ws)
        # when a mutation is sent once it has expired
        await asyncio.sleep(2.1)
        create = {"query": CREATE_CONVERSATION, "variables": {"input": {"title": "late"}}}
        with suppress(ConnectionClosed):
            await send(ws, {"type": "start", "id": "m", "payload": create})
        code = await close_code(ws)
    # then
    assert code == 4401
    async with httpx.AsyncClient(base_url=server.url) as http:
        listed = await http.post(
            "/graphql", json={"query": OVERVIEW}, headers=auth(hs256(sub=subject))
        )
    assert listed.json()["data"]["conversations"]["totalCount"] == 0


# --- caps -----------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_operations_per_connection_are_capped(server: Server, protocol: str) -> None:
    # given a socket holding as many subscriptions as it may
    kind = "start" if protocol == LEGACY else "subscribe"
    async with connect(server, protocol, hs256(sub=f"capped-{protocol}")) as ws:
        await acknowledged(ws)
        for index in range(PER_CONNECTION):
            await subscribe_to_changes(ws, protocol, str(index))
        # when one more is sent
        await send(ws, {"type": kind, "id": "extra", "payload": {"query": CHANGES}})
        answer = await receive(ws)
    # then it is refused with a code
    assert (answer["type"], answer["id"]) == ("error", "extra")
    payload = answer["payload"][0] if protocol == TRANSPORT else answer["payload"]
    assert payload["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert str(PER_CONNECTION) in payload["message"]


async def test_subscriptions_per_owner_are_capped_over_all_its_sockets(server: Server) -> None:
    # given an owner holding PER_OWNER subscriptions over two sockets
    token = hs256(sub="many-sockets")
    async with (
        connect(server, TRANSPORT, token) as first,
        connect(server, TRANSPORT, token) as second,
    ):
        await acknowledged(first)
        await acknowledged(second)
        for index in range(PER_OWNER):
            ws = first if index < PER_CONNECTION else second
            await subscribe_to_changes(ws, TRANSPORT, str(index))
        # when one more is sent, and another owner subscribes
        await send(second, {"type": "subscribe", "id": "extra", "payload": {"query": CHANGES}})
        answer = await receive(second)
        async with connect(server, TRANSPORT, hs256(sub="someone-else")) as other:
            await acknowledged(other)
            await subscribe_to_changes(other, TRANSPORT, "x")
            async with httpx.AsyncClient(base_url=server.url) as http:
                await http.post(
                    "/graphql",
                    json={"query": CREATE_CONVERSATION, "variables": {"input": {}}},
                    headers=auth(hs256(sub="someone-else")),
                )
            heard = await receive(other)
    # then the owner's extra one fails with a code; the other owner's works
    assert answer["type"] == "next" and answer["id"] == "extra", answer
    [error] = answer["payload"]["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert str(PER_OWNER) in error["message"]
    assert heard["type"] == "next"
    assert heard["payload"]["data"]["conversationsChanged"]["kind"] == "CREATED"


# --- over HTTP ------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream", "multipart/mixed"])
async def test_a_subscription_over_http_is_a_clear_400(server: Server, accept: str) -> None:
    # given / when
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.post(
            "/graphql",
            json={"query": CHANGES},
            headers={**auth(hs256()), "Accept": accept},
        )
    # then
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "WebSocket" in error["message"]
