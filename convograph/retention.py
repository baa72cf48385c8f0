"""Pruning old events in the background, a bounded batch per transaction."""

import asyncio
import contextlib
import logging
from datetime import timedelta

from convograph.db.engine import Database
from convograph.db.events import prune_events

logger = logging.getLogger("convograph.retention")

PRUNE_BATCH_SIZE = 1000


async def prune_old_events(database: Database, retention: timedelta) -> int:
    """Delete every event older than `retention` (but each conversation's latest), in batches
    small enough that no transaction holds locks for long. Returns how many went."""
    total = 0
    while True:
        async with database.transaction() as session:
            deleted = await prune_events(session, retention, PRUNE_BATCH_SIZE)
        total += deleted
        if deleted < PRUNE_BATCH_SIZE:
            return total


async def prune_periodically(
    database: Database, retention: timedelta, interval: float, stop: asyncio.Event
) -> None:
    """Prune now and every `interval` seconds until `stop` is set.

    Stopping waits for the batch in flight instead of cancelling it mid-statement.
    """
    while not stop.is_set():
        try:
            deleted = await prune_old_events(database, retention)
            if deleted:
                logger.info("pruned %d events older than %s", deleted, retention)
        except Exception:  # the next round tries again
            logger.exception("pruning events failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
