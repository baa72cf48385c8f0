"""Fan-out: one event, executed and encoded once per distinct subscription, not once per
subscriber.

graphql-core executes a subscription's selection set for every event of every
subscriber, and strawberry then wraps, checks and encodes each result. Subscribers of one
conversation that sent the same document with the same variables, and see the same
owners' data, would all get the same answer: the first to reach an event executes it and
stores the result on the event's payload (one object, shared by every subscriber the
broker handed that event to); the others wait for that one execution.

Over a WebSocket the transport also puts an `EventSender` in the operation's task
(`EVENT_SENDER`): then a shared result without errors is encoded once, and each
subscriber's task sends that text with its own operation id, straight from the event
stream, without graphql-core's and strawberry's work per result. Everything else (the
LIVE item, a result with errors, an error that ends the stream) takes the usual way, in
order with the rest, since both ways run in the subscriber's one task.
"""

import asyncio
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable
from contextvars import ContextVar
from functools import cached_property
from typing import Any, Protocol, TypeVar

import orjson
from graphql import ExecutionResult, OperationDefinitionNode, OperationType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from convograph.resolvers.events import RESULTS_ATTRIBUTE

T = TypeVar("T")


class EventSender(Protocol):
    """How one subscription's transport sends a result it did not have to build."""

    def encode(self, payload: dict[str, object]) -> str: ...

    async def send_next(self, payload: str) -> None:
        """Send the encoded `payload` as this operation's next result."""


# Set by the transport in each operation's own task, so it is this operation's sender.
EVENT_SENDER: ContextVar[EventSender | None] = ContextVar("event_sender", default=None)


class SharedResult:
    """One execution of one event for the subscribers that share it, and its encoding."""

    def __init__(self, operation: OperationDefinitionNode) -> None:
        # Held so that the operation's id, part of the sharing key, is not reused meanwhile.
        self.operation = operation
        self.finished = False
        self._done = asyncio.Event()
        self._result: ExecutionResult | None = None
        self._error: Exception | None = None
        self._text: str | None = None
        self._task: asyncio.Future[None] | None = None

    def start(self, outcome: Any, is_awaitable: Callable[[Any], bool]) -> None:
        if not is_awaitable(outcome):
            self._settled(outcome)
            return
        # Its own task: a subscriber that leaves meanwhile does not cancel it for the others.
        self._task = asyncio.ensure_future(self._awaited(outcome))

    async def _awaited(self, outcome: Awaitable[ExecutionResult]) -> None:
        try:
            self._settled(await outcome)
        except Exception as error:  # each subscriber's stream reports it (api.error_codes)
            self._error = error
            self._settled(None)

    def _settled(self, result: ExecutionResult | None) -> None:
        self._result = result
        self.finished = True
        self._done.set()

    async def wait(self) -> None:
        await self._done.wait()

    def outcome(self) -> ExecutionResult:
        if self._result is None:
            raise self._error or RuntimeError("the shared execution did not finish")
        return self._result

    def encoded(self, encode: Callable[[dict[str, object]], str]) -> str | None:
        """The `next` payload's text; None when the result has errors (strawberry codes
        and masks those for each subscriber)."""
        result = self._result
        if result is None or result.errors or result.extensions:
            return None
        if self._text is None:
            self._text = encode({"data": result.data})
        return self._text


class SharedEventExecution(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        results: dict[tuple[Any, ...], SharedResult] | None = getattr(
            self.root_value, RESULTS_ATTRIBUTE, None
        )
        if results is None:
            return super().execute_operation(serially)
        shared = self._shared(results, serially)
        if shared.finished:
            return shared.outcome()
        return _outcome_of(shared)

    def _shared(
        self, results: dict[tuple[Any, ...], SharedResult], serially: bool | None = None
    ) -> SharedResult:
        """This event's execution for this executor's sharing group, started if need be."""
        key = self._sharing_key
        shared = results.get(key)
        if shared is None:
            shared = results[key] = SharedResult(self.operation)
            shared.start(super().execute_operation(serially), self.is_awaitable)
        return shared

    @cached_property
    def _sharing_key(self) -> tuple[Any, ...]:
        """Same document, variables and visibility. Computed once per subscription: every
        event's executor is a copy of the subscription's."""
        principal = getattr(self.context_value, "principal", None)
        owner = getattr(principal, "owner", principal)
        variables = orjson.dumps(
            self.variable_values.coerced, option=orjson.OPT_SORT_KEYS, default=str
        )
        return (id(self.operation), variables, owner)

    def cancellable_iterable(self, iterable: AsyncIterable[T]) -> AsyncIterable[T]:
        """graphql-core wraps a subscription's event stream with this before mapping each
        event to a result: the place to take shared events off that way."""
        source = super().cancellable_iterable(iterable)
        sender = EVENT_SENDER.get()
        if sender is None or self.operation.operation != OperationType.SUBSCRIPTION:
            return source
        return self._sending_shared(source, sender)

    async def _sending_shared(
        self, source: AsyncIterable[T], sender: EventSender
    ) -> AsyncGenerator[T, None]:
        """The events that still need graphql-core, after sending the shared ones."""
        events = aiter(source)
        try:
            async for payload in events:
                text = await self._shared_text(payload, sender)
                if text is None:
                    yield payload
                else:
                    await sender.send_next(text)
        finally:
            # The resolver's stream ends with this one (it unsubscribes in its finally).
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _shared_text(self, payload: object, sender: EventSender) -> str | None:
        results: dict[tuple[Any, ...], SharedResult] | None = getattr(
            payload, RESULTS_ATTRIBUTE, None
        )
        if results is None:
            return None
        shared = results.get(self._sharing_key)
        if shared is None:
            event_executor = self.build_per_event_executor(payload)
            shared = event_executor._shared(results)  # type: ignore[attr-defined]
        if not shared.finished:
            await shared.wait()
        return shared.encoded(sender.encode)


async def _outcome_of(shared: SharedResult) -> ExecutionResult:
    await shared.wait()
    return shared.outcome()
