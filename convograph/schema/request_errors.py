"""Top-level GraphQL errors: every one leaves with `extensions.code`, and faults are masked."""

import logging
from collections.abc import Iterator
from enum import StrEnum

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from strawberry.extensions import MaskErrors

logger = logging.getLogger("convograph.errors")


class RequestErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class RequestError(Exception):
    """Raised by a resolver to fail the field with a top-level error and this code."""

    code = RequestErrorCode.INTERNAL_SERVER_ERROR


class BadUserInput(RequestError):
    code = RequestErrorCode.BAD_USER_INPUT


class UnknownId(RequestError):
    """An id the caller cannot see: unknown and someone else's look the same."""

    code = RequestErrorCode.NOT_FOUND


class LimitExceeded(RequestError):
    code = RequestErrorCode.LIMIT_EXCEEDED


def _is_unavailable(error: BaseException) -> bool:
    """The database cannot be reached or dropped the connection: worth a retry."""
    if isinstance(error, PoolTimeout | OperationalError | InterfaceError | ConnectionError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class ErrorCodes(MaskErrors):
    """Give every error a code; replace the message of every unexpected one.

    Errors without a path come from parsing, validation or variable coercion, before
    any resolver ran: the request itself is at fault. Anything else that is not a RequestError
    is a fault of ours: it is logged with the request id, which the client also gets.
    """

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return list(self._classified(errors))

    def _classified(self, errors: list[GraphQLError]) -> Iterator[GraphQLError]:
        request_id = getattr(self.execution_context.context, "request_id", None)
        for error in errors:
            original = error.original_error
            # Before the path test: a subscription's stream fails without a path.
            if isinstance(original, RequestError):
                yield self._with_code(error, error.message, original.code)
            elif error.path is None or original is None:
                yield self._with_code(error, error.message, RequestErrorCode.BAD_USER_INPUT)
            elif _is_unavailable(original):
                logger.warning("database unavailable [request %s]: %s", request_id, original)
                yield self._with_code(
                    error,
                    "The database is unavailable; try again shortly.",
                    RequestErrorCode.SERVICE_UNAVAILABLE,
                    request_id,
                )
            else:
                logger.error("internal error [request %s]", request_id, exc_info=original)
                yield self._with_code(
                    error,
                    "Internal server error.",
                    RequestErrorCode.INTERNAL_SERVER_ERROR,
                    request_id,
                )

    @staticmethod
    def _with_code(
        error: GraphQLError,
        message: str,
        code: RequestErrorCode,
        request_id: str | None = None,
    ) -> GraphQLError:
        extensions = {**(error.extensions or {}), "code": code.value}
        if request_id is not None:
            extensions["requestId"] = request_id
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=error.original_error,
            extensions=extensions,
        )
