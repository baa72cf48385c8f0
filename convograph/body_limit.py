"""A cap on request bodies: anything larger is answered 413 before it is read whole."""

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from convograph.rejections import refused_while_reading, rejection
from convograph.schema.request_errors import RequestErrorCode


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: a declared `Content-Length` over the cap is refused at once, and a
    body sent without one (chunked) is counted as it arrives and cut off at the cap."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and not declared.isdigit():
            response = rejection(
                "Content-Length is not a number.", RequestErrorCode.BAD_USER_INPUT, 400
            )
            await response(scope, receive, send)
            return
        if declared is not None and int(declared) > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        await refused_while_reading(
            self.app, scope, receive, send, counted_receive, _BodyTooLarge, self._too_large
        )

    def _too_large(self) -> Response:
        return rejection(
            f"The request body exceeds {self.max_bytes} bytes.",
            RequestErrorCode.LIMIT_EXCEEDED,
            413,
        )
