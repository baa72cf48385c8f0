"""Server CPU per extra subscriber per event, with many subscribers of one conversation.

    .venv/bin/python bench/fanout.py --database-url sqlite:////tmp/fanout.db --subscribers 2000

Starts `convograph serve` (one process), opens SOCKETS WebSockets holding `--subscribers`
`conversationEvents` subscriptions of one conversation between them (all with the same
document, as a page's clients would send), sends `--events` addMessage mutations one
after the other, and waits until every subscriber has every event. The server's CPU
(user + system, from /proc) for that is compared with the same run with one subscriber:
(CPU with N - CPU with 1) / ((N - 1) x events) is the cost of each extra subscriber per
event. The client runs on the same machine, so run it on an otherwise quiet one.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procstat import cpu_seconds
from subscriptions import ADD, CREATE, server

EVENTS = """
subscription Events($id: UUID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSequence: $after) {
    sequence kind message { id content role }
  }
}
"""
SOCKETS = 20
WAIT_SECONDS = 120.0


async def until_everyone_has(received: list[int], count: int) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    # Polling: the counts are bumped by many readers, and 50 ms is precise enough here.
    while min(received) < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def run(base: str, pid: int, subscribers: int, events: int) -> float:
    """The server's CPU seconds for delivering `events` events to `subscribers`."""
    ws_url = base.replace("http://", "ws://") + "/graphql"
    async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as http:
        created = (await http.post("/graphql", json={"query": CREATE})).json()
        conversation = created["data"]["createConversation"]["conversation"]["id"]
        sockets = [
            await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"], max_queue=None)
            for _ in range(min(SOCKETS, subscribers))
        ]
        received = [0] * subscribers
        problems: list[Any] = []
        for ws in sockets:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
        for index in range(subscribers):
            # From just after its creation: a subscription that registers late still gets
            # every event, by replay.
            payload = {"query": EVENTS, "variables": {"id": conversation, "after": 1}}
            message = {"id": str(index), "type": "subscribe", "payload": payload}
            await sockets[index % len(sockets)].send(json.dumps(message))

        async def drain(ws: Any) -> None:
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "next" and "errors" not in message["payload"]:
                    received[int(message["id"])] += 1
                elif message["type"] != "next" or "errors" in message["payload"]:
                    problems.append(message)

        readers = [asyncio.ensure_future(drain(ws)) for ws in sockets]
        # A first event that every subscriber must have: then all are live.
        await http.post("/graphql", json={"query": ADD, "variables": {"id": conversation}})
        await until_everyone_has(received, 1)
        received[:] = [0] * subscribers
        before = cpu_seconds(pid)
        for _ in range(events):
            await http.post("/graphql", json={"query": ADD, "variables": {"id": conversation}})
        await until_everyone_has(received, events)
        cpu = cpu_seconds(pid) - before
        if min(received) < events:
            print(f"  only {min(received)} of {events} events reached every subscriber")
            print(f"  {sum(r == events for r in received)} got all; first problem:", problems[:1])
        for reader in readers:
            reader.cancel()
        for ws in sockets:
            await ws.close()
        return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()
    os.environ["CONVOGRAPH_MAX_SUBSCRIPTIONS_PER_OWNER"] = str(args.subscribers + 10)
    with server(args.database_url, 1) as (base, pid):
        one = asyncio.run(run(base, pid, 1, args.events))
        many = asyncio.run(run(base, pid, args.subscribers, args.events))
    extra = (many - one) / ((args.subscribers - 1) * args.events)
    print(f"server CPU, {args.events} events: 1 subscriber {one:.2f} s,")
    print(f"  {args.subscribers} subscribers {many:.2f} s")
    print(f"per extra subscriber per event: {extra * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
