"""`convograph serve` in a subprocess, for tests that talk to a real server over HTTP."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

STARTUP_TIMEOUT_SECONDS = 30.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    database_url: str,
    log_path: Path,
    *,
    workers: int = 1,
    environment: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Start `convograph serve` on a free port, wait until /healthz answers, yield its URL.

    The process (with its workers) is terminated when the block ends, whatever happened.
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CONVOGRAPH_DATABASE_URL": database_url, **(environment or {})}
    command = [sys.executable, "-m", "convograph", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--no-access-log"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(process, base_url, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"convograph serve exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"convograph serve did not answer /healthz within {STARTUP_TIMEOUT_SECONDS} s:\n"
        f"{log_path.read_text()}"
    )


# The databases a module-scoped `server` fixture runs on: SQLite, and PostgreSQL when set.
SERVED_DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            os.environ.get("CONVOGRAPH_TEST_DATABASE_URL") is None,
            reason="CONVOGRAPH_TEST_DATABASE_URL is not set",
        ),
    ),
]


def server_on_fresh_database(kind: str, directory: Path) -> Iterator[str]:
    """The base URL of a server on a fresh, unmigrated database of `kind` (see
    SERVED_DATABASES), stopped and the database dropped when the iterator is closed."""
    from tests.conftest import _fresh_postgres_database

    log_path = directory / "serve.log"
    if kind == "sqlite":
        with running_server(f"sqlite:///{directory / 'convograph.db'}", log_path) as base_url:
            yield base_url
    else:
        for database_url in _fresh_postgres_database():
            with running_server(database_url, log_path) as base_url:
                yield base_url
