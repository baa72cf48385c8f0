"""Fixtures: a fresh, migrated database per test, on SQLite and (when configured) PostgreSQL.

The databases and how each test gets its own are in tests/databases.py.
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from convograph.api import schema
from convograph.auth import Principal
from convograph.context import Context
from convograph.db.engine import Database
from convograph.db.readers import Reader
from convograph.settings import Settings
from tests.databases import DATABASES, MigratedTemplates


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture(params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> Iterator[str]:
    """A fresh database of the test's own that has been through every migration."""
    yield from migrated_templates.copy(request.param, tmp_path)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings.database_url)
    yield db
    await db.dispose()


class StatementCounter:
    """Counts the SQL statements the database receives while it is on: those SQLAlchemy
    runs, and the prebuilt ones that batch reads run straight on psycopg."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.statements: list[str] = []
        # One listener per pool: PostgreSQL's reader is the writer engine with options,
        # and its connections fire the writer's listeners too.
        engines = {e.sync_engine.pool: e for e in (database.reader_engine, database.writer_engine)}
        for engine in engines.values():
            event.listen(engine.sync_engine, "before_cursor_execute", self._seen)
        run_on_driver = Reader._driver_rows

        async def counted(reader: Reader, compiled: Any, params: Any) -> Any:
            self._seen(None, None, compiled.sql)
            return await run_on_driver(reader, compiled, params)

        monkeypatch.setattr(Reader, "_driver_rows", counted)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("BEGIN", "PRAGMA")):
            self.count += 1
            self.statements.append(statement)

    def reset(self) -> None:
        self.count = 0
        self.statements.clear()


@pytest.fixture
def statements(database: Database, monkeypatch: pytest.MonkeyPatch) -> StatementCounter:
    return StatementCounter(database, monkeypatch)


class GraphQLClient:
    """Runs GraphQL documents through `schema.execute`, one fresh context per call."""

    def __init__(
        self, database: Database, settings: Settings, owner: str = "local", *, admin: bool = False
    ) -> None:
        self.database = database
        self.settings = settings
        self.owner = owner
        self.principal = Principal(owner, admin=admin)

    async def execute(self, document: str, **variables: Any) -> Any:
        """The full result: `.data` and `.errors` (errors carry extensions.code)."""
        context = Context(database=self.database, settings=self.settings, principal=self.principal)
        return await schema.execute(document, variable_values=variables, context_value=context)

    async def data(self, document: str, **variables: Any) -> dict[str, Any]:
        """The data of a document that must succeed without top-level errors."""
        result = await self.execute(document, **variables)
        assert result.errors is None, [error.formatted for error in result.errors]
        assert result.data is not None
        return result.data


@pytest.fixture
def gql(database: Database, settings: Settings) -> GraphQLClient:
    return GraphQLClient(database, settings)
