"""Branch rows: names, unique within their conversation."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import Owner, lock_member
from convograph.db.errors import Conflict
from convograph.db.events import EventKind, record_event
from convograph.db.tables import Branch, utcnow


async def rename_branch(
    session: AsyncSession, owner: Owner, branch_id: uuid.UUID, name: str | None
) -> Branch:
    """Name a branch (None removes its name); a name another branch of the conversation
    has is a conflict. The conversation's lock makes the check and the write one step."""
    conversation, branch = await lock_member(session, owner, Branch, branch_id, "branchId")
    if name is not None and name != branch.name:
        taken = await session.scalar(
            select(Branch.id).where(
                Branch.conversation_id == conversation.id,
                Branch.name == name,
                Branch.id != branch.id,
            )
        )
        if taken is not None:
            raise Conflict(
                f"Branch {taken} of this conversation is already named {name!r}.", "name"
            )
    branch.name = name
    # The branch's own updated_at tells when its path last changed; a name is not that.
    conversation.updated_at = utcnow()
    await record_event(session, conversation, EventKind.BRANCH_RENAMED, branch_id=branch.id)
    await session.flush()
    return branch
