"""Parse each distinct document once per process.

Clients send the same few documents over and over; parsing one is a fixed cost per
request that a cache removes. Strawberry's ParserCache parses inside the extension hook,
where a syntax error escapes the operation without the code that ErrorCodes gives every
other error. Here a document that does not parse is simply not cached: strawberry parses
it again in its own step, and reports the error the usual way.
"""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension

# Bounded: on a public endpoint anyone can send new documents.
MAX_DOCUMENTS = 256


@lru_cache(maxsize=MAX_DOCUMENTS)
def _parsed(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode:
    return parse(query, **dict(options))


class DocumentCache(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            try:
                options = tuple(sorted(context.parse_options.items()))
                context.graphql_document = _parsed(context.query, options)
            except Exception:  # strawberry parses it again and reports the error
                pass
        yield
