"""Pruning the tree: delete a message with its replies, or a branch with what only it reaches.

Invariants kept by both: every message is on the path of some branch (so nothing is ever
orphaned or unreachable), no two branches share a tip, a conversation has at least one
branch, and its current branch exists.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from convograph.db.access import Owner, lock_member
from convograph.db.errors import InvalidInput
from convograph.db.events import EventKind, record_event
from convograph.db.paths import subtree
from convograph.db.tables import Branch, Conversation, Message, utcnow


@dataclass(frozen=True)
class Pruned:
    conversation: Conversation
    message_count: int
    branch_ids: list[uuid.UUID]


async def delete_message(session: AsyncSession, owner: Owner, message_id: uuid.UUID) -> Pruned:
    """Delete a message and its subtree in one go.

    The branches whose paths ran through it (those whose tip is in the subtree) end at its
    parent instead. Of the branches that now share that tip, one stays: one that already
    ended there, else the current branch, else the oldest. If the parent is None (a root
    was deleted) they are empty, and none stays while the conversation has other branches.
    """
    conversation, message = await lock_member(session, owner, Message, message_id, "messageId")
    doomed = subtree(conversation.id, message.id)
    new_tip = message.parent_id
    at_new_tip = Branch.tip_id == new_tip if new_tip else Branch.tip_id.is_(None)  # type: ignore[union-attr]
    # Branches ending in the subtree (about to end at new_tip) or already ending at new_tip.
    meeting = list(
        await session.scalars(
            select(Branch)
            .where(
                Branch.conversation_id == conversation.id,
                Branch.tip_id.in_(select(doomed.c.id)) | at_new_tip,  # type: ignore[union-attr]
            )
            .order_by(Branch.created_at, Branch.id)
        )
    )
    cut = [b for b in meeting if b.tip_id != new_tip]
    untouched = [b for b in meeting if b.tip_id == new_tip]
    removed: list[Branch] = []
    keep = None
    if cut:
        others = await _branch_count(session, conversation.id) - len(meeting)
        current = [b for b in cut if b.id == conversation.current_branch_id]
        keep = None if new_tip is None and others else (untouched + current + cut)[0]
        removed = [b for b in meeting if b is not keep]
        if keep is not None and keep.tip_id != new_tip:
            keep.tip_id = new_tip
            keep.tip_depth = message.depth - 1 if new_tip else None
            keep.updated_at = utcnow()
    message_count = await _prune(
        session,
        conversation,
        doomed,
        removed,
        keep,
        EventKind.MESSAGE_DELETED,
        {"deletedBranchIds": [str(b.id) for b in removed]},
        message_id=message.id,
    )
    return Pruned(conversation, message_count, [b.id for b in removed])


async def delete_branch(session: AsyncSession, owner: Owner, branch_id: uuid.UUID) -> Pruned:
    """Delete a branch and the messages no other branch reaches: the end of its path from
    just below the deepest message another branch also passes through."""
    conversation, branch = await lock_member(session, owner, Branch, branch_id, "branchId")
    if await _branch_count(session, conversation.id) == 1:
        raise InvalidInput("A conversation's last branch cannot be deleted.", "branchId")
    doomed = _reached_only_by(branch)
    message_count = await _prune(
        session,
        conversation,
        doomed,
        [branch],
        None,
        EventKind.BRANCH_DELETED,
        {},
        branch_id=branch.id,
    )
    return Pruned(conversation, message_count, [branch.id])


async def _prune(  # type: ignore[no-untyped-def]
    session: AsyncSession,
    conversation: Conversation,
    doomed,
    removed: Sequence[Branch],
    successor: Branch | None,
    kind: EventKind,
    payload: dict[str, Any],
    *,
    message_id: uuid.UUID | None = None,
    branch_id: uuid.UUID | None = None,
) -> int:
    """Delete the `doomed` messages and the `removed` branches (see `_remove_branches` for
    `successor`), then record `kind` with how many messages went ahead of `payload`, and
    the current branch's change if it moved; returns how many messages went."""
    message_count = await _count(session, doomed)
    current = conversation.current_branch_id
    await _remove_branches(session, conversation, removed, successor)
    await _delete_messages(session, conversation.id, doomed)
    await record_event(
        session,
        conversation,
        kind,
        message_id=message_id,
        branch_id=branch_id,
        payload={"deletedMessageCount": message_count, **payload},
    )
    await _record_current_branch_change(session, conversation, current)
    return message_count


async def _record_current_branch_change(
    session: AsyncSession, conversation: Conversation, before: uuid.UUID | None
) -> None:
    if conversation.current_branch_id != before:
        await record_event(
            session,
            conversation,
            EventKind.CURRENT_BRANCH_CHANGED,
            branch_id=conversation.current_branch_id,
        )


def _reached_only_by(branch: Branch):  # type: ignore[no-untyped-def]
    """A recursive CTE of the messages on `branch`'s path and on no other: walking up from
    its tip while a message has no other child and is no other branch's tip.

    Every message is on some branch's path, so a message with a second child is on the
    path of the branch that child leads to.
    """
    message = Message.__table__
    other_child = aliased(Message, name="other_child")
    other_tip = aliased(Branch, name="other_tip")

    def exclusive(node, child_id):  # type: ignore[no-untyped-def]
        children = select(other_child.id).where(
            other_child.conversation_id == node.c.conversation_id,
            other_child.parent_id == node.c.id,
            *([other_child.id != child_id] if child_id is not None else []),
        )
        tips = select(other_tip.id).where(
            other_tip.conversation_id == node.c.conversation_id,
            other_tip.tip_id == node.c.id,
            other_tip.id != branch.id,
        )
        return and_(~exists(children), ~exists(tips))

    columns = (message.c.id, message.c.parent_id, message.c.conversation_id)
    seed = (
        select(*columns)
        .where(
            message.c.conversation_id == branch.conversation_id,
            message.c.id == branch.tip_id,
            exclusive(message, None),
        )
        .cte("only_its", recursive=True)
    )
    below = seed.alias("below")
    step = select(*columns).where(
        message.c.conversation_id == below.c.conversation_id,
        message.c.id == below.c.parent_id,
        exclusive(message, below.c.id),
    )
    return seed.union_all(step)


async def _count(session: AsyncSession, messages) -> int:  # type: ignore[no-untyped-def]
    # Counted before deleting: SQLite does not count rows removed by a cascade.
    return (await session.scalar(select(func.count()).select_from(messages))) or 0


async def _branch_count(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    statement = select(func.count()).where(Branch.conversation_id == conversation_id)
    return (await session.scalar(statement)) or 0


async def _remove_branches(
    session: AsyncSession,
    conversation: Conversation,
    removed: Sequence[Branch],
    successor: Branch | None,
) -> None:
    """Delete the branches; if the current one goes, `successor` becomes current, or else
    the latest updated remaining branch (the caller keeps at least one)."""
    now = utcnow()
    gone = [b.id for b in removed]
    if gone:
        await session.execute(
            delete(Branch)
            .where(Branch.conversation_id == conversation.id, Branch.id.in_(gone))  # type: ignore[attr-defined]
            .execution_options(synchronize_session=False)
        )
        for branch in removed:
            session.expunge(branch)
    if conversation.current_branch_id in gone:
        conversation.current_branch_id = (
            successor.id
            if successor
            else await session.scalar(
                select(Branch.id)
                .where(Branch.conversation_id == conversation.id)
                .order_by(Branch.updated_at.desc(), Branch.id.desc())  # type: ignore[attr-defined]
                .limit(1)
            )
        )
    conversation.updated_at = now
    await session.flush()


async def _delete_messages(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    messages,  # type: ignore[no-untyped-def]
) -> None:
    """Delete the messages (a CTE of ids); forks of them keep their source conversation
    but lose the message."""
    doomed = select(messages.c.id)
    await session.execute(
        update(Conversation)
        .where(
            Conversation.forked_from_conversation_id == conversation_id,
            Conversation.forked_from_message_id.in_(doomed),  # type: ignore[union-attr]
        )
        .values(forked_from_message_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Message)
        .where(Message.conversation_id == conversation_id, Message.id.in_(doomed))  # type: ignore[attr-defined]
        .execution_options(synchronize_session=False)
    )
