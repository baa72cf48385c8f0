"""The one builder of new message rows, for every writer: the API's add, edit and fork,
both import formats, and the bench seeders. A new column of `message` is set here."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from convograph.db.tables import Message, MessageStatus, utcnow


@dataclass(frozen=True)
class MessageFields:
    """What the writer of a message says; everything else about the row is derived."""

    role: str
    content: str
    name: str | None = None
    tool_calls: list[Any] | None = None
    tool_call_id: str | None = None
    status: str = MessageStatus.COMPLETE.value


class ParentRow(NamedTuple):
    """As much of the parent as a child row needs."""

    id: uuid.UUID
    depth: int


NO_JUMP: tuple[Any, int | None] = (None, None)


def message_row(
    conversation_id: uuid.UUID,
    fields: MessageFields,
    parent: ParentRow | None,
    *,
    metadata: dict[str, Any] | None = None,
    jump: tuple[Any, int | None] = NO_JUMP,
    edit_of_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
    id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Every column of a new message, keyed by column name, for a Core INSERT.

    `jump` is (jump_id, jump_depth): a value, a SQL expression, or NO_JUMP for a root or
    for rows whose jumps `jump_pointers.fill_jumps` sets once the whole tree is built.
    """
    created = created_at or utcnow()
    jump_id, jump_depth = jump
    return {
        "id": id or uuid.uuid4(),
        "conversation_id": conversation_id,
        "parent_id": parent.id if parent is not None else None,
        "edit_of_id": edit_of_id,
        "role": fields.role,
        "content": fields.content,
        "name": fields.name,
        "tool_calls": fields.tool_calls,
        "tool_call_id": fields.tool_call_id,
        "status": fields.status,
        "delta_count": 0,
        "metadata": {} if metadata is None else metadata,
        "depth": parent.depth + 1 if parent is not None else 0,
        "jump_id": jump_id,
        "jump_depth": jump_depth,
        "created_at": created,
        "updated_at": updated_at or created,
    }


def new_message(row: dict[str, Any]) -> Message:
    """The ORM object of a `message_row`, for writers that go through the session."""
    attributes = {
        ("meta" if column == "metadata" else column): value for column, value in row.items()
    }
    return Message(**attributes)
