"""Jump pointers: the rule that places them, and every writer placing them, checked
against plain parent walks, on both databases."""

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from convograph.db.engine import Database
from convograph.db.forks import fork_conversation
from convograph.db.imports import (
    BranchRecord,
    ConversationRecord,
    ImportedTree,
    MessageRecord,
    import_conversation,
)
from convograph.db.jump_pointers import jump_depth
from convograph.db.tables import Branch, Message
from tests.conftest import GraphQLClient
from tests.documents import DELETE_BRANCH, DELETE_MESSAGE, FORK_CONVERSATION
from tests.factories import add_message, edit_message

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
MAIN_LENGTH = 320

Pointers = tuple[uuid.UUID, uuid.UUID | None, int, uuid.UUID | None, int | None]
"""(id, parent_id, depth, jump_id, jump_depth) of a message."""


def wrong_jumps(messages: Iterable[Pointers]) -> list[Pointers]:
    """The messages whose pointer is not their ancestor at the rule's depth (found by
    walking parents), or that has a pointer although it is a root."""
    rows = list(messages)
    parents = {id: (parent_id, depth) for id, parent_id, depth, _, _ in rows}

    def ancestor(id: uuid.UUID, depth: int) -> uuid.UUID | None:
        while id in parents and parents[id][1] > depth:
            id = parents[id][0]  # type: ignore[assignment]
        return id if id in parents else None

    return [
        row
        for row in rows
        if (row[3], row[4])
        != (
            (None, None)
            if row[2] == 0
            else (ancestor(row[0], jump_depth(row[2])), jump_depth(row[2]))
        )
    ]


# --- a tree, imported, and the same answers worked out by walking parents -----------------


def line(key: str, parent: str | None, length: int, start: int) -> list[MessageRecord]:
    """`length` messages key0, key1, ... below `parent`, created one second apart."""
    messages = []
    for n in range(length):
        at = EPOCH + timedelta(seconds=start + n)
        messages.append(MessageRecord(f"{key}{n}", parent, "user", f"{key}{n}", at, at))
        parent = f"{key}{n}"
    return messages


def branch(key: str, tip: str | None, updated: int) -> BranchRecord:
    return BranchRecord(key, tip, EPOCH, EPOCH + timedelta(hours=updated))


def deep_record(source_id: str = "deep") -> ConversationRecord:
    """A 320-deep main line; side lines off it and off each other; a second root; branches
    ending at the tips, inside another path, or nowhere, updated in a mixed order (two at
    the same time)."""
    messages = [
        *line("m", None, MAIN_LENGTH, 0),
        *line("s", "m49", 120, 1000),  # depths 50-169
        *line("t", "s30", 60, 2000),  # depths 81-140
        *line("u", "m199", 1, 3000),
        *line("r", None, 5, 4000),
    ]
    branches = [
        branch("main", f"m{MAIN_LENGTH - 1}", 1),
        branch("side", "s119", 3),
        branch("twig", "t59", 2),
        branch("stub", "u0", 5),
        branch("inner", "m150", 5),
        branch("root2", "r4", 4),
        branch("empty", None, 6),
    ]
    return ConversationRecord(source_id, None, {}, EPOCH, EPOCH, messages, branches, "main")


async def import_record(database: Database, record: ConversationRecord) -> uuid.UUID:
    async with database.transaction() as session:
        imported = await import_conversation(session, "local", "test", record)
    assert isinstance(imported, ImportedTree)
    return imported.conversation_id


@dataclass
class Tree:
    """A conversation's rows, and its paths and holders found by walking parents."""

    conversation_id: uuid.UUID
    messages: dict[uuid.UUID, Message]
    branches: list[Branch]

    def by_content(self, content: str) -> Message:
        return next(m for m in self.messages.values() if m.content == content)

    def branch_to(self, content: str) -> Branch:
        """The branch whose tip has this content."""
        return next(b for b in self.branches if b.tip_id == self.by_content(content).id)

    def pointers(self) -> list[Pointers]:
        return [
            (m.id, m.parent_id, m.depth, m.jump_id, m.jump_depth) for m in self.messages.values()
        ]


async def load_tree(database: Database, conversation_id: uuid.UUID | str) -> Tree:
    conversation_id = uuid.UUID(str(conversation_id))
    async with database.read() as session:
        messages = await session.scalars(
            select(Message).where(Message.conversation_id == conversation_id)
        )
        branches = await session.scalars(
            select(Branch).where(Branch.conversation_id == conversation_id)
        )
        return Tree(conversation_id, {m.id: m for m in messages}, list(branches))


async def deep_tree(database: Database, source_id: str = "deep") -> Tree:
    return await load_tree(database, await import_record(database, deep_record(source_id)))


def ids(messages: Iterable[Message]) -> list[uuid.UUID]:
    return [m.id for m in messages]


# --- the rule -------------------------------------------------------------------------------


def test_jump_depth_is_the_skew_binary_rule_and_climbs_take_logarithmic_steps() -> None:
    # given the rule as stated on parents: a child of p jumps to p's jump's jump when
    # p's jump and its jump are equally long, else to p
    by_rule = [0]
    for depth in range(1, 5000):
        p, jump = depth - 1, by_rule[depth - 1]
        by_rule.append(by_rule[jump] if p - jump == jump - by_rule[jump] else p)
    # then
    assert [jump_depth(d) for d in range(1, 5000)] == by_rule[1:]
    # and climbing from any depth to any lower one takes fewer than 3 log2(d + 1) steps
    for depth in range(1, 700):
        for target in range(depth):
            steps, at = 0, depth
            while at > target:
                at = jump_depth(at) if jump_depth(at) >= target else at - 1
                steps += 1
            assert steps < 3 * math.log2(depth + 1), (depth, target, steps)


# --- writers ----------------------------------------------------------------------------------


async def test_every_writer_sets_the_pointers_the_rule_names(
    gql: GraphQLClient, database: Database
) -> None:
    # given an imported tree
    tree = await deep_tree(database)
    conversation_id = tree.conversation_id
    main = tree.branch_to("m319")
    # when it grows through the API: appends past depth 320, a fork deep in a side line,
    # edits (of a root too), and a fork into a new conversation
    for n in range(9):
        await add_message(gql, str(conversation_id), f"more {n}", branchId=str(main.id))
    await add_message(gql, str(conversation_id), "forked", parentId=str(tree.by_content("s77").id))
    await edit_message(gql, str(tree.by_content("m0").id), "a new root")
    await edit_message(gql, str(tree.by_content("m255").id), "a deep edit")
    forked = await gql.data(FORK_CONVERSATION, input={"messageId": str(tree.by_content("t59").id)})
    fork = forked["forkConversation"]["conversation"]
    # then
    grown = await load_tree(database, conversation_id)
    assert len(grown.messages) == len(tree.messages) + 12
    assert wrong_jumps(grown.pointers()) == []
    copied = await load_tree(database, fork["id"])
    assert len(copied.messages) == 141
    assert wrong_jumps(copied.pointers()) == []


async def test_a_fork_from_the_db_layer_copies_pointers_of_its_own(database: Database) -> None:
    # given
    tree = await deep_tree(database)
    # when
    async with database.transaction() as session:
        fork, _, _ = await fork_conversation(session, "local", tree.by_content("m300").id)
    # then
    copied = await load_tree(database, fork.id)
    assert len(copied.messages) == 301
    assert wrong_jumps(copied.pointers()) == []
    assert {m.jump_id for m in copied.messages.values()} - {None} <= set(copied.messages)


# --- deletions -----------------------------------------------------------------------------


async def test_deletions_leave_no_pointer_to_a_deleted_message(
    gql: GraphQLClient, database: Database
) -> None:
    # given
    tree = await deep_tree(database)
    stub = tree.branch_to("u0")
    # when a subtree inside a side line (with the line off it), the end of the main line,
    # a root and a branch go
    for key in ("s20", "m310", "r0"):
        deleted = await gql.data(DELETE_MESSAGE, input={"messageId": str(tree.by_content(key).id)})
        assert deleted["deleteMessage"]["__typename"] == "DeleteMessageSuccess", deleted
    deleted = await gql.data(DELETE_BRANCH, input={"branchId": str(stub.id)})
    assert deleted["deleteBranch"]["__typename"] == "DeleteBranchSuccess", deleted
    # then every pointer left is the surviving ancestor the rule names
    left = await load_tree(database, tree.conversation_id)
    assert len(left.messages) == len(tree.messages) - (100 + 60) - 10 - 5 - 1
    assert wrong_jumps(left.pointers()) == []
    assert {m.jump_id for m in left.messages.values()} - {None} <= set(left.messages)
