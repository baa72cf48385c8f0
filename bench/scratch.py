"""A database of one benchmark run's own: an SQLite file in a temporary folder, or a new
PostgreSQL database on a server where the benchmark may create (and drop) one."""

import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from convograph.settings import async_database_url


@contextmanager
def scratch_database(server_url: str | None, prefix: str, *, keep: bool = False) -> Iterator[str]:
    """The async URL of an empty, unmigrated database: an SQLite file when `server_url` is
    None, else a database named `prefix` and a random suffix beside the one `server_url`
    names. Removed when the block ends, unless `keep` (then its URL is printed to stderr)."""
    if server_url is None:
        url, remove = _sqlite_file()
    else:
        url, remove = _postgres_database(server_url, prefix)
    try:
        yield url
    finally:
        if keep:
            print(f"kept {url}", file=sys.stderr)
        else:
            remove()


def _sqlite_file() -> tuple[str, Callable[[], None]]:
    folder = Path(tempfile.mkdtemp(prefix="convograph-bench-"))
    return f"sqlite+aiosqlite:///{folder / 'bench.db'}", lambda: shutil.rmtree(folder)


def _postgres_database(server_url: str, prefix: str) -> tuple[str, Callable[[], None]]:
    server = make_url(async_database_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    # psycopg connects with a plain URL; the benchmark's engine wants the async driver's.
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server.set(database=name).render_as_string(hide_password=False), drop
