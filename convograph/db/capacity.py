"""Whether the server processes' connection pools fit in PostgreSQL's `max_connections`.

Each server process keeps a writers' pool of `pool_size` connections (up to
`pool_max_overflow` more under bursts), a readers' pool sized the same way, and one more
connection for LISTEN (subscriptions). Past the server's limit
PostgreSQL refuses new connections ("too many clients already"), and that happens under
load, long after startup: the check says so when the server starts.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, text

# The LISTEN connection of each process's event broker.
LISTEN_CONNECTIONS_PER_PROCESS = 1


@dataclass(frozen=True)
class ConnectionBudget:
    workers: int
    pool_size: int
    pool_max_overflow: int
    read_pool_size: int = 0
    read_pool_max_overflow: int = 0

    @property
    def per_worker(self) -> int:
        return (
            self.pool_size
            + self.pool_max_overflow
            + self.read_pool_size
            + self.read_pool_max_overflow
            + LISTEN_CONNECTIONS_PER_PROCESS
        )

    @property
    def peak(self) -> int:
        return self.workers * self.per_worker


def overcommit_warning(budget: ConnectionBudget, available: int) -> str | None:
    """The warning to log when the pools can ask for more connections than the server
    allows, else None."""
    if budget.peak <= available:
        return None
    return (
        f"{budget.workers} workers x ({budget.pool_size} pool + {budget.pool_max_overflow} "
        f"overflow + {budget.read_pool_size} read pool + {budget.read_pool_max_overflow} "
        f"read overflow + {LISTEN_CONNECTIONS_PER_PROCESS} listener) = {budget.peak} connections "
        f"can exceed the {available} PostgreSQL allows (max_connections minus reserved "
        "connections); under load requests would fail with 'too many clients'. Lower "
        "--workers or the CONVOGRAPH_POOL_* / CONVOGRAPH_READ_POOL_* sizes, or raise "
        "max_connections (or put PgBouncer in front)"
    )


def server_connection_limit(connection: Connection) -> int:
    """`max_connections` minus the connections kept for superusers (and, from PostgreSQL
    16, for roles granted pg_use_reserved_connections): what ordinary roles may open."""
    maximum = int(connection.execute(text("SHOW max_connections")).scalar_one())
    reserved = int(connection.execute(text("SHOW superuser_reserved_connections")).scalar_one())
    # PostgreSQL 16 adds reserved_connections; older servers do not know the name.
    reserved += int(
        connection.execute(
            text("SELECT coalesce(current_setting('reserved_connections', true), '0')")
        ).scalar_one()
    )
    return maximum - reserved
