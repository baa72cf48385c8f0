"""Reads: single objects by id, branch paths, branches, message trees and the overview."""

import base64
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from convograph.db.engine import Database
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.documents import (
    BRANCH,
    BRANCHES,
    CHILDREN,
    CONVERSATION,
    CONVERSATIONS,
    MESSAGE,
    SET_CURRENT_BRANCH,
)
from tests.factories import (
    add_message,
    conversation_with_messages,
    create_conversation,
    edit_message,
)

CONVERSATION_ID = """
query ConversationId($id: UUID!) { conversation(id: $id) { id } }
"""

MESSAGE_ID = """
query MessageId($id: UUID!) { message(id: $id) { id } }
"""

BRANCH_ID = """
query BranchId($id: UUID!) { branch(id: $id) { id } }
"""

CONVERSATION_LITERAL = """
query ConversationLiteral { conversation(id: "not-a-uuid") { id } }
"""

MESSAGE_LITERAL = """
query MessageLiteral { message(id: "1234") { id } }
"""

BRANCH_LITERAL = """
query BranchLiteral { branch(id: "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz") { id } }
"""

OVERVIEW_LITERAL = """
query OverviewLiteral { conversations(ids: ["not-a-uuid"]) { totalCount } }
"""


CONVERSATION_TIMES = """
query ConversationTimes($id: UUID!) { conversation(id: $id) { createdAt updatedAt } }
"""


TIMES = """
query Times($id: UUID!) {
  conversations(first: 10) { nodes { createdAt updatedAt } }
  conversation(id: $id) {
    createdAt updatedAt
    currentBranch { createdAt updatedAt tip { createdAt updatedAt } }
    messages(first: 10) { nodes { createdAt updatedAt } }
  }
}
"""

Connection = dict[str, Any]
Select = Callable[[dict[str, Any]], Connection]

# Far more pages than any test needs: a pager that never ends fails instead of hanging.
MAX_PAGES = 50


def unknown_id() -> str:
    return str(uuid.uuid4())


def assert_bad_user_input(result: Any) -> None:
    assert result.errors, "expected a top-level error"
    assert [error.extensions["code"] for error in result.errors] == ["BAD_USER_INPUT"], [
        error.formatted for error in result.errors
    ]


def cursor_of(*parts: str) -> str:
    """A cursor in the API's own encoding, with contents the API never issued."""
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode()


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


def nodes_of(connection: Connection) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def assert_cursors_match_edges(connection: Connection) -> None:
    page_info, edges = connection["pageInfo"], connection["edges"]
    assert page_info["startCursor"] == (edges[0]["cursor"] if edges else None)
    assert page_info["endCursor"] == (edges[-1]["cursor"] if edges else None)


async def pages_forward(
    gql: GraphQLClient, document: str, select: Select, size: int, **variables: Any
) -> list[Connection]:
    """Every page from the start, following endCursor while hasNextPage."""
    pages: list[Connection] = []
    after = None
    for _ in range(MAX_PAGES):
        page = select(await gql.data(document, first=size, after=after, **variables))
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("hasNextPage never became false")


async def pages_backward(
    gql: GraphQLClient, document: str, select: Select, size: int, **variables: Any
) -> list[Connection]:
    """Every page from the end, following startCursor while hasPreviousPage."""
    pages: list[Connection] = []
    before = None
    for _ in range(MAX_PAGES):
        page = select(await gql.data(document, last=size, before=before, **variables))
        pages.append(page)
        if not page["pageInfo"]["hasPreviousPage"]:
            return pages
        before = page["pageInfo"]["startCursor"]
    raise AssertionError("hasPreviousPage never became false")


def flags(pages: list[Connection]) -> list[tuple[bool, bool]]:
    return [
        (page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["hasNextPage"]) for page in pages
    ]


def conversation_messages(data: dict[str, Any]) -> Connection:
    return data["conversation"]["messages"]


def conversation_branches(data: dict[str, Any]) -> Connection:
    return data["conversation"]["branches"]


def message_children(data: dict[str, Any]) -> Connection:
    return data["message"]["children"]


def overview(data: dict[str, Any]) -> Connection:
    return data["conversations"]


# --- single objects by id -------------------------------------------------------------


async def test_known_ids_read_back(gql: GraphQLClient) -> None:
    # given
    conversation, [message] = await conversation_with_messages(gql, "hello")
    branch_id = conversation["currentBranch"]["id"]
    # when
    by_conversation = await gql.data(CONVERSATION_ID, id=conversation["id"])
    by_message = await gql.data(MESSAGE_ID, id=message["id"])
    by_branch = await gql.data(BRANCH_ID, id=branch_id)
    # then
    assert by_conversation["conversation"] == {"id": conversation["id"]}
    assert by_message["message"] == {"id": message["id"]}
    assert by_branch["branch"] == {"id": branch_id}


@pytest.mark.parametrize(
    ("document", "field"),
    [(CONVERSATION_ID, "conversation"), (MESSAGE_ID, "message"), (BRANCH_ID, "branch")],
)
async def test_an_unknown_id_reads_as_null(gql: GraphQLClient, document: str, field: str) -> None:
    # given
    await conversation_with_messages(gql, "hello")
    # when
    result = await gql.execute(document, id=unknown_id())
    # then
    assert result.errors is None
    assert result.data == {field: None}


async def test_another_owners_objects_read_as_null(
    gql: GraphQLClient, database: Database, settings: Settings
) -> None:
    # given
    conversation, [message] = await conversation_with_messages(gql, "private")
    stranger = GraphQLClient(database, settings, owner="someone-else")
    # when
    by_conversation = await stranger.data(CONVERSATION_ID, id=conversation["id"])
    by_message = await stranger.data(MESSAGE_ID, id=message["id"])
    by_branch = await stranger.data(BRANCH_ID, id=conversation["currentBranch"]["id"])
    listed = await stranger.data(CONVERSATIONS)
    # then
    assert by_conversation == {"conversation": None}
    assert by_message == {"message": None}
    assert by_branch == {"branch": None}
    assert listed["conversations"]["totalCount"] == 0
    assert listed["conversations"]["nodes"] == []


@pytest.mark.parametrize("document", [CONVERSATION_ID, MESSAGE_ID, BRANCH_ID])
@pytest.mark.parametrize("malformed", ["not-a-uuid", "", "1234", str(uuid.uuid4())[:-1]])
async def test_a_malformed_uuid_variable_is_bad_user_input(
    gql: GraphQLClient, document: str, malformed: str
) -> None:
    # when
    result = await gql.execute(document, id=malformed)
    # then
    assert_bad_user_input(result)
    assert result.data is None


@pytest.mark.parametrize(
    "document", [CONVERSATION_LITERAL, MESSAGE_LITERAL, BRANCH_LITERAL, OVERVIEW_LITERAL]
)
async def test_a_malformed_uuid_literal_is_bad_user_input(
    gql: GraphQLClient, document: str
) -> None:
    # when
    result = await gql.execute(document)
    # then
    assert_bad_user_input(result)
    assert result.data is None


async def test_a_malformed_branch_id_variable_is_bad_user_input(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "hello")
    # when
    result = await gql.execute(CONVERSATION, id=conversation["id"], branchId="not-a-uuid")
    # then
    assert_bad_user_input(result)


async def test_malformed_ids_in_the_overview_filter_are_bad_user_input(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    result = await gql.execute(CONVERSATIONS, ids=[conversation["id"], "not-a-uuid"])
    # then
    assert_bad_user_input(result)


# --- Conversation.messages ------------------------------------------------------------


async def test_messages_default_to_the_current_branch_root_first(gql: GraphQLClient) -> None:
    # given a main line a-b-c, then a reply to a that forks and becomes current
    conversation, [a, _, _] = await conversation_with_messages(gql, "a", "b", "c")
    await add_message(gql, conversation["id"], "x", parentId=a["id"])
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"])
    # then
    messages = data["conversation"]["messages"]
    assert [n["content"] for n in nodes_of(messages)] == ["a", "x"]
    assert messages["totalCount"] == 2


async def test_messages_of_a_named_branch(gql: GraphQLClient) -> None:
    # given
    conversation, [a, _, _] = await conversation_with_messages(gql, "a", "b", "c")
    main_branch_id = conversation["currentBranch"]["id"]
    await add_message(gql, conversation["id"], "x", parentId=a["id"])
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"], branchId=main_branch_id)
    # then
    messages = data["conversation"]["messages"]
    assert [n["content"] for n in nodes_of(messages)] == ["a", "b", "c"]
    assert [n["depth"] for n in nodes_of(messages)] == [0, 1, 2]
    assert messages["totalCount"] == 3


async def test_messages_follow_the_switched_current_branch(gql: GraphQLClient) -> None:
    # given
    conversation, [a, _] = await conversation_with_messages(gql, "a", "b")
    main_branch_id = conversation["currentBranch"]["id"]
    await add_message(gql, conversation["id"], "x", parentId=a["id"])
    switch = {"conversationId": conversation["id"], "branchId": main_branch_id}
    switched = await gql.data(SET_CURRENT_BRANCH, input=switch)
    assert switched["setCurrentBranch"]["__typename"] == "SetCurrentBranchSuccess"
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"])
    # then
    assert [n["content"] for n in nodes_of(data["conversation"]["messages"])] == ["a", "b"]


async def test_messages_of_an_empty_conversation(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"])
    # then
    messages = data["conversation"]["messages"]
    assert messages["edges"] == []
    assert messages["totalCount"] == 0
    assert messages["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_messages_of_another_conversations_branch_is_bad_user_input(
    gql: GraphQLClient,
) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "mine")
    other, _ = await conversation_with_messages(gql, "theirs")
    # when
    result = await gql.execute(
        CONVERSATION, id=conversation["id"], branchId=other["currentBranch"]["id"]
    )
    # then
    assert_bad_user_input(result)
    assert result.errors[0].path == ["conversation", "messages"]


async def test_messages_of_an_unknown_branch_is_bad_user_input(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "mine")
    # when
    result = await gql.execute(CONVERSATION, id=conversation["id"], branchId=unknown_id())
    # then
    assert_bad_user_input(result)


PATH = [f"m{i}" for i in range(12)]


async def test_messages_first_after_walks_the_whole_path(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, *PATH)
    # when
    pages = await pages_forward(gql, CONVERSATION, conversation_messages, 5, id=conversation["id"])
    # then
    assert [[n["content"] for n in nodes_of(page)] for page in pages] == [
        PATH[0:5],
        PATH[5:10],
        PATH[10:12],
    ]
    assert flags(pages) == [(False, True), (True, True), (True, False)]
    assert [page["totalCount"] for page in pages] == [12, 12, 12]
    for page in pages:
        assert_cursors_match_edges(page)


async def test_messages_last_before_walks_the_path_backwards(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, *PATH)
    # when
    pages = await pages_backward(gql, CONVERSATION, conversation_messages, 5, id=conversation["id"])
    # then
    assert [[n["content"] for n in nodes_of(page)] for page in pages] == [
        PATH[7:12],
        PATH[2:7],
        PATH[0:2],
    ]
    assert flags(pages) == [(True, False), (True, True), (False, True)]
    assert [page["totalCount"] for page in pages] == [12, 12, 12]
    for page in pages:
        assert_cursors_match_edges(page)


async def test_messages_between_two_cursors(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, *PATH)
    whole = await gql.data(CONVERSATION, id=conversation["id"])
    cursors = [edge["cursor"] for edge in whole["conversation"]["messages"]["edges"]]
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"], after=cursors[2], before=cursors[6])
    # then
    messages = data["conversation"]["messages"]
    assert [n["content"] for n in nodes_of(messages)] == PATH[3:6]
    assert (messages["pageInfo"]["hasPreviousPage"], messages["pageInfo"]["hasNextPage"]) == (
        True,
        True,
    )


@pytest.mark.parametrize(
    "page", [{"first": 101}, {"last": 101}, {"first": -1}, {"last": -1}, {"first": 1000}]
)
async def test_messages_page_size_out_of_bounds_is_bad_user_input(
    gql: GraphQLClient, page: dict[str, int]
) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a", "b")
    # when
    result = await gql.execute(CONVERSATION, id=conversation["id"], **page)
    # then
    assert_bad_user_input(result)


async def test_messages_page_size_of_100_is_accepted(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a", "b")
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"], first=100)
    # then
    assert [n["content"] for n in nodes_of(data["conversation"]["messages"])] == ["a", "b"]


GARBAGE_CURSORS = {
    "word": "garbage",
    "spaces": "not a cursor!",
    "base64-word": "Z2FyYmFnZQ==",
    "negative-index": cursor_of("i", "-1"),
    "letter-index": cursor_of("i", "x"),
    # str.isdigit() accepts a superscript two; int() does not.
    "superscript-index": cursor_of("i", "\u00b2"),
    "overview-cursor": cursor_of("CREATED_AT_DESC", "2024-01-01T00:00:00+00:00", unknown_id()),
}


@pytest.mark.parametrize("argument", ["after", "before"])
@pytest.mark.parametrize("cursor", GARBAGE_CURSORS.values(), ids=GARBAGE_CURSORS.keys())
async def test_messages_garbage_cursor_is_bad_user_input(
    gql: GraphQLClient, argument: str, cursor: str
) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a", "b")
    # when
    result = await gql.execute(CONVERSATION, id=conversation["id"], **{argument: cursor})
    # then
    assert_bad_user_input(result)


# --- Branch ---------------------------------------------------------------------------


async def test_branch_fields_of_a_fork(gql: GraphQLClient) -> None:
    # given a main line a-b-c and a reply x to b, which forks
    conversation, [a, b, c] = await conversation_with_messages(gql, "a", "b", "c")
    main_id = conversation["currentBranch"]["id"]
    fork_id = (await add_message(gql, conversation["id"], "x", parentId=b["id"]))["branch"]["id"]
    # when
    fork = (await gql.data(BRANCH, id=fork_id))["branch"]
    main = (await gql.data(BRANCH, id=main_id))["branch"]
    # then
    assert fork["tip"]["id"] != c["id"]
    assert fork["branchPoint"] == {"id": b["id"]}
    assert fork["forkedFrom"] == {"id": main_id}
    assert fork["messageCount"] == 3
    assert fork["isCurrent"] is True
    assert fork["conversation"] == {"id": conversation["id"]}
    assert [n["content"] for n in fork["messages"]["nodes"]] == ["a", "b", "x"]
    assert fork["messages"]["totalCount"] == 3
    assert main["tip"] == {"id": c["id"]}
    assert main["branchPoint"] is None
    assert main["forkedFrom"] is None
    assert main["messageCount"] == 3
    assert main["isCurrent"] is False
    assert ids(main["messages"]["nodes"]) == [a["id"], b["id"], c["id"]]


async def test_branch_of_an_edit(gql: GraphQLClient) -> None:
    # given
    conversation, [a, b, _] = await conversation_with_messages(gql, "a", "b", "c")
    edit = await edit_message(gql, b["id"], "b'")
    # when
    branch = (await gql.data(BRANCH, id=edit["branch"]["id"]))["branch"]
    # then
    assert branch["tip"] == {"id": edit["message"]["id"]}
    assert branch["branchPoint"] == {"id": a["id"]}
    assert branch["forkedFrom"] == {"id": conversation["currentBranch"]["id"]}
    assert branch["messageCount"] == 2
    assert branch["isCurrent"] is True
    assert [n["content"] for n in branch["messages"]["nodes"]] == ["a", "b'"]


async def test_branch_of_an_empty_conversation(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    branch = (await gql.data(BRANCH, id=conversation["currentBranch"]["id"]))["branch"]
    # then
    assert branch["tip"] is None
    assert branch["branchPoint"] is None
    assert branch["forkedFrom"] is None
    assert branch["messageCount"] == 0
    assert branch["isCurrent"] is True
    assert branch["messages"]["nodes"] == []
    assert branch["messages"]["totalCount"] == 0


async def test_branch_messages_page_backwards(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, *PATH)
    branch_id = conversation["currentBranch"]["id"]
    # when
    pages = await pages_backward(
        gql, BRANCH, lambda data: data["branch"]["messages"], 4, id=branch_id
    )
    # then
    assert [[n["content"] for n in page["nodes"]] for page in pages] == [
        PATH[8:12],
        PATH[4:8],
        PATH[0:4],
    ]
    assert flags(pages) == [(True, False), (True, True), (False, True)]


async def test_conversation_counts_the_whole_tree_and_its_branches(gql: GraphQLClient) -> None:
    # given a-b-c, a fork x after a, and an edit c' of c: 5 messages on 3 branches
    conversation, [a, _, c] = await conversation_with_messages(gql, "a", "b", "c")
    await add_message(gql, conversation["id"], "x", parentId=a["id"])
    await edit_message(gql, c["id"], "c'")
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"])
    # then
    assert data["conversation"]["messageCount"] == 5
    assert data["conversation"]["branchCount"] == 3
    assert data["conversation"]["branches"]["totalCount"] == 3
    counts = [branch["messageCount"] for branch in data["conversation"]["branches"]["nodes"]]
    assert counts == [3, 2, 3]


async def seed_branches(gql: GraphQLClient, count: int) -> tuple[str, list[str]]:
    """A conversation with `count` branches; their ids, oldest first."""
    conversation, [root] = await conversation_with_messages(gql, "root")
    # The first reply extends the root's branch; each later one forks a new branch.
    branch_ids = [
        (await add_message(gql, conversation["id"], f"reply {i}", parentId=root["id"]))["branch"][
            "id"
        ]
        for i in range(count)
    ]
    assert branch_ids[0] == conversation["currentBranch"]["id"]
    return conversation["id"], branch_ids


async def test_branches_page_forwards_oldest_first(gql: GraphQLClient) -> None:
    # given
    conversation_id, branch_ids = await seed_branches(gql, 5)
    # when
    pages = await pages_forward(gql, BRANCHES, conversation_branches, 2, id=conversation_id)
    # then
    assert [ids(nodes_of(page)) for page in pages] == [
        branch_ids[0:2],
        branch_ids[2:4],
        branch_ids[4:5],
    ]
    assert flags(pages) == [(False, True), (True, True), (True, False)]
    assert [page["totalCount"] for page in pages] == [5, 5, 5]
    for page in pages:
        assert_cursors_match_edges(page)


async def test_branches_page_backwards(gql: GraphQLClient) -> None:
    # given
    conversation_id, branch_ids = await seed_branches(gql, 5)
    # when
    pages = await pages_backward(gql, BRANCHES, conversation_branches, 2, id=conversation_id)
    # then
    assert [ids(nodes_of(page)) for page in pages] == [
        branch_ids[3:5],
        branch_ids[1:3],
        branch_ids[0:1],
    ]
    assert flags(pages) == [(True, False), (True, True), (False, True)]


async def test_branch_count_and_message_count_of_the_conversation(gql: GraphQLClient) -> None:
    # given a root with five replies, on five branches
    conversation_id, _ = await seed_branches(gql, 5)
    # when
    data = await gql.data(BRANCHES, id=conversation_id, first=1)
    # then
    assert data["conversation"]["branchCount"] == 5
    assert data["conversation"]["messageCount"] == 6


@pytest.mark.parametrize("page", [{"first": 101}, {"last": -1}])
async def test_branches_page_size_out_of_bounds_is_bad_user_input(
    gql: GraphQLClient, page: dict[str, int]
) -> None:
    # given
    conversation_id, _ = await seed_branches(gql, 2)
    # when
    result = await gql.execute(BRANCHES, id=conversation_id, **page)
    # then
    assert_bad_user_input(result)


# --- Message --------------------------------------------------------------------------


async def test_message_tree_fields(gql: GraphQLClient) -> None:
    # given a-b-c, an edit b' of b, and an edit a' of the root a
    conversation, [a, b, c] = await conversation_with_messages(gql, "a", "b", "c")
    b_edit = (await edit_message(gql, b["id"], "b'"))["message"]
    a_edit = (await edit_message(gql, a["id"], "a'"))["message"]
    # when
    read = {
        name: (await gql.data(MESSAGE, id=message["id"]))["message"]
        for name, message in {"a": a, "b": b, "c": c, "b'": b_edit, "a'": a_edit}.items()
    }
    # then
    summary = {
        name: (
            message["parent"],
            message["editOf"],
            message["siblingIndex"],
            message["siblingCount"],
            message["depth"],
        )
        for name, message in read.items()
    }
    assert summary == {
        "a": (None, None, 0, 2, 0),
        "b": ({"id": a["id"]}, None, 0, 2, 1),
        "c": ({"id": b["id"]}, None, 0, 1, 2),
        "b'": ({"id": a["id"]}, {"id": b["id"]}, 1, 2, 1),
        "a'": (None, {"id": a["id"]}, 1, 2, 0),
    }
    assert {message["conversation"]["id"] for message in read.values()} == {conversation["id"]}
    assert ids(read["a"]["children"]["nodes"]) == [b["id"], b_edit["id"]]
    assert read["a"]["children"]["totalCount"] == 2
    assert read["c"]["children"] == {"totalCount": 0, "nodes": []}
    assert read["a'"]["children"]["totalCount"] == 0


async def test_sibling_index_follows_creation_order(gql: GraphQLClient) -> None:
    # given a root with four replies
    conversation, [root] = await conversation_with_messages(gql, "root")
    replies = [
        (await add_message(gql, conversation["id"], f"r{i}", parentId=root["id"]))["message"]
        for i in range(4)
    ]
    # when
    read = [(await gql.data(MESSAGE, id=reply["id"]))["message"] for reply in replies]
    # then
    assert [(m["siblingIndex"], m["siblingCount"]) for m in read] == [(i, 4) for i in range(4)]


async def seed_children(gql: GraphQLClient, count: int) -> tuple[str, list[str]]:
    """A root with `count` replies: the root's id and its children's ids in creation order."""
    conversation, [root] = await conversation_with_messages(gql, "root")
    children = [
        (await add_message(gql, conversation["id"], f"r{i}", parentId=root["id"]))["message"]["id"]
        for i in range(count)
    ]
    return root["id"], children


async def test_children_page_forwards(gql: GraphQLClient) -> None:
    # given
    root_id, children = await seed_children(gql, 5)
    # when
    pages = await pages_forward(gql, CHILDREN, message_children, 2, id=root_id)
    # then
    assert [ids(nodes_of(page)) for page in pages] == [children[0:2], children[2:4], children[4:]]
    assert flags(pages) == [(False, True), (True, True), (True, False)]
    assert [page["totalCount"] for page in pages] == [5, 5, 5]
    for page in pages:
        assert_cursors_match_edges(page)


async def test_children_page_backwards(gql: GraphQLClient) -> None:
    # given
    root_id, children = await seed_children(gql, 5)
    # when
    pages = await pages_backward(gql, CHILDREN, message_children, 2, id=root_id)
    # then
    assert [ids(nodes_of(page)) for page in pages] == [children[3:5], children[1:3], children[0:1]]
    assert flags(pages) == [(True, False), (True, True), (False, True)]


@pytest.mark.parametrize(
    "arguments",
    [{"first": 101}, {"after": "garbage"}, {"before": GARBAGE_CURSORS["superscript-index"]}],
    ids=["first-101", "garbage-after", "superscript-before"],
)
async def test_children_bad_page_arguments_are_bad_user_input(
    gql: GraphQLClient, arguments: dict[str, Any]
) -> None:
    # given
    root_id, _ = await seed_children(gql, 2)
    # when
    result = await gql.execute(CHILDREN, id=root_id, **arguments)
    # then
    assert_bad_user_input(result)


# --- the conversations overview -------------------------------------------------------


async def seed_conversations(gql: GraphQLClient, count: int) -> list[str]:
    """Conversations created one after another: their ids, oldest first."""
    return [(await create_conversation(gql, title=f"c{i}"))["id"] for i in range(count)]


async def test_overview_is_newest_first_by_default(gql: GraphQLClient) -> None:
    # given
    created = await seed_conversations(gql, 3)
    # when
    data = await gql.data(CONVERSATIONS)
    # then
    assert ids(data["conversations"]["nodes"]) == created[::-1]
    assert data["conversations"]["totalCount"] == 3


async def test_overview_created_at_ascending(gql: GraphQLClient) -> None:
    # given
    created = await seed_conversations(gql, 3)
    # when
    data = await gql.data(CONVERSATIONS, orderBy="CREATED_AT_ASC")
    # then
    assert ids(data["conversations"]["nodes"]) == created


async def test_overview_by_update_time_moves_with_a_new_message(gql: GraphQLClient) -> None:
    # given
    first, second, third = await seed_conversations(gql, 3)
    before = (await gql.data(CONVERSATION_TIMES, id=first))["conversation"]
    await add_message(gql, first, "wakes the oldest up")
    # when
    descending = await gql.data(CONVERSATIONS, orderBy="UPDATED_AT_DESC")
    ascending = await gql.data(CONVERSATIONS, orderBy="UPDATED_AT_ASC")
    after = (await gql.data(CONVERSATION_TIMES, id=first))["conversation"]
    # then
    assert ids(descending["conversations"]["nodes"]) == [first, third, second]
    assert ids(ascending["conversations"]["nodes"]) == [second, third, first]
    assert datetime.fromisoformat(after["updatedAt"]) > datetime.fromisoformat(before["updatedAt"])
    assert after["createdAt"] == before["createdAt"]


async def test_overview_filters_by_ids(gql: GraphQLClient) -> None:
    # given
    first, _, third = await seed_conversations(gql, 3)
    # when
    data = await gql.data(CONVERSATIONS, ids=[first, unknown_id(), third])
    # then
    assert ids(data["conversations"]["nodes"]) == [third, first]
    assert data["conversations"]["totalCount"] == 2


async def test_overview_with_no_ids_is_empty(gql: GraphQLClient) -> None:
    # given
    await seed_conversations(gql, 2)
    # when
    data = await gql.data(CONVERSATIONS, ids=[])
    # then
    assert data["conversations"]["nodes"] == []
    assert data["conversations"]["totalCount"] == 0


async def test_overview_offset_with_first(gql: GraphQLClient) -> None:
    # given five conversations, newest first: c4 c3 c2 c1 c0
    created = await seed_conversations(gql, 5)
    # when
    data = await gql.data(CONVERSATIONS, offset=2, first=2)
    # then
    page = data["conversations"]
    assert ids(page["nodes"]) == [created[2], created[1]]
    assert page["totalCount"] == 5
    assert (page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["hasNextPage"]) == (True, True)


async def test_overview_offset_past_the_end(gql: GraphQLClient) -> None:
    # given
    await seed_conversations(gql, 3)
    # when
    data = await gql.data(CONVERSATIONS, offset=3, first=2)
    # then
    page = data["conversations"]
    assert page["nodes"] == []
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is False


ORDERS = ["CREATED_AT_DESC", "CREATED_AT_ASC", "UPDATED_AT_DESC", "UPDATED_AT_ASC"]


def in_order(created: list[str], order: str) -> list[str]:
    return created[::-1] if order.endswith("_DESC") else created


@pytest.mark.parametrize("order", ORDERS)
async def test_overview_pages_forwards_without_gap_or_duplicate(
    gql: GraphQLClient, order: str
) -> None:
    # given
    expected = in_order(await seed_conversations(gql, 7), order)
    # when
    pages = await pages_forward(gql, CONVERSATIONS, overview, 3, orderBy=order)
    # then
    assert [ids(page["nodes"]) for page in pages] == [expected[0:3], expected[3:6], expected[6:]]
    assert flags(pages) == [(False, True), (True, True), (True, False)]
    assert [page["totalCount"] for page in pages] == [7, 7, 7]
    for page in pages:
        assert_cursors_match_edges(page)


@pytest.mark.parametrize("order", ORDERS)
async def test_overview_pages_backwards_without_gap_or_duplicate(
    gql: GraphQLClient, order: str
) -> None:
    # given
    expected = in_order(await seed_conversations(gql, 7), order)
    # when
    pages = await pages_backward(gql, CONVERSATIONS, overview, 3, orderBy=order)
    # then
    assert [ids(page["nodes"]) for page in pages] == [expected[4:7], expected[1:4], expected[0:1]]
    assert flags(pages) == [(True, False), (True, True), (False, True)]
    for page in pages:
        assert_cursors_match_edges(page)


async def test_overview_cursor_of_another_order_is_bad_user_input(gql: GraphQLClient) -> None:
    # given
    await seed_conversations(gql, 3)
    page = await gql.data(CONVERSATIONS, first=1, orderBy="CREATED_AT_DESC")
    cursor = page["conversations"]["pageInfo"]["endCursor"]
    # when
    result = await gql.execute(CONVERSATIONS, first=1, after=cursor, orderBy="UPDATED_AT_DESC")
    # then
    assert_bad_user_input(result)


OVERVIEW_GARBAGE_CURSORS = {
    "word": "garbage",
    "base64-word": "Z2FyYmFnZQ==",
    "index-cursor": cursor_of("i", "3"),
    "bad-time": cursor_of("CREATED_AT_DESC", "yesterday", unknown_id()),
    "bad-id": cursor_of("CREATED_AT_DESC", "2024-01-01T00:00:00+00:00", "not-a-uuid"),
}


@pytest.mark.parametrize("argument", ["after", "before"])
@pytest.mark.parametrize(
    "cursor", OVERVIEW_GARBAGE_CURSORS.values(), ids=OVERVIEW_GARBAGE_CURSORS.keys()
)
async def test_overview_garbage_cursor_is_bad_user_input(
    gql: GraphQLClient, argument: str, cursor: str
) -> None:
    # given
    await seed_conversations(gql, 2)
    # when
    result = await gql.execute(CONVERSATIONS, **{argument: cursor})
    # then
    assert_bad_user_input(result)


@pytest.mark.parametrize("arguments", [{"offset": -1}, {"first": 101}, {"last": -1}])
async def test_overview_bad_page_arguments_are_bad_user_input(
    gql: GraphQLClient, arguments: dict[str, int]
) -> None:
    # given
    await seed_conversations(gql, 2)
    # when
    result = await gql.execute(CONVERSATIONS, **arguments)
    # then
    assert_bad_user_input(result)


# --- times ----------------------------------------------------------------------------


def has_offset(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() is not None


async def test_times_are_iso_8601_with_an_offset(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a", "b")
    # when
    data = await gql.data(TIMES, id=conversation["id"])
    # then
    read = data["conversation"]
    branch = read["currentBranch"]
    times = [
        read["createdAt"],
        read["updatedAt"],
        branch["createdAt"],
        branch["updatedAt"],
        branch["tip"]["createdAt"],
        branch["tip"]["updatedAt"],
        *(t for node in read["messages"]["nodes"] for t in (node["createdAt"], node["updatedAt"])),
        *(
            t
            for node in data["conversations"]["nodes"]
            for t in (node["createdAt"], node["updatedAt"])
        ),
    ]
    assert len(times) == 12
    assert all(has_offset(t) for t in times), times


async def test_times_read_back_as_written(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    message = (await add_message(gql, conversation["id"], "hello"))["message"]
    # when
    read_conversation = (await gql.data(CONVERSATION_TIMES, id=conversation["id"]))["conversation"]
    read_message = (await gql.data(MESSAGE, id=message["id"]))["message"]
    # then
    written = datetime.fromisoformat(conversation["createdAt"])
    assert datetime.fromisoformat(read_conversation["createdAt"]) == written
    assert datetime.fromisoformat(read_message["createdAt"]) == datetime.fromisoformat(
        message["createdAt"]
    )
