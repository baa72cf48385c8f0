"""Responses for requests refused before any GraphQL operation runs."""

from starlette.responses import JSONResponse, Response

from convograph.schema.request_errors import RequestErrorCode


def rejection(
    message: str, code: RequestErrorCode, status: int, headers: dict[str, str] | None = None
) -> Response:
    """A GraphQL error body with `extensions.code`, so clients read it like any other error."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code.value}}]},
        status_code=status,
        headers=headers,
    )
