"""Parse and validate each distinct document once per process.

Clients send the same few documents over and over; parsing one is a fixed cost per
request that a cache removes. Strawberry's ParserCache parses inside the extension hook,
where a syntax error escapes the operation without the code that ErrorCodes gives every
other error. Here a document that does not parse is simply not cached: strawberry parses
it again in its own step, and reports the error the usual way.

Validation results are kept per document text and validation rules. Strawberry's
ValidationCache keys its LRU on the parsed document, whose hash walks the whole tree on
every request; the text's hash is computed once per string.
"""

from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

# Bounded: on a public endpoint anyone can send new documents.
MAX_DOCUMENTS = 256


@lru_cache(maxsize=MAX_DOCUMENTS)
def _parsed(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode:
    return parse(query, **dict(options))


_validated: "OrderedDict[tuple[Any, ...], list[GraphQLError]]" = OrderedDict()


class DocumentCache(SchemaExtension):
    def __init__(self) -> None:
        super().__init__()
        self._text_key: tuple[Any, ...] | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            try:
                options = tuple(sorted(context.parse_options.items()))
                context.graphql_document = _parsed(context.query, options)
                self._text_key = (context.query, options)
            except Exception:  # strawberry parses it again and reports the error
                pass
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self._text_key is not None and context.pre_execution_errors is None:
            key = (*self._text_key, context.schema, tuple(context.validation_rules))
            errors = _validated.get(key)
            if errors is None:
                assert context.graphql_document is not None
                errors = validate_document(
                    context.schema._schema, context.graphql_document, context.validation_rules
                )
                _validated[key] = errors
                if len(_validated) > MAX_DOCUMENTS:
                    _validated.popitem(last=False)
            else:
                _validated.move_to_end(key)
            context.pre_execution_errors = errors
        yield
