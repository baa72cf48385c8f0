"""Writing imported conversations: whole trees in bulk, idempotent on their source ids.

A format reader turns one source conversation into a `ConversationRecord`, whose messages
and branches refer to each other by the source's own keys. `import_conversation` checks
the tree, gives every row a new id and writes it with a few multi-row statements, and
records the source id so that importing it again is a no-op.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import owned_by
from convograph.db.errors import DomainError
from convograph.db.events import EventKind, write_event
from convograph.db.jump_pointers import fill_jumps
from convograph.db.message_rows import MessageFields, ParentRow, message_row
from convograph.db.roles import Role
from convograph.db.tables import (
    Branch,
    Conversation,
    Event,
    ImportedConversation,
    Message,
    utcnow,
)

ROLES = tuple(role.value for role in Role)
"""The role values a message may have, in `Role`'s order (for messages that list them)."""

BATCH_SIZE = 1000
"""Rows per multi-row INSERT."""


class InvalidRecord(DomainError):
    """A source conversation that cannot be imported as it is; `detail` says why."""


@dataclass
class MessageRecord:
    key: str
    parent: str | None
    role: str
    content: str
    created_at: datetime
    updated_at: datetime
    edit_of: str | None = None
    name: str | None = None
    tool_calls: list[Any] | None = None
    tool_call_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class BranchRecord:
    key: str
    tip: str | None
    created_at: datetime
    updated_at: datetime
    forked_from: str | None = None
    branch_point: str | None = None
    name: str | None = None


@dataclass
class ConversationRecord:
    """One source conversation; list order decides between rows of equal sort keys."""

    source_id: str
    title: str | None
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    messages: list[MessageRecord]
    branches: list[BranchRecord]
    current_branch: str


@dataclass(frozen=True)
class ImportedTree:
    conversation_id: uuid.UUID
    message_count: int
    branch_count: int


@dataclass(frozen=True)
class AlreadyImported:
    conversation_id: uuid.UUID


def _unique_keys(keys: Sequence[str], kind: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise InvalidRecord(f"Two {kind}s have the id {key!r}.")
        seen.add(key)


def _depths(messages: Sequence[MessageRecord]) -> dict[str, int]:
    """Each message's depth; raises when a parent is missing or parents form a cycle."""
    parents = {m.key: m.parent for m in messages}
    depths: dict[str, int] = {}
    for message in messages:
        chain: list[str] = []
        key: str | None = message.key
        while key is not None and key not in depths:
            if key in chain:
                raise InvalidRecord(f"Message {key!r} is its own ancestor.")
            if key not in parents:
                raise InvalidRecord(
                    f"Message {chain[-1]!r} has parent {key!r}, which is no message."
                )
            chain.append(key)
            key = parents[key]
        depth = depths[key] if key is not None else -1
        for key in reversed(chain):
            depth += 1
            depths[key] = depth
    return depths


def check_tree(record: ConversationRecord) -> dict[str, int]:
    """The depths of a well-formed tree; raises InvalidRecord naming what is wrong."""
    _unique_keys([m.key for m in record.messages], "message")
    _unique_keys([b.key for b in record.branches], "branch")
    messages = {m.key for m in record.messages}
    branches = {b.key for b in record.branches}
    for message in record.messages:
        if message.role not in ROLES:
            raise InvalidRecord(f"Message {message.key!r} has role {message.role!r}.")
        if message.edit_of is not None and message.edit_of not in messages:
            raise InvalidRecord(f"Message {message.key!r} edits {message.edit_of!r}: no message.")
    for branch in record.branches:
        for name, target, known in (
            ("tip", branch.tip, messages),
            ("branch point", branch.branch_point, messages),
            ("fork origin", branch.forked_from, branches),
        ):
            if target is not None and target not in known:
                raise InvalidRecord(
                    f"Branch {branch.key!r} has {name} {target!r}, which is unknown."
                )
    if record.current_branch not in branches:
        raise InvalidRecord(f"The current branch {record.current_branch!r} is no branch.")
    return _depths(record.messages)


def _new_ids(keys: Sequence[str]) -> dict[str, uuid.UUID]:
    """Fresh ids that sort as the keys are listed: rows whose other sort keys are equal
    (siblings created in the same microsecond) keep the order of the document."""
    return dict(zip(keys, sorted(uuid.uuid4() for _ in keys), strict=True))


async def find_import(
    session: AsyncSession, owner: str, source_format: str, source_id: str, *, native: bool
) -> uuid.UUID | None:
    """The conversation the source became for this owner, if it exists.

    `native`: the source ids may be this server's own (an export of convograph), and a
    conversation the owner still has under that id is the source itself.
    """
    imported = await session.scalar(
        select(ImportedConversation.conversation_id).where(
            ImportedConversation.owner == owner,
            ImportedConversation.source_format == source_format,
            ImportedConversation.source_id == source_id,
        )
    )
    if imported is not None or not native:
        return imported
    try:
        own_id = uuid.UUID(source_id)
    except ValueError:
        return None
    return await session.scalar(
        select(Conversation.id).where(Conversation.id == own_id, owned_by(owner))
    )


async def _insert(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH_SIZE):
        await session.execute(insert(table), rows[start : start + BATCH_SIZE])


async def _link(
    session: AsyncSession, table: Any, column: str, links: list[dict[str, Any]]
) -> None:
    """Set references to rows that were written after the rows that hold them."""
    if links:
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({column: bindparam("target_id")})
        )
        await session.execute(statement, links)


def _ordered_rows(
    items: Sequence[tuple[Any, dict[str, Any]]],
    ids: dict[str, uuid.UUID],
    column: str,
    attribute: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows in the given order, `column` set only where its target is written earlier; the
    others come back as links (row_id, target_id) to set once every row exists."""
    written: set[str] = set()
    rows, links = [], []
    for item, row in items:
        target = getattr(item, attribute)
        if target is not None and target not in written:
            links.append({"row_id": row["id"], "target_id": ids[target]})
            row[column] = None
        written.add(item.key)
        rows.append(row)
    return rows, links


async def import_conversation(
    session: AsyncSession,
    owner: str,
    source_format: str,
    record: ConversationRecord,
    *,
    native: bool = False,
) -> ImportedTree | AlreadyImported:
    """Write the record as a new conversation of `owner`, unless it was imported before
    (or, `native`, is one of the owner's own conversations: see `find_import`)."""
    existing = await find_import(session, owner, source_format, record.source_id, native=native)
    if existing is not None:
        return AlreadyImported(existing)
    depths = check_tree(record)
    message_ids = _new_ids([m.key for m in record.messages])
    branch_ids = _new_ids([b.key for b in record.branches])
    conversation_id = uuid.uuid4()
    await session.execute(
        insert(Conversation.__table__).values(
            id=conversation_id,
            owner=owner,
            title=record.title,
            metadata=record.metadata,
            current_branch_id=branch_ids[record.current_branch],
            created_at=record.created_at,
            updated_at=record.updated_at,
            # Its one event, written below: an imported conversation reaches subscribers
            # as a created one does.
            version=1,
        )
    )
    # Written before the tree, so that a concurrent import of the same source waits here
    # and then fails on the primary key instead of writing a second copy.
    await session.execute(
        insert(ImportedConversation.__table__).values(
            owner=owner,
            source_format=source_format,
            source_id=record.source_id,
            conversation_id=conversation_id,
            imported_at=utcnow(),
        )
    )
    # Parents before children: by depth, the document's order within a depth.
    by_depth = sorted(record.messages, key=lambda m: depths[m.key])
    rows = [(m, _message_row(m, conversation_id, message_ids, depths)) for m in by_depth]
    fill_jumps([row for _, row in rows])
    message_rows, message_links = _ordered_rows(
        rows,
        message_ids,
        "edit_of_id",
        "edit_of",
    )
    await _insert(session, Message.__table__, message_rows)
    branch_rows, branch_links = _ordered_rows(
        [
            (b, _branch_row(b, conversation_id, message_ids, depths, branch_ids))
            for b in record.branches
        ],
        branch_ids,
        "forked_from_id",
        "forked_from",
    )
    await _insert(session, Branch.__table__, branch_rows)
    await _link(session, Message.__table__, "edit_of_id", message_links)
    await _link(session, Branch.__table__, "forked_from_id", branch_links)
    await write_event(
        session,
        Event(
            conversation_id=conversation_id,
            owner=owner,
            sequence=1,
            kind=EventKind.CONVERSATION_CREATED.value,
            branch_id=branch_ids[record.current_branch],
            payload={"importedFrom": source_format, "sourceId": record.source_id},
            created_at=utcnow(),
        ),
    )
    return ImportedTree(conversation_id, len(message_rows), len(branch_rows))


def _message_row(
    message: MessageRecord,
    conversation_id: uuid.UUID,
    ids: dict[str, uuid.UUID],
    depths: dict[str, int],
) -> dict[str, Any]:
    fields = MessageFields(
        role=message.role,
        content=message.content,
        name=message.name,
        tool_calls=message.tool_calls,
        tool_call_id=message.tool_call_id,
    )
    parent = (
        ParentRow(ids[message.parent], depths[message.parent])
        if message.parent is not None
        else None
    )
    return message_row(
        conversation_id,
        fields,
        parent,
        metadata=message.metadata,
        edit_of_id=ids[message.edit_of] if message.edit_of is not None else None,
        created_at=message.created_at,
        updated_at=message.updated_at,
        id=ids[message.key],
    )


def _branch_row(
    branch: BranchRecord,
    conversation_id: uuid.UUID,
    message_ids: dict[str, uuid.UUID],
    depths: dict[str, int],
    branch_ids: dict[str, uuid.UUID],
) -> dict[str, Any]:
    def message(key: str | None) -> uuid.UUID | None:
        return message_ids[key] if key is not None else None

    return {
        "id": branch_ids[branch.key],
        "name": branch.name,
        "conversation_id": conversation_id,
        "tip_id": message(branch.tip),
        "tip_depth": depths[branch.tip] if branch.tip is not None else None,
        "forked_from_id": branch_ids[branch.forked_from] if branch.forked_from else None,
        "branch_point_id": message(branch.branch_point),
        "created_at": branch.created_at,
        "updated_at": branch.updated_at,
    }
