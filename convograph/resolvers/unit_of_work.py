"""How every mutation runs: one transaction, domain errors returned as UserErrors."""

from collections.abc import Awaitable, Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.errors import DomainError
from convograph.db.events import recorded_events
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError, user_error
from convograph.schema.types import Info

T = TypeVar("T")
S = TypeVar("S")


async def mutate(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    success: Callable[[T], S],
) -> S | NotFoundError | ValidationError | ConflictError:
    """Run `work` in its own transaction; on success, present what it returned.

    The request's loaders are replaced once the transaction commits, so the payload (and
    any later field of the same request) reads the data as it now is; the events it
    recorded go to the broker only then.
    """
    try:
        async with info.context.database.transaction() as session:
            outcome = await work(session)
    except DomainError as error:
        return user_error(error)
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
