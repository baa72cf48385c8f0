"""GraphQL over WebSocket, on both protocols, made strict where strawberry's handlers trust
the client.

A message of the wrong shape gets the protocol's own answer instead of a traceback:
graphql-transport-ws closes the socket with 4400 and a reason; the legacy graphql-ws
(subscriptions-transport-ws) answers `error` (or `connection_error` during the handshake)
and carries on. Legacy sockets also run queries and mutations, as that protocol allows.
A socket acts for its token's lifetime only: it is closed with 4401 when the token
expires, and nothing it sends afterwards runs. Operations per connection and
subscriptions per owner (in this process) are capped; an operation over a cap gets an
error with `extensions.code` LIMIT_EXCEEDED.
"""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncGenerator, Mapping
from json import JSONDecodeError
from typing import Any, Protocol

from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import MissingQueryError
from strawberry.http.exceptions import NonTextMessageReceived, WebSocketDisconnected
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from convograph.api.shared_events import EVENT_SENDER
from convograph.context import Context
from convograph.schema.request_errors import RequestErrorCode

# graphql-transport-ws's close codes.
BAD_MESSAGE = 4400
UNAUTHORIZED = 4401
TOKEN_EXPIRED_REASON = "The token has expired."


class MalformedJSON:
    """A frame that did not parse as JSON (for the legacy protocol, which answers it)."""


MALFORMED_JSON = MalformedJSON()


class WebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter, except that an unparsable frame is handed on (the legacy
    handler answers it rather than skipping it silently) and that nothing is sent to a
    socket already closed (an expiry or a protocol error closed it under a running
    operation)."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object]:
        if not ignore_parsing_errors:
            async for message in super().iter_json():
                yield message
            return
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                try:
                    yield self.view.decode_json(text)
                except JSONDecodeError:
                    yield MALFORMED_JSON
        except KeyError as error:
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass

    async def send_json(self, message: Mapping[str, object]) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        try:
            await super().send_json(message)
        except RuntimeError:  # closed between the check and the send
            raise WebSocketDisconnected from None

    async def send_text(self, text: str) -> None:
        """A message already encoded."""
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        try:
            await self.ws.send_text(text)
        except (RuntimeError, WebSocketDisconnect):
            raise WebSocketDisconnected from None

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state != WebSocketState.DISCONNECTED:
            await super().close(code, reason)


class NextMessages:
    """One operation's EventSender: a shared payload, encoded once for every subscriber,
    goes out in this operation's own message (`next` or, on graphql-ws, `data`)."""

    def __init__(self, websocket: WebSocketAdapter, operation_id: str, message_type: str) -> None:
        self._websocket = websocket
        self._start = f'{{"id":{json.dumps(operation_id)},"type":"{message_type}","payload":'

    def encode(self, payload: dict[str, object]) -> str:
        encoded = self._websocket.view.encode_json(payload)
        return encoded.decode() if isinstance(encoded, bytes) else encoded

    async def send_next(self, payload: str) -> None:
        # A closed socket: its handler is shutting down and cancels this operation.
        with contextlib.suppress(WebSocketDisconnected):
            await self._websocket.send_text(f"{self._start}{payload}}}")


def _operation_problem(payload: object) -> str | None:
    """What is wrong with a `subscribe`/`start` payload, if anything."""
    if not isinstance(payload, dict):
        return "`payload` must be an object."
    query = payload.get("query")
    if not isinstance(query, str):
        return "`payload.query` must be a string."
    if not query.strip():
        return "`payload.query` must hold a GraphQL document."
    if not isinstance(payload.get("variables"), dict | None):
        return "`payload.variables` must be an object."
    if not isinstance(payload.get("operationName"), str | None):
        return "`payload.operationName` must be a string."
    if not isinstance(payload.get("extensions"), dict | None):
        return "`payload.extensions` must be an object."
    return None


def message_problem(message: object, operation_types: tuple[str, ...]) -> str | None:
    """What is wrong with a client message's shape, if anything (its type's meaning is
    the handler's business)."""
    if not isinstance(message, dict):
        return "A message must be a JSON object."
    kind = message.get("type")
    if not isinstance(kind, str):
        return "A message needs a string `type`."
    if kind in (*operation_types, "complete", "stop"):
        identifier = message.get("id")
        if not isinstance(identifier, str) or not identifier:
            return "`id` must be a non-empty string."
    if kind in operation_types:
        return _operation_problem(message.get("payload"))
    if kind == "connection_init" and not isinstance(message.get("payload"), dict | None):
        return "`payload` must be an object."
    return None


def _limit_error(detail: str) -> dict[str, Any]:
    return GraphQLError(
        detail, extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value}
    ).formatted  # type: ignore[return-value]


def _operation_error(error: Exception) -> str:
    """Our sentence for strawberry's refusals of a document before it runs."""
    if isinstance(error, MissingQueryError):
        return "No GraphQL query found in the message."
    if isinstance(error, CannotGetOperationTypeError):
        return error.as_http_error_reason()
    return "This operation cannot run here."


class _Handler(Protocol):
    context: Context

    async def _close_expired(self) -> None: ...


class TokenLifetime:
    """Closes a socket when its principal's token expires."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def expired(self, context: Context) -> bool:
        expires_at = context.principal.expires_at
        return expires_at is not None and time.time() >= expires_at

    def watch(self, handler: _Handler) -> None:
        """(Re)arm the timer for the principal the socket now acts as."""
        self.cancel()
        expires_at = handler.context.principal.expires_at
        if expires_at is not None:
            self._task = asyncio.create_task(self._close_at(handler, expires_at))

    async def _close_at(self, handler: _Handler, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await handler._close_expired()

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None


class _LimitedHandler:
    """What both protocols' handlers add to strawberry's: the token's lifetime, and the
    connection's cap on operations. Listed first among a handler's bases."""

    context: Context
    websocket: WebSocketAdapter
    connection_acknowledged: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lifetime = TokenLifetime()
        self.max_operations = self.context.settings.max_subscriptions_per_connection

    async def _handle_checked(self, message: dict[str, Any]) -> None:
        """Hand a well-formed message of a live token to strawberry's handler."""
        if message["type"] == "connection_init" and message.get("payload") is None:
            message = {**message, "payload": {}}  # the protocol lets it be left out
        await super().handle_message(message)  # type: ignore[misc]
        if message["type"] == "connection_init" and self.connection_acknowledged:
            self.lifetime.watch(self)

    def _over_cap(self, operation_id: str, running: Mapping[str, object]) -> bool:
        return (
            self.connection_acknowledged
            and operation_id not in running
            and len(running) >= self.max_operations
        )

    def _cap_error(self, how_to_end_one: str) -> dict[str, Any]:
        return _limit_error(
            f"This connection already runs {self.max_operations} operations, the most"
            f" it may: {how_to_end_one} one first, or open another connection."
        )

    async def _close_expired(self) -> None:
        await self.websocket.close(code=UNAUTHORIZED, reason=TOKEN_EXPIRED_REASON)


class TransportWSHandler(_LimitedHandler, BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws."""

    async def handle_message(self, message: Any) -> None:
        if problem := message_problem(message, ("subscribe",)):
            await self.handle_invalid_message(problem)
            return
        if self.lifetime.expired(self.context):
            await self._close_expired()
            return
        await self._handle_checked(message)

    async def handle_subscribe(self, message: Any) -> None:
        if self._over_cap(message["id"], self.operations):
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [self._cap_error("complete")]}
            )
            return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Any) -> None:
        # This runs as the operation's own task: the sender is this operation's only.
        EVENT_SENDER.set(NextMessages(self.websocket, operation.id, "next"))  # type: ignore[arg-type]
        # Already answered (handle_task_exception); strawberry re-raises them as faults.
        with contextlib.suppress(
            CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError
        ):
            await super().run_operation(operation)

    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(
            error, CannotGetOperationTypeError | InvalidOperationTypeError | MissingQueryError
        ):
            await self.handle_invalid_message(_operation_error(error))
            return
        await super().handle_task_exception(error)

    async def shutdown(self) -> None:
        self.lifetime.cancel()
        await super().shutdown()


class LegacyWSHandler(_LimitedHandler, BaseGraphQLWSHandler[Context, None]):
    """graphql-ws, the protocol of subscriptions-transport-ws: an `error` per bad message."""

    async def handle_message(self, message: Any) -> None:
        if message is MALFORMED_JSON:
            await self._send_error(None, "A message must be valid JSON.")
            return
        if problem := message_problem(message, ("start",)):
            identifier = message.get("id") if isinstance(message, dict) else None
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "connection_init":
                await self.send_message(
                    {"type": "connection_error", "payload": {"message": problem}}
                )
                return
            await self._send_error(identifier if isinstance(identifier, str) else None, problem)
            return
        if self.lifetime.expired(self.context):
            await self._close_expired()
            return
        if message["type"] not in ("connection_init", "connection_terminate", "start", "stop"):
            await self._send_error(message.get("id"), f"Unknown message type {message['type']!r}.")
            return
        await self._handle_checked(message)

    async def handle_start(self, message: Any) -> None:
        if self._over_cap(message["id"], self.tasks):
            await self.send_message(
                {"type": "error", "id": message["id"], "payload": self._cap_error("stop")}
            )
            return
        await super().handle_start(message)

    async def handle_async_results(
        self,
        operation_id: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> None:
        """As strawberry's, through `stream`: queries and mutations run too."""
        # This runs as the operation's own task: the sender is this operation's only.
        EVENT_SENDER.set(NextMessages(self.websocket, operation_id, "data"))  # type: ignore[arg-type]
        try:
            result_source = await self.schema.stream(
                query,
                variable_values=variables,
                operation_name=operation_name,
                context_value=self.context,
                root_value=self.root_value,
            )
            self.subscriptions[operation_id] = result_source  # type: ignore[assignment]
            async with aclosing(result_source):
                await self._send_results(operation_id, result_source)
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError) as error:
            await self._send_error(operation_id, _operation_error(error))
        except asyncio.CancelledError:
            with contextlib.suppress(WebSocketDisconnected):
                await self.send_message({"type": "complete", "id": operation_id})
        finally:
            self.subscriptions.pop(operation_id, None)
            self.tasks.pop(operation_id, None)

    async def _send_results(self, operation_id: str, result_source: Any) -> None:
        first = True
        async for result in result_source:
            if first and isinstance(result, PreExecutionError):
                assert result.errors
                await self.send_message(
                    {"type": "error", "id": operation_id, "payload": result.errors[0].formatted}
                )
                return
            if not isinstance(result, ExecutionResult):
                await self._send_error(operation_id, "Incremental delivery is not supported.")
                return
            await self.send_data_message(result, operation_id)
            first = False
        await self.send_message({"type": "complete", "id": operation_id})

    async def _send_error(self, operation_id: str | None, detail: str) -> None:
        message: dict[str, Any] = {"type": "error", "payload": {"message": detail}}
        if operation_id is not None:
            message["id"] = operation_id
        await self.send_message(message)  # type: ignore[arg-type]

    async def cleanup(self) -> None:
        self.lifetime.cancel()
        await super().cleanup()
