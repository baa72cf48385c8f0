"""setCurrentBranch. DESIGN sections 4 and 5, on both databases."""

from tests.conftest import GraphQLClient
from tests.factories import (
    add_message,
    create_conversation,
)
from tests.mutation_results import (
    assert_user_error,
    branches_of,
    path_of,
    read_conversation,
    switch_result,
    tree,
    unknown_id,
)

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
