"""How every mutation runs: one transaction, domain errors returned as UserErrors, the
input's expectedVersion checked and its idempotencyKey honoured."""

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import idempotency
from convograph.db.access import expect_version
from convograph.db.errors import DomainError
from convograph.db.events import recorded_events
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError, user_error
from convograph.schema.types import Info

T = TypeVar("T")
S = TypeVar("S")


@dataclass(frozen=True)
class Retryable(Generic[T]):
    """How a mutation's outcome is kept under an idempotency key, and found again: the
    ids of what it made, and a read of those rows."""

    operation: str
    describe: Callable[[T], dict[str, Any]]
    replay: Callable[[AsyncSession, dict[str, Any]], Awaitable[T]]


async def mutate(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    success: Callable[[T], S],
    *,
    input: object = None,
    retryable: "Retryable[T] | None" = None,
) -> S | NotFoundError | ValidationError | ConflictError:
    """Run `work` in its own transaction; on success, present what it returned.

    `input` may carry `expectedVersion` (checked when `work` locks its conversation) and,
    with `retryable`, an `idempotencyKey`. The request's loaders are replaced once the
    transaction commits, so the payload (and any later field of the same request) reads
    the data as it now is; the events it recorded go to the broker only then.
    """
    expected = getattr(input, "expected_version", None)
    key = getattr(input, "idempotency_key", None)
    try:
        if key is not None and retryable is not None:
            request = idempotency.request_of(
                info.context.subject, key, retryable.operation, _plain(input, "idempotency_key")
            )
            outcome, session = await _keyed(info, work, retryable, request, expected)
        else:
            async with info.context.database.transaction() as session:
                expect_version(session, expected)
                outcome = await work(session)
    except DomainError as error:
        return user_error(error)
    info.context.refresh_loaders(_rows_in(outcome))
    if info.context.broker is not None:
        info.context.broker.committed(recorded_events(session))
    return success(outcome)


async def _keyed(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    retryable: Retryable[T],
    request: idempotency.Request,
    expected: int | None,
) -> tuple[T, AsyncSession]:
    """The first result under the key, or `work` done and stored under it.

    A concurrent request with the same key makes the claim fail once the other commits;
    the second attempt then finds the stored result.
    """
    retention = timedelta(hours=info.context.settings.idempotency_retention_hours)
    for attempt in range(2):
        try:
            async with info.context.database.transaction() as session:
                stored = await idempotency.stored_result(session, request, retention)
                if stored is not None:
                    return await retryable.replay(session, stored), session
                await idempotency.claim(session, request)
                expect_version(session, expected)
                outcome = await work(session)
                await idempotency.complete(session, request, retryable.describe(outcome))
            return outcome, session
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _plain(input: object, *left_out: str) -> object:
    """The input as plain data for hashing, without the named fields."""
    if not is_dataclass(input) or isinstance(input, type):
        return input
    return {k: v for k, v in dataclasses.asdict(input).items() if k not in left_out}


def _rows_in(outcome: object) -> list[object]:
    """The rows a unit of work returned: itself, or the members of a tuple or dataclass."""
    if isinstance(outcome, tuple):
        return list(outcome)
    if is_dataclass(outcome):
        return [getattr(outcome, f.name) for f in fields(outcome)]
    return [outcome]
