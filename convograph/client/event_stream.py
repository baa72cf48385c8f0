"""Following one conversation's events over WebSocket (graphql-transport-ws), resuming by
itself after a dropped connection.

A resumed subscription asks for the events after the last sequence it yielded: the server
replays those from its table, so none is missed and none comes twice.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from convograph.client.errors import (
    ConvographError,
    GraphQLRequestError,
    NotFoundError,
    TransportError,
)
from convograph.client.generated.base_model import UNSET
from convograph.client.generated.enums import ConversationEventKind
from convograph.client.generated.exceptions import (
    GraphQLClientError,
    GraphQLClientInvalidMessageFormat,
)
from convograph.client.generated.fragments import EventDetails
from convograph.client.graphql_client import PersistedClient, call, described
from convograph.client.retries import backoff_delay

# Codes a resumed subscription may not meet again: a subscriber that fell behind its queue,
# a server that was briefly unavailable (a subscription cap over LIMIT_EXCEEDED passes too,
# once one ends).
PASSING_CODES = frozenset({"LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE"})
# graphql-transport-ws closes: 4401 and 4403 refuse the token, 4408 is a handshake that
# took too long (it may pass); any other 44xx says the client is at fault.
REFUSED_TOKEN_CLOSES = frozenset({4401, 4403})
SLOW_HANDSHAKE_CLOSE = 4408
# A connection that lasted this long was sound: its loss starts the count of tries anew.
SOUND_CONNECTION_SECONDS = 10.0
# A message may hold a whole message's content; far above the server's content limit.
MAX_FRAME_BYTES = 64 * 1024 * 1024


class _Passing(Exception):
    """The stream was cut off in a way that a new subscription may not be."""

    def __init__(self, cause: ConvographError) -> None:
        super().__init__(str(cause))
        self.cause = cause


async def follow_conversation(
    graphql: PersistedClient,
    conversation_id: uuid.UUID,
    after_sequence: int | None,
    *,
    with_messages: bool,
    max_retries: int | None,
    open_timeout: float,
) -> AsyncGenerator[EventDetails]:
    """The conversation's events in sequence order until CONVERSATION_DELETED (the last one
    yielded); see `ConversationsClient.events`."""
    last = after_sequence
    failures = 0
    while True:
        started = time.monotonic()
        stream = _subscription(graphql, conversation_id, last, with_messages, open_timeout)
        async with aclosing(stream):
            while True:
                try:
                    event = await anext(stream)
                except StopAsyncIteration:
                    # Only CONVERSATION_DELETED or an error ends the stream: this was a
                    # clean close (a server going down), not its end.
                    lost = TransportError("The server closed the event stream.")
                    break
                except _Passing as passing:
                    lost = passing.cause
                    break
                if last is not None and event.sequence <= last:
                    continue
                last, failures = event.sequence, 0
                yield event
                if event.kind == ConversationEventKind.CONVERSATION_DELETED:
                    return
        if time.monotonic() - started >= SOUND_CONNECTION_SECONDS:
            failures = 0
        failures += 1
        if max_retries is not None and failures > max_retries:
            raise TransportError(
                f"The event stream is lost: {max_retries} tries to resume it failed ({lost})"
            ) from lost
        await asyncio.sleep(backoff_delay(failures))


async def _subscription(
    graphql: PersistedClient,
    conversation_id: uuid.UUID,
    after_sequence: int | None,
    with_messages: bool,
    open_timeout: float,
) -> AsyncIterator[EventDetails]:
    """One subscription's events; a failure that may pass raises _Passing."""
    stream = graphql.conversation_events(
        conversation_id=conversation_id,
        with_message=with_messages,
        after_sequence=UNSET if after_sequence is None else after_sequence,
        open_timeout=open_timeout,
        max_size=MAX_FRAME_BYTES,
    )
    async with aclosing(stream):
        while True:
            try:
                item = await call(anext(stream))
            except StopAsyncIteration:
                return
            except Exception as error:
                failure = _failure(error, conversation_id)
                if failure is error:
                    raise
                raise failure from error
            yield item.event


def _failure(error: Exception, conversation_id: uuid.UUID) -> Exception:
    """The SDK error for a subscription's failure, as a _Passing when a retry may fare
    better; what the SDK cannot tell stays as it was."""
    if isinstance(error, GraphQLRequestError):
        if error.code == "NOT_FOUND":
            return NotFoundError(
                "NOT_FOUND", f"No conversation with id {conversation_id}.", "conversationId"
            )
        return _Passing(error) if error.code in PASSING_CODES else error
    if isinstance(error, ConnectionClosed):
        return _closed(error)
    if isinstance(error, InvalidStatus):
        status = error.response.status_code
        refused = TransportError(f"The server refused the WebSocket with HTTP {status}.", status)
        return refused if status < 500 else _Passing(refused)
    if isinstance(error, GraphQLClientInvalidMessageFormat):
        return TransportError("The server does not speak graphql-transport-ws.")
    if isinstance(error, OSError | TimeoutError | InvalidHandshake | GraphQLClientError):
        return _Passing(TransportError(f"Cannot reach the server: {described(error)}."))
    return error


def _closed(error: ConnectionClosed) -> Exception:
    code = error.rcvd.code if error.rcvd is not None else None
    reason = error.rcvd.reason if error.rcvd is not None else ""
    if code in REFUSED_TOKEN_CLOSES:
        detail = reason or "The token was refused."
        return GraphQLRequestError([{"message": detail, "extensions": {"code": "UNAUTHENTICATED"}}])
    how = f"with {code} {reason}".rstrip() if code is not None else "without a close frame"
    lost = TransportError(f"The connection was closed {how}.")
    if code is not None and 4400 <= code < 4500 and code != SLOW_HANDSHAKE_CLOSE:
        return lost
    return _Passing(lost)
