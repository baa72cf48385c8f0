"""Several mutations in one document, and mutations on conversations of other owners. DESIGN sections 4 and 5, on both databases."""

from tests.conftest import GraphQLClient
from tests.documents import (
    DELETE_THEN_APPEND,
    EDIT_THEN_APPEND,
    SWITCH_THEN_APPEND,
    TWO_APPENDS,
)
from tests.factories import (
    conversation_with_messages,
    create_conversation,
)
from tests.mutation_results import (
    add_result,
    assert_user_error,
    delete_result,
    edit_result,
    message_input,
    patch_result,
    snapshot,
    switch_result,
    tree,
)

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
