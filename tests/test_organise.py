"""Organising conversations: updateConversation (title, metadata, archive) and branch names."""

import uuid
from datetime import datetime
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.documents import RENAME_BRANCH, UPDATE_CONVERSATION
from tests.factories import add_message, conversation_with_messages, create_conversation

CONVERSATION_FIELDS = """
query ConversationFields($id: UUID!) {
  conversation(id: $id) {
    title metadata archivedAt updatedAt
    branches(first: 100) { nodes { id name } }
  }
}
"""


async def update(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    return (await gql.data(UPDATE_CONVERSATION, input=input))["updateConversation"]


async def rename(gql: GraphQLClient, branch_id: str, **input: Any) -> dict[str, Any]:
    return (await gql.data(RENAME_BRANCH, input={"branchId": branch_id, **input}))["renameBranch"]


async def read(gql: GraphQLClient, conversation_id: str) -> dict[str, Any]:
    return (await gql.data(CONVERSATION_FIELDS, id=conversation_id))["conversation"]


# --- updateConversation ----------------------------------------------------------------


async def test_a_title_is_set_kept_when_left_out_and_cleared_with_null(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql, title="Draft")
    cid = conversation["id"]
    # when / then
    assert (await update(gql, id=cid, title="Trip"))["conversation"]["title"] == "Trip"
    assert (await update(gql, id=cid, archived=False))["conversation"]["title"] == "Trip"
    assert (await update(gql, id=cid, title=None))["conversation"]["title"] is None
    assert (await read(gql, cid))["title"] is None


async def test_metadata_is_merge_patched(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(
        gql, metadata={"topic": "travel", "draft": True, "tags": {"a": 1, "b": 2}}
    )
    # when
    updated = await update(
        gql, id=conversation["id"], metadata={"draft": None, "tags": {"b": None, "c": 3}}
    )
    # then
    expected = {"topic": "travel", "tags": {"a": 1, "c": 3}}
    assert updated["conversation"]["metadata"] == expected
    assert (await read(gql, conversation["id"]))["metadata"] == expected


@pytest.mark.parametrize("patch", [None, [1], "text", 5])
async def test_metadata_that_is_no_object_is_a_validation_error(
    gql: GraphQLClient, patch: Any
) -> None:
    # given
    conversation = await create_conversation(gql, metadata={"topic": "travel"})
    # when
    refused = await update(gql, id=conversation["id"], metadata=patch)
    # then
    assert refused["__typename"] == "ValidationError"
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "metadata")
    assert (await read(gql, conversation["id"]))["metadata"] == {"topic": "travel"}


async def test_archive_sets_archived_at_once_and_unarchive_clears_it(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    cid = conversation["id"]
    assert (await read(gql, cid))["archivedAt"] is None
    # when
    archived = (await update(gql, id=cid, archived=True))["conversation"]
    again = (await update(gql, id=cid, archived=True))["conversation"]
    # then
    moment = datetime.fromisoformat(archived["archivedAt"])
    assert moment.utcoffset() is not None
    assert moment >= datetime.fromisoformat(conversation["createdAt"])
    assert again["archivedAt"] == archived["archivedAt"]
    # when
    unarchived = (await update(gql, id=cid, archived=False))["conversation"]
    # then
    assert unarchived["archivedAt"] is None
    assert (await read(gql, cid))["archivedAt"] is None


async def test_archived_null_is_a_validation_error(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    refused = await update(gql, id=conversation["id"], archived=None)
    # then
    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "archived"


async def test_an_update_moves_updated_at(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql, title="Draft")
    # when
    updated = (await update(gql, id=conversation["id"], title="Trip"))["conversation"]
    # then
    assert updated["updatedAt"] > conversation["updatedAt"]
    assert updated["createdAt"] == conversation["createdAt"]


async def test_update_of_an_unknown_or_unseen_conversation_is_not_found(
    gql: GraphQLClient,
) -> None:
    # given
    conversation = await create_conversation(gql, title="Mine")
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    results = [
        await update(gql, id=str(uuid.uuid4()), title="x"),
        await update(stranger, id=conversation["id"], title="Theirs"),
    ]
    # then
    for result in results:
        assert result["__typename"] == "NotFoundError"
        assert (result["code"], result["field"]) == ("NOT_FOUND", "id")
    assert (await read(gql, conversation["id"]))["title"] == "Mine"


# --- renameBranch ----------------------------------------------------------------------


async def test_a_branch_is_named_renamed_and_unnamed(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "hello")
    branch_id = conversation["currentBranch"]["id"]
    # when / then
    named = await rename(gql, branch_id, name="main")
    assert named["__typename"] == "RenameBranchSuccess", named
    assert named["branch"]["name"] == "main"
    assert (await rename(gql, branch_id, name="trunk"))["branch"]["name"] == "trunk"
    assert (await read(gql, conversation["id"]))["branches"]["nodes"] == [
        {"id": branch_id, "name": "trunk"}
    ]
    assert (await rename(gql, branch_id, name=None))["branch"]["name"] is None
    assert (await rename(gql, branch_id))["branch"]["name"] is None


async def test_a_name_taken_in_the_conversation_is_a_conflict(gql: GraphQLClient) -> None:
    # given two branches of one conversation, and another conversation
    conversation, [root, _] = await conversation_with_messages(gql, "root", "reply")
    first = conversation["currentBranch"]["id"]
    second = await add_message(gql, conversation["id"], "fork", parentId=root["id"])
    other, _ = await conversation_with_messages(gql, "elsewhere")
    await rename(gql, first, name="main")
    # when
    taken = await rename(gql, second["branch"]["id"], name="main")
    elsewhere = await rename(gql, other["currentBranch"]["id"], name="main")
    same_again = await rename(gql, first, name="main")
    # then
    assert taken["__typename"] == "ConflictError"
    assert (taken["code"], taken["field"]) == ("CONFLICT", "name")
    assert "main" in taken["detail"]
    assert elsewhere["branch"]["name"] == "main"
    assert same_again["branch"]["name"] == "main"
    names = {b["id"]: b["name"] for b in (await read(gql, conversation["id"]))["branches"]["nodes"]}
    assert names == {first: "main", second["branch"]["id"]: None}


async def test_a_freed_name_can_be_taken(gql: GraphQLClient) -> None:
    # given
    conversation, [root, _] = await conversation_with_messages(gql, "root", "reply")
    first = conversation["currentBranch"]["id"]
    second = (await add_message(gql, conversation["id"], "fork", parentId=root["id"]))["branch"]
    await rename(gql, first, name="main")
    # when
    await rename(gql, first, name="old")
    taken = await rename(gql, second["id"], name="main")
    # then
    assert taken["branch"]["name"] == "main"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
async def test_a_blank_or_overlong_name_is_a_validation_error(
    gql: GraphQLClient, name: str
) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    refused = await rename(gql, conversation["currentBranch"]["id"], name=name)
    # then
    assert refused["__typename"] == "ValidationError"
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "name")


async def test_rename_of_an_unknown_or_unseen_branch_is_not_found(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    results = [
        await rename(gql, str(uuid.uuid4()), name="x"),
        await rename(stranger, conversation["currentBranch"]["id"], name="x"),
    ]
    # then
    for result in results:
        assert result["__typename"] == "NotFoundError"
        assert (result["code"], result["field"]) == ("NOT_FOUND", "branchId")
