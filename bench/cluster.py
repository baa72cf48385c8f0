"""A throwaway PostgreSQL cluster for one benchmark run.

PostgreSQL refuses to run as root, so when the harness runs as root the cluster belongs
to the `postgres` user (`runuser -u postgres`). It listens on 127.0.0.1 on a free port,
preloads pg_stat_statements (the statement counts per request come from it) and is
removed when the run ends.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "convograph_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    @classmethod
    def create(cls) -> "Cluster":
        root = Path(tempfile.mkdtemp(prefix="convograph-bench-pg-"))
        cluster = cls(root, free_port())
        cluster.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(cluster.data, "postgres", "postgres")
        os.chmod(cluster.data, 0o700)
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(cluster.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {root}"
            " -c max_connections=100 -c shared_buffers=256MB"
            " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(cluster.data),
                    "-l",
                    str(root / "pg.log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # The view lives where the counts are read: the `postgres` database.
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
            connection.execute("CREATE EXTENSION pg_stat_statements")
        return cluster

    def destroy(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.root, ignore_errors=True)


class StatementCounter:
    """Statements executed in the benchmark database, from pg_stat_statements.

    Counts every top-level statement the servers send (SELECT, INSERT, UPDATE, and the
    BEGIN/COMMIT/ROLLBACK of transactions, reported apart). Sampling connects to the
    `postgres` database, so the sampling queries are not counted.
    """

    QUERY = """
        SELECT coalesce(sum(calls), 0),
               coalesce(sum(calls) FILTER (WHERE query ~* '^\\s*(begin|commit|rollback)'), 0)
        FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)
    """

    def __init__(self, url: str, database: str = DATABASE) -> None:
        self.url, self.database = url, database

    def by_statement(self) -> dict[str, int]:
        """Calls so far per normalized statement text."""
        query = """
            SELECT query, sum(calls) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s) GROUP BY query
        """
        with psycopg.connect(self.url, autocommit=True) as connection:
            return {q: int(n) for q, n in connection.execute(query, (self.database,))}

    def sample(self) -> tuple[int, int]:
        """(all statements, of which transaction control) so far."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            row = connection.execute(self.QUERY, (self.database,)).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")
