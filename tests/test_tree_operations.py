"""Tree operations: fork into a new conversation, delete a message, delete a branch.

After every deletion the whole tree is walked straight from the database: no orphan, no
message off every branch, no two branches with one tip, a current branch that exists.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from convograph.db.engine import Database
from convograph.db.tables import Branch, Conversation, Message
from tests.conftest import GraphQLClient
from tests.documents import (
    BRANCH_TIPS,
    DELETE_BRANCH,
    DELETE_CONVERSATION,
    DELETE_MESSAGE,
    FORK_CONVERSATION,
    FORKS,
    MESSAGE,
    PATH,
    SET_CURRENT_BRANCH,
    TREE,
)
from tests.factories import add_message, conversation_with_messages, edit_message


async def assert_whole_tree(gql: GraphQLClient, database: Database, conversation_id: str) -> None:
    """Walk every row of the conversation and check the tree's invariants, then check
    that the API reads the same tree."""
    cid = uuid.UUID(conversation_id)
    async with database.read() as session:
        rows = await session.scalars(select(Message).where(Message.conversation_id == cid))
        messages = {m.id: m for m in rows}
        branches = list(await session.scalars(select(Branch).where(Branch.conversation_id == cid)))
        conversation = await session.get(Conversation, cid)
    assert conversation is not None
    for message in messages.values():
        if message.parent_id is None:
            assert message.depth == 0
        else:
            parent = messages.get(message.parent_id)
            assert parent is not None, f"orphan: {message.content}"
            assert message.depth == parent.depth + 1
    paths: dict[uuid.UUID, list[uuid.UUID]] = {}
    for branch in branches:
        path: list[uuid.UUID] = []
        node = branch.tip_id
        while node is not None:
            assert node in messages, f"branch {branch.id} ends at a missing message"
            path.insert(0, node)
            node = messages[node].parent_id
        paths[branch.id] = path
    reached = {node for path in paths.values() for node in path}
    unreached = sorted(messages[m].content for m in set(messages) - reached)
    assert not unreached, f"messages on no branch: {unreached}"
    tips = [branch.tip_id for branch in branches]
    assert len(tips) == len(set(tips)), "two branches share a tip"
    assert branches, "no branch left"
    assert (None in tips) == (not messages), "an empty branch beside messages"
    assert conversation.current_branch_id in paths
    read = (await gql.data(TREE, id=conversation_id))["conversation"]
    assert read["messageCount"] == len(messages)
    assert read["branchCount"] == len(branches)
    assert read["currentBranch"]["id"] == str(conversation.current_branch_id)
    for node in read["branches"]["nodes"]:
        path_ids = [str(m) for m in paths[uuid.UUID(node["id"])]]
        assert [m["id"] for m in node["messages"]["nodes"]] == path_ids
        assert node["messageCount"] == len(path_ids)


async def fork(gql: GraphQLClient, message_id: str, **input: Any) -> dict[str, Any]:
    return (await gql.data(FORK_CONVERSATION, input={"messageId": message_id, **input}))[
        "forkConversation"
    ]


async def delete_message(gql: GraphQLClient, message_id: str) -> dict[str, Any]:
    return (await gql.data(DELETE_MESSAGE, input={"messageId": message_id}))["deleteMessage"]


async def delete_branch(gql: GraphQLClient, branch_id: str) -> dict[str, Any]:
    return (await gql.data(DELETE_BRANCH, input={"branchId": branch_id}))["deleteBranch"]


async def switch(gql: GraphQLClient, conversation_id: str, branch_id: str) -> None:
    input = {"conversationId": conversation_id, "branchId": branch_id}
    result = (await gql.data(SET_CURRENT_BRANCH, input=input))["setCurrentBranch"]
    assert result["__typename"] == "SetCurrentBranchSuccess", result


async def branch_tips(gql: GraphQLClient, conversation_id: str) -> dict[str, str | None]:
    """Each branch id and the content of its tip."""
    nodes = (await gql.data(BRANCH_TIPS, id=conversation_id))["conversation"]["branches"]
    return {b["id"]: b["tip"]["content"] if b["tip"] else None for b in nodes["nodes"]}


async def current_branch(gql: GraphQLClient, conversation_id: str) -> str:
    data = await gql.data(BRANCH_TIPS, id=conversation_id)
    return data["conversation"]["currentBranch"]["id"]


@dataclass
class ThreeBranches:
    """root - a - b - c on `main`, d forked at a on `at_a`, e forked at b on `at_b` (current)."""

    conversation_id: str
    messages: dict[str, str]
    main: str
    at_a: str
    at_b: str


async def three_branches(gql: GraphQLClient) -> ThreeBranches:
    conversation, chain = await conversation_with_messages(gql, "root", "a", "b", "c")
    cid = conversation["id"]
    d = await add_message(gql, cid, "d", parentId=chain[1]["id"])
    e = await add_message(gql, cid, "e", parentId=chain[2]["id"])
    messages = {m["content"]: m["id"] for m in [*chain, d["message"], e["message"]]}
    return ThreeBranches(
        cid, messages, conversation["currentBranch"]["id"], d["branch"]["id"], e["branch"]["id"]
    )


# --- forkConversation ------------------------------------------------------------------


async def test_fork_copies_the_path_into_a_new_linked_conversation(
    gql: GraphQLClient, database: Database
) -> None:
    # given a conversation whose path to `b` has metadata, tool calls and an edit
    conversation, [root, a, _b] = await conversation_with_messages(
        gql, "root", "a", "b", title="Trip", metadata={"topic": "travel"}
    )
    cid = conversation["id"]
    call = {"id": "call_1", "type": "function", "function": {"name": "weather"}}
    edited = await edit_message(
        gql, a["id"], "a, edited", role="ASSISTANT", metadata={"model": "m2"}
    )
    tool = await add_message(
        gql,
        cid,
        "",
        role="ASSISTANT",
        message={"role": "ASSISTANT", "content": "", "toolCalls": [call]},
    )
    source_path = (await gql.data(PATH, id=cid))["conversation"]["messages"]["nodes"]

    # when
    forked = await fork(gql, tool["message"]["id"], title="Trip, take two")

    # then
    assert forked["__typename"] == "ForkConversationSuccess", forked
    new = forked["conversation"]
    assert new["id"] != cid
    assert new["title"] == "Trip, take two"
    assert new["metadata"] == {"topic": "travel"}
    assert (new["messageCount"], new["branchCount"]) == (3, 1)
    assert new["currentBranch"]["id"] == forked["branch"]["id"]
    assert new["forkedFrom"] == {
        "conversation": {"id": cid},
        "message": {"id": tool["message"]["id"]},
    }
    assert forked["branch"]["isCurrent"]
    assert forked["branch"]["tip"]["id"] == forked["message"]["id"]
    assert forked["branch"]["branchPoint"] is None
    assert forked["branch"]["forkedFrom"] is None
    copied = (await gql.data(PATH, id=new["id"]))["conversation"]["messages"]["nodes"]
    assert [m["content"] for m in copied] == ["root", "a, edited", ""]
    assert {m["id"] for m in copied}.isdisjoint({m["id"] for m in source_path})
    same = ("role", "content", "name", "toolCalls", "toolCallId", "metadata", "depth")
    for original, copy in zip(source_path, copied, strict=True):
        assert {k: copy[k] for k in same} == {k: original[k] for k in same}
        assert (copy["createdAt"], copy["updatedAt"]) == (
            original["createdAt"],
            original["updatedAt"],
        )
        # The edited original is not copied, so the copy is no edit.
        assert copy["editOf"] is None
    assert copied[1]["metadata"] == {"model": "m2"}
    assert copied[2]["toolCalls"] == [call]
    assert [m["parent"] for m in copied] == [None, {"id": copied[0]["id"]}, {"id": copied[1]["id"]}]
    assert forked["message"]["id"] == copied[2]["id"]
    assert edited["message"]["editOf"] == {"id": a["id"]}
    # and the source is untouched and lists its fork
    assert (await gql.data(PATH, id=cid))["conversation"]["messages"]["nodes"] == source_path
    listed = (await gql.data(FORKS, id=cid))["conversation"]
    assert listed["forkedFrom"] is None
    assert listed["forks"]["totalCount"] == 1
    assert [f["id"] for f in listed["forks"]["nodes"]] == [new["id"]]
    assert root["id"] != copied[0]["id"]
    await assert_whole_tree(gql, database, new["id"])


async def test_fork_of_a_root(gql: GraphQLClient, database: Database) -> None:
    # given
    conversation, [root, _] = await conversation_with_messages(gql, "root", "reply")
    # when
    forked = await fork(gql, root["id"])
    # then: one message, no parent, the source's title
    assert forked["__typename"] == "ForkConversationSuccess", forked
    assert forked["conversation"]["messageCount"] == 1
    assert forked["conversation"]["title"] == conversation["title"]
    assert forked["message"]["content"] == "root"
    assert forked["message"]["parent"] is None
    assert forked["message"]["depth"] == 0
    assert forked["message"]["siblingCount"] == 1
    assert forked["conversation"]["forkedFrom"]["message"] == {"id": root["id"]}
    await assert_whole_tree(gql, database, forked["conversation"]["id"])


async def test_fork_keeps_the_source_title_unless_one_is_given(gql: GraphQLClient) -> None:
    # given
    _, [message] = await conversation_with_messages(gql, "hello", title="Source")
    # when
    kept = await fork(gql, message["id"])
    cleared = await fork(gql, message["id"], title=None)
    # then
    assert kept["conversation"]["title"] == "Source"
    assert cleared["conversation"]["title"] is None


async def test_forks_are_listed_oldest_first_and_paged(gql: GraphQLClient) -> None:
    # given
    conversation, [message] = await conversation_with_messages(gql, "hello")
    forks = [(await fork(gql, message["id"]))["conversation"]["id"] for _ in range(3)]
    # when
    first = (await gql.data(FORKS, id=conversation["id"], first=2))["conversation"]["forks"]
    rest = (
        await gql.data(FORKS, id=conversation["id"], first=2, after=first["pageInfo"]["endCursor"])
    )["conversation"]["forks"]
    # then
    assert first["totalCount"] == rest["totalCount"] == 3
    assert [f["id"] for f in first["nodes"] + rest["nodes"]] == forks
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]


async def test_a_fork_of_a_fork_links_to_its_own_source(gql: GraphQLClient) -> None:
    # given
    conversation, [message] = await conversation_with_messages(gql, "hello")
    child = await fork(gql, message["id"])
    # when
    grandchild = await fork(gql, child["message"]["id"])
    # then
    assert grandchild["conversation"]["forkedFrom"] == {
        "conversation": {"id": child["conversation"]["id"]},
        "message": {"id": child["message"]["id"]},
    }
    source = (await gql.data(FORKS, id=conversation["id"]))["conversation"]
    assert [f["id"] for f in source["forks"]["nodes"]] == [child["conversation"]["id"]]


async def test_the_fork_link_is_null_once_the_source_is_deleted(
    gql: GraphQLClient, database: Database
) -> None:
    # given
    conversation, [_, message] = await conversation_with_messages(gql, "root", "reply")
    forked = await fork(gql, message["id"])
    # when
    deleted = await gql.data(DELETE_CONVERSATION, input={"id": conversation["id"]})
    # then: the fork lives on, unlinked
    assert deleted["deleteConversation"]["deletedMessageCount"] == 2
    read = (await gql.data(FORKS, id=forked["conversation"]["id"]))["conversation"]
    assert read["forkedFrom"] is None
    await assert_whole_tree(gql, database, forked["conversation"]["id"])


async def test_the_fork_link_loses_its_message_once_that_message_is_deleted(
    gql: GraphQLClient,
) -> None:
    # given
    conversation, [_, message] = await conversation_with_messages(gql, "root", "reply")
    forked = await fork(gql, message["id"])
    # when
    await delete_message(gql, message["id"])
    # then
    read = (await gql.data(FORKS, id=forked["conversation"]["id"]))["conversation"]
    assert read["forkedFrom"] == {"conversation": {"id": conversation["id"]}, "message": None}


async def test_fork_of_an_unknown_or_unseen_message_is_not_found(gql: GraphQLClient) -> None:
    # given
    _, [message] = await conversation_with_messages(gql, "private")
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    unknown = await fork(gql, str(uuid.uuid4()))
    unseen = await fork(stranger, message["id"])
    # then
    for result in (unknown, unseen):
        assert result["__typename"] == "NotFoundError"
        assert (result["code"], result["field"]) == ("NOT_FOUND", "messageId")
    assert (await stranger.data(FORKS, id=str(uuid.uuid4())))["conversation"] is None


# --- deleteMessage ---------------------------------------------------------------------


async def test_delete_message_removes_its_subtree_and_re_tips_the_branches_through_it(
    gql: GraphQLClient, database: Database
) -> None:
    # given root-a-b-c (main), d at a, e at b (current)
    tree = await three_branches(gql)
    # when b goes (b, c and e with it)
    deleted = await delete_message(gql, tree.messages["b"])
    # then main and at_b both end at a; at_b is current, so it stays and main goes
    assert deleted["__typename"] == "DeleteMessageSuccess", deleted
    assert deleted["deletedMessageId"] == tree.messages["b"]
    assert deleted["deletedMessageCount"] == 3
    assert deleted["deletedBranchIds"] == [tree.main]
    assert deleted["deletedBranchCount"] == 1
    conversation = deleted["conversation"]
    assert (conversation["messageCount"], conversation["branchCount"]) == (3, 2)
    assert conversation["currentBranch"] == {"id": tree.at_b, "tip": {"id": tree.messages["a"]}}
    assert await branch_tips(gql, tree.conversation_id) == {tree.at_a: "d", tree.at_b: "a"}
    await assert_whole_tree(gql, database, tree.conversation_id)


async def test_delete_of_the_current_branchs_tip_moves_it_to_the_parent(
    gql: GraphQLClient, database: Database
) -> None:
    # given
    conversation, [_, a, b] = await conversation_with_messages(gql, "root", "a", "b")
    # when
    deleted = await delete_message(gql, b["id"])
    # then
    assert deleted["deletedMessageCount"] == 1
    assert deleted["deletedBranchIds"] == []
    current = deleted["conversation"]["currentBranch"]
    assert current == {"id": conversation["currentBranch"]["id"], "tip": {"id": a["id"]}}
    # and the next message appends to a again
    appended = await add_message(gql, conversation["id"], "b again")
    assert appended["message"]["parent"] == {"id": a["id"]}
    assert appended["branch"]["id"] == current["id"]
    await assert_whole_tree(gql, database, conversation["id"])


async def test_delete_of_the_current_branchs_tip_where_another_branch_ends_makes_that_current(
    gql: GraphQLClient, database: Database
) -> None:
    # given e is deleted first, so at_b ends at b; then main (tip c) becomes current
    tree = await three_branches(gql)
    await delete_message(gql, tree.messages["e"])
    assert (await branch_tips(gql, tree.conversation_id))[tree.at_b] == "b"
    await switch(gql, tree.conversation_id, tree.main)
    # when main's tip goes
    deleted = await delete_message(gql, tree.messages["c"])
    # then main would end where at_b ends: at_b, untouched, stays and becomes current
    assert deleted["deletedMessageCount"] == 1
    assert deleted["deletedBranchIds"] == [tree.main]
    assert deleted["conversation"]["currentBranch"] == {
        "id": tree.at_b,
        "tip": {"id": tree.messages["b"]},
    }
    await assert_whole_tree(gql, database, tree.conversation_id)


async def test_delete_of_a_message_shared_by_many_branches(
    gql: GraphQLClient, database: Database
) -> None:
    # given root-a-b-c with forks at a (two) and b (two), and one at root beside a
    conversation, [root, a, b, _] = await conversation_with_messages(gql, "root", "a", "b", "c")
    cid = conversation["id"]
    through_a = [conversation["currentBranch"]["id"]]
    for parent, content in ((a, "w"), (b, "x"), (b, "y"), (a, "z")):
        through_a.append(
            (await add_message(gql, cid, content, parentId=parent["id"]))["branch"]["id"]
        )
    beside = (await add_message(gql, cid, "v", parentId=root["id"]))["branch"]["id"]
    await switch(gql, cid, through_a[2])
    # when
    deleted = await delete_message(gql, a["id"])
    # then a, b, c, w, x, y, z are gone; of the five branches through a, the current stays
    assert deleted["deletedMessageCount"] == 7
    assert deleted["deletedBranchCount"] == 4
    assert sorted(deleted["deletedBranchIds"]) == sorted(
        [b for b in through_a if b != through_a[2]]
    )
    assert deleted["conversation"]["currentBranch"] == {
        "id": through_a[2],
        "tip": {"id": root["id"]},
    }
    assert await branch_tips(gql, cid) == {through_a[2]: "root", beside: "v"}
    await assert_whole_tree(gql, database, cid)


async def test_delete_of_the_only_root_leaves_one_empty_current_branch(
    gql: GraphQLClient, database: Database
) -> None:
    # given
    conversation, [root, _] = await conversation_with_messages(gql, "root", "reply")
    cid = conversation["id"]
    forked = await add_message(gql, cid, "fork", parentId=root["id"])
    # when
    deleted = await delete_message(gql, root["id"])
    # then
    assert deleted["deletedMessageCount"] == 3
    assert deleted["deletedBranchIds"] == [conversation["currentBranch"]["id"]]
    assert deleted["conversation"]["messageCount"] == 0
    assert deleted["conversation"]["branchCount"] == 1
    assert deleted["conversation"]["currentBranch"] == {
        "id": forked["branch"]["id"],
        "tip": None,
    }
    await assert_whole_tree(gql, database, cid)
    # and the conversation starts again from the empty branch
    restarted = await add_message(gql, cid, "new root")
    assert restarted["message"]["parent"] is None
    assert restarted["branch"]["id"] == forked["branch"]["id"]
    await assert_whole_tree(gql, database, cid)


async def test_delete_of_one_of_two_roots_removes_its_branches(
    gql: GraphQLClient, database: Database
) -> None:
    # given a root, its edit (a second root, current) and a reply to the edit
    conversation, [root, _] = await conversation_with_messages(gql, "root", "reply")
    edit = await edit_message(gql, root["id"], "root, edited")
    await add_message(gql, conversation["id"], "reply to the edit")
    # when the edit's tree goes
    deleted = await delete_message(gql, edit["message"]["id"])
    # then its branch is removed (it would be empty) and the first branch is current again
    assert deleted["deletedMessageCount"] == 2
    assert deleted["deletedBranchIds"] == [edit["branch"]["id"]]
    assert deleted["conversation"]["currentBranch"]["id"] == conversation["currentBranch"]["id"]
    read = await gql.data(MESSAGE, id=root["id"])
    assert (read["message"]["siblingIndex"], read["message"]["siblingCount"]) == (0, 1)
    await assert_whole_tree(gql, database, conversation["id"])


async def test_an_edit_of_a_deleted_message_is_no_longer_an_edit(
    gql: GraphQLClient, database: Database
) -> None:
    # given
    conversation, [_, a] = await conversation_with_messages(gql, "root", "a")
    edit = await edit_message(gql, a["id"], "a, edited")
    # when
    await delete_message(gql, a["id"])
    # then
    read = await gql.data(MESSAGE, id=edit["message"]["id"])
    assert read["message"]["editOf"] is None
    assert read["message"]["content"] == "a, edited"
    await assert_whole_tree(gql, database, conversation["id"])


async def test_a_branch_point_cut_away_reads_as_null(gql: GraphQLClient) -> None:
    # given e forked at b
    tree = await three_branches(gql)
    # when
    await delete_message(gql, tree.messages["b"])
    # then at_b now ends at a, above the message it forked after
    nodes = (await gql.data(BRANCH_TIPS, id=tree.conversation_id))["conversation"]["branches"]
    at_b = next(b for b in nodes["nodes"] if b["id"] == tree.at_b)
    assert at_b["branchPoint"] is None
    assert at_b["tip"]["content"] == "a"


async def test_a_tree_stays_whole_through_a_series_of_deletions(
    gql: GraphQLClient, database: Database
) -> None:
    # given a bushy tree: a chain, forks, edits and replies to edits
    conversation, chain = await conversation_with_messages(gql, *(f"m{i}" for i in range(6)))
    cid = conversation["id"]
    ids = {m["content"]: m["id"] for m in chain}
    for parent, content in (("m1", "f1"), ("m1", "f2"), ("m3", "f3"), ("m4", "f4")):
        ids[content] = (await add_message(gql, cid, content, parentId=ids[parent]))["message"]["id"]
    for original, content in (("m2", "e2"), ("f1", "e1"), ("m0", "e0")):
        ids[content] = (await edit_message(gql, ids[original], content))["message"]["id"]
    ids["r2"] = (await add_message(gql, cid, "r2", parentId=ids["e2"]))["message"]["id"]
    ids["r3"] = (await add_message(gql, cid, "r3", parentId=ids["m3"]))["message"]["id"]
    await assert_whole_tree(gql, database, cid)
    total = (await gql.data(TREE, id=cid))["conversation"]["messageCount"]
    # when / then: each deletion leaves a whole tree and counts what went
    for content in ("f4", "m5", "e1", "m3", "e0", "m1", "m0"):
        before = (await gql.data(TREE, id=cid))["conversation"]
        deleted = await delete_message(gql, ids[content])
        assert deleted["__typename"] == "DeleteMessageSuccess", (content, deleted)
        after = deleted["conversation"]
        assert after["messageCount"] == before["messageCount"] - deleted["deletedMessageCount"]
        assert after["branchCount"] == before["branchCount"] - deleted["deletedBranchCount"]
        total -= deleted["deletedMessageCount"]
        await assert_whole_tree(gql, database, cid)
    assert total == 0


async def test_delete_of_an_already_deleted_or_unseen_message_is_not_found(
    gql: GraphQLClient,
) -> None:
    # given
    _, [root, reply] = await conversation_with_messages(gql, "root", "reply")
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    await delete_message(gql, root["id"])
    _, [private] = await conversation_with_messages(gql, "private")
    # when
    results = [
        await delete_message(gql, reply["id"]),
        await delete_message(gql, str(uuid.uuid4())),
        await delete_message(stranger, private["id"]),
    ]
    # then
    for result in results:
        assert result["__typename"] == "NotFoundError"
        assert (result["code"], result["field"]) == ("NOT_FOUND", "messageId")
    assert (await gql.data(MESSAGE, id=private["id"]))["message"]["content"] == "private"


# --- deleteBranch ----------------------------------------------------------------------


async def test_delete_branch_removes_only_the_messages_no_other_branch_reaches(
    gql: GraphQLClient, database: Database
) -> None:
    # given root-a-b-c (main), d at a, e at b
    tree = await three_branches(gql)
    # when main goes: c is its own, b is on at_b's path
    deleted = await delete_branch(gql, tree.main)
    # then
    assert deleted["__typename"] == "DeleteBranchSuccess", deleted
    assert deleted["deletedBranchId"] == tree.main
    assert deleted["deletedMessageCount"] == 1
    assert (deleted["conversation"]["messageCount"], deleted["conversation"]["branchCount"]) == (
        5,
        2,
    )
    assert await branch_tips(gql, tree.conversation_id) == {tree.at_a: "d", tree.at_b: "e"}
    await assert_whole_tree(gql, database, tree.conversation_id)
    # when at_b goes: b and e are only its own now
    deleted = await delete_branch(gql, tree.at_b)
    # then
    assert deleted["deletedMessageCount"] == 2
    assert await branch_tips(gql, tree.conversation_id) == {tree.at_a: "d"}
    await assert_whole_tree(gql, database, tree.conversation_id)


async def test_delete_of_a_branch_ending_inside_another_removes_no_message(
    gql: GraphQLClient, database: Database
) -> None:
    # given main cut back to b, which at_b passes through
    tree = await three_branches(gql)
    await switch(gql, tree.conversation_id, tree.main)
    await delete_message(gql, tree.messages["c"])
    # when
    deleted = await delete_branch(gql, tree.main)
    # then
    assert deleted["deletedMessageCount"] == 0
    assert deleted["conversation"]["messageCount"] == 5
    assert await branch_tips(gql, tree.conversation_id) == {tree.at_a: "d", tree.at_b: "e"}
    await assert_whole_tree(gql, database, tree.conversation_id)


async def test_delete_of_the_current_branch_makes_the_latest_updated_one_current(
    gql: GraphQLClient, database: Database
) -> None:
    # given at_b is current; at_a grew last among the others
    tree = await three_branches(gql)
    await add_message(gql, tree.conversation_id, "d2", branchId=tree.at_a)
    await switch(gql, tree.conversation_id, tree.at_b)
    # when
    deleted = await delete_branch(gql, tree.at_b)
    # then
    assert deleted["conversation"]["currentBranch"]["id"] == tree.at_a
    await assert_whole_tree(gql, database, tree.conversation_id)


async def test_the_last_branch_cannot_be_deleted(gql: GraphQLClient, database: Database) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "root", "reply")
    # when
    refused = await delete_branch(gql, conversation["currentBranch"]["id"])
    # then
    assert refused["__typename"] == "ValidationError"
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "branchId")
    assert "last branch" in refused["detail"]
    assert (await gql.data(TREE, id=conversation["id"]))["conversation"]["messageCount"] == 2
    await assert_whole_tree(gql, database, conversation["id"])


async def test_delete_of_an_unknown_or_unseen_branch_is_not_found(gql: GraphQLClient) -> None:
    # given
    tree = await three_branches(gql)
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    results = [
        await delete_branch(gql, str(uuid.uuid4())),
        await delete_branch(stranger, tree.at_a),
    ]
    # then
    for result in results:
        assert result["__typename"] == "NotFoundError"
        assert (result["code"], result["field"]) == ("NOT_FOUND", "branchId")
    assert len(await branch_tips(gql, tree.conversation_id)) == 3
