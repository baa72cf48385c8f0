"""The generated GraphQL client as the SDK uses it, and the one place where each way a call
can fail becomes an SDK error."""

import hashlib
import json
from collections.abc import Awaitable
from typing import Any, TypeVar

import httpx
import pydantic
from pydantic_core import to_jsonable_python

from convograph.client.errors import GraphQLRequestError, SchemaMismatchError, TransportError
from convograph.client.generated.async_base_client import GraphQLTransportWSMessageType
from convograph.client.generated.client import Client
from convograph.client.generated.exceptions import (
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)

T = TypeVar("T")


class PersistedClient(Client):
    """The generated client, sending each document by its hash first (Apollo's automatic
    persisted queries): the text goes over the wire only when the server does not know
    it yet (PERSISTED_QUERY_NOT_FOUND), which registers it for every later request.

    Over WebSocket it also turns variables into JSON (UUIDs included) and raises the
    errors of a `next` message (an unknown conversation, a subscriber that fell behind),
    which the generated client would drop without a word.
    """

    async def _execute_json(
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any],
        **kwargs: Any,
    ) -> httpx.Response:
        digest = _digests.get(query)
        if digest is None:
            digest = _digests.setdefault(query, hashlib.sha256(query.encode()).hexdigest())
        body = {
            "operationName": operation_name,
            "variables": to_jsonable_python(variables),
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        }
        response = await self.http_client.post(url=self.url, json=body, **kwargs)
        if b"PERSISTED_QUERY_NOT_FOUND" in response.content:
            response = await self.http_client.post(
                url=self.url, json={**body, "query": query}, **kwargs
            )
        return response

    def _convert_value(self, value: Any) -> Any:
        return to_jsonable_python(super()._convert_value(value))

    async def _handle_ws_message(
        self,
        message: Any,
        websocket: Any,
        expected_type: GraphQLTransportWSMessageType | None = None,
    ) -> dict[str, Any] | None:
        errors = _next_errors(message)
        if errors:
            raise GraphQLClientGraphQLMultiError.from_errors_dicts(errors_dicts=errors)
        return await super()._handle_ws_message(message, websocket, expected_type)


# The SDK's documents are a fixed few: their hashes are computed once each.
_digests: dict[str, str] = {}


def _next_errors(message: Any) -> list[dict[str, Any]] | None:
    """The errors of a graphql-transport-ws `next` message, if it has any."""
    try:
        parsed = json.loads(message)
    except (TypeError, ValueError):
        return None  # the generated handler answers what does not parse
    if not isinstance(parsed, dict) or parsed.get("type") != "next":
        return None
    payload = parsed.get("payload")
    errors = payload.get("errors") if isinstance(payload, dict) else None
    return errors if isinstance(errors, list) and errors else None


async def call(request: Awaitable[T]) -> T:
    """Await a generated operation, turning each way it can fail into an SDK error."""
    try:
        return await request
    except httpx.HTTPError as error:
        raise TransportError(f"Cannot reach the server: {described(error)}.") from error
    except GraphQLClientGraphQLMultiError as error:
        raise GraphQLRequestError(
            [e.original or {"message": e.message} for e in error.errors]
        ) from error
    except GraphQLClientHttpError as error:
        raise _http_error(error.response) from error
    except GraphQLClientInvalidResponseError as error:
        status = getattr(error.response, "status_code", None)
        raise TransportError("The answer is not a GraphQL response.", status) from error
    except pydantic.ValidationError as error:
        raise SchemaMismatchError(
            "The server's answer does not fit this client's models "
            f"(regenerate the client from the server's schema): {first_problem(error)}."
        ) from error


def described(error: Exception) -> str:
    """An exception's text as a clause: its type when it has none, no full stop."""
    return (str(error) or type(error).__name__).rstrip(".")


def first_problem(error: pydantic.ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else str(problem["msg"])


def _http_error(response: Any) -> TransportError | GraphQLRequestError:
    """A non-2xx answer: its GraphQL errors if it has any, else a transport failure."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        return GraphQLRequestError(body["errors"])
    return TransportError(
        f"The server answered with HTTP {response.status_code}.", response.status_code
    )
