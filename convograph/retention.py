"""Background upkeep, a bounded batch per transaction: pruning old events, compacting the
delta events of finished messages, and failing streamed messages whose writer went quiet."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.engine import Database
from convograph.db.events import prune_events
from convograph.db.idempotency import prune_keys
from convograph.db.streaming import compact_deltas, fail_if_stale, stale_messages

logger = logging.getLogger("convograph.retention")

PRUNE_BATCH_SIZE = 1000


BatchDelete = Callable[[AsyncSession, timedelta, int], Awaitable[int]]


async def _in_batches(database: Database, delete: BatchDelete, age: timedelta) -> int:
    """Run `delete` a batch per transaction until a batch comes back short: how many went."""
    total = 0
    while True:
        async with database.transaction() as session:
            deleted = await delete(session, age, PRUNE_BATCH_SIZE)
        total += deleted
        if deleted < PRUNE_BATCH_SIZE:
            return total


async def prune_old_events(database: Database, retention: timedelta) -> int:
    """Delete every event older than `retention` (but each conversation's latest), in batches
    small enough that no transaction holds locks for long. Returns how many went."""
    return await _in_batches(database, prune_events, retention)


async def compact_finished_deltas(database: Database, finished_for: timedelta) -> int:
    """Delete the delta events of messages finished more than `finished_for` ago."""
    return await _in_batches(database, compact_deltas, finished_for)


async def prune_idempotency_keys(database: Database, retention: timedelta) -> int:
    """Delete the idempotency keys older than `retention` (a retry then writes afresh)."""
    return await _in_batches(database, prune_keys, retention)


async def fail_stale_messages(database: Database, quiet_for: timedelta) -> int:
    """Mark FAILED every IN_PROGRESS message without an append for `quiet_for`, each in a
    transaction of its own (it locks that message's conversation). Returns how many."""
    failed = 0
    while True:
        async with database.read() as session:
            stale = await stale_messages(session, quiet_for, PRUNE_BATCH_SIZE)
        for message_id, _conversation_id in stale:
            async with database.transaction() as session:
                failed += await fail_if_stale(session, message_id, quiet_for)
        if len(stale) < PRUNE_BATCH_SIZE:
            return failed


async def prune_periodically(
    database: Database,
    retention: timedelta,
    interval: float,
    stop: asyncio.Event,
    *,
    compact_after: timedelta | None = None,
    key_retention: timedelta | None = None,
) -> None:
    """Prune events (and idempotency keys older than `key_retention`, and compact deltas
    finished `compact_after` ago) now and every `interval` seconds until `stop` is set.

    Stopping waits for the batch in flight instead of cancelling it mid-statement.
    """
    while not stop.is_set():
        try:
            deleted = await prune_old_events(database, retention)
            if deleted:
                logger.info("pruned %d events older than %s", deleted, retention)
            if compact_after is not None:
                compacted = await compact_finished_deltas(database, compact_after)
                if compacted:
                    logger.info("compacted %d delta events of finished messages", compacted)
            if key_retention is not None:
                await prune_idempotency_keys(database, key_retention)
        except Exception:  # the next round tries again
            logger.exception("pruning events failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


async def fail_stale_periodically(
    database: Database, quiet_for: timedelta, stop: asyncio.Event
) -> None:
    """Fail abandoned streams until `stop` is set, checking four times per `quiet_for`, so
    that one is failed at most a quarter of the timeout late."""
    while not stop.is_set():
        try:
            failed = await fail_stale_messages(database, quiet_for)
            if failed:
                logger.info("marked %d abandoned streamed messages FAILED", failed)
        except Exception:  # the next round tries again
            logger.exception("failing abandoned streams failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), quiet_for.total_seconds() / 4)
