"""Top-level GraphQL errors: every one leaves with `extensions.code`, and faults are masked."""

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from convograph.db.errors import DomainError, LimitExceeded, NotFound
from convograph.db.faults import is_unavailable, unavailable_reason
from convograph.schema.request_errors import RequestError, RequestErrorCode

logger = logging.getLogger("convograph.errors")


# graphql-core's words when it stops a document at one of its own limits.
GRAPHQL_CORE_LIMIT = re.compile(
    r"Document contains more than \d+ tokens|Document is nested too deeply"
    r"|Maximum introspection depth exceeded"
)


def _is_fault(error: GraphQLError) -> bool:
    """Raised by our code, not caused by the document: while resolving a field, or by an
    extension, outside the document (a variable's coercion error points into it)."""
    if error.path is not None:
        return True
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, GraphQLError | RecursionError)
        and not error.nodes
    )


def _request_error(error: GraphQLError) -> tuple[str, RequestErrorCode]:
    """The message and code of an error in the request itself, found before execution."""
    given = (error.extensions or {}).get("code")
    if given in RequestErrorCode.__members__:
        return error.message, RequestErrorCode(given)
    if GRAPHQL_CORE_LIMIT.search(error.message):
        return error.message, RequestErrorCode.LIMIT_EXCEEDED
    if isinstance(error.original_error, RecursionError):
        return "The document is nested too deeply.", RequestErrorCode.LIMIT_EXCEEDED
    return error.message, RequestErrorCode.BAD_USER_INPUT


def _domain_code(error: DomainError) -> RequestErrorCode:
    if isinstance(error, NotFound):
        return RequestErrorCode.NOT_FOUND
    if isinstance(error, LimitExceeded):
        return RequestErrorCode.LIMIT_EXCEEDED
    return RequestErrorCode.BAD_USER_INPUT


class ErrorCodes(MaskErrors):
    """Give every error a code; replace the message of every unexpected one.

    Errors that point into the document come from parsing, validation or variable
    coercion, before any resolver ran: the request itself is at fault. So is a domain
    error (an input check) that reached the top, wherever it was raised: a mutation's unit
    of work turns those into UserErrors, anything else lets them through to here. Anything
    else that is not a RequestError is a fault of ours: it is logged with the request id,
    which the client also gets.
    """

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return list(self._classified(errors))

    def _classified(self, errors: list[GraphQLError]) -> Iterator[GraphQLError]:
        request_id = getattr(self.execution_context.context, "request_id", None)
        for error in errors:
            original = error.original_error
            if isinstance(original, RequestError):
                yield self._with_code(error, error.message, original.code)
            elif isinstance(original, DomainError):
                coded = self._with_code(error, original.detail, _domain_code(original))
                if original.field is not None:
                    coded.extensions["field"] = original.field
                yield coded
            elif not _is_fault(error):
                yield self._with_code(error, *_request_error(error))
            elif is_unavailable(original):
                logger.warning("database unavailable [request %s]: %s", request_id, original)
                yield self._with_code(
                    error,
                    unavailable_reason(original),
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
