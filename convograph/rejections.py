"""Responses for requests refused before any GraphQL operation runs."""

from collections.abc import Callable

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


async def refused_while_reading(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    reading: Receive,
    refusal: type[Exception],
    response: Callable[[], Response],
) -> None:
    """Run `app` reading the body through `reading`, which raises `refusal` to refuse the
    request: then `response()` answers instead, unless the app's own response has started
    (its status is sent; the error goes on and the server drops the connection)."""
    started = False

    async def watched_send(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, reading, watched_send)
    except refusal:
        if started:
            raise
        await response()(scope, receive, send)
