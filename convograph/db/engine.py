"""Engines and session factories for SQLite (embedded) and PostgreSQL (psycopg 3)."""

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, exc, select, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from convograph.db.readers import Reader
from convograph.db.tables import Branch, Message
from convograph.db.write_gates import ConversationGates

DEFAULT_LOCK_TIMEOUT_SECONDS = 10.0
DEFAULT_STATEMENT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class PoolSizes:
    """PostgreSQL connections per server process: kept open, and opened beyond that
    under bursts (closed again when returned)."""

    size: int = 10
    overflow: int = 10
    # How long a request waits for a connection when all are in use.
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class WriteLimits:
    """Writes to one conversation: how many may hold a connection at once in a process,
    and how long the others queue for a turn before they fail."""

    per_conversation: int = 2
    wait_seconds: float = 5.0


# A pooled connection unused for this long is pinged before use. A busy server reuses its
# connections within milliseconds and never pays that round trip; a ping per checkout
# (SQLAlchemy's pool_pre_ping) cost every DataLoader batch one.
PING_AFTER_IDLE_SECONDS = 1.0


def _configure_sqlite(engine: AsyncEngine, begin_statement: str, busy_timeout_ms: int) -> None:
    """Foreign keys on, WAL, and transactions begun by us rather than by the driver.

    pysqlite's own transaction handling defers BEGIN and cannot take a write lock up
    front; writers use BEGIN IMMEDIATE so that two read-then-write transactions
    serialise instead of failing with "database is locked" at commit.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Migrating leaves the database in WAL mode (db.migrate), which the file keeps:
        # switching takes the only connection, so it is done here only if it was not.
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement)


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a connection that sat idle before handing it out: the database may have
    restarted meanwhile. A failed ping makes the pool open a fresh connection."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError() from error


def _utc_sessions(engine: AsyncEngine) -> None:
    """Every PostgreSQL session in UTC, whatever the server's, role's or client's (PGTZ)
    default: batch reads take timestamps straight from psycopg (see readers)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Outside a transaction, so that no rollback undoes it; then as it was: the
        # readers' engine has set AUTOCOMMIT already, and forcing it off would wrap every
        # read in a transaction (and roll back a write made in autocommit).
        was_autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.close()
        dbapi_connection.autocommit = was_autocommit


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _create_engine(
    url: str,
    *,
    writer: bool,
    lock_timeout_seconds: float,
    statement_timeout_seconds: float,
    pool: PoolSizes,
) -> AsyncEngine:
    """Statements wait at most `lock_timeout_seconds` for another transaction's lock and
    run at most `statement_timeout_seconds` (PostgreSQL), then fail with an
    OperationalError that the API reports as SERVICE_UNAVAILABLE, saying which."""
    timeout_ms = _milliseconds(lock_timeout_seconds)
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _configure_sqlite(engine, "BEGIN IMMEDIATE" if writer else "BEGIN", timeout_ms)
        return engine
    options = f"-c lock_timeout={timeout_ms}"
    options += f" -c statement_timeout={_milliseconds(statement_timeout_seconds)}"
    engine = create_async_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.overflow,
        pool_timeout=pool.timeout_seconds,
        connect_args={"options": options},
        # No BEGIN/ROLLBACK around reads: under READ COMMITTED each statement sees its
        # own snapshot anyway, so a read transaction bought nothing but two round trips.
        **({} if writer else {"isolation_level": "AUTOCOMMIT"}),
    )
    _utc_sessions(engine)
    _ping_when_idle(engine)
    return engine


class Database:
    """The reader and writer session factories of one database.

    Reads and writes go through separate engines, each with its own pool: SQLite writers
    take the write lock at BEGIN, reads never wait for a connection behind writers (who
    may be queued on a lock), and reads can later move to a replica.
    """

    def __init__(
        self,
        url: str,
        *,
        lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
        statement_timeout_seconds: float = DEFAULT_STATEMENT_TIMEOUT_SECONDS,
        pool: PoolSizes = PoolSizes(),
        read_pool: PoolSizes | None = None,
        writes: WriteLimits = WriteLimits(),
    ) -> None:
        self.url = url
        timeouts = {
            "lock_timeout_seconds": lock_timeout_seconds,
            "statement_timeout_seconds": statement_timeout_seconds,
        }
        self.writer_engine = _create_engine(url, writer=True, pool=pool, **timeouts)
        self.reader_engine = _create_engine(url, writer=False, pool=read_pool or pool, **timeouts)
        self.write_gates = ConversationGates(writes.per_conversation, writes.wait_seconds)
        self._writer = async_sessionmaker(self.writer_engine, expire_on_commit=False)
        self._reader = async_sessionmaker(self.reader_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.writer_engine.dialect.name

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Reader]:
        """A pooled connection for one batch read (autocommit on PostgreSQL)."""
        async with self.reader_engine.connect() as connection:
            driver = None
            if self.dialect == "postgresql":
                driver = (await connection.get_raw_connection()).driver_connection
            yield Reader(connection, driver)

    @asynccontextmanager
    async def transaction(
        self, conversation_id: uuid.UUID | None = None
    ) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        Given the conversation it writes to, it first takes one of that conversation's
        write turns (raising ConversationBusy when it waited too long for one)."""
        async with (
            self.write_gates.turn(conversation_id),
            self._writer() as session,
            session.begin(),
        ):
            yield session

    async def conversation_of(
        self, table: type[Message] | type[Branch], member_id: uuid.UUID
    ) -> uuid.UUID | None:
        """The conversation a message or branch belongs to, read outside any write (for
        the write turn; the writer still checks who may change it)."""
        async with self.reader_engine.connect() as connection:
            return await connection.scalar(
                select(table.conversation_id).where(table.id == member_id)  # type: ignore[arg-type]
            )

    async def ping(self) -> None:
        async with self.reader_engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.writer_engine.dispose()
        await self.reader_engine.dispose()
