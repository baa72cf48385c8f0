"""Top-level GraphQL errors: the codes, and the exceptions a resolver raises to give one."""

from enum import StrEnum


class RequestErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # Apollo's and urql's clients retry with the document's text on this code.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


class RequestError(Exception):
    """Raised by a resolver to fail the field with a top-level error and this code."""

    code = RequestErrorCode.INTERNAL_SERVER_ERROR


class BadUserInput(RequestError):
    code = RequestErrorCode.BAD_USER_INPUT


class OverLimit(RequestError):
    """An argument larger than a configured limit allows."""

    code = RequestErrorCode.LIMIT_EXCEEDED


class UnknownId(RequestError):
    """An id the caller cannot see: unknown and someone else's look the same."""

    code = RequestErrorCode.NOT_FOUND


class FellBehind(RequestError):
    """A subscriber outran its queue: its stream ends, and it resumes from where it was."""

    code = RequestErrorCode.LIMIT_EXCEEDED


class TooManySubscriptions(RequestError):
    """The caller holds as many subscriptions as it may."""

    code = RequestErrorCode.LIMIT_EXCEEDED


class WritesQueued(RequestError):
    """Too many writes to one conversation waited for their turn: retry later."""

    code = RequestErrorCode.SERVICE_UNAVAILABLE


class DeletedMeanwhile(RequestError):
    """An object this request already read was deleted by another before the rest of it
    could be read: each DataLoader batch reads in a session of its own. A retry reads a
    consistent state."""

    code = RequestErrorCode.SERVICE_UNAVAILABLE
