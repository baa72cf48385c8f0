"""Every mutation's semantics and edge cases (DESIGN sections 4 and 5), on both databases."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.documents import (
    ADD_MESSAGE,
    BRANCH,
    CONVERSATION,
    CONVERSATIONS,
    CREATE_CONVERSATION,
    DELETE_CONVERSATION,
    MESSAGE,
    SET_CURRENT_BRANCH,
    UPDATE_MESSAGE,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import (
    add_message,
    conversation_with_messages,
    create_conversation,
    edit_message,
)

# What a branch stores, and what its path's messages store: no field that another
# branch's growth may legitimately change (isCurrent, siblingCount, children).
BRANCH_SNAPSHOT = """
query BranchSnapshot($id: UUID!) {
  branch(id: $id) {
    id createdAt updatedAt messageCount
    tip { id } branchPoint { id } forkedFrom { id } conversation { id }
    messages(first: 100) {
      totalCount
      nodes {
        id role content name toolCalls toolCallId metadata depth createdAt updatedAt
        parent { id } editOf { id } siblingIndex
      }
    }
  }
}
"""

SIBLINGS = """
query Siblings($id: UUID!) {
  message(id: $id) { id siblingIndex siblingCount }
}
"""

TWO_APPENDS = """
mutation TwoAppends($conversationId: UUID!) {
  first: addMessage(
    input: {conversationId: $conversationId, message: {role: USER, content: "first"}}
  ) {
    __typename
    ... on AddMessageSuccess { message { id depth parent { id } } branch { id messageCount } }
  }
  second: addMessage(
    input: {conversationId: $conversationId, message: {role: ASSISTANT, content: "second"}}
  ) {
    __typename
    ... on AddMessageSuccess { message { id depth parent { id } } branch { id messageCount } }
  }
}
"""

SWITCH_THEN_APPEND = """
mutation SwitchThenAppend($conversationId: UUID!, $branchId: UUID!) {
  setCurrentBranch(input: {conversationId: $conversationId, branchId: $branchId}) {
    __typename
  }
  addMessage(input: {conversationId: $conversationId, message: {role: USER, content: "next"}}) {
    __typename
    ... on AddMessageSuccess { message { parent { id } } branch { id } }
  }
}
"""

EDIT_THEN_APPEND = """
mutation EditThenAppend($conversationId: UUID!, $messageId: UUID!) {
  updateMessage(input: {messageId: $messageId, message: {role: USER, content: "edited"}}) {
    __typename
    ... on UpdateMessageSuccess { message { id } branch { id } }
  }
  addMessage(input: {conversationId: $conversationId, message: {role: ASSISTANT, content: "reply"}}) {
    __typename
    ... on AddMessageSuccess { message { parent { id } } branch { id messageCount } }
  }
}
"""

DELETE_THEN_APPEND = """
mutation DeleteThenAppend($conversationId: UUID!) {
  deleteConversation(input: {id: $conversationId}) { __typename }
  addMessage(input: {conversationId: $conversationId, message: {role: USER, content: "late"}}) {
    __typename
    ... on UserError { code field }
  }
}
"""

# JSON values that are not objects, for inputs that must be one.
NOT_OBJECTS: list[Any] = [["a", "list"], "a string", 42, True]

ERROR_CODES = {"NotFoundError": "NOT_FOUND", "ValidationError": "INVALID_INPUT"}

ISO_8601_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def unknown_id() -> str:
    return str(uuid.uuid4())


def message_input(content: str, role: str = "USER", **fields: Any) -> dict[str, Any]:
    return {"role": role, "content": content, **fields}


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


def moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)


async def add_result(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    """The raw AddMessageResult, success or error."""
    return (await gql.data(ADD_MESSAGE, input=input))["addMessage"]


async def edit_result(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    return (await gql.data(UPDATE_MESSAGE, input=input))["updateMessage"]


async def patch_result(gql: GraphQLClient, message_id: str, metadata: Any) -> dict[str, Any]:
    data = await gql.data(
        UPDATE_MESSAGE_METADATA, input={"messageId": message_id, "metadata": metadata}
    )
    return data["updateMessageMetadata"]


async def switch_result(gql: GraphQLClient, conversation_id: str, branch_id: str) -> dict[str, Any]:
    input = {"conversationId": conversation_id, "branchId": branch_id}
    return (await gql.data(SET_CURRENT_BRANCH, input=input))["setCurrentBranch"]


async def delete_result(gql: GraphQLClient, conversation_id: str) -> dict[str, Any]:
    return (await gql.data(DELETE_CONVERSATION, input={"id": conversation_id}))[
        "deleteConversation"
    ]


async def read_conversation(
    gql: GraphQLClient, conversation_id: str, branch_id: str | None = None
) -> dict[str, Any]:
    return (await gql.data(CONVERSATION, id=conversation_id, branchId=branch_id))["conversation"]


async def path_of(
    gql: GraphQLClient, conversation_id: str, branch_id: str | None = None
) -> list[str]:
    """The ids on a branch's path (default: the current branch), root first."""
    conversation = await read_conversation(gql, conversation_id, branch_id)
    return [edge["node"]["id"] for edge in conversation["messages"]["edges"]]


async def branches_of(gql: GraphQLClient, conversation_id: str) -> list[dict[str, Any]]:
    return (await read_conversation(gql, conversation_id))["branches"]["nodes"]


async def branch_snapshot(gql: GraphQLClient, branch_id: str) -> dict[str, Any]:
    return (await gql.data(BRANCH_SNAPSHOT, id=branch_id))["branch"]


async def snapshot(gql: GraphQLClient, conversation_id: str) -> dict[str, dict[str, Any]]:
    """Every branch of the conversation with its full path, by branch id."""
    branch_ids = ids(await branches_of(gql, conversation_id))
    return {bid: await branch_snapshot(gql, bid) for bid in branch_ids}


async def siblings(gql: GraphQLClient, message_id: str) -> tuple[int, int]:
    message = (await gql.data(SIBLINGS, id=message_id))["message"]
    return message["siblingIndex"], message["siblingCount"]


def assert_user_error(result: dict[str, Any], typename: str, field: str | None) -> None:
    assert result["__typename"] == typename, result
    assert result["code"] == ERROR_CODES[typename], result
    assert result["field"] == field, result
    assert result["detail"]


@dataclass(frozen=True)
class Tree:
    """A conversation with three branches; `other` is current, `side` was forked before it.

    main: a - b - c        side (forked at b): a - b - e        other (forked at a): a - f
    """

    conversation: str
    main: str
    side: str
    other: str
    a: str
    b: str
    c: str
    e: str
    f: str


async def tree(gql: GraphQLClient) -> Tree:
    conversation, (a, b, c) = await conversation_with_messages(gql, "a", "b", "c")
    side = await add_message(gql, conversation["id"], "e", parentId=b["id"])
    other = await add_message(gql, conversation["id"], "f", parentId=a["id"])
    return Tree(
        conversation=conversation["id"],
        main=conversation["currentBranch"]["id"],
        side=side["branch"]["id"],
        other=other["branch"]["id"],
        a=a["id"],
        b=b["id"],
        c=c["id"],
        e=side["message"]["id"],
        f=other["message"]["id"],
    )


# createConversation


async def test_create_conversation_has_one_empty_current_branch(gql: GraphQLClient) -> None:
    # given / when
    conversation = await create_conversation(gql)
    # then
    data = await read_conversation(gql, conversation["id"])
    branches = data["branches"]["nodes"]
    assert data["branchCount"] == data["branches"]["totalCount"] == 1
    assert branches[0]["id"] == conversation["currentBranch"]["id"] == data["currentBranch"]["id"]
    assert branches[0]["isCurrent"] is True
    assert branches[0]["tip"] is None
    assert branches[0]["branchPoint"] is None
    assert branches[0]["forkedFrom"] is None
    assert branches[0]["messageCount"] == 0
    assert data["messageCount"] == 0
    assert data["messages"]["totalCount"] == 0


async def test_create_conversation_keeps_title_and_metadata(gql: GraphQLClient) -> None:
    # given
    metadata = {"topic": "tests", "nested": {"tags": ["a", "b"], "n": 1.5, "flag": False}}
    # when
    created = await create_conversation(gql, title="Planning", metadata=metadata)
    # then the payload and a later read agree with the input
    read = await read_conversation(gql, created["id"])
    for conversation in (created, read):
        assert conversation["title"] == "Planning"
        assert conversation["metadata"] == metadata


async def test_create_conversation_defaults_to_no_title_and_empty_metadata(
    gql: GraphQLClient,
) -> None:
    # given / when
    conversation = await create_conversation(gql)
    # then
    assert conversation["title"] is None
    assert conversation["metadata"] == {}


async def test_create_conversation_rejects_metadata_that_is_not_an_object(
    gql: GraphQLClient,
) -> None:
    for metadata in NOT_OBJECTS:
        # given / when
        data = await gql.data(CREATE_CONVERSATION, input={"metadata": metadata})
        # then
        assert_user_error(data["createConversation"], "ValidationError", "metadata")
    # and nothing was created
    assert (await gql.data(CONVERSATIONS))["conversations"]["totalCount"] == 0


async def test_timestamps_are_iso_8601_utc_with_an_offset(gql: GraphQLClient) -> None:
    # given / when
    conversation = await create_conversation(gql)
    added = await add_message(gql, conversation["id"], "hi")
    # then every timestamp of the payloads carries its zone, and the zone is UTC
    timestamps = [
        conversation["createdAt"],
        conversation["updatedAt"],
        added["message"]["createdAt"],
        added["message"]["updatedAt"],
        added["branch"]["createdAt"],
        added["branch"]["updatedAt"],
    ]
    for timestamp in timestamps:
        assert ISO_8601_WITH_OFFSET.match(timestamp), timestamp
        assert moment(timestamp).utcoffset() == timedelta(0), timestamp
    assert moment(conversation["createdAt"]) <= moment(added["message"]["createdAt"])


async def test_timestamps_are_utc_whatever_the_database_session_zone(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given PostgreSQL sessions in another zone (libpq reads PGTZ when it connects; SQLite
    # ignores it), as on a server whose default TimeZone is not UTC
    monkeypatch.setenv("PGTZ", "Asia/Tokyo")
    # when
    conversation = await create_conversation(gql)
    added = await add_message(gql, conversation["id"], "hi")
    read = await read_conversation(gql, conversation["id"])
    # then the zone of every timestamp is still UTC (DESIGN 3)
    timestamps = [
        conversation["createdAt"],
        added["message"]["createdAt"],
        added["branch"]["updatedAt"],
        read["createdAt"],
        read["updatedAt"],
        read["messages"]["edges"][0]["node"]["createdAt"],
    ]
    assert [moment(t).utcoffset() for t in timestamps] == [timedelta(0)] * 6, timestamps


# addMessage: appending


async def test_add_message_without_ids_appends_a_linear_path(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    branch_id = conversation["currentBranch"]["id"]
    # when
    added = [await add_message(gql, conversation["id"], str(n)) for n in range(3)]
    # then every message extends the one before it on the one branch
    messages = [result["message"] for result in added]
    assert [m["depth"] for m in messages] == [0, 1, 2]
    assert [m["parent"] for m in messages] == [
        None,
        {"id": messages[0]["id"]},
        {"id": messages[1]["id"]},
    ]
    assert {result["branch"]["id"] for result in added} == {branch_id}
    assert [result["branch"]["messageCount"] for result in added] == [1, 2, 3]
    assert added[-1]["branch"]["tip"] == {"id": messages[2]["id"]}
    data = await read_conversation(gql, conversation["id"])
    assert data["branchCount"] == 1
    assert [edge["node"]["id"] for edge in data["messages"]["edges"]] == ids(messages)


async def test_add_message_with_branch_id_appends_to_that_branch_and_makes_it_current(
    gql: GraphQLClient,
) -> None:
    # given main (a - b - c) is not current
    t = await tree(gql)
    # when
    result = await add_message(gql, t.conversation, "d", branchId=t.main)
    # then
    assert result["branch"]["id"] == t.main
    assert result["message"]["parent"] == {"id": t.c}
    assert result["message"]["depth"] == 3
    assert result["branch"]["tip"] == {"id": result["message"]["id"]}
    assert result["branch"]["isCurrent"] is True
    assert result["conversation"]["currentBranch"] == {"id": t.main}
    assert len(await branches_of(gql, t.conversation)) == 3
    assert await path_of(gql, t.conversation) == [
        t.a,
        t.b,
        t.c,
        result["message"]["id"],
    ]


async def test_add_message_to_the_tip_of_another_branch_extends_it(gql: GraphQLClient) -> None:
    # given side (a - b - e) is not current
    t = await tree(gql)
    before = {b["id"]: b for b in await branches_of(gql, t.conversation)}
    # when
    result = await add_message(gql, t.conversation, "g", parentId=t.e)
    # then no branch is made: side grows and becomes current
    assert result["branch"]["id"] == t.side
    assert result["branch"]["messageCount"] == 4
    assert result["conversation"]["currentBranch"] == {"id": t.side}
    assert moment(result["branch"]["updatedAt"]) > moment(before[t.side]["updatedAt"])
    assert result["branch"]["branchPoint"] == before[t.side]["branchPoint"]
    assert result["branch"]["forkedFrom"] == before[t.side]["forkedFrom"]
    assert set(ids(await branches_of(gql, t.conversation))) == set(before)


async def test_add_message_to_the_current_tip_extends_the_current_branch(
    gql: GraphQLClient,
) -> None:
    # given
    conversation, (_, second) = await conversation_with_messages(gql, "one", "two")
    # when
    result = await add_message(gql, conversation["id"], "three", parentId=second["id"])
    # then
    assert result["branch"]["id"] == conversation["currentBranch"]["id"]
    assert result["message"]["depth"] == 2
    assert len(await branches_of(gql, conversation["id"])) == 1


# addMessage: forking


async def test_add_message_below_a_non_tip_forks_a_new_current_branch(gql: GraphQLClient) -> None:
    # given a - b - c on the current branch
    conversation, (a, b, c) = await conversation_with_messages(gql, "a", "b", "c")
    main = conversation["currentBranch"]["id"]
    before = await snapshot(gql, conversation["id"])
    # when
    result = await add_message(gql, conversation["id"], "x", parentId=a["id"])
    # then a new branch a - x, forked from main at a, is current
    branch = result["branch"]
    assert branch["id"] != main
    assert branch["branchPoint"] == {"id": a["id"]}
    assert branch["forkedFrom"] == {"id": main}
    assert branch["tip"] == {"id": result["message"]["id"]}
    assert branch["messageCount"] == 2
    assert branch["isCurrent"] is True
    assert result["conversation"]["currentBranch"] == {"id": branch["id"]}
    assert result["message"]["parent"] == {"id": a["id"]}
    assert result["message"]["depth"] == 1
    assert result["message"]["editOf"] is None
    assert await path_of(gql, conversation["id"]) == [a["id"], result["message"]["id"]]
    # and main is untouched
    assert await snapshot(gql, conversation["id"]) == {
        **before,
        branch["id"]: await branch_snapshot(gql, branch["id"]),
    }
    assert await path_of(gql, conversation["id"], main) == [a["id"], b["id"], c["id"]]


async def test_fork_is_from_the_current_branch_when_its_path_holds_the_parent(
    gql: GraphQLClient,
) -> None:
    # given side (a - b - e) is the most recently updated branch, but main is current
    t = await tree(gql)
    await add_message(gql, t.conversation, "g", parentId=t.e)
    await switch_result(gql, t.conversation, t.main)
    # when forking at b, which both main and side hold
    result = await add_message(gql, t.conversation, "x", parentId=t.b)
    # then
    assert result["branch"]["forkedFrom"] == {"id": t.main}
    assert result["branch"]["branchPoint"] == {"id": t.b}


async def test_fork_is_from_the_latest_updated_branch_holding_the_parent(
    gql: GraphQLClient,
) -> None:
    # given other (a - f) is current; main and side hold b, side was updated last
    t = await tree(gql)
    # when
    first = await add_message(gql, t.conversation, "x", parentId=t.b)
    # then
    assert first["branch"]["forkedFrom"] == {"id": t.side}
    # given main grows, so it is now the latest updated branch holding b, and other is current
    await add_message(gql, t.conversation, "d", branchId=t.main)
    await switch_result(gql, t.conversation, t.other)
    # when
    second = await add_message(gql, t.conversation, "y", parentId=t.b)
    # then
    assert second["branch"]["forkedFrom"] == {"id": t.main}
    assert second["branch"]["branchPoint"] == {"id": t.b}


# addMessage: parentId and branchId together


async def test_parent_at_the_tip_of_the_given_branch_extends_it(gql: GraphQLClient) -> None:
    # given
    t = await tree(gql)
    # when
    result = await add_message(gql, t.conversation, "d", parentId=t.c, branchId=t.main)
    # then
    assert result["branch"]["id"] == t.main
    assert result["message"]["parent"] == {"id": t.c}
    assert result["conversation"]["currentBranch"] == {"id": t.main}
    assert len(await branches_of(gql, t.conversation)) == 3


async def test_parent_inside_the_given_branch_forks_from_that_branch(gql: GraphQLClient) -> None:
    # given side is current and holds a, as main does
    t = await tree(gql)
    await switch_result(gql, t.conversation, t.side)
    # when
    result = await add_message(gql, t.conversation, "x", parentId=t.a, branchId=t.main)
    # then the fork names the branch it was asked for
    branch = result["branch"]
    assert branch["id"] not in {t.main, t.side, t.other}
    assert branch["forkedFrom"] == {"id": t.main}
    assert branch["branchPoint"] == {"id": t.a}
    assert result["conversation"]["currentBranch"] == {"id": branch["id"]}
    assert await path_of(gql, t.conversation) == [t.a, result["message"]["id"]]


async def test_parent_off_the_given_branch_is_a_validation_error(gql: GraphQLClient) -> None:
    # given e is on side, not on main
    t = await tree(gql)
    before = await snapshot(gql, t.conversation)
    # when
    result = await add_result(
        gql,
        conversationId=t.conversation,
        message=message_input("x"),
        parentId=t.e,
        branchId=t.main,
    )
    # then nothing was written and the current branch did not move
    assert_user_error(result, "ValidationError", "parentId")
    assert await snapshot(gql, t.conversation) == before
    data = await read_conversation(gql, t.conversation)
    assert data["currentBranch"] == {"id": t.other}
    assert data["messageCount"] == 5


# addMessage: errors


async def test_add_message_to_an_unknown_conversation_is_not_found(gql: GraphQLClient) -> None:
    # given / when
    result = await add_result(gql, conversationId=unknown_id(), message=message_input("x"))
    # then
    assert_user_error(result, "NotFoundError", "conversationId")


@pytest.mark.parametrize("field", ["parentId", "branchId"])
async def test_add_message_with_an_unknown_id_is_not_found(gql: GraphQLClient, field: str) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "one")
    # when
    result = await add_result(
        gql, conversationId=conversation["id"], message=message_input("x"), **{field: unknown_id()}
    )
    # then
    assert_user_error(result, "NotFoundError", field)
    assert (await read_conversation(gql, conversation["id"]))["messageCount"] == 1


async def test_add_message_with_a_parent_of_another_conversation_is_invalid(
    gql: GraphQLClient,
) -> None:
    # given
    mine, _ = await conversation_with_messages(gql, "mine")
    _, (theirs,) = await conversation_with_messages(gql, "theirs")
    # when
    result = await add_result(
        gql, conversationId=mine["id"], message=message_input("x"), parentId=theirs["id"]
    )
    # then
    assert_user_error(result, "ValidationError", "parentId")
    assert (await read_conversation(gql, mine["id"]))["messageCount"] == 1


async def test_add_message_with_a_branch_of_another_conversation_is_invalid(
    gql: GraphQLClient,
) -> None:
    # given
    mine, _ = await conversation_with_messages(gql, "mine")
    other, _ = await conversation_with_messages(gql, "theirs")
    # when
    result = await add_result(
        gql,
        conversationId=mine["id"],
        message=message_input("x"),
        branchId=other["currentBranch"]["id"],
    )
    # then neither conversation changed
    assert_user_error(result, "ValidationError", "branchId")
    assert (await read_conversation(gql, mine["id"]))["messageCount"] == 1
    assert (await read_conversation(gql, other["id"]))["messageCount"] == 1


async def test_tool_calls_that_are_not_a_list_of_objects_are_invalid(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql)
    for tool_calls in [{"id": "call"}, "call", [1, 2], [{"id": "call"}, "x"], [[]]]:
        # when
        result = await add_result(
            gql,
            conversationId=conversation["id"],
            message=message_input("", "ASSISTANT", toolCalls=tool_calls),
        )
        # then
        assert_user_error(result, "ValidationError", "message.toolCalls")
    assert (await read_conversation(gql, conversation["id"]))["messageCount"] == 0


async def test_add_message_metadata_that_is_not_an_object_is_invalid(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql)
    for metadata in NOT_OBJECTS:
        # when
        result = await add_result(
            gql, conversationId=conversation["id"], message=message_input("x"), metadata=metadata
        )
        # then
        assert_user_error(result, "ValidationError", "metadata")
    assert (await read_conversation(gql, conversation["id"]))["messageCount"] == 0


# addMessage: fields


async def test_name_tool_calls_and_tool_call_id_round_trip(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    tool_calls = [
        {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"q": 1}'}},
        {"id": "call_2", "type": "function", "function": {"name": "g", "arguments": "{}"}},
    ]
    # when
    call = await add_result(
        gql,
        conversationId=conversation["id"],
        message=message_input("", "ASSISTANT", name="planner", toolCalls=tool_calls),
    )
    answer = await add_result(
        gql,
        conversationId=conversation["id"],
        message=message_input("42", "TOOL", toolCallId="call_1"),
    )
    # then the payloads and a later read give back what was sent
    data = await read_conversation(gql, conversation["id"])
    read_call, read_answer = (edge["node"] for edge in data["messages"]["edges"])
    for message in (call["message"], read_call):
        assert (message["name"], message["toolCalls"], message["toolCallId"]) == (
            "planner",
            tool_calls,
            None,
        )
    for message in (answer["message"], read_answer):
        assert (message["name"], message["toolCalls"], message["toolCallId"]) == (
            None,
            None,
            "call_1",
        )


async def test_every_role_round_trips(gql: GraphQLClient) -> None:
    # given
    roles = ["SYSTEM", "DEVELOPER", "USER", "ASSISTANT", "TOOL", "FUNCTION"]
    conversation = await create_conversation(gql)
    # when
    added = [await add_message(gql, conversation["id"], role.lower(), role) for role in roles]
    # then
    assert [result["message"]["role"] for result in added] == roles
    data = await read_conversation(gql, conversation["id"])
    assert [edge["node"]["role"] for edge in data["messages"]["edges"]] == roles


async def test_add_message_keeps_its_metadata(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    result = await add_message(gql, conversation["id"], "x", metadata={"k": [1, {"v": None}]})
    # then
    read = (await gql.data(MESSAGE, id=result["message"]["id"]))["message"]
    assert result["message"]["metadata"] == read["metadata"] == {"k": [1, {"v": None}]}


# updateMessage


async def test_edit_is_a_new_sibling_on_a_new_current_branch(gql: GraphQLClient) -> None:
    # given a - b - c on main
    conversation, (a, b, c) = await conversation_with_messages(gql, "a", "b", "c")
    main = conversation["currentBranch"]["id"]
    # when
    result = await edit_message(gql, b["id"], "b, edited", "ASSISTANT")
    # then the edit answers b's parent and tips a new branch a - b'
    edit, branch = result["message"], result["branch"]
    assert edit["id"] != b["id"]
    assert (edit["content"], edit["role"]) == ("b, edited", "ASSISTANT")
    assert edit["parent"] == {"id": a["id"]}
    assert edit["editOf"] == {"id": b["id"]}
    assert edit["depth"] == 1
    assert branch["id"] != main
    assert branch["tip"] == {"id": edit["id"]}
    assert branch["branchPoint"] == {"id": a["id"]}
    assert branch["forkedFrom"] == {"id": main}
    assert branch["messageCount"] == 2
    assert branch["isCurrent"] is True
    assert result["conversation"]["currentBranch"] == {"id": branch["id"]}
    assert await path_of(gql, conversation["id"]) == [a["id"], edit["id"]]
    assert await path_of(gql, conversation["id"], main) == [a["id"], b["id"], c["id"]]
    assert await siblings(gql, b["id"]) == (0, 2)
    assert await siblings(gql, edit["id"]) == (1, 2)


async def test_edit_takes_its_message_fields_from_the_input(gql: GraphQLClient) -> None:
    # given a tool call by a named assistant
    conversation = await create_conversation(gql)
    calls = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    original = await add_result(
        gql,
        conversationId=conversation["id"],
        message=message_input("", "ASSISTANT", name="planner", toolCalls=calls),
    )
    # when it is edited into a tool answer
    result = await edit_result(
        gql,
        messageId=original["message"]["id"],
        message=message_input("42", "TOOL", name="lookup", toolCallId="call_1"),
    )
    # then
    edit = result["message"]
    assert (edit["role"], edit["content"], edit["name"]) == ("TOOL", "42", "lookup")
    assert (edit["toolCalls"], edit["toolCallId"]) == (None, "call_1")
    read = (await gql.data(MESSAGE, id=original["message"]["id"]))["message"]
    assert (read["name"], read["toolCalls"], read["toolCallId"]) == ("planner", calls, None)


async def test_edit_leaves_the_original_its_descendants_and_other_branches_unchanged(
    gql: GraphQLClient,
) -> None:
    # given b has descendants on two branches: main (a - b - c - d) and side (a - b - e)
    t = await tree(gql)
    d = await add_message(gql, t.conversation, "d", branchId=t.main)
    before = await snapshot(gql, t.conversation)
    children_before = (await gql.data(MESSAGE, id=t.b))["message"]["children"]
    # when
    result = await edit_message(gql, t.b, "b, edited")
    # then every branch that existed reads exactly as before, and one branch was added
    after = await snapshot(gql, t.conversation)
    new_branch = result["branch"]["id"]
    assert set(after) == {*before, new_branch}
    assert {bid: after[bid] for bid in before} == before
    assert await path_of(gql, t.conversation, t.main) == [
        t.a,
        t.b,
        t.c,
        d["message"]["id"],
    ]
    assert after[new_branch]["messages"]["nodes"][-1]["id"] == result["message"]["id"]
    # and b keeps its children: nothing was rewired onto the edit
    assert (await gql.data(MESSAGE, id=t.b))["message"]["children"] == children_before
    assert (await gql.data(MESSAGE, id=result["message"]["id"]))["message"]["children"] == {
        "totalCount": 0,
        "nodes": [],
    }


async def test_edit_of_the_current_tip_still_makes_a_new_branch(gql: GraphQLClient) -> None:
    # given
    conversation, (a, b) = await conversation_with_messages(gql, "a", "b")
    main = conversation["currentBranch"]["id"]
    # when
    result = await edit_message(gql, b["id"], "b2")
    # then
    assert result["branch"]["id"] != main
    assert (await branch_snapshot(gql, main))["tip"] == {"id": b["id"]}
    assert await path_of(gql, conversation["id"]) == [a["id"], result["message"]["id"]]


async def test_edit_of_a_root_creates_a_second_root(gql: GraphQLClient) -> None:
    # given
    conversation, (a, b) = await conversation_with_messages(gql, "a", "b")
    main = conversation["currentBranch"]["id"]
    # when
    result = await edit_message(gql, a["id"], "a2")
    # then
    edit, branch = result["message"], result["branch"]
    assert edit["parent"] is None
    assert edit["depth"] == 0
    assert edit["editOf"] == {"id": a["id"]}
    assert branch["branchPoint"] is None
    assert branch["forkedFrom"] == {"id": main}
    assert branch["messageCount"] == 1
    assert await siblings(gql, a["id"]) == (0, 2)
    assert await siblings(gql, edit["id"]) == (1, 2)
    assert await path_of(gql, conversation["id"]) == [edit["id"]]
    assert await path_of(gql, conversation["id"], main) == [a["id"], b["id"]]
    assert (await read_conversation(gql, conversation["id"]))["messageCount"] == 3


async def test_edit_copies_the_original_metadata_unless_given(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    original = (await add_message(gql, conversation["id"], "a", metadata={"k": {"v": 1}}))[
        "message"
    ]
    # when
    copied = await edit_message(gql, original["id"], "copy")
    replaced = await edit_message(gql, original["id"], "new", metadata={"j": 2})
    emptied = await edit_message(gql, original["id"], "empty", metadata={})
    # then
    assert copied["message"]["metadata"] == {"k": {"v": 1}}
    assert replaced["message"]["metadata"] == {"j": 2}
    assert emptied["message"]["metadata"] == {}
    assert (await gql.data(MESSAGE, id=original["id"]))["message"]["metadata"] == {"k": {"v": 1}}


async def test_three_edits_of_one_message_rank_in_creation_order(gql: GraphQLClient) -> None:
    # given
    conversation, (a, b) = await conversation_with_messages(gql, "a", "b")
    # when
    edits = [(await edit_message(gql, b["id"], f"b{n}"))["message"] for n in (1, 2, 3)]
    # then
    assert [await siblings(gql, m["id"]) for m in [b, *edits]] == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert {e["editOf"]["id"] for e in edits} == {b["id"]}
    assert {e["parent"]["id"] for e in edits} == {a["id"]}
    assert await siblings(gql, a["id"]) == (0, 1)
    assert (await read_conversation(gql, conversation["id"]))["branchCount"] == 4


async def test_edit_is_forked_from_the_current_branch_when_it_holds_the_original(
    gql: GraphQLClient,
) -> None:
    # given side holds b and was updated after main; main is current and holds b too
    t = await tree(gql)
    await add_message(gql, t.conversation, "g", parentId=t.e)
    await switch_result(gql, t.conversation, t.main)
    # when
    result = await edit_message(gql, t.b, "b2")
    # then
    assert result["branch"]["forkedFrom"] == {"id": t.main}
    assert result["branch"]["branchPoint"] == {"id": t.a}


async def test_edit_off_the_current_branch_is_forked_from_the_latest_branch_holding_it(
    gql: GraphQLClient,
) -> None:
    # given other (a - f) is current; side was updated after main, both hold b
    t = await tree(gql)
    # when
    first = await edit_message(gql, t.b, "b2")
    # then
    assert first["branch"]["forkedFrom"] == {"id": t.side}
    # given main grows and other is current again
    await add_message(gql, t.conversation, "d", branchId=t.main)
    await switch_result(gql, t.conversation, t.other)
    # when
    second = await edit_message(gql, t.b, "b3")
    # then
    assert second["branch"]["forkedFrom"] == {"id": t.main}


async def test_edit_of_an_unknown_message_is_not_found(gql: GraphQLClient) -> None:
    # given / when
    result = await edit_result(gql, messageId=unknown_id(), message=message_input("x"))
    # then
    assert_user_error(result, "NotFoundError", "messageId")


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"message": message_input("x", toolCalls="call")}, "message.toolCalls"),
        ({"message": message_input("x"), "metadata": ["a"]}, "metadata"),
    ],
)
async def test_invalid_edit_is_a_validation_error(
    gql: GraphQLClient, input: dict[str, Any], field: str
) -> None:
    # given
    conversation, (a,) = await conversation_with_messages(gql, "a")
    before = await snapshot(gql, conversation["id"])
    # when
    result = await edit_result(gql, messageId=a["id"], **input)
    # then nothing was written
    assert_user_error(result, "ValidationError", field)
    assert await snapshot(gql, conversation["id"]) == before


# updateMessageMetadata


async def test_metadata_patch_is_a_json_merge_patch(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    metadata = {"keep": 1, "gone": "x", "nested": {"a": 1, "b": 2}, "list": [1, 2, 3]}
    message = (await add_message(gql, conversation["id"], "m", metadata=metadata))["message"]
    # when
    patch = {"gone": None, "nested": {"a": None, "c": {"d": 4}}, "list": [9], "new": True}
    result = await patch_result(gql, message["id"], patch)
    # then
    expected = {"keep": 1, "nested": {"b": 2, "c": {"d": 4}}, "list": [9], "new": True}
    assert result["__typename"] == "UpdateMessageMetadataSuccess", result
    assert result["message"]["metadata"] == expected
    read = (await gql.data(MESSAGE, id=message["id"]))["message"]
    assert read["metadata"] == expected
    assert moment(read["updatedAt"]) > moment(message["updatedAt"])
    assert read["updatedAt"] == result["message"]["updatedAt"]
    assert read["createdAt"] == message["createdAt"]
    assert read["content"] == "m"


async def test_metadata_patch_that_is_not_an_object_is_invalid(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    message = (await add_message(gql, conversation["id"], "m", metadata={"k": 1}))["message"]
    for patch in NOT_OBJECTS:
        # when
        result = await patch_result(gql, message["id"], patch)
        # then
        assert_user_error(result, "ValidationError", "metadata")
    read = (await gql.data(MESSAGE, id=message["id"]))["message"]
    assert (read["metadata"], read["updatedAt"]) == ({"k": 1}, message["updatedAt"])


async def test_metadata_patch_of_an_unknown_message_is_not_found(gql: GraphQLClient) -> None:
    # given / when
    result = await patch_result(gql, unknown_id(), {"k": 1})
    # then
    assert_user_error(result, "NotFoundError", "messageId")


# setCurrentBranch


async def test_set_current_branch_switches_and_later_appends_follow(gql: GraphQLClient) -> None:
    # given other is current
    t = await tree(gql)
    # when
    result = await switch_result(gql, t.conversation, t.main)
    # then
    assert result == {
        "__typename": "SetCurrentBranchSuccess",
        "conversation": {"id": t.conversation, "currentBranch": {"id": t.main}},
        "branch": {"id": t.main, "isCurrent": True},
    }
    current = {b["id"] for b in await branches_of(gql, t.conversation) if b["isCurrent"]}
    assert current == {t.main}
    assert await path_of(gql, t.conversation) == [t.a, t.b, t.c]
    # when a message is added without ids
    added = await add_message(gql, t.conversation, "d")
    # then it goes to main's tip
    assert added["branch"]["id"] == t.main
    assert added["message"]["parent"] == {"id": t.c}


async def test_set_current_branch_of_another_conversation_is_invalid(gql: GraphQLClient) -> None:
    # given
    t = await tree(gql)
    other = await create_conversation(gql)
    # when
    result = await switch_result(gql, t.conversation, other["currentBranch"]["id"])
    # then
    assert_user_error(result, "ValidationError", "branchId")
    assert (await read_conversation(gql, t.conversation))["currentBranch"] == {"id": t.other}


async def test_set_current_branch_with_unknown_ids_is_not_found(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    no_conversation = await switch_result(gql, unknown_id(), conversation["currentBranch"]["id"])
    no_branch = await switch_result(gql, conversation["id"], unknown_id())
    # then
    assert_user_error(no_conversation, "NotFoundError", "conversationId")
    assert_user_error(no_branch, "NotFoundError", "branchId")


# deleteConversation


async def test_delete_conversation_removes_everything_of_it_and_nothing_else(
    gql: GraphQLClient,
) -> None:
    # given a tree of 6 messages on 4 branches, and a second conversation
    t = await tree(gql)
    edit = await edit_message(gql, t.c, "c2")
    message_ids = [t.a, t.b, t.c, t.e, t.f, edit["message"]["id"]]
    branch_ids = ids(await branches_of(gql, t.conversation))
    kept, (x, _) = await conversation_with_messages(gql, "x", "y")
    await add_message(gql, kept["id"], "z", parentId=x["id"])
    kept_before = (await read_conversation(gql, kept["id"]), await snapshot(gql, kept["id"]))
    # when
    result = await delete_result(gql, t.conversation)
    # then
    assert result == {
        "__typename": "DeleteConversationSuccess",
        "deletedConversationId": t.conversation,
        "deletedMessageCount": 6,
        "deletedBranchCount": 4,
    }
    assert len(branch_ids) == 4
    assert (await gql.data(CONVERSATION, id=t.conversation))["conversation"] is None
    for message_id in message_ids:
        assert (await gql.data(MESSAGE, id=message_id))["message"] is None
    for branch_id in branch_ids:
        assert (await gql.data(BRANCH, id=branch_id))["branch"] is None
    assert (await gql.data(CONVERSATIONS))["conversations"]["nodes"] == [{"id": kept["id"]}]
    assert (
        await read_conversation(gql, kept["id"]),
        await snapshot(gql, kept["id"]),
    ) == kept_before


async def test_delete_an_empty_conversation_counts_its_branch(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    result = await delete_result(gql, conversation["id"])
    # then
    assert (result["deletedMessageCount"], result["deletedBranchCount"]) == (0, 1)


async def test_delete_twice_is_not_found(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a")
    first = await delete_result(gql, conversation["id"])
    # when
    second = await delete_result(gql, conversation["id"])
    # then
    assert first["__typename"] == "DeleteConversationSuccess"
    assert_user_error(second, "NotFoundError", "id")


# Several mutations in one document


async def test_mutations_in_one_document_see_each_others_results(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    data = await gql.data(TWO_APPENDS, conversationId=conversation["id"])
    # then the second append runs after the first has finished, payload included
    first, second = data["first"], data["second"]
    assert first["__typename"] == second["__typename"] == "AddMessageSuccess"
    assert first["message"]["parent"] is None
    assert second["message"]["parent"] == {"id": first["message"]["id"]}
    assert (first["message"]["depth"], second["message"]["depth"]) == (0, 1)
    assert first["branch"]["id"] == second["branch"]["id"]
    assert (first["branch"]["messageCount"], second["branch"]["messageCount"]) == (1, 2)


async def test_an_append_after_a_switch_in_one_document_goes_to_the_new_current_branch(
    gql: GraphQLClient,
) -> None:
    # given other is current
    t = await tree(gql)
    # when
    data = await gql.data(SWITCH_THEN_APPEND, conversationId=t.conversation, branchId=t.side)
    # then
    assert data["setCurrentBranch"]["__typename"] == "SetCurrentBranchSuccess"
    assert data["addMessage"]["branch"] == {"id": t.side}
    assert data["addMessage"]["message"]["parent"] == {"id": t.e}


async def test_an_append_after_an_edit_in_one_document_answers_the_edit(
    gql: GraphQLClient,
) -> None:
    # given
    conversation, (_, b) = await conversation_with_messages(gql, "a", "b")
    # when
    data = await gql.data(EDIT_THEN_APPEND, conversationId=conversation["id"], messageId=b["id"])
    # then
    edit = data["updateMessage"]
    assert data["addMessage"]["message"]["parent"] == {"id": edit["message"]["id"]}
    assert data["addMessage"]["branch"] == {"id": edit["branch"]["id"], "messageCount": 3}


async def test_an_append_after_a_delete_in_one_document_is_not_found(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "a")
    # when
    data = await gql.data(DELETE_THEN_APPEND, conversationId=conversation["id"])
    # then
    assert data["deleteConversation"]["__typename"] == "DeleteConversationSuccess"
    assert data["addMessage"] == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "field": "conversationId",
    }


# Owners


async def test_another_owners_conversation_looks_unknown_to_every_mutation(
    gql: GraphQLClient,
) -> None:
    # given a conversation of "local" and a caller who is someone else
    t = await tree(gql)
    before = await snapshot(gql, t.conversation)
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    results = [
        await add_result(stranger, conversationId=t.conversation, message=message_input("x")),
        await edit_result(stranger, messageId=t.b, message=message_input("x")),
        await patch_result(stranger, t.b, {"k": 1}),
        await switch_result(stranger, t.conversation, t.main),
        await delete_result(stranger, t.conversation),
    ]
    # then
    assert [(r["__typename"], r["field"]) for r in results] == [
        ("NotFoundError", "conversationId"),
        ("NotFoundError", "messageId"),
        ("NotFoundError", "messageId"),
        ("NotFoundError", "conversationId"),
        ("NotFoundError", "id"),
    ]
    assert await snapshot(gql, t.conversation) == before


async def test_ids_from_a_conversation_the_caller_cannot_see_look_unknown(
    gql: GraphQLClient,
) -> None:
    # given a conversation of someone else, and one of the caller's own
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    theirs, (their_message,) = await conversation_with_messages(stranger, "secret")
    mine, _ = await conversation_with_messages(gql, "mine")
    # when the caller names the stranger's message and branch
    by_parent = await add_result(
        gql, conversationId=mine["id"], message=message_input("x"), parentId=their_message["id"]
    )
    by_branch = await add_result(
        gql,
        conversationId=mine["id"],
        message=message_input("x"),
        branchId=theirs["currentBranch"]["id"],
    )
    switched = await switch_result(gql, mine["id"], theirs["currentBranch"]["id"])
    # then they answer as unknown ids do, so that they do not reveal that the ids exist
    assert_user_error(by_parent, "NotFoundError", "parentId")
    assert_user_error(by_branch, "NotFoundError", "branchId")
    assert_user_error(switched, "NotFoundError", "branchId")
