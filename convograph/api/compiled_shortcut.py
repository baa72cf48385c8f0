"""A compiled query answered without strawberry's extension pipeline.

On the compiled path (`convograph.api.compiled_reads`) the answer is one statement's JSON
text, yet each request still ran strawberry's whole pipeline around it: six extensions
entered and left at four steps each, the execution context built, the result processed
for errors there are none of. That machinery cost about a third of a compiled R1's CPU.

Here the same checks run as plain calls, in the pipeline's order, on the same caches:
the document parsed under the token limit (`document_cache`), the limits on its shape and
its validation (`query_limits`), the node and list limits for these variables
(`node_limit`), then the compiled statement and the response cap. Only a request that
passes every check and that the compiler covers is answered here; anything else (an
error of any kind, a mutation, a document the compiler does not cover, shadow mode, SQLite)
returns None, and the pipeline answers it from the start, with its own errors. So this
answers nothing the pipeline would answer otherwise.
"""

from typing import Any

import orjson
import strawberry
from graphql import DocumentNode, OperationType
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from convograph.api.compiled_reads import CompiledResult, answer_or_none
from convograph.api.document_cache import parsed_document
from convograph.api.node_limit import node_refusal, operation_named
from convograph.api.query_limits import limit_tokens, refusal_or_validation_errors
from convograph.api.response_limit import compiled_over_cap
from convograph.settings import CompiledReads


async def compiled_shortcut(
    schema: strawberry.Schema,
    query: str | None,
    variables: dict[str, Any] | None,
    context: Any,
    operation_name: str | None,
    allowed: set[StrawberryOperationType],
) -> ExecutionResult | None:
    """The answer of a valid, compiled query; None where the pipeline must answer."""
    settings = getattr(context, "settings", None)
    if (
        not query
        or settings is None
        or settings.compiled_reads != CompiledReads.ON
        or context.database.dialect != "postgresql"
        or StrawberryOperationType.QUERY not in allowed
    ):
        return None
    execution_context = ExecutionContext(
        query=query,
        schema=schema,
        allowed_operations=allowed,
        context=context,
        variables=variables,
        provided_operation_name=operation_name,
    )
    limit_tokens(execution_context)
    document = parsed_document(execution_context)
    if not isinstance(document, DocumentNode):
        return None
    operation = operation_named(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    execution_context.graphql_document = document
    if refusal_or_validation_errors(execution_context, document):
        return None
    try:
        if node_refusal(execution_context) is not None:
            return None
    except Exception:  # the pipeline reports it, masked
        return None
    text = await answer_or_none(execution_context)
    if text is None:
        return None
    refusal = compiled_over_cap(text, settings)
    if refusal is not None:
        return ExecutionResult(data=None, errors=[refusal])
    return CompiledResult(data=orjson.Fragment(text), errors=None, text=text)
