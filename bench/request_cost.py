"""Server CPU of the costliest single requests: the worst shapes of each kind, within the
body limit, accepted or refused.

    .venv/bin/python bench/request_cost.py [--database-url postgresql://postgres@127.0.0.1/x]
                                           [--repeat 3] [--only KIND]

Creates a fresh database (a PostgreSQL one is dropped afterwards), seeds 100 conversations
(20 of them with a message every search hit matches), then POSTs each shape to the whole
ASGI application in process (body limit, JSON parsing, GraphQL, SQL) and prints the CPU
time of the request (the best of `--repeat`, since other engineers share the machine), the
HTTP status and the first error code. The goal is at most 50 ms for every shape. Client
work is inside the figure too (building the request, reading the body), so it is an upper
bound of the server's share.
"""

import argparse
import asyncio
import base64
import itertools
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import get_introspection_query
from scratch import scratch_database

from convograph.app import create_app
from convograph.db.migrate import upgrade
from convograph.settings import Settings

GOAL_MS = 50.0


@dataclass(frozen=True)
class Shape:
    kind: str
    label: str
    body: Callable[[], bytes]


_SENT = itertools.count()


def request(query: str, **variables: Any) -> Callable[[], bytes]:
    """Each call a new text (a numbered comment at its end): the server parses, measures
    and validates a document once per process, so a repeat of the same text would time
    its caches, not what a stranger's new document costs."""
    return lambda: json.dumps(
        {"query": f"{query}\n# {next(_SENT)}", "variables": variables}
    ).encode()


def raw(body: bytes) -> Callable[[], bytes]:
    return lambda: body


def repeated(field: str, count: int, around: str = "conversations(first: 100) { %s }") -> str:
    return "{ %s }" % (around % (" ".join([field] * count)))


INTROSPECTION = get_introspection_query(descriptions=True)
# "query IntrospectionQuery { __schema { ... } } fragment ...": the `__schema` field alone
INTROSPECTION_FRAGMENTS = INTROSPECTION[INTROSPECTION.index("fragment") :]
INTROSPECTION_SCHEMA = INTROSPECTION[: INTROSPECTION.index("fragment")].strip()
INTROSPECTION_SCHEMA = INTROSPECTION_SCHEMA[INTROSPECTION_SCHEMA.index("{") + 1 : -1].strip()

SNIPPETS = """query($q: String!, $s: String!) { searchMessages(query: $q, first: 20) {
  nodes { %s } } }"""
FILTERED = """query($filter: ConversationFilter) { conversations(first: 1, filter: $filter) {
  totalCount } }"""
IDS = "query($ids: [UUID!]) { conversations(ids: $ids, first: 1) { totalCount } }"
PAGE = "query($after: String) { conversations(first: 1, after: $after) { totalCount } }"


def shapes() -> list[Shape]:
    mark = "x" * 30 * 1024
    return [
        Shape(
            "repeated fields", "edges{node{id}} x300", raw_query(repeated("edges{node{id}}", 300))
        ),
        Shape(
            "repeated fields", "edges{node{id}} x500", raw_query(repeated("edges{node{id}}", 500))
        ),
        Shape("repeated fields", "nodes{id} x1240", raw_query(repeated("nodes{id}", 1240))),
        Shape(
            "repeated fields",
            "__typename x2400",
            raw_query("{{ {} }}".format(" ".join(["__typename"] * 2400))),
        ),
        Shape(
            "repeated fields",
            "unused fragment, nodes{id} x1240",
            raw_query(
                "{{ __typename }} fragment F on Query {{ conversations {{ {} }} }}".format(
                    " ".join(["nodes{id}"] * 1240)
                )
            ),
        ),
        Shape(
            "repeated fields",
            "600 fragments spread in one set",
            raw_query(
                "{{ {} }} {}".format(
                    " ".join(f"...F{i}" for i in range(600)),
                    " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(600)),
                )
            ),
        ),
        Shape(
            "introspection",
            "full introspection x30 aliases",
            raw_query(
                "{{ {} }} {}".format(
                    " ".join(f"a{i}: {INTROSPECTION_SCHEMA}" for i in range(30)),
                    INTROSPECTION_FRAGMENTS,
                )
            ),
        ),
        Shape("introspection", "full introspection", raw_query(INTROSPECTION)),
        Shape(
            "aliases",
            "1600 aliases",
            raw_query("{{ {} }}".format(" ".join(f"a{i}: __typename" for i in range(1600)))),
        ),
        Shape(
            "operations",
            "1600 operations",
            raw_query(" ".join(f"query Q{i} {{ __typename }}" for i in range(1600))),
        ),
        Shape(
            "directives",
            "2400 @include",
            raw_query("{{ __typename {} }}".format(" ".join(["@include(if: true)"] * 2400))),
        ),
        Shape("ids", "25000 ids", request(IDS, ids=[str(uuid.uuid4()) for _ in range(25_000)])),
        Shape(
            "metadata filter",
            "equals with 3000 keys",
            request(FILTERED, filter={"metadata": {"equals": {f"k{i}": i for i in range(3000)}}}),
        ),
        Shape(
            "metadata filter",
            "in with 20000 objects",
            request(
                FILTERED, filter={"metadata": {"in": {"k": [{"a": i} for i in range(20_000)]}}}
            ),
        ),
        Shape(
            "metadata filter",
            "contains nested 900 levels",
            raw(
                b'{"query": "query($f: ConversationFilter) { conversations(first: 1, filter: $f)'
                b' { totalCount } }", "variables": {"f": {"metadata": {"contains": {"k": '
                + b"[" * 900
                + b"]" * 900
                + b"}}}}}"
            ),
        ),
        Shape(
            "snippet marks",
            "30 aliases x 30 KiB marks x 20 hits",
            request(
                SNIPPETS
                % " ".join(f"s{i}: snippet(startMark: $s, endMark: $s)" for i in range(30)),
                q="needle",
                s=mark,
            ),
        ),
        Shape(
            "variables",
            "5000-digit integer",
            raw(b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}"),
        ),
        Shape("variables", "invalid UTF-8 body", raw(b'{"query": "{ __typename \xff\xfe }"}')),
        Shape(
            "variables",
            "variables nested 900 levels",
            raw(
                b'{"query": "{ __typename }", "variables": {"n": ' + b"[" * 900 + b"]" * 900 + b"}}"
            ),
        ),
        Shape(
            "cursors", "index cursor of 4000 digits", request(PAGE, after=index_cursor("9" * 4000))
        ),
        Shape(
            "many rows",
            "30 aliases x 100 conversations, ids only",
            raw_query(
                "{{ {} }}".format(
                    " ".join(
                        f"a{i}: conversations(first: 100) {{ nodes {{ id }} }}" for i in range(30)
                    )
                )
            ),
        ),
        Shape(
            "response size",
            "30 aliases x 100 conversations x metadata",
            raw_query(
                "{{ {} }}".format(
                    " ".join(
                        f"a{i}: conversations(first: 100) {{ nodes {{ id title metadata }} }}"
                        for i in range(30)
                    )
                )
            ),
        ),
    ]


def raw_query(query: str) -> Callable[[], bytes]:
    return request(query)


def index_cursor(digits: str) -> str:
    return base64.urlsafe_b64encode(f"i|{digits}".encode()).decode()


SEED_CONVERSATION = """mutation($title: String!, $metadata: JSON) {
  createConversation(input: {title: $title, metadata: $metadata}) {
    ... on CreateConversationSuccess { conversation { id } } } }"""
SEED_MESSAGE = """mutation($id: UUID!, $content: String!) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: $content}}) {
    __typename } }"""


async def seed(http: httpx.AsyncClient) -> None:
    metadata = {f"key{i}": "value " * 20 for i in range(40)}
    for n in range(100):
        answer = await http.post(
            "/graphql",
            json={
                "query": SEED_CONVERSATION,
                "variables": {"title": f"c{n}", "metadata": metadata},
            },
        )
        if n < 20:
            conversation = answer.json()["data"]["createConversation"]["conversation"]["id"]
            await http.post(
                "/graphql",
                json={
                    "query": SEED_MESSAGE,
                    "variables": {"id": conversation, "content": "a needle in a haystack " * 20},
                },
            )


def outcome(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "not JSON"
    codes = sorted({str((e.get("extensions") or {}).get("code")) for e in errors})
    return ",".join(codes) if codes else "ok"


async def run(settings: Settings, repeat: int, only: str | None) -> None:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as http,
    ):
        await seed(http)
        worst: dict[str, float] = {}
        print(f"{'kind':17} {'shape':42} {'KiB':>6} {'ms CPU':>9}  status  code")
        for shape in shapes():
            if only and only not in shape.kind:
                continue
            best = float("inf")
            for _ in range(repeat):
                body = shape.body()
                start = time.process_time()
                response = await http.post(
                    "/graphql", content=body, headers={"content-type": "application/json"}
                )
                await response.aread()
                best = min(best, (time.process_time() - start) * 1000)
            worst[shape.kind] = max(worst.get(shape.kind, 0.0), best)
            print(
                f"{shape.kind:17} {shape.label:42} {len(body) / 1024:6.0f} {best:9.1f}"
                f"  {response.status_code:6}  {outcome(response)}"
                f"{'' if best <= GOAL_MS else '  (over the goal)'}"
            )
        print("\nworst CPU per request by kind (ms):")
        for kind, figure in worst.items():
            print(f"  {kind:17} {figure:8.1f}")


def main() -> None:
    # The server still logs what it would (a fault's traceback is part of its cost), but
    # not onto the table.
    logging.basicConfig(stream=open(os.devnull, "w"))  # noqa: SIM115
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="only the shapes whose kind contains this")
    args = parser.parse_args()
    with scratch_database(args.database_url, "convograph_request_cost") as url:
        upgrade(url)
        asyncio.run(run(Settings(database_url=url), args.repeat, args.only))


if __name__ == "__main__":
    main()
