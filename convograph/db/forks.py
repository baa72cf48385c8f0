"""Forking a conversation: a new conversation holding a copy of one path of another."""

import copy
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import Owner, lock_member
from convograph.db.conversations import NOT_GIVEN, NotGiven
from convograph.db.events import EventKind, record_event
from convograph.db.jump_pointers import fill_jumps
from convograph.db.message_rows import MessageFields, ParentRow, message_row, new_message
from convograph.db.paths import PathWindow, load_path_windows
from convograph.db.readers import Reader
from convograph.db.tables import Branch, Conversation, Message, utcnow


async def fork_conversation(
    session: AsyncSession,
    owner: Owner,
    message_id: uuid.UUID,
    title: str | NotGiven | None = NOT_GIVEN,
    *,
    creator: str | None = None,
) -> tuple[Conversation, Branch, Message]:
    """A new conversation with the path root -> message copied (new ids; the same roles,
    contents, metadata and timestamps) on its one branch, and linked to its source.

    The title and metadata are the source's unless a title is given; the fork belongs to
    `creator` (an admin forking another owner's message owns the fork), by default to
    the source's owner. Returns the fork, its branch and the copy of the message.
    """
    source, message = await lock_member(session, owner, Message, message_id, "messageId")
    [path] = await load_path_windows(
        Reader(session), [PathWindow(message.id, 0, message.depth + 1)]
    )
    now = utcnow()
    fork = Conversation(
        owner=creator if creator is not None else source.owner,
        title=source.title if title is NOT_GIVEN else title,
        meta=copy.deepcopy(source.meta),
        forked_from_conversation_id=source.id,
        forked_from_message_id=message.id,
        created_at=now,
        updated_at=now,
    )
    rows: list[dict[str, Any]] = []
    for original in path:
        fields = MessageFields(
            role=original.role,
            content=original.content,
            name=original.name,
            tool_calls=copy.deepcopy(original.tool_calls),
            tool_call_id=original.tool_call_id,
        )
        parent = ParentRow(rows[-1]["id"], rows[-1]["depth"]) if rows else None
        rows.append(
            message_row(
                fork.id,
                fields,
                parent,
                metadata=copy.deepcopy(original.meta),
                created_at=original.created_at,
                updated_at=original.updated_at,
            )
        )
    fill_jumps(rows)
    copies = [new_message(row) for row in rows]
    branch = Branch(
        conversation_id=fork.id,
        tip_id=copies[-1].id,
        tip_depth=copies[-1].depth,
        created_at=now,
        updated_at=now,
    )
    fork.current_branch_id = branch.id
    session.add(fork)
    await session.flush()
    # Root first: each copy's parent is inserted before it.
    session.add_all(copies)
    await session.flush()
    session.add(branch)
    await session.flush()
    await record_event(
        session,
        fork,
        EventKind.CONVERSATION_CREATED,
        message_id=copies[-1].id,
        branch_id=branch.id,
        payload={"forkedFromConversationId": str(source.id)},
    )
    await record_event(
        session,
        source,
        EventKind.CONVERSATION_FORKED,
        message_id=message.id,
        payload={"forkConversationId": str(fork.id)},
    )
    return fork, branch, copies[-1]
