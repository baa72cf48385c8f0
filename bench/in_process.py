"""CPU time of one request in process (R1, W1, a streamed append): the resolver path
without HTTP or load generator.

    .venv/bin/python bench/in_process.py [--database-url postgresql://postgres@127.0.0.1/x]
                                         [--requests 300] [--rounds 5]

Creates a fresh database (a PostgreSQL one is dropped afterwards), migrates it, writes one
conversation of 50 messages through the API, then runs R1 (bench/cases.py) through
`schema.execute`, one fresh context per request, one request at a time, and prints the
median over rounds of the CPU time per request. It prints the same for R1 answered from a
context whose loaders already hold every row: GraphQL execution alone; then W1 and one
appendMessageContent of a streamed answer. CPU time (not wall time) is what a busy server
runs out of, and it is steadier than req/s on a shared machine.
On PostgreSQL it also prints R1 on the compiled path (CONVOGRAPH_COMPILED_READS=on): one
statement, its JSON text handed on as it is, then encoded as the HTTP layer would.
"""

import argparse
import asyncio
import statistics
import time
from typing import Any

import orjson
from cases import R1, W1
from scratch import scratch_database

from convograph.api import schema
from convograph.api.compiled_reads import CompiledResult
from convograph.auth import Principal
from convograph.context import Context
from convograph.db.engine import Database
from convograph.db.migrate import upgrade
from convograph.settings import CompiledReads, Settings

CREATE = """mutation { createConversation(input: {title: "In process"}) {
  ... on CreateConversationSuccess { conversation { id } } } }"""
START = """mutation Start($id: UUID!) {
  addMessage(input: {conversationId: $id, message: {role: ASSISTANT, status: IN_PROGRESS}}) {
    ... on AddMessageSuccess { message { id } } } }"""
APPEND = """mutation Append($id: UUID!, $delta: String!, $index: Int!) {
  appendMessageContent(input: {messageId: $id, delta: $delta, index: $index}) { __typename } }"""
ADD = """mutation Add($id: UUID!, $content: String!) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: $content},
                     metadata: {tokens: 42}}) { __typename } }"""


async def run(settings: Settings, requests: int, rounds: int) -> None:
    database = Database(settings.database_url)
    principal = Principal("local")

    def context() -> Context:
        return Context(database=database, settings=settings, principal=principal)

    async def execute(document: str, context: Context, **variables: Any) -> dict[str, Any]:
        result = await schema.execute(document, variable_values=variables, context_value=context)
        assert result.errors is None and result.data is not None, result.errors
        return result.data

    compiled_settings = settings.model_copy(update={"compiled_reads": CompiledReads.ON})

    async def compiled_ms(id: str) -> float:
        start = time.process_time()
        for _ in range(requests):
            context = Context(database=database, settings=compiled_settings, principal=principal)
            result = await schema.execute(R1, variable_values={"id": id}, context_value=context)
            assert isinstance(result, CompiledResult), result
            body = orjson.dumps({"data": result.data})
        assert body.count(b'"content"') == 50
        return (time.process_time() - start) / requests * 1000

    created = await execute(CREATE, context())
    id = created["createConversation"]["conversation"]["id"]
    for n in range(50):
        await execute(ADD, context(), id=id, content=f"Message {n + 1}. " + "Lorem ipsum. " * 8)

    async def cpu_ms(fresh: bool) -> float:
        reused = context()
        await execute(R1, reused, id=id)
        start = time.process_time()
        for _ in range(requests):
            data = await execute(R1, context() if fresh else reused, id=id)
        assert len(data["conversation"]["messages"]["nodes"]) == 50
        return (time.process_time() - start) / requests * 1000

    for label, fresh in (("R1, full request", True), ("R1, GraphQL only (loaders primed)", False)):
        await cpu_ms(fresh)  # warm-up
        figures = [await cpu_ms(fresh) for _ in range(rounds)]
        spread = ", ".join(f"{f:.2f}" for f in figures)
        print(f"{label:36} {statistics.median(figures):6.2f} ms CPU  (rounds: {spread})")
    # Writes: W1 (bench/cases.py) rotating over 20 conversations, and a streamed answer's
    # appends, one request at a time. Each request writes, so the rounds grow the data a
    # little; the figures are still steady.
    targets = [
        (await execute(CREATE, context()))["createConversation"]["conversation"]["id"]
        for _ in range(20)
    ]
    started = await execute(START, context(), id=targets[0])
    streamed = started["addMessage"]["message"]["id"]
    appended = 0

    async def write_ms(label: str) -> float:
        nonlocal appended
        start = time.process_time()
        for n in range(requests):
            if label == "W1":
                data = await execute(W1, context(), id=targets[n % len(targets)])
            else:
                data = await execute(APPEND, context(), id=streamed, delta="abcde", index=appended)
                appended += 1
        assert "Success" in next(iter(data.values()))["__typename"], data
        return (time.process_time() - start) / requests * 1000

    for label in ("W1", "appendMessageContent"):
        await write_ms(label)  # warm-up
        figures = [await write_ms(label) for _ in range(rounds)]
        spread = ", ".join(f"{f:.2f}" for f in figures)
        print(f"{label:36} {statistics.median(figures):6.2f} ms CPU  (rounds: {spread})")
    if database.dialect == "postgresql":
        await compiled_ms(id)  # warm-up: the plan is made once
        figures = [await compiled_ms(id) for _ in range(rounds)]
        spread = ", ".join(f"{f:.2f}" for f in figures)
        label = "R1, compiled path (+ JSON encoding)"
        print(f"{label:36} {statistics.median(figures):6.2f} ms CPU  (rounds: {spread})")
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with scratch_database(args.database_url, "convograph_in_process") as url:
        upgrade(url)
        resolvers = Settings(database_url=url, compiled_reads=CompiledReads.OFF)
        asyncio.run(run(resolvers, args.requests, args.rounds))


if __name__ == "__main__":
    main()
