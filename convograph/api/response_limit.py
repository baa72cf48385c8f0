"""A cap on the size of a response: a larger one is replaced, before it is encoded, by a
top-level LIMIT_EXCEEDED error (never a body cut short).

The node limit bounds how many objects a query asks for, not how large they are: a page
of messages of 256 KiB each, under thirty aliases, would be gigabytes of JSON. The result is
measured before encoding, from the lengths of its strings (which the result shares with
the rows it was built from), and the walk stops as soon as the cap is passed.
"""

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from convograph.api.compiled_reads import CompiledResult
from convograph.schema.request_errors import RequestErrorCode

# Quotes, a colon or a comma, and the like, around each value.
PUNCTUATION_BYTES = 3
NUMBER_BYTES = 8


def exceeds(data: Any, most: int) -> bool:
    """Whether `data` encodes to more than about `most` bytes of JSON (counted in
    characters, so never more than the bytes)."""
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
        if size > most:
            return True
    return False


class ResponseLimit(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        most = self.execution_context.context.settings.max_response_bytes
        if isinstance(result, CompiledResult):
            # Compiled JSON text: its length in characters never exceeds its bytes.
            over = len(result.text) > most
        else:
            over = isinstance(result, ExecutionResult) and exceeds(result.data, most)
        if over:
            # In place: strawberry holds this result object already.
            assert result is not None
            result.data = None
            result.errors = [
                GraphQLError(
                    f"The response would exceed {most} bytes. Ask for fewer or smaller "
                    "objects: smaller pages, fewer fields or aliases.",
                    extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value},
                )
            ]
