"""Streaming throughput and delta-to-subscriber latency, against two `convograph serve`
processes this script starts on one PostgreSQL database: writers post to one, WebSocket
subscribers follow every conversation on the other (so every delta crosses processes
through LISTEN/NOTIFY).

    .venv/bin/python bench/streaming.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Two runs. Flat out: `--writers` writers, each streaming `--deltas` 5-character deltas into
its own IN_PROGRESS message as fast as its answers come back; prints the applied deltas per
second in total. Paced: the same writers at `--rate` deltas per second in total; prints the
latency from sending a delta to its subscriber having it (p50/p99). Both check that every
subscriber received every delta of its message, in order, once. The database must be
migrated; the script only adds conversations.
"""

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from subscriptions import WAIT_SECONDS, server

CREATE = "mutation { createConversation(input: {}) { ... on CreateConversationSuccess { conversation { id } } } }"
START = """
mutation Start($id: UUID!) {
  addMessage(input: {conversationId: $id, message: {role: ASSISTANT, status: IN_PROGRESS}}) {
    ... on AddMessageSuccess { message { id } }
  }
}
"""
APPEND = """
mutation Append($id: UUID!, $delta: String!, $index: Int!) {
  appendMessageContent(input: {messageId: $id, delta: $delta, index: $index}) { __typename }
}
"""
EVENTS = """
subscription Deltas($id: UUID!) { conversationEvents(conversationId: $id) { kind deltaIndex } }
"""


class KeepAlive:
    """One HTTP/1.1 keep-alive connection that POSTs JSON to /graphql. An httpx request
    costs the client about a millisecond of CPU: with 50 writers the script measured
    itself (its process used most of a core while the servers idled), so the appends go
    over these instead."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer = reader, writer
        self.head = (
            f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        ).encode()

    @classmethod
    async def open(cls, base: str) -> "KeepAlive":
        url = urllib.parse.urlsplit(base)
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        return cls(reader, writer, url.netloc)

    async def post(self, body: bytes) -> dict[str, Any]:
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        assert length is not None, head
        return json.loads(await self.reader.readexactly(int(length.group(1))))

    def close(self) -> None:
        self.writer.close()


class Follower:
    """One subscriber: when each delta index arrived, in arrival order."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.order: list[int] = []
        self.arrivals: dict[int, float] = {}

    async def run(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message["type"] != "next":
                continue
            event = message["payload"]["data"]["conversationEvents"]
            if event["kind"] == "MESSAGE_CONTENT_APPENDED":
                self.order.append(event["deltaIndex"])
                self.arrivals.setdefault(event["deltaIndex"], time.perf_counter())


async def follow(ws_url: str, conversation_id: str) -> Follower:
    ws = await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"], max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    payload = {"query": EVENTS, "variables": {"id": conversation_id}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    live = json.loads(await ws.recv())
    assert live["payload"]["data"]["conversationEvents"]["kind"] == "LIVE", live
    return Follower(ws)


async def run(
    writer_base: str, reader_base: str, writers: int, deltas: int, rate: float | None
) -> dict[str, float]:
    ws_url = reader_base.replace("http://", "ws://") + "/graphql"
    limits = httpx.Limits(max_connections=writers)
    async with httpx.AsyncClient(base_url=writer_base, timeout=WAIT_SECONDS, limits=limits) as http:

        async def post(document: str, **variables: Any) -> dict[str, Any]:
            response = await http.post("/graphql", json={"query": document, "variables": variables})
            return response.json()["data"]

        streams = []
        for _ in range(writers):
            conversation = (await post(CREATE))["createConversation"]["conversation"]["id"]
            message = (await post(START, id=conversation))["addMessage"]["message"]["id"]
            streams.append((message, await follow(ws_url, conversation)))
        readers = [asyncio.create_task(f.run()) for _, f in streams]
        sent: list[dict[int, float]] = [{} for _ in streams]
        interval = writers / rate if rate else 0.0

        async def write(n: int, message_id: str) -> None:
            connection = await KeepAlive.open(writer_base)
            start = time.perf_counter()
            for index in range(deltas):
                if interval:
                    await asyncio.sleep(max(0.0, start + index * interval - time.perf_counter()))
                variables = {"id": message_id, "delta": f"{index % 100000:05d}", "index": index}
                body = json.dumps({"query": APPEND, "variables": variables}).encode()
                sent[n][index] = time.perf_counter()
                data = (await connection.post(body))["data"]
                assert data["appendMessageContent"]["__typename"] == "AppendMessageContentSuccess"
            connection.close()

        began = time.perf_counter()
        await asyncio.gather(*(write(n, message) for n, (message, _) in enumerate(streams)))
        elapsed = time.perf_counter() - began
        deadline = time.monotonic() + WAIT_SECONDS
        while any(len(f.order) < deltas for _, f in streams):
            if time.monotonic() > deadline:
                raise SystemExit("a subscriber did not get every delta")
            await asyncio.sleep(0.01)
        for reader in readers:
            reader.cancel()
        for _, follower in streams:
            await follower.ws.close()
    for _, follower in streams:
        assert follower.order == list(range(deltas)), "a delta was lost, repeated or reordered"
    latencies = sorted(
        (follower.arrivals[i] - sent[n][i]) * 1000
        for n, (_, follower) in enumerate(streams)
        for i in range(deltas)
    )
    return {
        "deltas": writers * deltas,
        "deltas_per_second": writers * deltas / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2, help="processes of each server")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--deltas", type=int, default=100, help="per writer")
    parser.add_argument("--rate", type=float, default=1000.0, help="paced run, deltas/s in total")
    args = parser.parse_args()
    with (
        server(args.database_url, args.workers) as (writer_base, _),
        server(args.database_url, args.workers) as (reader_base, _),
    ):
        flat = asyncio.run(run(writer_base, reader_base, args.writers, args.deltas, None))
        paced = asyncio.run(run(writer_base, reader_base, args.writers, args.deltas, args.rate))
    print(
        f"flat out: {flat['deltas']} deltas from {args.writers} writers,"
        f" {flat['deltas_per_second']:.0f} deltas/s, every subscriber had every delta in order"
    )
    print(
        f"paced at {args.rate:.0f}/s: {paced['deltas_per_second']:.0f} deltas/s achieved,"
        f" delta-to-subscriber p50 {paced['p50_ms']:.1f} ms, p99 {paced['p99_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
