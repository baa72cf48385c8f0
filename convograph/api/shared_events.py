"""Fan-out: one event, executed once per distinct subscription, not once per subscriber.

graphql-core executes a subscription's selection set for every event of every
subscriber. Subscribers of one conversation that sent the same document with the same
variables, and see the same owners' data, would all get the same answer: the first to
execute it for an event stores the result on the event's payload (one object, shared by
every subscriber the broker handed that event to), the others take it from there. Each
subscriber then only encodes and sends it.
"""

import asyncio
from typing import Any

import orjson
from graphql import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from convograph.resolvers.events import RESULTS_ATTRIBUTE


class SharedEventExecution(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        results: dict[tuple[Any, ...], Any] | None = getattr(
            self.root_value, RESULTS_ATTRIBUTE, None
        )
        if results is None:
            return super().execute_operation(serially)
        key = self._sharing_key()
        shared = results.get(key)
        if shared is None:
            outcome = super().execute_operation(serially)
            if not self.is_awaitable(outcome):
                results[key] = (self.operation, outcome)
                return outcome
            # Subscribers that arrive while it runs wait for this one execution; a
            # subscriber that leaves meanwhile does not cancel it for the others.
            task = asyncio.ensure_future(outcome)
            results[key] = shared = (self.operation, task)
        # The entry holds the operation, so its id cannot be reused while the entry lives.
        _, result = shared
        if isinstance(result, asyncio.Future):
            return _awaited(result)
        return result

    def _sharing_key(self) -> tuple[Any, ...]:
        principal = getattr(self.context_value, "principal", None)
        owner = getattr(principal, "owner", principal)
        variables = orjson.dumps(
            self.variable_values.coerced, option=orjson.OPT_SORT_KEYS, default=str
        )
        return (id(self.operation), variables, owner)


async def _awaited(task: "asyncio.Future[ExecutionResult]") -> ExecutionResult:
    return await asyncio.shield(task)
