"""A cap on the size of a response: a larger one is replaced by a top-level LIMIT_EXCEEDED
error (never a body cut short), and the work of building it stops as soon as it is known.

The node limit bounds how many objects a query asks for, not how large they are: a page
of messages of 256 KiB each, under thirty aliases, would be gigabytes of JSON. So the
executor (`ResponseSizeCounting`) counts the response as its values complete, from the
lengths of their strings (which the result shares with the rows it was built from): once
past the cap it completes no further object, and the operation's result (each event's, for
a subscription) is the one error. A compiled statement's result is JSON text already,
measured by its length (`ResponseLimit`).
"""

from collections.abc import Iterator
from functools import cached_property
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLError, GraphQLLeafType, GraphQLObjectType
from graphql.pyutils import Path
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from convograph.api.compiled_reads import CompiledResult
from convograph.schema.request_errors import RequestErrorCode
from convograph.settings import Settings

# Quotes, a colon or a comma, and the like, around each value.
PUNCTUATION_BYTES = 3
NUMBER_BYTES = 8


def encoded_size(data: Any) -> int:
    """About how many bytes `data` encodes to as JSON (counted in characters, so never more
    than the bytes): for what orjson cannot encode."""
    size = 0
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            size += len(item) + PUNCTUATION_BYTES
        elif isinstance(item, dict):
            size += PUNCTUATION_BYTES
            for key, value in item.items():
                size += len(key) + PUNCTUATION_BYTES
                pending.append(value)
        elif isinstance(item, list):
            size += PUNCTUATION_BYTES
            pending.extend(item)
        else:
            size += NUMBER_BYTES
    return size


def json_size(value: dict[str, Any] | list[Any]) -> int:
    """The bytes of a JSON scalar's value: encoded in C, which is faster than counting."""
    try:
        return len(orjson.dumps(value))
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, say
        return encoded_size(value)


def compiled_over_cap(text: str, settings: Settings) -> GraphQLError | None:
    """The refusal of a compiled answer over the response cap, or None."""
    most = settings.max_response_bytes
    # Compiled JSON text: its length in characters never exceeds its bytes.
    return too_large(most) if len(text) > most else None


def too_large(most: int) -> GraphQLError:
    return GraphQLError(
        f"The response would exceed {most} bytes. Ask for fewer or smaller objects: "
        "smaller pages, fewer fields or aliases.",
        extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value},
    )


class ResponseSizeCounting(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, counting the response as it completes (see the module)."""

    _response_bytes = 0
    _over_cap = False

    @cached_property
    def _response_cap(self) -> int | None:
        settings = getattr(self.context_value, "settings", None)
        return getattr(settings, "max_response_bytes", None)

    def _count(self, size: int) -> None:
        self._response_bytes += size
        cap = self._response_cap
        if cap is not None and self._response_bytes > cap:
            self._over_cap = True

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if self._over_cap:
            # Its result is thrown away: resolve nothing more, read nothing more.
            return {}
        self._count(
            PUNCTUATION_BYTES * (len(grouped_field_set) + 1) + sum(map(len, grouped_field_set))
        )
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def complete_leaf_value(self, return_type: GraphQLLeafType, result: Any) -> Any:  # type: ignore[override]
        completed = super().complete_leaf_value(return_type, result)
        if isinstance(completed, str):
            self._count(len(completed) + PUNCTUATION_BYTES)
        elif isinstance(completed, dict | list):
            self._count(json_size(completed))
        else:
            self._count(NUMBER_BYTES)
        return completed

    def build_response(self, data: dict[str, Any] | None) -> Any:
        response = super().build_response(data)
        if self._over_cap:
            cap = self._response_cap
            assert cap is not None  # _count sets _over_cap only against a cap
            return ExecutionResult(None, [too_large(cap)])
        return response

    def build_per_event_executor(self, payload: Any) -> Any:
        # Each event's result is a response of its own: counted from zero.
        executor = super().build_per_event_executor(payload)
        executor._response_bytes = 0
        executor._over_cap = False
        return executor


class ResponseLimit(SchemaExtension):
    """The cap on a compiled statement's result (the executor counts every other one)."""

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, CompiledResult):
            refusal = compiled_over_cap(result.text, self.execution_context.context.settings)
            if refusal is not None:
                # In place: strawberry holds this result object already.
                result.data = None
                result.errors = [refusal]
