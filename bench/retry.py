"""Retries after timeouts: no write twice, no delta lost, against a `convograph serve`
this script starts.

    .venv/bin/python bench/retry.py --database-url postgresql://postgres@127.0.0.1:5432/bench

`--clients` clients each make `--writes` writes into a conversation of their own, as a
frontend whose requests time out does: every first attempt is abandoned after a random
wait of up to `--abandon-ms` (the client closes its connection, so it never learns whether
the server committed), then retried with the same input until an answer comes. Three runs:

- addMessage with an idempotencyKey per logical write;
- the same without a key (what the key prevents);
- appendMessageContent into one IN_PROGRESS message per client, each delta retried with
  its index.

Each run then reads every conversation back and prints the writes made, the attempts
abandoned, the messages (or deltas) the database holds, duplicates and losses, and the
latency of a logical write including its retries (p50/p99). The database must be migrated;
the script only adds conversations.
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from streaming import APPEND, START
from subscriptions import CREATE, WAIT_SECONDS, server

ADD = """
mutation Add($id: UUID!, $content: String!, $key: String) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: $content},
                     idempotencyKey: $key}) { __typename }
}
"""
READ = """
query Read($id: UUID!) {
  conversation(id: $id) { messageCount messages(first: 100) { nodes { content } } }
}
"""
SUCCESSES = {"AddMessageSuccess", "AppendMessageContentSuccess"}


@dataclass
class Tally:
    abandoned: int = 0
    latencies_ms: list[float] = field(default_factory=list)


async def graphql(http: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": document, "variables": variables})
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


async def with_retries(
    http: httpx.AsyncClient,
    abandon_ms: float,
    tally: Tally,
    send: Callable[[httpx.AsyncClient], Awaitable[Any]],
) -> None:
    """One logical write: a first attempt abandoned mid-flight (httpx drops a connection
    whose request was cancelled), then retries until answered."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(send(http), random.uniform(0.0, abandon_ms) / 1000)
    except TimeoutError:
        tally.abandoned += 1
        while True:
            try:
                data = await send(http)
            except httpx.TransportError:
                continue
            [result] = data.values()
            assert result["__typename"] in SUCCESSES, result
            break
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)


async def added_messages(
    base: str, clients: int, writes: int, abandon_ms: float, keyed: bool
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as http:
        conversations = [
            (await graphql(http, CREATE))["createConversation"]["conversation"]["id"]
            for _ in range(clients)
        ]
        tally = Tally()

        async def client(conversation_id: str) -> None:
            async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as own:
                for n in range(writes):
                    key = str(uuid.uuid4()) if keyed else None
                    variables = {"id": conversation_id, "content": f"write {n}", "key": key}
                    await with_retries(
                        own, abandon_ms, tally, lambda h, v=variables: graphql(h, ADD, **v)
                    )

        await asyncio.gather(*(client(c) for c in conversations))
        held = duplicates = lost = 0
        for conversation_id in conversations:
            read = (await graphql(http, READ, id=conversation_id))["conversation"]
            contents = [node["content"] for node in read["messages"]["nodes"]]
            held += read["messageCount"]
            expected = {f"write {n}" for n in range(writes)}
            duplicates += len(contents) - len(set(contents))
            lost += len(expected - set(contents))
    return {"held": held, "duplicates": duplicates, "lost": lost, "tally": tally}


async def appended_deltas(
    base: str, clients: int, writes: int, abandon_ms: float
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as http:
        streams = []
        for _ in range(clients):
            conversation = (await graphql(http, CREATE))["createConversation"]["conversation"]
            started = await graphql(http, START, id=conversation["id"])
            streams.append((conversation["id"], started["addMessage"]["message"]["id"]))
        tally = Tally()

        async def client(message_id: str) -> None:
            async with httpx.AsyncClient(base_url=base, timeout=WAIT_SECONDS) as own:
                for index in range(writes):
                    variables = {"id": message_id, "delta": f"{index:05d}", "index": index}
                    await with_retries(
                        own, abandon_ms, tally, lambda h, v=variables: graphql(h, APPEND, **v)
                    )

        await asyncio.gather(*(client(m) for _, m in streams))
        expected = "".join(f"{index:05d}" for index in range(writes))
        wrong = 0
        for conversation_id, _ in streams:
            read = (await graphql(http, READ, id=conversation_id))["conversation"]
            [content] = [node["content"] for node in read["messages"]["nodes"]]
            wrong += content != expected
    return {"held": clients * writes if not wrong else None, "wrong": wrong, "tally": tally}


def latency(tally: Tally) -> str:
    values = sorted(tally.latencies_ms)
    p99 = values[max(0, int(len(values) * 0.99) - 1)]
    return f"p50 {statistics.median(values):.1f} ms, p99 {p99:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes", type=int, default=25, help="per client (at most 100)")
    parser.add_argument("--abandon-ms", type=float, default=15.0)
    args = parser.parse_args()
    random.seed(1)
    writes = args.clients * args.writes
    with server(args.database_url, args.workers) as (base, _):
        for keyed in (True, False):
            run = asyncio.run(
                added_messages(base, args.clients, args.writes, args.abandon_ms, keyed)
            )
            tally = run["tally"]
            print(
                f"addMessage {'with' if keyed else 'without'} idempotencyKey: {writes} writes,"
                f" {tally.abandoned} first attempts abandoned and retried; the database holds"
                f" {run['held']} messages: {run['duplicates']} duplicates, {run['lost']} lost;"
                f" {latency(tally)} per write with its retries"
            )
        run = asyncio.run(appended_deltas(base, args.clients, args.writes, args.abandon_ms))
        tally = run["tally"]
        print(
            f"appendMessageContent with its index: {writes} deltas, {tally.abandoned} first"
            f" attempts abandoned and retried; {run['wrong']} of {args.clients} messages differ"
            f" from their deltas in order; {latency(tally)} per delta with its retries"
        )


if __name__ == "__main__":
    main()
