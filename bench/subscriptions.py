"""Subscription latency and memory, against a `convograph serve` this script starts.

    .venv/bin/python bench/subscriptions.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Latency is from the moment the client has the addMessage response to the moment a
subscriber has the event (so it can be slightly negative when the event wins the race),
measured by one client process holding every WebSocket. Memory per idle subscriber is the
growth of the server's resident memory (all its processes) while that many subscriptions
are open and idle, divided by their number. The database must be empty or at least
migrated; the script only adds conversations.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import websockets
from cluster import free_port

EVENTS = """
subscription Events($id: UUID!) { conversationEvents(conversationId: $id) { sequence } }
"""
CREATE = "mutation { createConversation(input: {}) { ... on CreateConversationSuccess { conversation { id } } } }"
ADD = """
mutation Add($id: UUID!) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: "x"}}) { __typename }
}
"""
WAIT_SECONDS = 30.0


@contextmanager
def server(database_url: str, workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    environment = {**os.environ, "CONVOGRAPH_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "convograph", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log"]
    process = subprocess.Popen(command, env=environment, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def resident_bytes(pid: int) -> int:
    """RSS of a process and its children (uvicorn's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(p) for p in children.read_text().split())]
    total = 0
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


class Subscriber:
    def __init__(self, ws: Any, conversation_id: str) -> None:
        self.ws = ws
        self.conversation_id = conversation_id
        self.arrivals: dict[int, float] = {}

    async def run(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message["type"] == "next":
                sequence = message["payload"]["data"]["conversationEvents"]["sequence"]
                self.arrivals[sequence] = time.perf_counter()


async def subscribe(ws_url: str, conversation_id: str) -> Subscriber:
    ws = await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"], max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    payload = {"query": EVENTS, "variables": {"id": conversation_id}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return Subscriber(ws, conversation_id)


async def measure(
    base: str, pid: int, conversations: int, per_conversation: int, mutations: int
) -> dict[str, float]:
    ws_url = base.replace("http://", "ws://") + "/graphql"
    async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as http:

        async def post(document: str, **variables: Any) -> dict[str, Any]:
            response = await http.post("/graphql", json={"query": document, "variables": variables})
            return response.json()["data"]

        ids = [
            (await post(CREATE))["createConversation"]["conversation"]["id"]
            for _ in range(conversations)
        ]
        before = resident_bytes(pid)
        subscribers = []
        for conversation_id in ids:
            for _ in range(per_conversation):
                subscribers.append(await subscribe(ws_url, conversation_id))
        await asyncio.sleep(1.0)  # every subscription has registered with the broker
        idle = resident_bytes(pid)
        readers = [asyncio.create_task(s.run()) for s in subscribers]
        latencies: list[float] = []
        next_sequence = dict.fromkeys(ids, 2)
        for index in range(mutations):
            conversation_id = ids[index % len(ids)]
            await post(ADD, id=conversation_id)
            answered = time.perf_counter()
            sequence = next_sequence[conversation_id]
            next_sequence[conversation_id] += 1
            waiting = [s for s in subscribers if s.conversation_id == conversation_id]
            deadline = time.monotonic() + WAIT_SECONDS
            while any(sequence not in s.arrivals for s in waiting):
                if time.monotonic() > deadline:
                    raise SystemExit(f"an event did not arrive within {WAIT_SECONDS} s")
                await asyncio.sleep(0.001)
            latencies += [(s.arrivals[sequence] - answered) * 1000 for s in waiting]
        for reader in readers:
            reader.cancel()
        for subscriber in subscribers:
            await subscriber.ws.close()
    latencies.sort()
    return {
        "subscribers": len(subscribers),
        "samples": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "max_ms": latencies[-1],
        "kib_per_idle_subscriber": (idle - before) / len(subscribers) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mutations", type=int, default=100)
    args = parser.parse_args()
    cases = {
        "100 subscribers on 1 conversation": (1, 100),
        "1,000 subscribers over 100 conversations": (100, 10),
    }
    for name, (conversations, per_conversation) in cases.items():
        # A server per case, so that memory is measured from the same starting point.
        with server(args.database_url, args.workers) as (base, pid):
            figures = asyncio.run(
                measure(base, pid, conversations, per_conversation, args.mutations)
            )
        print(
            f"{name}: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms,"
            f" max {figures['max_ms']:.1f} ms ({figures['samples']} deliveries);"
            f" {figures['kib_per_idle_subscriber']:.1f} KiB per idle subscriber"
            f" (server RSS over {figures['subscribers']} subscriptions)"
        )


if __name__ == "__main__":
    main()
