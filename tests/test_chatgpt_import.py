"""ChatGPT's conversations.json: a hand-built export with edited branches, checked node by node.

The file is built from the format's documented fields only: a list of conversations, each
with `title`, `create_time`, `update_time`, `mapping` (nodes with `id`, `message`, `parent`,
`children`), `current_node` and `conversation_id`; messages with `author.role`/`name`,
`content` (`content_type`, `parts` or `text`), `create_time`, `update_time` and `metadata`.
"""

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.test_transfer import export, import_document

T0 = 1_700_000_000.0

BRANCH_PATHS = """
query Paths($id: UUID!) {
  conversation(id: $id) {
    id title createdAt updatedAt messageCount branchCount
    currentBranch { id }
    branches(first: 50) {
      nodes {
        id isCurrent createdAt
        tip { id } branchPoint { id } forkedFrom { id }
        messages(first: 100) {
          nodes {
            id role content name metadata createdAt updatedAt depth
            parent { id } editOf { id } siblingIndex siblingCount
          }
        }
      }
    }
  }
}
"""


def message(
    node: str,
    role: str,
    text: str | None,
    seconds: float | None,
    *,
    content: dict[str, Any] | None = None,
    name: str | None = None,
    metadata: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": node,
        "author": {"role": role, "name": name, "metadata": {}},
        "create_time": None if seconds is None else T0 + seconds,
        "update_time": None,
        "content": content or {"content_type": "text", "parts": [text]},
        "status": "finished_successfully",
        "end_turn": None,
        "weight": 1.0,
        "metadata": metadata or {},
        "recipient": "all",
        **extra,
    }


def mapping(*nodes: tuple[str, str | None, dict[str, Any] | None]) -> dict[str, Any]:
    """Nodes (id, parent, message), children in the order given."""
    result = {
        node: {"id": node, "message": body, "parent": parent, "children": []}
        for node, parent, body in nodes
    }
    for node, parent, _ in nodes:
        if parent is not None:
            result[parent]["children"].append(node)
    return result


def trip_conversation() -> dict[str, Any]:
    """A conversation whose first question was edited and whose first answer regenerated.

    root (null) -> hidden system -> custom instructions (hidden) ->
        u1 "Plan a trip to Japan"
            a1 "Start in Tokyo." -> u2 "And then?" -> a2 "Kyoto." -> hidden leaf
            a1b "Start in Osaka." (regenerated) -> u3 image + "Why Osaka?"
        u1b "Plan a trip to Korea" (edit of u1)
            k1 code for python -> t1 tool output -> k2 "Seoul, then Busan."   <- current
    """
    hidden = {"is_visually_hidden_from_conversation": True}
    image = {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-1"}
    return {
        "title": "Trip planning",
        "create_time": T0,
        "update_time": T0 + 500,
        "conversation_id": "chat-trip",
        "id": "chat-trip",
        "default_model_slug": "gpt-4o",
        "current_node": "k2",
        "mapping": mapping(
            ("root", None, None),
            ("sys", "root", message("sys", "system", "", None, metadata=hidden)),
            (
                "ctx",
                "sys",
                message(
                    "ctx",
                    "user",
                    None,
                    None,
                    content={"content_type": "user_editable_context", "user_profile": "x"},
                    metadata={"is_user_system_message": True},
                ),
            ),
            ("u1", "ctx", message("u1", "user", "Plan a trip to Japan", 10)),
            ("a1", "u1", message("a1", "assistant", "Start in Tokyo.", 11, metadata={"m": 1})),
            ("u2", "a1", message("u2", "user", "And then?", 12)),
            ("a2", "u2", message("a2", "assistant", "Kyoto.", 13)),
            ("hid", "a2", message("hid", "assistant", "", 14, metadata=hidden)),
            ("a1b", "u1", message("a1b", "assistant", "Start in Osaka.", 20)),
            (
                "u3",
                "a1b",
                message(
                    "u3",
                    "user",
                    None,
                    21,
                    content={"content_type": "multimodal_text", "parts": [image, "Why Osaka?"]},
                ),
            ),
            ("u1b", "ctx", message("u1b", "user", "Plan a trip to Korea", 30)),
            (
                "k1",
                "u1b",
                message(
                    "k1",
                    "assistant",
                    None,
                    31,
                    content={"content_type": "code", "language": "python", "text": "2 * 21"},
                    recipient="python",
                ),
            ),
            (
                "t1",
                "k1",
                message(
                    "t1",
                    "tool",
                    None,
                    None,  # no time: it takes its parent's
                    name="python",
                    content={"content_type": "execution_output", "text": "42"},
                ),
            ),
            ("k2", "t1", message("k2", "assistant", "Seoul, then Busan.", 33)),
        ),
    }


def seconds(time: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(time).timestamp() - T0


async def test_a_chatgpt_export_becomes_a_tree_of_branches(gql: GraphQLClient) -> None:
    # given
    data = [trip_conversation()]
    # when
    result = await import_document(gql, data)
    # then
    [imported] = result["imported"]
    assert (imported["index"], imported["sourceId"]) == (0, "chat-trip")
    assert result["failures"] == [] and result["skipped"] == []
    conversation = (await gql.data(BRANCH_PATHS, id=imported["conversation"]["id"]))["conversation"]
    assert conversation["title"] == "Trip planning"
    assert seconds(conversation["createdAt"]) == 0
    assert seconds(conversation["updatedAt"]) == 500
    # the null root, the hidden system message, the custom instructions and the hidden
    # leaf are gone; ten messages stay, on one branch per leaf
    assert conversation["messageCount"] == 10
    assert conversation["branchCount"] == 3
    tokyo, osaka, korea = conversation["branches"]["nodes"]
    paths = {
        name: [(m["role"], m["content"]) for m in branch["messages"]["nodes"]]
        for name, branch in (("tokyo", tokyo), ("osaka", osaka), ("korea", korea))
    }
    assert paths == {
        "tokyo": [
            ("USER", "Plan a trip to Japan"),
            ("ASSISTANT", "Start in Tokyo."),
            ("USER", "And then?"),
            ("ASSISTANT", "Kyoto."),
        ],
        "osaka": [
            ("USER", "Plan a trip to Japan"),
            ("ASSISTANT", "Start in Osaka."),
            ("USER", "Why Osaka?"),
        ],
        "korea": [
            ("USER", "Plan a trip to Korea"),
            ("ASSISTANT", "2 * 21"),
            ("TOOL", "42"),
            ("ASSISTANT", "Seoul, then Busan."),
        ],
    }
    # current_node's branch is current
    assert conversation["currentBranch"]["id"] == korea["id"]
    assert [b["isCurrent"] for b in (tokyo, osaka, korea)] == [False, False, True]

    # node by node: the tree's links
    [u1, a1, u2, a2] = tokyo["messages"]["nodes"]
    [_, a1b, u3] = osaka["messages"]["nodes"]
    [u1b, k1, t1, k2] = korea["messages"]["nodes"]
    assert osaka["messages"]["nodes"][0]["id"] == u1["id"]
    assert [m["depth"] for m in (u1, a1, u2, a2, a1b, u3, u1b, k1, t1, k2)] == [
        0, 1, 2, 3, 1, 2, 0, 1, 2, 3,
    ]  # fmt: skip
    assert u1["parent"] is None and u1b["parent"] is None  # the scaffolding is skipped
    assert a1b["parent"] == {"id": u1["id"]}
    assert k1["parent"] == {"id": u1b["id"]}
    # siblings keep ChatGPT's order; a later sibling of the same role is an edit
    assert (u1["siblingIndex"], u1b["siblingIndex"], u1["siblingCount"]) == (0, 1, 2)
    assert (a1["siblingIndex"], a1b["siblingIndex"], a1["siblingCount"]) == (0, 1, 2)
    assert u1b["editOf"] == {"id": u1["id"]}
    assert a1b["editOf"] == {"id": a1["id"]}
    assert [m["editOf"] for m in (u1, a1, u2, a2, u3, k1, t1, k2)] == [None] * 8
    # branches fork where they leave an earlier one
    assert tokyo["branchPoint"] is None and tokyo["forkedFrom"] is None
    assert osaka["branchPoint"] == {"id": u1["id"]}
    assert osaka["forkedFrom"] == {"id": tokyo["id"]}
    assert korea["branchPoint"] is None  # a second root: an edit of the first message
    assert korea["forkedFrom"] == {"id": tokyo["id"]}
    assert [b["tip"]["id"] for b in (tokyo, osaka, korea)] == [a2["id"], u3["id"], k2["id"]]
    # times: create_time in seconds; none given: the parent's
    assert [seconds(m["createdAt"]) for m in (u1, a1, u2, a2, a1b, u3, u1b, k1, t1, k2)] == [
        10, 11, 12, 13, 20, 21, 30, 31, 31, 33,
    ]  # fmt: skip
    assert all(m["updatedAt"] == m["createdAt"] for m in (u1, a1, k2))
    assert seconds(osaka["createdAt"]) == 20  # its first message of its own
    # tools keep their name; what text cannot hold stays in the metadata
    assert t1["name"] == "python"
    assert a1["metadata"]["chatgpt"]["metadata"] == {"m": 1}
    assert a1["metadata"]["chatgpt"]["id"] == "a1"
    assert "content" not in a1["metadata"]["chatgpt"]  # plain text: the content says it all
    assert k1["metadata"]["chatgpt"]["content"]["language"] == "python"
    assert k1["metadata"]["chatgpt"]["recipient"] == "python"
    assert u3["metadata"]["chatgpt"]["content"]["parts"][0]["asset_pointer"] == (
        "file-service://file-1"
    )


async def test_importing_a_chatgpt_export_twice_skips_it(gql: GraphQLClient) -> None:
    # given
    first = await import_document(gql, [trip_conversation()])
    # when
    second = await import_document(gql, [trip_conversation()], format="CHATGPT")
    # then
    assert second["imported"] == []
    assert second["skipped"][0]["conversation"]["id"] == first["imported"][0]["conversation"]["id"]


async def test_a_single_conversation_object_is_a_chatgpt_document(gql: GraphQLClient) -> None:
    # when
    result = await import_document(gql, trip_conversation())
    # then
    assert [c["sourceId"] for c in result["imported"]] == ["chat-trip"]


def with_change(change: str) -> dict[str, Any]:
    conversation = trip_conversation()
    nodes = conversation["mapping"]
    match change:
        case "parent":
            nodes["a2"]["parent"] = "gone"
        case "cycle":
            nodes["u1"]["parent"], nodes["a1"]["parent"] = "a1", "u1"
        case "role":
            nodes["a2"]["message"]["author"]["role"] = "critic"
        case "current":
            conversation["current_node"] = "gone"
        case "id":
            del conversation["conversation_id"], conversation["id"]
        case "mapping":
            conversation["mapping"] = []
        case "time":
            nodes["a2"]["message"]["create_time"] = "noon"
        case "node":
            nodes["a2"] = "a2"
        case "long id":
            conversation["conversation_id"] = "x" * 256
    return conversation


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("parent", "Node 'a2' has parent 'gone', which is not in mapping"),
        ("cycle", "is on a cycle of parent links"),
        ("role", "Node 'a2': author.role 'critic' is not one of"),
        ("current", "current_node 'gone' is not in mapping"),
        ("id", "has no conversation_id or id"),
        ("mapping", "mapping must be an object, not a list"),
        ("time", "create_time must be a number of seconds or null, not a string"),
        ("node", "mapping['a2'] must be an object, not a string"),
        ("long id", "conversation_id is longer than 255 characters"),
    ],
)
async def test_a_bad_chatgpt_conversation_fails_alone(
    gql: GraphQLClient, change: str, reason: str
) -> None:
    # given: the bad conversation between two good ones
    good = trip_conversation()
    other = dict(trip_conversation(), conversation_id="chat-other", id="chat-other")
    # when
    result = await import_document(gql, [good, with_change(change), other])
    # then
    assert [c["index"] for c in result["imported"]] == [0, 2]
    [failure] = result["failures"]
    assert failure["index"] == 1
    assert reason in failure["reason"]


async def test_a_conversation_of_scaffolding_only_is_empty(gql: GraphQLClient) -> None:
    # given
    empty = {
        "title": "New chat",
        "create_time": T0,
        "update_time": T0,
        "conversation_id": "chat-empty",
        "current_node": "root",
        "mapping": mapping(("root", None, None)),
    }
    # when
    [imported] = (await import_document(gql, [empty]))["imported"]
    # then
    read = (await gql.data(BRANCH_PATHS, id=imported["conversation"]["id"]))["conversation"]
    assert (read["messageCount"], read["branchCount"]) == (0, 1)
    assert read["branches"]["nodes"][0]["tip"] is None


async def test_a_current_node_inside_the_tree_gets_a_branch_of_its_own(
    gql: GraphQLClient,
) -> None:
    # given: current_node points at an answer that has replies
    conversation = trip_conversation()
    conversation["current_node"] = "a1"
    # when
    [imported] = (await import_document(gql, [conversation]))["imported"]
    # then
    read = (await gql.data(BRANCH_PATHS, id=imported["conversation"]["id"]))["conversation"]
    current = next(b for b in read["branches"]["nodes"] if b["isCurrent"])
    assert [m["content"] for m in current["messages"]["nodes"]] == [
        "Plan a trip to Japan",
        "Start in Tokyo.",
    ]
    assert read["branchCount"] == 4


async def test_our_chatgpt_export_reads_back_as_the_same_tree(gql: GraphQLClient) -> None:
    # given: a ChatGPT export imported here, exported again as ChatGPT's format
    [imported] = (await import_document(gql, [trip_conversation()]))["imported"]
    exported = await export(gql, imported["conversation"]["id"], "CHATGPT")
    # when: that is imported once more (as a new source: the ids are ours now)
    [again] = (await import_document(gql, exported))["imported"]
    # then
    [conversation] = exported
    assert conversation["conversation_id"] == imported["conversation"]["id"]
    assert conversation["mapping"]["client-created-root"]["message"] is None
    first = (await gql.data(BRANCH_PATHS, id=imported["conversation"]["id"]))["conversation"]
    second = (await gql.data(BRANCH_PATHS, id=again["conversation"]["id"]))["conversation"]

    def shape(read: dict[str, Any]) -> list[Any]:
        return [
            (
                branch["isCurrent"],
                [
                    (m["role"], m["content"], m["name"], m["createdAt"], m["siblingIndex"])
                    for m in branch["messages"]["nodes"]
                ],
            )
            for branch in read["branches"]["nodes"]
        ]

    assert shape(second) == shape(first)
    assert (second["title"], second["createdAt"]) == (first["title"], first["createdAt"])
