"""updateMessage (an edit is a new sibling on a new branch) and updateMessageMetadata. DESIGN sections 4 and 5, on both databases."""

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.documents import (
    MESSAGE,
)
from tests.factories import (
    add_message,
    conversation_with_messages,
    create_conversation,
    edit_message,
)
from tests.mutation_results import (
    NOT_OBJECTS,
    add_result,
    assert_user_error,
    branch_snapshot,
    edit_result,
    message_input,
    moment,
    patch_result,
    path_of,
    read_conversation,
    siblings,
    snapshot,
    switch_result,
    tree,
    unknown_id,
)

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
