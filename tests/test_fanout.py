"""Fan-out: subscribers of one conversation that sent the same document share one
execution per event, and each still gets exactly what its own document asks for. On
SQLite and PostgreSQL. Over a WebSocket, such a shared result is encoded once; owners never
get each other's, and a subscriber that stops reading holds up no one."""

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from convograph.api.shared_events import SharedResult
from convograph.resolvers import events
from tests import test_subscriptions
from tests.databases import DATABASES
from tests.documents import ADD_MESSAGE, CREATE_CONVERSATION
from tests.factories import add_message, create_conversation
from tests.serving import post_graphql, response_data
from tests.test_subscriptions import BrokeredClient, next_result
from tests.test_websocket_protocols import (
    ENVIRONMENT,
    LEGACY,
    TRANSPORT,
    WAIT_SECONDS,
    Server,
    acknowledged,
    assert_no_traceback,
    auth,
    connect,
    jwt_server,
    receive,
    send,
)
from tests.tokens import hs256

# The broker and the client that uses it, as test_subscriptions makes them.
broker = test_subscriptions.broker
client = test_subscriptions.client

WIDE = """
subscription Wide($conversationId: UUID!) {
  conversationEvents(conversationId: $conversationId) { sequence kind message { content } }
}
"""
WIDE_AFTER = """
subscription WideAfter($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
    sequence kind message { content }
  }
}
"""
NARROW = """
subscription Narrow($conversationId: UUID!) {
  conversationEvents(conversationId: $conversationId) { kind }
}
"""


async def test_subscribers_with_one_document_share_its_execution_others_get_their_own(
    client: BrokeredClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three subscribers with one document and one with another
    executions: list[object] = []
    original = SharedResult.start

    def counted(self: SharedResult, *args: object) -> None:
        executions.append(self)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SharedResult, "start", counted)
    conversation = await create_conversation(client)
    streams = [
        await client.subscribe(WIDE, conversationId=conversation["id"]) for _ in range(3)
    ] + [await client.subscribe(NARROW, conversationId=conversation["id"])]
    # each stream first says it is live
    for stream in streams:
        assert (await next_result(stream)).data["conversationEvents"]["kind"] == "LIVE"
    executions.clear()
    pending = [asyncio.ensure_future(next_result(stream)) for stream in streams]
    # when one message is added
    await add_message(client, conversation["id"], "shared")
    results = [await each for each in pending]
    # then each got its own document's answer
    wide = [result.data["conversationEvents"] for result in results[:3]]
    assert all(event["message"] == {"content": "shared"} for event in wide)
    assert len({event["sequence"] for event in wide}) == 1
    assert results[3].data == {"conversationEvents": {"kind": "MESSAGE_ADDED"}}
    # and the event was executed twice: once for the first three, once for the other
    assert len(executions) == 2
    for stream in streams:
        await stream.aclose()


async def test_subscribers_starting_at_once_share_their_reads_and_miss_nothing(
    client: BrokeredClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a conversation with one message, and its reads of where a stream starts counted
    conversation = await create_conversation(client)
    await add_message(client, conversation["id"], "before")
    reads: list[object] = []
    original = events.stream_start

    async def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return await original(*args, **kwargs)

    monkeypatch.setattr(events, "stream_start", counted)
    # when fifty subscribe at once, half of them resuming after the first event
    streams = [
        await client.subscribe(
            WIDE_AFTER, conversationId=conversation["id"], afterSequence=1 if i % 2 else None
        )
        for i in range(50)
    ]
    firsts = await asyncio.gather(*(next_result(stream) for stream in streams))
    pending = [asyncio.ensure_future(next_result(stream)) for stream in streams]
    await add_message(client, conversation["id"], "after")
    nexts = await asyncio.gather(*pending)
    # then far fewer reads than subscribers, and each got what it asked for, in order
    assert 1 <= len(reads) < 10
    kinds = [result.data["conversationEvents"]["kind"] for result in firsts]
    assert kinds == ["LIVE" if i % 2 == 0 else "MESSAGE_ADDED" for i in range(50)]
    assert {result.data["conversationEvents"]["sequence"] for result in nexts} == {3}
    for stream in streams:
        await stream.aclose()


# --- over a WebSocket: shared results sent as one encoded text -------------------------

QUEUE_SIZE = 5
SERVED_ENVIRONMENT = {**ENVIRONMENT, "CONVOGRAPH_EVENT_QUEUE_SIZE": str(QUEUE_SIZE)}
START = {TRANSPORT: "subscribe", LEGACY: "start"}
RESULT = {TRANSPORT: "next", LEGACY: "data"}


@pytest.fixture(scope="module", params=DATABASES)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp(f"fanout-{request.param}")
    yield from jwt_server(request.param, directory, SERVED_ENVIRONMENT)


async def run(server: Server, token: str, document: str, **variables: Any) -> Any:
    async with httpx.AsyncClient(base_url=server.url, timeout=WAIT_SECONDS) as http:
        response = await post_graphql(http, document, headers=auth(token), **variables)
    return response_data(response)


async def conversation_of(server: Server, token: str) -> str:
    created = await run(server, token, CREATE_CONVERSATION, input={})
    return created["createConversation"]["conversation"]["id"]


async def added(server: Server, token: str, conversation_id: str, content: str) -> None:
    message = {"role": "USER", "content": content}
    await run(
        server, token, ADD_MESSAGE, input={"conversationId": conversation_id, "message": message}
    )


async def start(ws: Any, protocol: str, operation_id: str, conversation_id: str) -> None:
    payload = {"query": WIDE, "variables": {"conversationId": conversation_id}}
    await send(ws, {"id": operation_id, "type": START[protocol], "payload": payload})


async def results_of(ws: Any, count: int) -> list[dict[str, Any]]:
    return [await receive(ws) for _ in range(count)]


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_owners_with_one_document_never_get_each_others_events(
    served: Server, protocol: str
) -> None:
    # given alice's and bob's conversations, and an admin
    alice, bob, admin = hs256(sub="alice"), hs256(sub="bob"), hs256(sub="ops", roles=["admin"])
    hers, his = await conversation_of(served, alice), await conversation_of(served, bob)
    async with (
        connect(served, protocol, alice) as alice_ws,
        connect(served, protocol, bob) as bob_ws,
        connect(served, protocol, admin) as admin_ws,
    ):
        for ws in (alice_ws, bob_ws, admin_ws):
            await acknowledged(ws)
        # each subscribes to hers and to his with one and the same document
        for ws in (alice_ws, bob_ws, admin_ws):
            await start(ws, protocol, "hers", hers)
            await start(ws, protocol, "his", his)
        # then everyone learns they are live on what they may see, the others are unknown
        for ws, unknown in ((alice_ws, "his"), (bob_ws, "hers"), (admin_ws, None)):
            answers: dict[str, list[dict[str, Any]]] = {}
            for message in await results_of(ws, 2 if unknown is None else 3):
                answers.setdefault(message["id"], []).append(message)
            for operation, [first, *rest] in answers.items():
                if operation == unknown:
                    errors = first["payload"].get("errors") or [first["payload"]]
                    assert errors[0]["extensions"]["code"] == "NOT_FOUND", first
                    assert [message["type"] for message in rest] == ["complete"]
                else:
                    assert first["type"] == RESULT[protocol], first
                    assert first["payload"]["data"]["conversationEvents"]["kind"] == "LIVE"
        # when each owner writes to their own conversation
        await added(served, alice, hers, "alice's secret")
        await added(served, bob, his, "bob's secret")
        # then each owner gets only their own message, and the admin gets both
        [to_alice] = await results_of(alice_ws, 1)
        [to_bob] = await results_of(bob_ws, 1)
        to_admin = {m["id"]: m for m in await results_of(admin_ws, 2)}
    content = "conversationEvents", "message", "content"

    def text(message: dict[str, Any]) -> str:
        data = message["payload"]["data"]
        return data[content[0]][content[1]][content[2]]

    assert (to_alice["id"], to_alice["type"], text(to_alice)) == (
        "hers",
        RESULT[protocol],
        "alice's secret",
    )
    assert (to_bob["id"], text(to_bob)) == ("his", "bob's secret")
    assert {key: text(message) for key, message in to_admin.items()} == {
        "hers": "alice's secret",
        "his": "bob's secret",
    }
    assert_no_traceback(served)


async def test_a_subscriber_that_stops_reading_holds_up_no_one_and_falls_behind(
    served: Server,
) -> None:
    # given two sockets following one conversation with one document, one of which stops
    # reading (its client keeps at most one message; the rest back up to the server)
    token = hs256(sub="carol")
    conversation_id = await conversation_of(served, token)
    url = served.url.replace("http://", "ws://") + "/graphql"
    headers = auth(token)
    options: dict[str, Any] = {"subprotocols": [TRANSPORT], "additional_headers": headers}
    async with (
        websockets.connect(url, **options, compression=None, max_queue=1) as stalled,
        websockets.connect(url, **options) as reading,
    ):
        for ws in (stalled, reading):
            await acknowledged(ws)
            await start(ws, TRANSPORT, "1", conversation_id)
            assert (await receive(ws))["payload"]["data"]["conversationEvents"]["kind"] == "LIVE"
        # when messages too large for the sockets' buffers keep coming
        big = 120
        for index in range(big):
            await added(served, token, conversation_id, f"{index} " + os.urandom(100_000).hex())
            # then the reading socket gets each one while the other reads nothing
            event = (await receive(reading))["payload"]["data"]["conversationEvents"]
            assert event["message"]["content"].startswith(f"{index} ")
        # and once the stalled one reads again, its stream was ended: it fell behind
        delivered = 0
        while "errors" not in (message := await receive(stalled))["payload"]:
            assert message["payload"]["data"]["conversationEvents"]["kind"] == "MESSAGE_ADDED"
            delivered += 1
        ended = await receive(stalled)
    assert 0 < delivered < big
    assert message["type"] == "next"
    assert message["payload"]["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert ended == {"id": "1", "type": "complete"}
    assert_no_traceback(served)
