"""A TCP proxy in front of a test server that fails the way networks do: it cuts its
connections, closes their WebSockets cleanly, or loses the answer to one request."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

READ_SIZE = 65536
# A WebSocket close frame from a server (unmasked), code 1000: a normal closure.
NORMAL_CLOSE_FRAME = b"\x88\x02\x03\xe8"


@dataclass(eq=False)
class _Pair:
    """A client's connection and the proxy's own to the server."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    # Once set, what the server sends on this connection never reaches the client.
    answer_lost: bool = False

    def abort(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()


@dataclass
class TcpProxy:
    target_host: str
    target_port: int
    url: str = ""
    accepted: int = 0
    lost_answers: int = 0
    _pairs: set[_Pair] = field(default_factory=set)
    _lose_answer_to: Callable[[bytes], bool] | None = None

    def cut(self) -> None:
        """Drop every open connection, as a network failure does: no close, no FIN."""
        for pair in list(self._pairs):
            pair.abort()

    async def close_websockets(self) -> None:
        """Send every client a WebSocket close (1000), as a server going away cleanly
        does, then drop the connections. Call it while no frame is in flight."""
        closing = list(self._pairs)
        for pair in closing:
            pair.client.write(NORMAL_CLOSE_FRAME)
        await asyncio.sleep(0.2)
        for pair in closing:
            pair.abort()

    def lose_answer_to(self, request_matches: Callable[[bytes], bool]) -> None:
        """The next request some read of which matches reaches the server, but its answer
        never comes back (the client times out)."""
        self._lose_answer_to = request_matches

    async def _serve(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        server_reader, server = await asyncio.open_connection(self.target_host, self.target_port)
        pair = _Pair(client, server)
        self._pairs.add(pair)
        try:
            await asyncio.gather(
                self._pipe(client_reader, pair, upstream=True),
                self._pipe(server_reader, pair, upstream=False),
            )
        finally:
            self._pairs.discard(pair)
            pair.abort()

    async def _pipe(self, reader: asyncio.StreamReader, pair: _Pair, *, upstream: bool) -> None:
        writer = pair.server if upstream else pair.client
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(READ_SIZE):
                if upstream and self._lose_answer_to is not None and self._lose_answer_to(data):
                    self._lose_answer_to = None
                    self.lost_answers += 1
                    pair.answer_lost = True
                if upstream or not pair.answer_lost:
                    writer.write(data)
                    await writer.drain()
        pair.abort()


@asynccontextmanager
async def tcp_proxy(base_url: str) -> AsyncIterator[TcpProxy]:
    """A proxy to the server at `base_url` (http://host:port); its `url` is the proxy's."""
    target = urlsplit(base_url)
    assert target.hostname is not None and target.port is not None
    proxy = TcpProxy(target.hostname, target.port)
    listener = await asyncio.start_server(proxy._serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    proxy.url = f"http://127.0.0.1:{port}"
    try:
        yield proxy
    finally:
        listener.close()
        proxy.cut()
        await listener.wait_closed()
