"""What the command line checks about a database before it starts work on it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, exc, pool
from sqlalchemy.engine import make_url

from convograph.db.migrate import alembic_config, sync_database_url

# A server that does not answer (a firewall dropping packets) fails the check after this
# long instead of hanging the command.
CONNECT_TIMEOUT_SECONDS = 10

T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line, without the password."""


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def reason(error: BaseException) -> str:
    """The first line of a driver's error: psycopg adds hints on further lines."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0].strip() if lines else type(cause).__name__


@contextmanager
def _connected(url: str) -> Iterator[Connection]:
    sync_url = sync_database_url(url)
    connect_args = (
        {} if sync_url.startswith("sqlite") else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    )
    engine = create_engine(sync_url, poolclass=pool.NullPool, connect_args=connect_args)
    try:
        try:
            connection = engine.connect()
        except exc.DBAPIError as error:
            raise DatabaseUnavailable(
                f"cannot connect to the database {safe_url(url)}: {reason(error)}"
            ) from None
        with connection:
            yield connection
    finally:
        engine.dispose()


def check_connection(url: str, then: Callable[[Connection], T] | None = None) -> T | None:
    """Connect once (raising DatabaseUnavailable if that fails) and run `then` on it."""
    with _connected(url) as connection:
        return None if then is None else then(connection)


def require_current_schema(url: str) -> None:
    """Raise DatabaseUnavailable unless the database is migrated to the code's head."""
    parsed = make_url(url)
    # Connecting would create an empty file where a mistyped path points.
    on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if on_disk and not Path(str(parsed.database)).exists():
        raise DatabaseUnavailable(f"there is no database file {parsed.database}")
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with _connected(url) as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        found = "no convograph tables" if current is None else f"schema revision {current}"
        raise DatabaseUnavailable(
            f"the database {safe_url(url)} has {found}, this version needs revision {head}: "
            "run `convograph migrate` first"
        )
