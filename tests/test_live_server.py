"""Subscriptions over real WebSockets, against `convograph serve` processes.

On PostgreSQL three servers share one database: a writer with two workers, a reader in a
process of its own (so what a subscriber on the reader hears crossed processes through
LISTEN/NOTIFY), and a stranger acting as another owner. On SQLite the writer and the reader
are one single-process server. Both WebSocket protocols are spoken.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.databases import DATABASES, fresh_database
from tests.documents import ADD_MESSAGE, CREATE_CONVERSATION, DELETE_CONVERSATION
from tests.serving import post_graphql, response_data, running_server

WAIT_SECONDS = 15.0

EVENTS = """
subscription Events($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
    sequence kind message { content }
  }
}
"""

CHANGES = """
subscription Changes { conversationsChanged { kind conversationId } }
"""


def serving(
    database_url: str, log_path: Path, owner: str, workers: int = 1
) -> AbstractContextManager[str]:
    environment = {"CONVOGRAPH_LOCAL_OWNER": owner}
    return running_server(database_url, log_path, workers=workers, environment=environment)


@dataclass(frozen=True)
class Servers:
    writer: str
    reader: str
    stranger: str


@pytest.fixture(scope="module", params=DATABASES)
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    directory = tmp_path_factory.mktemp(f"live-{request.param}")
    # One after the other: the first applies the migrations.
    for url in fresh_database(request.param, directory):
        if request.param == "sqlite":
            with (
                serving(url, directory / "alice.log", "alice") as alice,
                serving(url, directory / "mallory.log", "mallory") as mallory,
            ):
                yield Servers(writer=alice, reader=alice, stranger=mallory)
            return
        with (
            serving(url, directory / "writer.log", "alice", workers=2) as writer,
            serving(url, directory / "reader.log", "alice") as reader,
            serving(url, directory / "mallory.log", "mallory") as mallory,
        ):
            yield Servers(writer=writer, reader=reader, stranger=mallory)


class Socket:
    """One WebSocket speaking graphql-transport-ws, or the legacy graphql-ws."""

    def __init__(self, connection: Any, protocol: str) -> None:
        self.connection = connection
        self.legacy = protocol == "graphql-ws"

    async def subscribe(self, operation_id: str, document: str, **variables: Any) -> None:
        kind = "start" if self.legacy else "subscribe"
        payload = {"query": document, "variables": variables}
        await self._send({"id": operation_id, "type": kind, "payload": payload})

    async def receive(self) -> dict[str, Any]:
        """The next message other than keep-alives."""
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), WAIT_SECONDS)
            message = json.loads(raw)
            if message["type"] not in ("ka", "ping", "pong"):
                return message

    async def events(self, count: int) -> list[dict[str, Any]]:
        events = []
        for _ in range(count):
            message = await self.receive()
            assert message["type"] in ("next", "data"), message
            assert "errors" not in message["payload"], message
            events.append(message["payload"]["data"]["conversationEvents"])
        return events

    async def _send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))


@asynccontextmanager
async def socket(base_url: str, protocol: str = "graphql-transport-ws") -> AsyncIterator[Socket]:
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[protocol], open_timeout=WAIT_SECONDS) as ws:
        opened = Socket(ws, protocol)
        await opened._send({"type": "connection_init", "payload": {}})
        assert (await opened.receive())["type"] == "connection_ack"
        yield opened


async def post(base_url: str, document: str, **variables: Any) -> dict[str, Any]:
    # A new connection per request, so that the writer's two workers both take requests.
    async with httpx.AsyncClient(base_url=base_url, timeout=WAIT_SECONDS) as http:
        return response_data(await post_graphql(http, document, **variables))


async def new_conversation(base_url: str) -> str:
    data = await post(base_url, CREATE_CONVERSATION, input={})
    return data["createConversation"]["conversation"]["id"]


async def add(base_url: str, conversation_id: str, content: str) -> None:
    payload = {"conversationId": conversation_id, "message": {"role": "USER", "content": content}}
    data = await post(base_url, ADD_MESSAGE, input=payload)
    assert data["addMessage"]["__typename"] == "AddMessageSuccess", data


async def test_subscribers_on_either_protocol_hear_mutations_sent_elsewhere(
    servers: Servers,
) -> None:
    # given a subscriber on the reader (graphql-transport-ws) and one on the writer (graphql-ws)
    conversation_id = await new_conversation(servers.writer)
    async with (
        socket(servers.reader) as modern,
        socket(servers.writer, "graphql-ws") as legacy,
    ):
        await modern.subscribe("1", EVENTS, conversationId=conversation_id, afterSequence=1)
        await legacy.subscribe("1", EVENTS, conversationId=conversation_id, afterSequence=1)
        # when ten messages are posted to the writer, each on a new connection
        for index in range(10):
            await add(servers.writer, conversation_id, f"m{index}")
        # then both hear all ten, in order
        for subscriber in (modern, legacy):
            events = await subscriber.events(10)
            assert [e["sequence"] for e in events] == list(range(2, 12))
            assert [e["message"]["content"] for e in events] == [f"m{i}" for i in range(10)]


async def test_a_client_that_reconnects_gets_exactly_what_it_missed_then_live_events(
    servers: Servers,
) -> None:
    # given a client that heard event 2 and disconnected
    conversation_id = await new_conversation(servers.writer)
    async with socket(servers.reader) as first:
        await first.subscribe("1", EVENTS, conversationId=conversation_id)
        [ready] = await first.events(1)  # it has subscribed before the first message
        await add(servers.writer, conversation_id, "heard")
        [heard] = await first.events(1)
    # when ten messages are written while it is away, and it reconnects after event 2
    for index in range(10):
        await add(servers.writer, conversation_id, f"missed {index}")
    async with socket(servers.reader) as again:
        await again.subscribe("2", EVENTS, conversationId=conversation_id, afterSequence=2)
        missed = await again.events(10)
        await add(servers.writer, conversation_id, "live")
        [live] = await again.events(1)
    # then
    assert (ready["kind"], heard["sequence"]) == ("LIVE", 2)
    assert [e["sequence"] for e in missed] == list(range(3, 13))
    assert [e["message"]["content"] for e in missed] == [f"missed {i}" for i in range(10)]
    assert (live["sequence"], live["message"]["content"]) == (13, "live")


async def test_an_owner_never_sees_another_owners_events(servers: Servers) -> None:
    # given mallory following her conversations, and alice's conversation
    alices = await new_conversation(servers.writer)
    async with socket(servers.stranger) as mallory:
        await mallory.subscribe("changes", CHANGES)
        live = await mallory.receive()
        assert live["payload"]["data"]["conversationsChanged"]["kind"] == "LIVE", live
        await mallory.subscribe("peek", EVENTS, conversationId=alices, afterSequence=0)
        # then alice's conversation is unknown to her: an error, then the end
        refused = await mallory.receive()
        assert (refused["id"], refused["type"], refused["payload"]["data"]) == (
            "peek",
            "next",
            None,
        )
        assert refused["payload"]["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
        assert await mallory.receive() == {"id": "peek", "type": "complete"}
        # when alice writes and then mallory creates a conversation of her own
        await add(servers.writer, alices, "private")
        await asyncio.sleep(0.5)
        mine = await new_conversation(servers.stranger)
        # then the first change mallory hears is her own
        change = await mallory.receive()
        assert change["id"] == "changes"
        assert change["payload"]["data"]["conversationsChanged"] == {
            "kind": "CREATED",
            "conversationId": mine,
        }


async def test_deleting_a_conversation_ends_its_streams(servers: Servers) -> None:
    # given a subscriber on the reader
    conversation_id = await new_conversation(servers.writer)
    async with socket(servers.reader) as subscriber:
        await subscriber.subscribe("1", EVENTS, conversationId=conversation_id, afterSequence=1)
        await asyncio.sleep(0.3)
        # when the conversation is deleted on the writer
        await post(servers.writer, DELETE_CONVERSATION, input={"id": conversation_id})
        # then the final event comes, then the stream completes
        [event] = await subscriber.events(1)
        assert event["kind"] == "CONVERSATION_DELETED"
        assert await subscriber.receive() == {"id": "1", "type": "complete"}
