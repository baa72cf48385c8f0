"""Does one locked conversation slow the others? Against a running server on PostgreSQL.

    .venv/bin/python bench/lock_isolation.py http://127.0.0.1:8000/graphql \\
        postgresql://postgres@127.0.0.1:5432/bench

First a baseline: writes to other conversations and reads, with nothing locked. Then a
separate psycopg connection takes one conversation's row lock (`SELECT ... FOR UPDATE` in
an open transaction, as another client's long transaction would), 60 writes to that
conversation are sent at once, and the same writes and reads are measured meanwhile. The
lock is held until every write to the locked conversation has been answered, and the
other traffic is measured during exactly that time. Prints
p50/p99 (ms) of each phase and what the 60 writes were answered.
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter
from typing import Any

import httpx
import psycopg

CREATE = """
mutation { createConversation(input: {}) { ... on CreateConversationSuccess { conversation { id } } } }
"""
ADD = """
mutation Add($id: UUID!) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: "x"}}) { __typename }
}
"""
READ = """
query Read($id: UUID!) { conversation(id: $id) { id messageCount messages(first: 5) { totalCount } } }
"""
LOCKED_WRITES = 60
CLIENTS = 4
OPERATIONS_PER_CLIENT = 40


async def call(http: httpx.AsyncClient, url: str, document: str, **variables: Any) -> Any:
    response = await http.post(url, json={"query": document, "variables": variables})
    return response.json()


async def timed(http: httpx.AsyncClient, url: str, document: str, **variables: Any) -> float:
    start = time.perf_counter()
    body = await call(http, url, document, **variables)
    elapsed = time.perf_counter() - start
    if "errors" in body:
        print("  error:", body["errors"][0]["message"])
    return elapsed


async def traffic(
    url: str, others: list[str], until: "asyncio.Future[Any] | None" = None
) -> tuple[list[float], list[float]]:
    """Writes to other conversations and reads, from CLIENTS clients, one at a time each:
    OPERATIONS_PER_CLIENT each, or (given `until`) as many as fit before it is done."""
    writes: list[float] = []
    reads: list[float] = []

    def more(step: int) -> bool:
        return step < OPERATIONS_PER_CLIENT if until is None else not until.done()

    async def client(index: int) -> None:
        async with httpx.AsyncClient(timeout=120) as http:
            step = 0
            while more(step):
                step += 1
                conversation = others[(index + step) % len(others)]
                writes.append(await timed(http, url, ADD, id=conversation))
                reads.append(await timed(http, url, READ, id=conversation))

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return writes, reads


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{name:>22}: p50 {statistics.median(ordered) * 1000:8.1f} ms   p99 {p99 * 1000:8.1f} ms   (n={len(ordered)})"


async def locked_writes(url: str, conversation: str) -> Counter[str]:
    async def one(http: httpx.AsyncClient) -> str:
        body = await call(http, url, ADD, id=conversation)
        if "errors" in body:
            error = body["errors"][0]
            return f"{error['extensions'].get('code')}: {error['message'][:90]}"
        return body["data"]["addMessage"]["__typename"]

    limits = httpx.Limits(max_connections=LOCKED_WRITES)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        return Counter(await asyncio.gather(*(one(http) for _ in range(LOCKED_WRITES))))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server's /graphql address")
    parser.add_argument("database_url", help="its PostgreSQL database, for the lock holder")
    args = parser.parse_args()
    async with httpx.AsyncClient(timeout=60) as http:
        ids = [
            (await call(http, args.url, CREATE))["data"]["createConversation"]["conversation"]["id"]
            for _ in range(9)
        ]
    locked, others = ids[0], ids[1:]

    writes, reads = await traffic(args.url, others)
    print("baseline (nothing locked)")
    print(summary("other writes", writes))
    print(summary("reads", reads))

    conninfo = args.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as holder:
        holder.execute("SELECT 1 FROM conversation WHERE id = %s FOR UPDATE", [locked])
        pending = asyncio.ensure_future(locked_writes(args.url, locked))
        await asyncio.sleep(0.5)  # let the 60 writes reach the server first
        start = time.perf_counter()
        writes, reads = await traffic(args.url, others, until=pending)
        print(f"\none conversation locked, {LOCKED_WRITES} writes to it (until all answered)")
        print(summary("other writes", writes))
        print(summary("reads", reads))
        print(f"{'(the writes took':>22} {time.perf_counter() - start:.1f} s)")
        answers = await pending
        holder.rollback()
    print(f"\nthe {LOCKED_WRITES} writes to the locked conversation were answered:")
    for answer, count in answers.most_common():
        print(f"  {count:3d} x {answer}")


if __name__ == "__main__":
    asyncio.run(main())
