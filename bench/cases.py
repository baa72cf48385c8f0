"""The benchmark cases: GraphQL documents, request bodies and response checks.

Each case is a list of request bodies that the load generator rotates over and a check
that every response must pass before the case is timed.
"""

import hashlib
import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from seed import Seeded

from convograph.schema.pagination import index_cursor

CONVOGRAPH = "convograph"
POSTGRAPHILE = "postgraphile"

R1 = """query R1($id: UUID!) {
  conversation(id: $id) {
    id title createdAt metadata
    messages(first: 50) { nodes { id parent { id } role content metadata createdAt } }
  }
}"""

# PostGraphile's own shape for the same question. It has no notion of a branch path: it
# lists the conversation's messages by creation time, which on the seeded one-branch
# conversations is the same 50 messages (a simpler question than a path walk).
R1_PEER = """query R1($id: UUID!) {
  conversation(rowId: $id) {
    rowId title createdAt metadata
    messages(first: 50, orderBy: [CREATED_AT_ASC]) {
      nodes { rowId parentId role content metadata createdAt }
    }
  }
}"""

# The same question as R1, asked the way a PostGraphile user would have to: a SQL function
# that walks the current branch's path from its tip (bench/peer.py creates it), which
# PostGraphile exposes as a computed field of Conversation.
R1_PATH_PEER = """query R1($id: UUID!) {
  conversation(rowId: $id) {
    rowId title createdAt metadata
    branchMessages(first: 50) { nodes { rowId parentId role content metadata createdAt } }
  }
}"""

R2 = """query R2 {
  conversations(first: 20) { nodes { id title createdAt messageCount } }
}"""

R2_PEER = """query R2 {
  conversations(first: 20, condition: {owner: "local"}, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
    nodes { rowId title createdAt messages { totalCount } }
  }
}"""

P1 = """query P1($id: UUID!, $branchId: UUID!, $first: Int, $after: String, $last: Int) {
  conversation(id: $id) {
    messages(branchId: $branchId, first: $first, after: $after, last: $last) {
      nodes { id parent { id } role content metadata createdAt depth }
    }
  }
}"""

W1 = """mutation W1($id: UUID!) {
  addMessage(input: {conversationId: $id, message: {role: USER, content: "One more question."}}) {
    __typename
    ... on AddMessageSuccess { message { id depth } branch { id } }
  }
}"""

# PostGraphile's own mutation on the same table: a plain INSERT (bench/peer.py gives the
# columns it leaves out their defaults), the floor W1 is compared with.
W1_PEER = """mutation W1($id: UUID!) {
  createMessage(input: {message: {conversationId: $id, role: "USER", content: "One more question."}}) {
    message { rowId }
  }
}"""

W2 = """mutation W2($id: UUID!) {
  updateMessage(input: {messageId: $id, message: {role: USER, content: "An edited question."}}) {
    __typename
    ... on UpdateMessageSuccess { message { id depth } branch { id } }
  }
}"""

Check = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    name: str
    server: str
    description: str
    bodies: list[str]
    check: Check
    writes: bool = False
    # GET: `bodies` are paths with their query strings.
    method: str = "POST"
    # Sent before the checks: a persisted document's text with its hash, so that every
    # server process has learnt it (each keeps its own store).
    register: str | None = None


def body(document: str, variables: dict[str, Any] | None = None) -> str:
    operation = document.split()[1].split("(")[0]
    return json.dumps(
        {"operationName": operation, "query": document, "variables": variables or {}},
        separators=(",", ":"),
    )


def persisted_get(document: str, variables: dict[str, Any]) -> str:
    """A GET of `document` by its GraphQL-over-HTTP `documentId`, with no text."""
    digest = hashlib.sha256(document.encode()).hexdigest()
    query = urllib.parse.urlencode(
        {
            "documentId": f"sha256:{digest}",
            "variables": json.dumps(variables, separators=(",", ":")),
        }
    )
    return f"/graphql?{query}"


def persisted_registration(document: str) -> str:
    """The Apollo-style first request that sends a persisted document's text with its hash."""
    digest = hashlib.sha256(document.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    return json.dumps({"query": document, "extensions": extensions}, separators=(",", ":"))


def _data(response: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in response, response["errors"]
    return response["data"]


def _check_path(nodes: list[dict[str, Any]], count: int, parent_key: Callable) -> None:
    assert len(nodes) == count, f"{len(nodes)} messages, expected {count}"
    for previous, node in pairwise(nodes):
        assert parent_key(node) == previous["id" if "id" in previous else "rowId"], "broken path"


def check_r1(response: dict[str, Any]) -> None:
    nodes = _data(response)["conversation"]["messages"]["nodes"]
    _check_path(nodes, 50, lambda n: n["parent"]["id"])
    assert nodes[0]["parent"] is None and {"role", "content", "metadata", "createdAt"} <= set(
        nodes[0]
    )


def check_r1_peer(response: dict[str, Any]) -> None:
    nodes = _data(response)["conversation"]["messages"]["nodes"]
    _check_path(nodes, 50, lambda n: n["parentId"])
    assert nodes[0]["parentId"] is None


def check_r1_path_peer(response: dict[str, Any]) -> None:
    nodes = _data(response)["conversation"]["branchMessages"]["nodes"]
    _check_path(nodes, 50, lambda n: n["parentId"])
    assert nodes[0]["parentId"] is None


def check_r2(count: int) -> Check:
    def check(response: dict[str, Any]) -> None:
        nodes = _data(response)["conversations"]["nodes"]
        assert len(nodes) == 20 and all(n["messageCount"] == count for n in nodes), nodes[:2]

    return check


def check_r2_peer(count: int) -> Check:
    def check(response: dict[str, Any]) -> None:
        nodes = _data(response)["conversations"]["nodes"]
        assert len(nodes) == 20 and all(n["messages"]["totalCount"] == count for n in nodes)

    return check


def check_page(first_depth: int) -> Check:
    def check(response: dict[str, Any]) -> None:
        nodes = _data(response)["conversation"]["messages"]["nodes"]
        _check_path(nodes, 100, lambda n: n["parent"]["id"])
        assert nodes[0]["depth"] == first_depth, (nodes[0]["depth"], first_depth)

    return check


def check_written(typename: str, depth: int | None = None) -> Check:
    def check(response: dict[str, Any]) -> None:
        result = next(iter(_data(response).values()))
        assert result["__typename"] == typename, result
        assert depth is None or result["message"]["depth"] == depth, result

    return check


def check_created_peer(response: dict[str, Any]) -> None:
    assert _data(response)["createMessage"]["message"]["rowId"], response


def build(seeded: Seeded) -> list[Case]:
    """Every case, in the order they run: reads first, then the writes that change data."""
    size = seeded.size
    conversations = [str(i) for i in seeded.conversation_ids]
    long_n = size.long_branch
    middle = long_n // 2 - 50
    page = {"id": str(seeded.long_id), "branchId": str(seeded.long_branch_id)}
    short = {"id": str(seeded.short_id), "branchId": str(seeded.short_branch_id)}
    return [
        Case(
            "R1",
            CONVOGRAPH,
            "conversation + 50 messages of its current branch",
            [body(R1, {"id": i}) for i in conversations],
            check_r1,
        ),
        Case(
            "R1",
            POSTGRAPHILE,
            "conversation + 50 messages by createdAt",
            [body(R1_PEER, {"id": i}) for i in conversations],
            check_r1_peer,
        ),
        Case(
            "R1 get",
            CONVOGRAPH,
            "R1 as a persisted document over GET (documentId, no text)",
            [persisted_get(R1, {"id": i}) for i in conversations],
            check_r1,
            method="GET",
            register=persisted_registration(R1),
        ),
        Case(
            "R1 path",
            POSTGRAPHILE,
            "conversation + 50 messages of its branch path (a SQL function)",
            [body(R1_PATH_PEER, {"id": i}) for i in conversations],
            check_r1_path_peer,
        ),
        Case(
            "R2",
            CONVOGRAPH,
            "20 newest conversations with messageCount",
            [body(R2)],
            check_r2(size.messages),
        ),
        Case(
            "R2",
            POSTGRAPHILE,
            "20 newest conversations with messages.totalCount",
            [body(R2_PEER)],
            check_r2_peer(size.messages),
        ),
        Case(
            "P1 start",
            CONVOGRAPH,
            f"first 100 of the {long_n:,}-message branch",
            [body(P1, {**page, "first": 100})],
            check_page(0),
        ),
        Case(
            "P1 middle",
            CONVOGRAPH,
            f"100 after position {middle - 1:,}",
            [body(P1, {**page, "first": 100, "after": index_cursor(middle - 1)})],
            check_page(middle),
        ),
        Case(
            "P1 end",
            CONVOGRAPH,
            f"last 100 of the {long_n:,}-message branch",
            [body(P1, {**page, "last": 100})],
            check_page(long_n - 100),
        ),
        Case(
            "P1 b100",
            CONVOGRAPH,
            "first 100 of a 100-message branch",
            [body(P1, {**short, "first": 100})],
            check_page(0),
        ),
        Case(
            "W1",
            CONVOGRAPH,
            "addMessage to the current branch, rotating conversations",
            [body(W1, {"id": i}) for i in conversations],
            check_written("AddMessageSuccess"),
            writes=True,
        ),
        Case(
            "W1",
            POSTGRAPHILE,
            "createMessage: a plain insert into the same table, rotating conversations",
            [body(W1_PEER, {"id": i}) for i in conversations],
            check_created_peer,
            writes=True,
        ),
        Case(
            "W2 d10",
            CONVOGRAPH,
            "updateMessage at depth 10 of 50-message conversations",
            [body(W2, {"id": str(i)}) for i in seeded.depth10_ids],
            check_written("UpdateMessageSuccess", 10),
            writes=True,
        ),
        Case(
            "W2 d10 one",
            CONVOGRAPH,
            "updateMessage at depth 10 of one 50-message conversation, over and over",
            [body(W2, {"id": str(seeded.depth10_ids[0])})],
            check_written("UpdateMessageSuccess", 10),
            writes=True,
        ),
        Case(
            "W2 deep",
            CONVOGRAPH,
            f"updateMessage at depth {long_n - 1:,} (long branch tip)",
            [body(W2, {"id": str(seeded.long_tip_id)})],
            check_written("UpdateMessageSuccess", long_n - 1),
            writes=True,
        ),
        Case(
            "W2 d10 long",
            CONVOGRAPH,
            f"updateMessage at depth 10 of the {long_n:,}-message branch",
            [body(W2, {"id": str(seeded.long_depth10_id)})],
            check_written("UpdateMessageSuccess", 10),
            writes=True,
        ),
    ]
