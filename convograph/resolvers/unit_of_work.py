"""How every mutation runs: one transaction, domain errors returned as UserErrors."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.errors import DomainError
from convograph.db.events import recorded_events
from convograph.db.tables import Branch, Message
from convograph.db.write_gates import ConversationBusy
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError, user_error
from convograph.schema.request_errors import WritesQueued
from convograph.schema.types import Info

T = TypeVar("T")
S = TypeVar("S")


Target = uuid.UUID | tuple[type[Message] | type[Branch], uuid.UUID] | None
"""The conversation a mutation writes to: its id, or a message or branch of it."""


async def mutate(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    success: Callable[[T], S],
    target: Target = None,
) -> S | NotFoundError | ValidationError | ConflictError:
    """Run `work` in its own transaction; on success, present what it returned.

    A write to a known conversation first takes one of its write turns (see
    write_gates), so a locked conversation cannot take every pooled connection.
    The request's loaders are replaced once the transaction commits, so the payload (and
    any later field of the same request) reads the data as it now is; the events it
    recorded go to the broker only then.
    """
    database = info.context.database
    conversation_id = (
        await database.conversation_of(*target) if isinstance(target, tuple) else target
    )
    try:
        async with database.transaction(conversation_id) as session:
            outcome = await work(session)
    except DomainError as error:
        return user_error(error)
    except ConversationBusy as busy:
        raise WritesQueued(
            f"Conversation {busy.conversation_id} has more writes under way than this"
            f" server lets wait for it (none has finished for {busy.wait_seconds:g} s):"
            " another transaction may hold it; try again shortly."
        ) from None
    info.context.refresh_loaders(_rows_in(outcome))
    if info.context.broker is not None:
        info.context.broker.committed(recorded_events(session))
    return success(outcome)


def _rows_in(outcome: object) -> list[object]:
    """The rows a unit of work returned: itself, or the members of a tuple or dataclass."""
    if isinstance(outcome, tuple):
        return list(outcome)
    if is_dataclass(outcome):
        return [getattr(outcome, f.name) for f in fields(outcome)]
    return [outcome]
