"""The exceptions of the SDK: every failure of a call raises one of these."""

from collections.abc import Mapping, Sequence
from typing import Any


class ConvographError(Exception):
    """Base of every error the SDK raises."""


class UserError(ConvographError):
    """A mutation's input was refused: the server answered with a `UserError` result.

    `code` is the server's `ErrorCode` (`NOT_FOUND`, `INVALID_INPUT`, ...), `field` the
    input field at fault as a dotted path (or None), `detail` the text for a person.
    """

    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, detail={self.detail!r}, field={self.field!r})"


class NotFoundError(UserError):
    """An id names nothing the caller can see."""


class ValidationError(UserError):
    """The input is well-formed but not acceptable."""


class ConflictError(UserError):
    """The input clashes with the current state.

    `current_version` is the conversation's version when an `expected_version` was stale;
    `expected_index` the index the next delta must have when an appended delta was out of
    turn (otherwise both are None).
    """

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        *,
        current_version: int | None = None,
        expected_index: int | None = None,
    ) -> None:
        super().__init__(code, detail, field)
        self.current_version = current_version
        self.expected_index = expected_index


class LimitExceededError(UserError):
    """The input goes over a limit of the server."""


USER_ERRORS_BY_CODE: Mapping[str, type[UserError]] = {
    "NOT_FOUND": NotFoundError,
    "INVALID_INPUT": ValidationError,
    "CONFLICT": ConflictError,
    "LIMIT_EXCEEDED": LimitExceededError,
}


def user_error(
    code: str,
    detail: str,
    field: str | None = None,
    *,
    current_version: int | None = None,
    expected_index: int | None = None,
) -> UserError:
    """The exception for a `UserError` result; a code this SDK does not know stays a UserError.

    A conflict's `current_version` and `expected_index` go to its ConflictError."""
    code = str(getattr(code, "value", code))  # the generated ErrorCode enum, as its name
    kind = USER_ERRORS_BY_CODE.get(code, UserError)
    if issubclass(kind, ConflictError):
        return kind(
            code, detail, field, current_version=current_version, expected_index=expected_index
        )
    return kind(code, detail, field)


class GraphQLRequestError(ConvographError):
    """The server answered with top-level GraphQL errors (the request itself failed).

    `errors` are the error objects as the server sent them; `code` is the first one's
    `extensions.code` (`BAD_USER_INPUT`, `UNAUTHENTICATED`, `LIMIT_EXCEEDED`,
    `SERVICE_UNAVAILABLE`, `INTERNAL_SERVER_ERROR`, or None), `request_id` its
    `extensions.requestId` when the server logged the fault under one.
    """

    def __init__(self, errors: Sequence[Mapping[str, Any]]) -> None:
        self.errors = [dict(error) for error in errors]
        first = self.errors[0] if self.errors else {}
        extensions = first.get("extensions") or {}
        self.code: str | None = extensions.get("code")
        self.request_id: str | None = extensions.get("requestId")
        messages = "; ".join(str(error.get("message", "")) for error in self.errors)
        super().__init__(f"{self.code}: {messages}" if self.code else messages)


class TransportError(ConvographError):
    """The server could not be reached or did not answer with a GraphQL response.

    `status_code` is the HTTP status when there was a response, else None.
    """

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SchemaMismatchError(ConvographError):
    """The server's answer does not fit the client's generated models.

    The server's schema has changed since this client was generated: regenerate it.
    """
