"""Search latency and import throughput of convograph, on a database of its own.

    .venv/bin/python bench/search_and_import.py --database sqlite          # 100,000 messages
    .venv/bin/python bench/search_and_import.py --database postgresql      # 1,000,000 messages
    .venv/bin/python bench/search_and_import.py --database postgresql --messages 100000

1. Makes a fresh database (an SQLite file in a temporary folder, or a new PostgreSQL
   database next to the one --postgres-url names) and migrates it.
2. Seeds it with multi-row INSERTs into the project's tables: conversations of about 100
   messages, each with a main line and forks (so messages have several branches), whose text
   is drawn from a Zipf-distributed vocabulary, so that query words range from rare to common.
3. Runs searchMessages queries through the GraphQL schema in-process (hits with snippet,
   rank, conversation, branches and path, 20 a page) and prints p50/p90/p99 per kind of query.
4. Writes a ChatGPT conversations.json with edited branches, imports it as the CLI does
   (streamed), exports it in the convograph format and imports that as another owner;
   prints messages per second for each.
5. Drops the PostgreSQL database (or deletes the SQLite file) unless --keep.

Nothing here is asserted: the figures are printed for people to compare.
"""

import argparse
import asyncio
import io
import json
import random
import statistics
import string
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from scratch import scratch_database
from sqlalchemy import insert, text

from convograph.api import schema
from convograph.auth import Principal
from convograph.context import Context
from convograph.db.engine import Database
from convograph.db.input_rules import InputLimits
from convograph.db.jump_pointers import fill_jumps
from convograph.db.message_rows import MessageFields, ParentRow, message_row
from convograph.db.migrate import upgrade
from convograph.db.tables import Branch, Conversation, Message
from convograph.settings import Settings
from convograph.transfer.documents import DocumentFormat, stream_conversations
from convograph.transfer.exporter import write_document
from convograph.transfer.importer import import_conversations

OWNER = "bench"
LIMITS = InputLimits.of(Settings())
VOCABULARY = 20_000
ZIPF_EXPONENT = 1.07
BATCH = 2_000
PAGE = 20
SEARCH = """
query Search($query: String!, $first: Int!) {
  searchMessages(query: $query, first: $first) {
    totalCount
    nodes {
      rank snippet
      message { id role }
      conversation { id title }
      branches(first: 5) { totalCount nodes { id } }
      path(last: 3) { totalCount nodes { id } }
    }
  }
}
"""


def vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10))))
    return sorted(words, key=lambda _: rng.random())


class Writer:
    """Message text: words drawn by Zipf's law from the vocabulary."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(words) + 1)]
        self.cumulative = list(_accumulate(weights))

    def text(self) -> str:
        count = self.rng.randint(8, 60)
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=count))


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def conversation_rows(
    writer: Writer, start: datetime, messages: int
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """One conversation: a main line, then forks of 10 from messages along it."""
    conversation_id = uuid.uuid4()
    main = max(messages // 2, 1)
    rows: list[dict[str, Any]] = []
    tips: list[tuple[dict[str, Any], uuid.UUID | None]] = []  # (tip, branch point)

    def message(parent: dict[str, Any] | None, at: datetime) -> dict[str, Any]:
        role = "user" if (parent is None or parent["role"] == "assistant") else "assistant"
        parent_row = ParentRow(parent["id"], parent["depth"]) if parent else None
        row = message_row(
            conversation_id, MessageFields(role, writer.text()), parent_row, created_at=at
        )
        rows.append(row)
        return row

    at = start
    line = []
    parent = None
    for _ in range(main):
        at += timedelta(seconds=1)
        parent = message(parent, at)
        line.append(parent)
    tips.append((line[-1], None))
    while len(rows) < messages:
        fork_at = writer.rng.choice(line[:-1] or line)
        parent = fork_at
        for _ in range(min(10, messages - len(rows))):
            at += timedelta(seconds=1)
            parent = message(parent, at)
        tips.append((parent, fork_at["id"]))
    fill_jumps(rows)
    branches = [
        {
            "id": uuid.uuid4(),
            "conversation_id": conversation_id,
            "tip_id": tip["id"],
            "tip_depth": tip["depth"],
            "forked_from_id": None,
            "branch_point_id": point,
            "created_at": start,
            "updated_at": at,
        }
        for tip, point in tips
    ]
    conversation = {
        "id": conversation_id,
        "owner": OWNER,
        "title": writer.text()[:40],
        "metadata": {},
        "current_branch_id": branches[0]["id"],
        "created_at": start,
        "updated_at": at,
    }
    return conversation, rows, branches


async def seed(database: Database, writer: Writer, messages: int, per_conversation: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    written = 0
    began = time.perf_counter()
    while written < messages:
        conversations, rows, branches = [], [], []
        while len(rows) < BATCH and written + len(rows) < messages:
            size = min(per_conversation, messages - written - len(rows))
            conversation, new_rows, new_branches = conversation_rows(writer, start, size)
            start += timedelta(minutes=5)
            conversations.append(conversation)
            rows += new_rows
            branches += new_branches
        async with database.transaction() as session:
            await session.execute(insert(Conversation.__table__), conversations)
            await session.execute(insert(Message.__table__), rows)
            await session.execute(insert(Branch.__table__), branches)
        written += len(rows)
        rate = written / (time.perf_counter() - began)
        if sys.stderr.isatty():
            print(f"\rseeded {written:,} messages ({rate:,.0f}/s)", end="", file=sys.stderr)
        elif written * 10 // messages != (written - len(rows)) * 10 // messages:
            print(f"seeded {written:,} messages ({rate:,.0f}/s)", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)


def queries(words: list[str], rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(kind, query) pairs; the kinds span rare to common words and every operator."""

    def word(lo: int, hi: int) -> str:
        return words[rng.randrange(lo, hi)]

    kinds = {
        "common word": lambda: word(0, 20),
        "medium word": lambda: word(100, 1000),
        "rare word": lambda: word(5000, VOCABULARY),
        "two words": lambda: f"{word(20, 300)} {word(20, 300)}",
        "phrase": lambda: f'"{word(0, 50)} {word(0, 50)}"',
        "or": lambda: f"{word(200, 2000)} or {word(200, 2000)}",
        "exclusion": lambda: f"{word(50, 500)} -{word(0, 20)}",
    }
    names = list(kinds)
    return [(name, kinds[name]()) for name in (names[i % len(names)] for i in range(count))]


async def measure_search(
    database: Database, settings: Settings, planned: list[tuple[str, str]]
) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """Milliseconds per query, and hits (totalCount) per query, by kind of query."""
    timings: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for _, query in planned[:10]:  # warm the caches and the connection pool
        await run_search(database, settings, query)
    for kind, query in planned:
        began = time.perf_counter()
        found = await run_search(database, settings, query)
        timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
        hits.setdefault(kind, []).append(found)
    return timings, hits


async def run_search(database: Database, settings: Settings, query: str) -> int:
    context = Context(database=database, settings=settings, principal=Principal(OWNER))
    result = await schema.execute(
        SEARCH, variable_values={"query": query, "first": PAGE}, context_value=context
    )
    if result.errors or result.data is None:
        raise RuntimeError(f"{query!r}: {result.errors}")
    return int(result.data["searchMessages"]["totalCount"])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def chatgpt_node(writer: Writer, mapping: dict[str, Any], parent: str, role: str, at: float) -> str:
    key = str(uuid.uuid4())
    mapping[key] = {
        "id": key,
        "parent": parent,
        "children": [],
        "message": {
            "id": key,
            "author": {"role": role, "name": None, "metadata": {}},
            "create_time": at,
            "update_time": None,
            "content": {"content_type": "text", "parts": [writer.text()]},
            "metadata": {"model_slug": "gpt-4o"} if role == "assistant" else {},
            "recipient": "all",
            "status": "finished_successfully",
        },
    }
    mapping[parent]["children"].append(key)
    return key


def chatgpt_file(writer: Writer, conversations: int, per_conversation: int) -> bytes:
    """conversations.json with a null root and edited branches."""
    items = []
    for number in range(conversations):
        mapping: dict[str, Any] = {
            "root": {"id": "root", "message": None, "parent": None, "children": []},
        }
        parent, at = "root", 1_700_000_000.0 + number * 600
        for index in range(per_conversation):
            at += 1
            role = "user" if index % 2 == 0 else "assistant"
            if index % 10 == 9:  # an edit of the last question: a sibling, on a new branch
                parent = mapping[parent]["parent"]
                role = "user"
            parent = chatgpt_node(writer, mapping, parent, role, at)
        items.append(
            {
                "title": f"bench {number}",
                "create_time": 1_700_000_000.0 + number * 600,
                "update_time": at,
                "mapping": mapping,
                "current_node": parent,
                "conversation_id": f"bench-{number}",
            }
        )
    return json.dumps(items).encode()


async def measure_imports(
    database: Database, writer: Writer, conversations: int, per_conversation: int
) -> list[tuple[str, int, float]]:
    """(what, messages, seconds) of a ChatGPT import, a convograph export and its import."""
    data = chatgpt_file(writer, conversations, per_conversation)
    began = time.perf_counter()
    format, _, items = stream_conversations(io.BytesIO(data), None)
    summary = await import_conversations(database, "importer", format, items, LIMITS)
    figures = [("import ChatGPT's format", summary.message_count, time.perf_counter() - began)]
    assert not summary.failed, summary.failed[:3]

    exported = io.StringIO()
    began = time.perf_counter()
    await write_document(database, "importer", DocumentFormat.CONVOGRAPH, None, exported)
    figures.append(("export convograph", summary.message_count, time.perf_counter() - began))

    began = time.perf_counter()
    format, _, items = stream_conversations(io.BytesIO(exported.getvalue().encode()), None)
    again = await import_conversations(database, "restorer", format, items, LIMITS)
    figures.append(("import convograph", again.message_count, time.perf_counter() - began))
    assert not again.failed, again.failed[:3]
    return figures


async def bench(args: argparse.Namespace, url: str) -> None:
    rng = random.Random(args.seed)
    words = vocabulary(rng)
    writer = Writer(rng, words)
    upgrade(url)
    settings = Settings(database_url=url)
    database = Database(settings.database_url)
    try:
        began = time.perf_counter()
        await seed(database, writer, args.messages, args.per_conversation)
        seeded = time.perf_counter() - began
        if database.dialect == "postgresql":
            async with database.writer_engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE"))
        planned = queries(words, rng, args.queries)
        timings, hits = await measure_search(database, settings, planned)
        imports = await measure_imports(
            database, writer, args.import_conversations, args.per_conversation
        )
    finally:
        await database.dispose()

    every = [t for values in timings.values() for t in values]
    print(f"\n{database.dialect}: {args.messages:,} messages seeded in {seeded:.0f}s")
    print(f"search, {len(every)} queries, {PAGE} hits a page with snippet, branches and path:")
    print(
        f"  {'kind':<14} {'n':>4} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'median hits':>12}"
    )
    counts = [c for values in hits.values() for c in values]
    for kind, values, found in [
        *((k, v, hits[k]) for k, v in timings.items()),
        ("all", every, counts),
    ]:
        print(
            f"  {kind:<14} {len(values):>4} {statistics.median(values):>8.1f} "
            f"{percentile(values, 0.9):>8.1f} {percentile(values, 0.99):>8.1f} "
            f"{max(values):>8.1f} {statistics.median(found):>12,.0f}"
        )
    print("import and export:")
    for name, messages, seconds in imports:
        print(
            f"  {name:<28} {messages:>8,} messages in {seconds:6.2f}s: {messages / seconds:>8,.0f}/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--messages", type=int, help="messages to seed (default 100,000 SQLite, 1,000,000 PG)"
    )
    parser.add_argument("--per-conversation", type=int, default=100)
    parser.add_argument("--queries", type=int, default=350, help="timed search queries")
    parser.add_argument(
        "--import-conversations", type=int, default=200, help="conversations in the import file"
    )
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a server where the benchmark may create (and drop) a database",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.messages is None:
        args.messages = 1_000_000 if args.database == "postgresql" else 100_000

    server_url = args.postgres_url if args.database == "postgresql" else None
    with scratch_database(server_url, "convograph_bench", keep=args.keep) as url:
        asyncio.run(bench(args, url))


if __name__ == "__main__":
    main()
