"""`serve --reuse-port`: a listening socket per worker, with TCP_NODELAY."""

import socket
from pathlib import Path

import httpx

from convograph.db.migrate import upgrade
from convograph.reuse_port import listening_socket
from tests.databases import sqlite_url
from tests.serving import free_port, running_server

ALIVE = "query { __typename }"


def test_every_worker_binds_the_same_port_with_its_own_socket() -> None:
    # Given a free port, When two workers' sockets bind it
    port = free_port()
    first = listening_socket("127.0.0.1", port)
    second = listening_socket("127.0.0.1", port)
    try:
        # Then both listen, with the options the kernel needs to spread connections
        for sock in (first, second):
            assert sock.getsockname() == ("127.0.0.1", port)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        first.close()
        second.close()


def test_two_workers_on_their_own_sockets_answer(tmp_path: Path) -> None:
    # Given a server of two workers, each on its own socket
    url = sqlite_url(tmp_path)
    upgrade(url)  # migrated already: the workers start sooner on a busy machine
    with running_server(
        url, tmp_path / "serve.log", workers=2, environment={"CONVOGRAPH_REUSE_PORT": "true"}
    ) as base_url:
        # When fresh connections send queries
        answers = [
            httpx.post(f"{base_url}/graphql", json={"query": ALIVE}).json() for _ in range(10)
        ]
    # Then every one is answered (and the server stopped when the block ended)
    assert answers == [{"data": {"__typename": "Query"}}] * 10
