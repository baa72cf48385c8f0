"""Errors a mutation returns in its payload: the caller's input, not a fault of the server."""

from enum import Enum

import strawberry

from convograph.db.errors import Conflict, DomainError, LimitExceeded, NotFound


@strawberry.enum(description="What kind of problem a UserError reports.")
class ErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_INPUT = "INVALID_INPUT"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


@strawberry.interface(description="A problem with the input of a mutation.")
class UserError:
    code: ErrorCode
    detail: str = strawberry.field(description="What went wrong, for a person to read.")
    field: str | None = strawberry.field(
        default=None, description="The input field at fault, as a dotted path, if one is."
    )


@strawberry.type(description="An id names nothing the caller can see.")
class NotFoundError(UserError):
    code: ErrorCode = ErrorCode.NOT_FOUND


@strawberry.type(description="The input is well-formed but not acceptable.")
class ValidationError(UserError):
    code: ErrorCode = ErrorCode.INVALID_INPUT


@strawberry.type(
    description=(
        "The input clashes with data that exists: a name in use, a stale expectedVersion,"
        " a delta index out of turn, an idempotency key used for other input."
    )
)
class ConflictError(UserError):
    code: ErrorCode = ErrorCode.CONFLICT
    current_version: int | None = strawberry.field(
        default=None,
        description="With a stale expectedVersion: the conversation's version now.",
    )
    expected_index: int | None = strawberry.field(
        default=None,
        description="With a delta index out of turn: the index the next delta must have.",
    )


def user_error(error: DomainError) -> NotFoundError | ValidationError | ConflictError:
    if isinstance(error, NotFound):
        return NotFoundError(detail=error.detail, field=error.field)
    if isinstance(error, Conflict):
        return ConflictError(
            detail=error.detail,
            field=error.field,
            current_version=error.current_version,
            expected_index=error.expected_index,
        )
    code = ErrorCode.LIMIT_EXCEEDED if isinstance(error, LimitExceeded) else ErrorCode.INVALID_INPUT
    return ValidationError(code=code, detail=error.detail, field=error.field)
