"""The startup check of the connection pools against PostgreSQL's max_connections."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool

from convograph.db.capacity import ConnectionBudget, overcommit_warning, server_connection_limit
from convograph.db.migrate import sync_database_url
from tests.databases import fresh_postgres_database
from tests.serving import running_server

ON_POSTGRES = pytest.mark.skipif(
    os.environ.get("CONVOGRAPH_TEST_DATABASE_URL") is None,
    reason="CONVOGRAPH_TEST_DATABASE_URL is not set",
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database: the check has nothing to say about SQLite."""
    yield from fresh_postgres_database()


def test_pools_within_the_limit_give_no_warning() -> None:
    # given: 4 x (10 + 10 + 1) = 84
    budget = ConnectionBudget(workers=4, pool_size=10, pool_max_overflow=10)
    # when / then
    assert budget.peak == 84
    assert overcommit_warning(budget, available=97) is None


def test_pools_beyond_the_limit_are_explained() -> None:
    # given: 8 x (10 + 10 + 5 + 5 + 1) = 248
    budget = ConnectionBudget(
        workers=8, pool_size=10, pool_max_overflow=10, read_pool_size=5, read_pool_max_overflow=5
    )
    # when
    warning = overcommit_warning(budget, available=97)
    # then
    assert warning is not None
    assert (
        "8 workers x (10 pool + 10 overflow + 5 read pool + 5 read overflow + 1 listener)"
        " = 248 connections" in warning
    )
    assert "the 97 PostgreSQL allows" in warning


@ON_POSTGRES
def test_the_limit_is_max_connections_minus_the_reserved_ones(postgres_url: str) -> None:
    # given
    engine = create_engine(sync_database_url(postgres_url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        maximum = int(connection.exec_driver_sql("SHOW max_connections").scalar_one())
        reserved = int(
            connection.exec_driver_sql("SHOW superuser_reserved_connections").scalar_one()
        )
        # when
        limit = server_connection_limit(connection)
    engine.dispose()
    # then (PostgreSQL 15 has no reserved_connections)
    assert limit <= maximum - reserved
    assert limit > 0


@ON_POSTGRES
def test_serve_warns_when_the_pools_can_exceed_max_connections(
    postgres_url: str, tmp_path: Path
) -> None:
    # given pools far larger than any test server allows
    log_path = tmp_path / "serve.log"
    environment = {
        "CONVOGRAPH_POOL_SIZE": "5000",
        "CONVOGRAPH_POOL_MAX_OVERFLOW": "0",
        "CONVOGRAPH_READ_POOL_SIZE": "2",
        "CONVOGRAPH_READ_POOL_MAX_OVERFLOW": "0",
    }
    # when
    with running_server(postgres_url, log_path, environment=environment):
        log = log_path.read_text()
    # then
    assert (
        "1 workers x (5000 pool + 0 overflow + 2 read pool + 0 read overflow + 1 listener)"
        " = 5003 connections" in log
    )
    assert "max_connections" in log


@ON_POSTGRES
def test_serve_says_nothing_when_the_pools_fit(postgres_url: str, tmp_path: Path) -> None:
    # given the default pools and one worker: 41 connections
    log_path = tmp_path / "serve.log"
    # when
    with running_server(postgres_url, log_path):
        log = log_path.read_text()
    # then
    assert "max_connections" not in log
