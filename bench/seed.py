"""Seed the benchmark database through the project's migrations and db layer.

Conversations and their branches are created by `create_conversation`, forks by
`edit_message` / `add_message`, and the current branch is set by `set_current_branch`:
the project's own code path. The bulk of the messages (50,000 by default) would take
minutes one `add_message` at a time, so they are inserted in batches into the same
SQLModel tables with the invariants `add_message` keeps: each message's parent is the
previous one, depth = parent depth + 1, jump pointers as the writers set them, timestamps
increase along the path, and the branch's tip is the last message (its updated_at and the
conversation's follow it).
`check_invariants` verifies those on the seeded rows.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text, update

from convograph.db.conversations import create_conversation, set_current_branch
from convograph.db.engine import Database
from convograph.db.jump_pointers import fill_jumps
from convograph.db.message_rows import MessageFields, ParentRow, message_row
from convograph.db.messages import add_message, edit_message
from convograph.db.migrate import upgrade
from convograph.db.tables import Branch, Conversation, Message
from convograph.settings import async_database_url

OWNER = "local"  # the owner `convograph serve` acts as without authentication
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
LOREM = "Lorem ipsum dolor sit amet. "


@dataclass(frozen=True)
class Size:
    conversations: int
    messages: int
    long_branch: int


SIZES = {
    "default": Size(conversations=1_000, messages=50, long_branch=10_000),
    "small": Size(conversations=100, messages=50, long_branch=2_000),
}


@dataclass
class Seeded:
    size: Size
    conversation_ids: list[uuid.UUID] = field(default_factory=list)
    # The message at depth 10 of each small conversation.
    depth10_ids: list[uuid.UUID] = field(default_factory=list)
    long_id: uuid.UUID | None = None
    long_branch_id: uuid.UUID | None = None
    long_depth10_id: uuid.UUID | None = None
    long_tip_id: uuid.UUID | None = None
    short_id: uuid.UUID | None = None  # a conversation whose one branch has 100 messages
    short_branch_id: uuid.UUID | None = None


def _message_row(conversation: uuid.UUID, parent: ParentRow | None, n: int, at: datetime) -> dict:
    fields = MessageFields(
        role="user" if n % 2 == 0 else "assistant",
        content=f"Message {n + 1} of conversation {conversation}. " + LOREM * (1 + n % 5),
    )
    metadata = {"tokens": 20 + (n * 7) % 100, "seq": n + 1}
    return message_row(conversation, fields, parent, metadata=metadata, created_at=at)


async def _conversation_with_branch(
    database: Database, title: str, metadata: dict, length: int, start: datetime
) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """A conversation made by `create_conversation`, its branch filled with `length` messages."""
    async with database.transaction() as session:
        conversation = await create_conversation(session, OWNER, title, metadata)
        conversation_id, branch_id = conversation.id, conversation.current_branch_id
    assert branch_id is not None
    rows, parent = [], None
    for n in range(length):
        row = _message_row(conversation_id, parent, n, start + timedelta(milliseconds=n))
        rows.append(row)
        parent = ParentRow(row["id"], row["depth"])
    fill_jumps(rows)
    async with database.transaction() as session:
        for i in range(0, len(rows), 5_000):
            await session.execute(insert(Message.__table__), rows[i : i + 5_000])
        tip_at = rows[-1]["created_at"]
        await session.execute(
            update(Branch)
            .where(Branch.id == branch_id)
            .values(tip_id=rows[-1]["id"], tip_depth=length - 1, updated_at=tip_at)
        )
        await session.execute(
            update(Conversation).where(Conversation.id == conversation_id).values(updated_at=tip_at)
        )
    return conversation_id, branch_id, [r["id"] for r in rows]


async def _fork_long_conversation(database: Database, seeded: Seeded, ids: list[uuid.UUID]) -> None:
    """A few branches through the project's own code path, then back to the main branch."""
    assert seeded.long_id is not None and seeded.long_branch_id is not None
    n = len(ids)
    async with database.transaction() as session:
        await edit_message(session, OWNER, ids[100], MessageFields("user", "An edit near the top."))
    for k in range(3):
        async with database.transaction() as session:
            await add_message(
                session,
                OWNER,
                seeded.long_id,
                MessageFields("assistant", f"Fork reply {k}."),
                parent_id=ids[n // 2] if k == 0 else None,
            )
    async with database.transaction() as session:
        await edit_message(session, OWNER, ids[n - 1000], MessageFields("user", "A late edit."))
    async with database.transaction() as session:
        await set_current_branch(session, OWNER, seeded.long_id, seeded.long_branch_id)


async def _seed(url: str, size: Size) -> Seeded:
    database = Database(async_database_url(url))
    seeded = Seeded(size)
    try:
        # The long and short conversations are the oldest, so the overview (newest first)
        # shows conversations of `size.messages` messages.
        seeded.long_id, seeded.long_branch_id, ids = await _conversation_with_branch(
            database, "A long conversation", {"kind": "long"}, size.long_branch, EPOCH
        )
        seeded.long_depth10_id, seeded.long_tip_id = ids[10], ids[-1]
        await _fork_long_conversation(database, seeded, ids)
        seeded.short_id, seeded.short_branch_id, _ = await _conversation_with_branch(
            database, "A short conversation", {"kind": "short"}, 100, EPOCH
        )
        for i in range(size.conversations):
            conversation_id, _, ids = await _conversation_with_branch(
                database,
                f"Conversation #{i + 1}",
                {"model": "gpt-x", "tags": [f"t{i % 7}", f"t{i % 11}"], "n": i + 1},
                size.messages,
                EPOCH + timedelta(minutes=i + 1),
            )
            seeded.conversation_ids.append(conversation_id)
            seeded.depth10_ids.append(ids[10])
        async with database.transaction() as session:
            await check_invariants(session)
    finally:
        await database.dispose()
    return seeded


async def check_invariants(session) -> None:  # type: ignore[no-untyped-def]
    """Depth follows parent links, jumps land on messages of their conversation at their
    jump_depth, and every branch tip is a message of its conversation at its tip_depth."""
    parent = Message.__table__.alias("parent")
    message = Message.__table__
    bad_depth = await session.scalar(
        select(func.count())
        .select_from(message.join(parent, parent.c.id == message.c.parent_id))
        .where(
            (message.c.depth != parent.c.depth + 1)
            | (message.c.conversation_id != parent.c.conversation_id)
        )
    )
    bad_roots = await session.scalar(
        select(func.count()).where(message.c.parent_id.is_(None), message.c.depth != 0)
    )
    bad_tips = await session.scalar(
        select(func.count())
        .select_from(Branch)
        .outerjoin(Message, Message.id == Branch.tip_id)
        .where(
            (Message.id.is_(None))
            | (Message.conversation_id != Branch.conversation_id)
            | (Message.depth != Branch.tip_depth)
        )
    )
    jump = Message.__table__.alias("jump")
    bad_jumps = await session.scalar(
        select(func.count())
        .select_from(message.outerjoin(jump, jump.c.id == message.c.jump_id))
        .where(
            (message.c.parent_id.is_(None) != message.c.jump_id.is_(None))
            | (message.c.jump_id.is_not(None) & jump.c.id.is_(None))
            | (jump.c.depth != message.c.jump_depth)
            | (jump.c.conversation_id != message.c.conversation_id)
        )
    )
    bad = (bad_depth, bad_roots, bad_tips, bad_jumps)
    assert bad == (0, 0, 0, 0), bad
    await session.execute(text("ANALYZE"))


def seed(url: str, size: Size) -> Seeded:
    """Migrate (Alembic, the project's history), then seed."""
    upgrade(async_database_url(url))
    return asyncio.run(_seed(url, size))
