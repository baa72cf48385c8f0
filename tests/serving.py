"""Servers for tests that talk HTTP: the app in-process, `convograph serve` in a
subprocess, and the one way a test POSTs a GraphQL document to either."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import httpx
import pytest

from convograph.app import create_app
from convograph.settings import Settings
from tests.databases import fresh_database

STARTUP_TIMEOUT_SECONDS = 30.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the ASGI application in-process, on `settings`."""
    app = create_app(settings)
    # ASGITransport does not run the lifespan; entering it here disposes the engines after.
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        yield client


@overload
def post_graphql(
    http: httpx.AsyncClient,
    document: str,
    *,
    headers: Mapping[str, str] | None = None,
    **variables: Any,
) -> Coroutine[Any, Any, httpx.Response]: ...


@overload
def post_graphql(
    http: httpx.Client,
    document: str,
    *,
    headers: Mapping[str, str] | None = None,
    **variables: Any,
) -> httpx.Response: ...


def post_graphql(
    http: httpx.Client | httpx.AsyncClient,
    document: str,
    *,
    headers: Mapping[str, str] | None = None,
    **variables: Any,
) -> httpx.Response | Coroutine[Any, Any, httpx.Response]:
    """POST a document with its variables as JSON to /graphql (await it on an AsyncClient)."""
    body = {"query": document, "variables": variables}
    return http.post("/graphql", json=body, headers=headers)


def response_data(response: httpx.Response) -> dict[str, Any]:
    """The data of a response that must be a success without top-level errors."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


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


@dataclass(frozen=True)
class Served:
    base_url: str
    database_url: str


def served_database(kind: str, directory: Path, *, workers: int = 1) -> Iterator[Served]:
    """A server on a fresh, unmigrated database of `kind` (an entry of
    tests.databases.DATABASES): `serve` migrates it as a user's first run would. Stopped,
    and the database dropped, when the iterator is closed."""
    for database_url in fresh_database(kind, directory):
        with running_server(database_url, directory / "serve.log", workers=workers) as base_url:
            yield Served(base_url, database_url)
