"""addMessage: appending, forking, parentId with branchId, errors, message fields. DESIGN sections 4 and 5, on both databases."""

import pytest

from tests.conftest import GraphQLClient
from tests.documents import (
    MESSAGE,
)
from tests.factories import (
    add_message,
    conversation_with_messages,
    create_conversation,
)
from tests.mutation_results import (
    NOT_OBJECTS,
    add_result,
    assert_user_error,
    branch_snapshot,
    branches_of,
    ids,
    message_input,
    moment,
    path_of,
    read_conversation,
    snapshot,
    switch_result,
    tree,
    unknown_id,
)

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
