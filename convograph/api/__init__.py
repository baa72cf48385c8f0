"""The Schema: its Query, Mutation and Subscription roots and the execution extensions."""

from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from convograph.api.compiled_reads import CompiledReadsExtension
from convograph.api.compiled_shortcut import compiled_shortcut
from convograph.api.document_cache import DocumentCache
from convograph.api.error_codes import ErrorCodes
from convograph.api.mutation import Mutation
from convograph.api.node_limit import NodeLimit
from convograph.api.query import Query
from convograph.api.query_limits import QueryLimits
from convograph.api.response_limit import ResponseLimit, ResponseSizeCounting
from convograph.api.shared_events import SharedEventExecution
from convograph.api.subscription import Subscription
from convograph.schema.scalars import SCALAR_OVERRIDES


class ConvographSchema(strawberry.Schema):
    async def execute(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """As strawberry's, but never a subscription: one run as a single result would
        resolve to a stream (subscriptions are served over WebSockets, by `stream`). A
        valid query the compiler covers is answered without the extension pipeline."""
        allowed = {
            *(
                allowed_operation_types
                if allowed_operation_types is not None
                else (OperationType.QUERY, OperationType.MUTATION)
            )
        } - {OperationType.SUBSCRIPTION}
        # The request's `extensions` (a persisted query's hash, say) reach resolvers only,
        # and a compiled answer runs none.
        if root_value is None:
            answered = await compiled_shortcut(
                self, query, variable_values, context_value, operation_name, allowed
            )
            if answered is not None:
                return answered
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed,
            operation_extensions,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """ErrorCodes has already logged what deserves it, with the request id."""


class Execution(ResponseSizeCounting, SharedEventExecution):
    """graphql-core's executor, counting the response's size as it goes and sharing each
    event's result among the subscribers that would all get the same one."""


def build_schema(**options: Any) -> strawberry.Schema:
    return ConvographSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Classes and factories, never instances: extensions keep per-request state,
        # and a shared instance would mix up concurrent requests. The caches of parsed
        # and validated documents are module-level, so they are still shared.
        # The limits read the request's settings, so this one schema serves every app.
        # No batching_config: a JSON array of operations is refused with 400.
        extensions=[
            ErrorCodes,
            QueryLimits,
            DocumentCache,
            NodeLimit,
            # After the limits: only a query they let through is compiled.
            CompiledReadsExtension,
            ResponseLimit,
        ],
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=Execution,
        **options,
    )


schema = build_schema()
