"""When and how the SDK tries a request again: only after failures that may pass (the
server was not reached, timed out, or was briefly unavailable), after a delay that doubles
up to a bound."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from convograph.client.errors import GraphQLRequestError, TransportError

T = TypeVar("T")

FIRST_DELAY_SECONDS = 0.2
MAX_DELAY_SECONDS = 5.0
# Tries of one write before its failure is raised: about 3 s of waiting in all.
WRITE_ATTEMPTS = 5
# Top-level error codes that a later try may not meet.
PASSING_CODES = frozenset({"SERVICE_UNAVAILABLE"})


def backoff_delay(attempt: int) -> float:
    """The pause before try `attempt + 1` (from 1): doubling, at most MAX_DELAY_SECONDS,
    with jitter so that clients cut off together do not come back together."""
    bound = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (attempt - 1))
    return bound * random.uniform(0.5, 1.0)


def is_passing(error: Exception) -> bool:
    """Whether the failure may not happen again: a transport fault without an HTTP answer
    (unreachable, timed out, cut off), a 502-504, or SERVICE_UNAVAILABLE."""
    if isinstance(error, TransportError):
        return error.status_code is None or error.status_code in (502, 503, 504)
    return isinstance(error, GraphQLRequestError) and error.code in PASSING_CODES


async def retrying(operation: Callable[[], Awaitable[T]], attempts: int = WRITE_ATTEMPTS) -> T:
    """`operation()`, tried again after a passing failure, `attempts` times at most.

    Only for requests that are safe to repeat: reads, and writes that the server answers
    the same when repeated (an idempotency key, a delta's index, finishing again)."""
    attempt = 1
    while True:
        try:
            return await operation()
        except (TransportError, GraphQLRequestError) as error:
            if attempt >= attempts or not is_passing(error):
                raise
        await asyncio.sleep(backoff_delay(attempt))
        attempt += 1
