"""createConversation and deleteConversation, and the timestamps every mutation writes. DESIGN sections 4 and 5, on both databases."""

from datetime import timedelta

import pytest

from tests.conftest import GraphQLClient
from tests.documents import (
    BRANCH,
    CONVERSATION,
    CONVERSATIONS,
    CREATE_CONVERSATION,
    MESSAGE,
)
from tests.factories import (
    add_message,
    conversation_with_messages,
    create_conversation,
    edit_message,
)
from tests.mutation_results import (
    ISO_8601_WITH_OFFSET,
    NOT_OBJECTS,
    assert_user_error,
    branches_of,
    delete_result,
    ids,
    moment,
    read_conversation,
    snapshot,
    tree,
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
