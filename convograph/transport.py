"""Limits on what a client may make the server hold before a request reaches the app.

uvicorn's httptools protocol keeps any number of request headers of any size, and keeps a
connection open for as long as the client sends nothing or sends its request slowly.
`BoundedHttpToolsProtocol` refuses a request head with too many or too large headers
(431), and closes a connection that has not delivered a complete request head within
`idle_timeout_seconds` of opening or of its last response (a socket that never sends, or
sends its headers a byte at a time). `BodyReadTimeout` answers 408 to a request whose
body has not arrived whole within `body_read_timeout_seconds`.
"""

import asyncio
import time
from asyncio import TimerHandle
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from convograph.rejections import refused_while_reading, rejection
from convograph.schema.request_errors import RequestErrorCode
from convograph.settings import Settings


@dataclass(frozen=True)
class HeadLimits:
    max_header_bytes: int
    max_header_count: int
    idle_timeout_seconds: float

    @classmethod
    def of(cls, settings: Settings) -> "HeadLimits":
        return cls(
            settings.max_header_bytes, settings.max_header_count, settings.idle_timeout_seconds
        )


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header limits and an idle timeout.

    uvicorn builds one per connection from its Config alone, so the limits come from
    the environment's settings (as the app's do), read once per process."""

    limits: HeadLimits | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if BoundedHttpToolsProtocol.limits is None:
            BoundedHttpToolsProtocol.limits = HeadLimits.of(Settings())
        self._limits = BoundedHttpToolsProtocol.limits
        self._head_timer: TimerHandle | None = None
        self._in_head = True
        self._received_in_head = 0
        self._header_bytes = 0
        self._header_count = 0
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        super().data_received(data)
        if self._in_head and not self._refused:
            self._received_in_head += len(data)
            # Headers still incomplete after this much: refuse before buffering more.
            if self._received_in_head > self._limits.max_header_bytes:
                self._refuse("The request's headers exceed", self._limits.max_header_bytes, "bytes")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._header_count = 0

    def on_url(self, url: bytes) -> None:
        self._header_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._header_count += 1
        self._header_bytes += len(name) + len(value) + 4
        if self._header_count > self._limits.max_header_count:
            self._refuse("The request has more than", self._limits.max_header_count, "headers")
        elif self._header_bytes > self._limits.max_header_bytes:
            self._refuse("The request's headers exceed", self._limits.max_header_bytes, "bytes")
        else:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._in_head = False
        self._received_in_head = 0
        self._stop_head_timer()
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._refused:
            super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_head()

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # the parser stopped because we refused the head
            super().send_400_response(msg)

    def _await_head(self) -> None:
        self._in_head = True
        self._received_in_head = 0
        self._stop_head_timer()
        self._head_timer = self.loop.call_later(
            self._limits.idle_timeout_seconds, self._head_timed_out
        )

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, what: str, limit: int, unit: str) -> None:
        self._refused = True
        self._stop_head_timer()
        body = orjson.dumps(
            {
                "errors": [
                    {
                        "message": f"{what} {limit} {unit}.",
                        "extensions": {"code": RequestErrorCode.LIMIT_EXCEEDED.value},
                    }
                ]
            }
        )
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"connection: close\r\n\r\n" + body
        )
        self.transport.close()


class _BodyTooSlow(Exception):
    pass


class BodyReadTimeout:
    """ASGI middleware: a request body must arrive whole within `seconds` of the request
    reaching the app; a slower one is answered 408 and its connection closed."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.seconds
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise _BodyTooSlow from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        await refused_while_reading(
            self.app, scope, receive, send, timed_receive, _BodyTooSlow, self._too_slow
        )

    def _too_slow(self) -> Response:
        return rejection(
            f"The request body did not arrive within {self.seconds:g} s.",
            RequestErrorCode.BAD_USER_INPUT,
            408,
            {"Connection": "close"},
        )
