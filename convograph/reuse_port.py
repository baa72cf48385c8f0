"""`serve --reuse-port`: each worker process listens on a socket of its own.

uvicorn's `--workers` shares one listening socket, and the kernel hands its connections
to whichever worker accepts first: with keep-alive clients, all of them can end up on one
worker while the others idle (bench/RESULTS.md saw it). With SO_REUSEPORT every worker
binds the same address with a socket of its own and the kernel spreads new connections
over them by a hash of the connection. TCP_NODELAY on the listening socket is inherited by
the connections it accepts: without it a small response can wait for the peer's delayed
ACK.
"""

import multiprocessing
import multiprocessing.connection
import signal
import socket
import sys
from typing import Any


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config("convograph.app:create_app", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve(host: str, port: int, workers: int, options: dict[str, Any]) -> None:
    """Run `workers` processes, each on its own socket; stop them all when one stops or
    on SIGINT/SIGTERM."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(host, port, options), name=f"convograph-{n}")
        for n in range(workers)
    ]
    for process in processes:
        process.start()

    def stop(*_: Any) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    sentinels = {process.sentinel: process for process in processes}
    multiprocessing.connection.wait(list(sentinels))
    stop()
    for process in processes:
        process.join()
    sys.exit(max((abs(p.exitcode or 0) for p in processes), default=0) and 1)
