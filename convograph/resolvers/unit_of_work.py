"""How every mutation runs: one transaction, domain errors returned as UserErrors, the
input's expectedVersion checked and its idempotencyKey honoured."""

import dataclasses
import uuid
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
from convograph.db.tables import Branch, Message
from convograph.db.write_gates import ConversationBusy
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError, user_error
from convograph.schema.request_errors import WritesQueued
from convograph.schema.types import Info

T = TypeVar("T")
S = TypeVar("S")


Target = uuid.UUID | tuple[type[Message] | type[Branch], uuid.UUID] | None
"""The conversation a mutation writes to: its id, or a message or branch of it."""


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
    target: Target = None,
    *,
    input: object = None,
    retryable: "Retryable[T] | None" = None,
) -> S | NotFoundError | ValidationError | ConflictError:
    """Run `work` in its own transaction; on success, present what it returned.

    A write to a known conversation (`target`) first takes one of its write turns (see
    write_gates), so a locked conversation cannot take every pooled connection. `input`
    may carry `expectedVersion` (checked when `work` locks its conversation) and, with
    `retryable`, an `idempotencyKey`. The request's loaders are replaced once the
    transaction commits, so the payload (and any later field of the same request) reads
    the data as it now is; the events it recorded go to the broker only then.
    """
    database = info.context.database
    expected = getattr(input, "expected_version", None)
    key = getattr(input, "idempotency_key", None)
    try:
        conversation_id = (
            await database.conversation_of(*target) if isinstance(target, tuple) else target
        )
        if key is not None and retryable is not None:
            request = idempotency.request_of(
                info.context.subject, key, retryable.operation, _plain(input, "idempotency_key")
            )
            outcome, session = await _keyed(
                info, work, retryable, request, expected, conversation_id
            )
        else:
            async with database.transaction(conversation_id) as session:
                expect_version(session, expected)
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


async def _keyed(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    retryable: Retryable[T],
    request: idempotency.Request,
    expected: int | None,
    conversation_id: uuid.UUID | None,
) -> tuple[T, AsyncSession]:
    """The first result under the key, or `work` done and stored under it.

    A concurrent request with the same key makes the claim fail once the other commits;
    the second attempt then finds the stored result.
    """
    retention = timedelta(hours=info.context.settings.idempotency_retention_hours)
    for attempt in range(2):
        try:
            async with info.context.database.transaction(conversation_id) as session:
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
