"""Transport limits of `convograph serve`, over raw sockets: header size and count, a
request head that never (or too slowly) arrives, and a body sent a byte at a time."""

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import DATABASES, fresh_database
from tests.serving import running_server

WAIT_SECONDS = 15.0
MAX_HEADER_BYTES = 8192
MAX_HEADER_COUNT = 40
ENVIRONMENT = {
    "CONVOGRAPH_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
    "CONVOGRAPH_MAX_HEADER_COUNT": str(MAX_HEADER_COUNT),
    "CONVOGRAPH_IDLE_TIMEOUT_SECONDS": "1",
    "CONVOGRAPH_BODY_READ_TIMEOUT_SECONDS": "1",
}
QUERY = json.dumps({"query": "{ __typename }"}).encode()


@pytest.fixture(scope="module", params=DATABASES)
def address(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    directory: Path = tmp_path_factory.mktemp(f"transport-{request.param}")
    log = directory / "serve.log"

    def parts(base_url: str) -> tuple[str, int]:
        host, port = base_url.removeprefix("http://").split(":")
        return host, int(port)

    for database_url in fresh_database(request.param, directory):
        with running_server(database_url, log, environment=ENVIRONMENT) as url:
            yield parts(url)


def connection(address: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(address, timeout=WAIT_SECONDS)
    sock.settimeout(WAIT_SECONDS)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def request(headers: list[tuple[str, str]], body: bytes = QUERY) -> bytes:
    lines = ["POST /graphql HTTP/1.1", "Host: test", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(sock: socket.socket) -> bytes:
    """One response on a kept-alive connection: its head, then Content-Length bytes."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_a_request_within_the_limits_is_answered(address: tuple[str, int]) -> None:
    # given / when
    with connection(address) as sock:
        sock.sendall(request([(f"X-Extra-{i}", "v" * 50) for i in range(20)]))
        answer = read_response(sock)
    # then
    assert status_of(answer) == 200
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {"data": {"__typename": "Query"}}


def test_too_many_headers_are_refused_with_431(address: tuple[str, int]) -> None:
    # given / when
    with connection(address) as sock:
        sock.sendall(request([(f"X-Extra-{i}", "v") for i in range(MAX_HEADER_COUNT + 1)]))
        answer = read_all(sock)
    # then
    assert status_of(answer) == 431
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


@pytest.mark.parametrize("size", [MAX_HEADER_BYTES + 1, 8 * 1024 * 1024])
def test_headers_larger_than_the_limit_are_refused_with_431(
    address: tuple[str, int], size: int
) -> None:
    # given / when a header of `size` bytes (sent in pieces, as a client streams it)
    with connection(address) as sock:
        head = b"POST /graphql HTTP/1.1\r\nHost: test\r\nX-Big: "
        sock.sendall(head)
        sent = 0
        try:
            while sent < size:
                piece = min(65536, size - sent)
                sock.sendall(b"v" * piece)
                sent += piece
        except OSError:  # the server refused and closed before all of it was sent
            pass
        answer = read_all(sock)
    # then
    assert status_of(answer) == 431


def test_a_connection_that_never_sends_is_closed(address: tuple[str, int]) -> None:
    # given / when a client connects and sends nothing
    with connection(address) as sock:
        started = time.monotonic()
        answer = read_all(sock)
        waited = time.monotonic() - started
    # then the server hung up (long before our own timeout)
    assert answer == b""
    assert waited < WAIT_SECONDS


def test_headers_sent_a_byte_at_a_time_are_cut_off(address: tuple[str, int]) -> None:
    # given / when a client sends its request head one byte every 0.2 s
    head = request([]).split(b"\r\n\r\n")[0]
    closed = False
    with connection(address) as sock:
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.2)
        if not closed:
            closed = read_all(sock) == b""
    # then the server closed the connection before the head was complete
    assert closed


def test_a_body_sent_a_byte_at_a_time_is_answered_408(address: tuple[str, int]) -> None:
    # given / when the head arrives whole but the body one byte every 0.3 s
    message = request([])
    head, body = message.split(b"\r\n\r\n", 1)
    answer = b""
    with connection(address) as sock:
        sock.sendall(head + b"\r\n\r\n")
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            sock.settimeout(0.3)
            try:
                answer += sock.recv(65536)
            except TimeoutError:
                continue
            if answer:
                break
        sock.settimeout(WAIT_SECONDS)
        answer += read_all(sock)
    # then
    assert status_of(answer) == 408
    assert b"did not arrive within" in answer


def test_a_keep_alive_connection_serves_several_requests(address: tuple[str, int]) -> None:
    # given / when two requests on one connection, one after the other
    with connection(address) as sock:
        sock.sendall(request([]))
        first = read_response(sock)
        sock.sendall(request([]))
        second = read_response(sock)
    # then
    assert status_of(first) == status_of(second) == 200
