"""Jump pointers and the climbs that use them: level ancestors, path windows, the branches
that hold a message, checked against plain parent walks, on both databases."""

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from convograph.db.branch_membership import holding_branch_counts, holding_branch_windows
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
from convograph.db.loaders import RankWindow
from convograph.db.paths import (
    PathWindow,
    climb,
    latest_branch_holding,
    load_path_windows,
    path_holds,
    window_starts,
)
from convograph.db.tables import Branch, Message
from tests.conftest import GraphQLClient, StatementCounter
from tests.documents import DELETE_BRANCH, DELETE_MESSAGE, FORK_CONVERSATION
from tests.factories import add_message, conversation_with_messages, edit_message

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

    def path(self, tip_id: uuid.UUID | None) -> list[Message]:
        path = []
        while tip_id is not None:
            path.append(self.messages[tip_id])
            tip_id = self.messages[tip_id].parent_id
        return path[::-1]

    def holders(self, message: Message) -> list[Branch]:
        """The branches whose path holds `message`, oldest first (created_at, id)."""
        held = [b for b in self.branches if message in self.path(b.tip_id)]
        return sorted(held, key=lambda b: (b.created_at, b.id))

    def wrong_tip_depths(self) -> list[Branch]:
        """The branches whose tip_depth is not their tip's depth."""
        return [
            b
            for b in self.branches
            if b.tip_depth != (self.messages[b.tip_id].depth if b.tip_id else None)
        ]

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


async def windows_of(database: Database, windows: Sequence[PathWindow]) -> list[list[uuid.UUID]]:
    async with database.connect() as reader:
        return [ids(found) for found in await load_path_windows(reader, windows)]


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
    # and every branch knows its tip's depth
    assert tree.wrong_tip_depths() == grown.wrong_tip_depths() == copied.wrong_tip_depths() == []


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
    assert copied.wrong_tip_depths() == []
    assert {m.jump_id for m in copied.messages.values()} - {None} <= set(copied.messages)


# --- level ancestors and windows ------------------------------------------------------------


async def test_the_ancestor_at_every_depth_is_the_one_the_parent_walk_finds(
    database: Database, statements: StatementCounter
) -> None:
    # given
    tree = await deep_tree(database)
    tips = [tree.by_content(key) for key in ("m319", "s119", "t59", "u0", "r4")]
    windows = [PathWindow(tip.id, d, d + 1) for tip in tips for d in range(tip.depth + 3)]
    statements.reset()
    # when
    found = await windows_of(database, windows)
    # then: one statement, and each window is the one message at its depth, or none
    assert statements.count == 1
    expected = [ids(tree.path(w.tip_id)[w.lo : w.hi]) for w in windows]
    assert found == expected
    assert sum(len(f) for f in found) == sum(tip.depth + 1 for tip in tips)


async def test_windows_at_the_start_middle_and_end_are_those_of_the_parent_walk(
    database: Database, statements: StatementCounter
) -> None:
    # given
    tree = await deep_tree(database)
    main, side = tree.by_content("m319"), tree.by_content("s119")
    windows = [
        PathWindow(main.id, 0, 100),
        PathWindow(main.id, 100, 200),
        PathWindow(main.id, 150, 250),  # overlaps the one before
        PathWindow(main.id, 220, 320),
        PathWindow(main.id, 0, 320),
        PathWindow(main.id, 300, 400),  # runs past the tip
        PathWindow(main.id, 320, 330),  # beyond the tip
        PathWindow(main.id, 7, 7),  # empty
        PathWindow(main.id, 0, 100),  # asked twice
        PathWindow(side.id, 40, 60),  # across the fork point
        PathWindow(side.id, 70, 170),
    ]
    statements.reset()
    # when
    found = await windows_of(database, windows)
    # then
    assert statements.count == 1
    assert found == [ids(tree.path(w.tip_id)[w.lo : w.hi]) for w in windows]
    assert [len(f) for f in found] == [100, 100, 100, 100, 320, 20, 0, 0, 100, 20, 100]


async def test_path_holds_every_message_of_the_path_and_no_other(database: Database) -> None:
    # given
    tree = await deep_tree(database)
    for tip in (tree.by_content("t59"), tree.by_content("m200")):
        on_path = set(ids(tree.path(tip.id)))
        # when
        async with database.read() as session:
            held = {m.id for m in tree.messages.values() if await path_holds(session, tip.id, m)}
        # then
        assert held == on_path


async def climbed_rows(database: Database, windows: Sequence[PathWindow]) -> int:
    """How many rows the climb to the windows visits: one per step, plus its start."""
    path = climb(window_starts(windows))
    async with database.read() as session:
        return (await session.scalar(select(func.count()).select_from(path))) or 0


async def test_a_page_of_a_deep_branch_climbs_logarithmically_many_rows_above_it(
    database: Database,
) -> None:
    # given a branch 3,000 messages deep
    depth = 3000
    record = ConversationRecord(
        "line",
        None,
        {},
        EPOCH,
        EPOCH,
        line("m", None, depth, 0),
        [branch("b", f"m{depth - 1}", 1)],
        "b",
    )
    tree = await load_tree(database, await import_record(database, record))
    tip = tree.by_content(f"m{depth - 1}")
    above = 3 * math.log2(depth)
    # when / then: the first page, a middle one and the last one visit their 100 rows
    # and O(log depth) above them, not the 2,900 a parent walk from the tip visits
    for lo in (0, 1450, depth - 100):
        assert (
            100 <= await climbed_rows(database, [PathWindow(tip.id, lo, lo + 100)]) <= 100 + above
        )
    # and so does the check that the path holds the message at depth 10
    assert await climbed_rows(database, [PathWindow(tip.id, 10, 11)]) <= 1 + above
    # and two pages of the path at once climb to each, not through all between them
    pages = [PathWindow(tip.id, 0, 100), PathWindow(tip.id, depth - 200, depth - 100)]
    assert await climbed_rows(database, pages) <= 200 + 2 * above
    # and the pages are the path's
    assert await windows_of(database, pages) == [ids(tree.path(tip.id)[w.lo : w.hi]) for w in pages]


# --- which branches hold a message ---------------------------------------------------------


async def test_the_latest_branch_holding_each_message_is_the_parent_walks(
    database: Database,
) -> None:
    # given branches updated in a mixed order, two of them at the same time
    tree = await deep_tree(database)
    latest = {
        m.id: max(tree.holders(m), key=lambda b: (b.updated_at, b.id), default=None)
        for m in tree.messages.values()
    }
    # when
    async with database.read() as session:
        found = {m.id: await latest_branch_holding(session, m) for m in tree.messages.values()}
    # then
    assert {k: b.id if b else None for k, b in found.items()} == {
        k: b.id if b else None for k, b in latest.items()
    }
    assert len({b.id for b in latest.values() if b}) >= 4


async def test_the_branches_holding_search_hits_are_the_parent_walks(
    database: Database, statements: StatementCounter
) -> None:
    # given two conversations: every message of both in one batch, messages of equal
    # depth on different lines among them
    trees = [await deep_tree(database, source) for source in ("one", "two")]
    messages = [m for tree in trees for m in tree.messages.values()]
    holders = {m.id: tree.holders(m) for tree in trees for m in tree.messages.values()}
    windows = [RankWindow(m.id, lo, hi) for m in messages for lo, hi in ((0, 100), (1, 3))]
    statements.reset()
    # when
    async with database.connect() as reader:
        counts = await holding_branch_counts(reader, ids(messages))
        found = await holding_branch_windows(reader, windows)
    # then
    assert statements.count == 2
    assert counts == [len(holders[m.id]) for m in messages]
    assert [[b.id for b in f] for f in found] == [
        [b.id for b in holders[w.key][w.lo : w.hi]] for w in windows
    ]
    assert max(counts) == 5 and min(counts) == 1


async def test_repeated_edits_fork_from_the_latest_branch_holding_the_message(
    gql: GraphQLClient,
) -> None:
    # given a 40-message branch, a long fork off depth 5 (deep, but not through depth 10)
    # and a fork off depth 20 (through it), made in that order
    conversation, chain = await conversation_with_messages(gql, *(f"m{n}" for n in range(40)))
    cid, main = conversation["id"], conversation["currentBranch"]["id"]
    aside = await add_message(gql, cid, "aside", parentId=chain[5]["id"])
    for n in range(30):
        await add_message(gql, cid, f"aside {n}", branchId=aside["branch"]["id"])
    through = await add_message(gql, cid, "through", parentId=chain[20]["id"])
    await add_message(gql, cid, "on main", branchId=main)
    # when the message at depth 10 is edited from main (current), then twice more
    first = await edit_message(gql, chain[10]["id"], "edit 1")
    second = await edit_message(gql, chain[10]["id"], "edit 2")
    # and again once the fork through it has grown, and the long fork after it (current)
    await add_message(gql, cid, "through grows", branchId=through["branch"]["id"])
    await add_message(gql, cid, "aside grows", branchId=aside["branch"]["id"])
    third = await edit_message(gql, chain[10]["id"], "edit 3")
    # then: the current branch while it holds the message, else the latest holder
    assert first["branch"]["forkedFrom"] == {"id": main}
    assert second["branch"]["forkedFrom"] == {"id": main}
    assert third["branch"]["forkedFrom"] == {"id": through["branch"]["id"]}


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
    # and the branches cut back know their new tip's depth
    assert left.wrong_tip_depths() == []
    # and the paths still read as the parent walk gives them
    tips = [b.tip_id for b in left.branches if b.tip_id is not None]
    windows = [PathWindow(tip, 0, 400) for tip in tips]
    assert await windows_of(database, windows) == [ids(left.path(tip)) for tip in tips]
