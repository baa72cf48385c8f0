"""Idempotency keys: a mutation retried with the same key returns its first result.

The key is claimed at the start of the mutation's transaction (a row in
`idempotency_key`) and completed with what the mutation made before it commits, so the
key is stored exactly when the write is. A concurrent request with the same key waits on
that row's unique index and, once the first commits, fails and finds it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.errors import Conflict, InvalidInput
from convograph.db.tables import IdempotencyKey, utcnow

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Request:
    """One keyed request: whose, which operation, and a digest of its input."""

    owner: str
    key: str
    operation: str
    request_hash: str


def request_of(owner: str, key: str, operation: str, input: Any) -> Request:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} printable characters.",
            "idempotencyKey",
        )
    canonical = json.dumps(input, sort_keys=True, default=str, separators=(",", ":"))
    return Request(owner, key, operation, hashlib.sha256(canonical.encode()).hexdigest())


async def stored_result(
    session: AsyncSession, request: Request, retention: timedelta
) -> dict[str, Any] | None:
    """The result stored for the request's key within the retention window, if any.

    A key used for another operation or other input is a Conflict; one older than the
    window is forgotten here, so that it may be used afresh.
    """
    row = await session.get(IdempotencyKey, (request.owner, request.key))
    if row is None:
        return None
    cutoff: datetime = utcnow() - retention
    if row.created_at < cutoff:
        await session.delete(row)
        await session.flush()
        return None
    if (row.operation, row.request_hash) != (request.operation, request.request_hash):
        raise Conflict(
            f"idempotencyKey {request.key!r} was used for other input"
            f" ({row.operation}); use a new key for a new request.",
            "idempotencyKey",
        )
    return row.result


async def claim(session: AsyncSession, request: Request) -> None:
    """Take the key for this transaction; a concurrent holder makes this wait, then fail."""
    await session.execute(
        insert(IdempotencyKey.__table__).values(  # type: ignore[attr-defined]
            owner=request.owner,
            key=request.key,
            operation=request.operation,
            request_hash=request.request_hash,
            result={},
            created_at=utcnow(),
        )
    )


async def complete(session: AsyncSession, request: Request, result: dict[str, Any]) -> None:
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.owner == request.owner, IdempotencyKey.key == request.key)  # type: ignore[arg-type]
        .values(result=result)
        .execution_options(synchronize_session=False)
    )


async def prune_keys(session: AsyncSession, retention: timedelta, batch_size: int) -> int:
    """Delete up to `batch_size` keys older than `retention`; returns how many went."""
    cutoff: datetime = utcnow() - retention
    doomed = (
        select(IdempotencyKey.owner, IdempotencyKey.key)
        .where(IdempotencyKey.created_at < cutoff)  # type: ignore[arg-type]
        .limit(batch_size)
    )
    rows = list((await session.execute(doomed)).all())
    if rows:
        await session.execute(
            delete(IdempotencyKey)
            .where(tuple_(IdempotencyKey.owner, IdempotencyKey.key).in_(rows))
            .execution_options(synchronize_session=False)
        )
    return len(rows)
