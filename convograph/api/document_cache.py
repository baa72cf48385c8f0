"""Parse each distinct document once per process, and never twice per request.

Clients send the same few documents over and over; parsing one is a fixed cost per
request that a cache removes. A document that does not parse (a syntax error, or more
tokens than the limit) is remembered too, with its error: parsing up to the token limit is
the costliest part of refusing it, and strawberry would otherwise parse it a second time in
its own step. Its error is handed on as the operation's pre-execution error, with a stand-in
document, so that it gets the code that ErrorCodes gives every other error (an error raised
in this hook would escape the operation without one).
"""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

# Bounded: on a public endpoint anyone can send new documents.
MAX_DOCUMENTS = 256
# Stands in for a document that did not parse; it is never validated nor executed.
UNPARSED = parse("{ __typename }")


@lru_cache(maxsize=MAX_DOCUMENTS)
def _parsed(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode | GraphQLError:
    try:
        return parse(query, **dict(options))
    except GraphQLError as error:
        return error


def parsed_document(context: ExecutionContext) -> DocumentNode | GraphQLError:
    """The request's document, parsed once per process for its text and parse options."""
    assert context.query
    return _parsed(context.query, tuple(sorted(context.parse_options.items())))


class DocumentCache(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            parsed = parsed_document(context)
            if isinstance(parsed, GraphQLError):
                context.graphql_document = UNPARSED
                context.pre_execution_errors = [parsed]
            else:
                context.graphql_document = parsed
        yield
