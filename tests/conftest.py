"""Fixtures: a fresh, migrated database per test, on SQLite and (when configured) PostgreSQL.

The databases and how each test gets its own are in tests/databases.py.
"""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import event

from convograph.api import schema
from convograph.api.compiled_reads import CompiledResult, result_data
from convograph.auth import Principal
from convograph.context import Context
from convograph.db.engine import Database
from convograph.db.readers import Reader
from convograph.settings import CompiledReads, Settings
from tests.databases import DATABASES, MigratedTemplates, migrated_from_scratch
from tests.serving import served_database


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
    if request.node.get_closest_marker("migrates"):
        yield from migrated_from_scratch(request.param, tmp_path)
    else:
        yield from migrated_templates.copy(request.param, tmp_path)


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The base URL of a `convograph serve` for the whole module (starting one costs a
    second or two), on a fresh database it migrated itself as a user's first run does."""
    directory = tmp_path_factory.mktemp(f"server-{request.param}")
    for served in served_database(request.param, directory):
        yield served.base_url


@pytest.fixture
def settings(request: pytest.FixtureRequest, database_url: str) -> Settings:
    """The default settings; with the `resolver_path` mark, compiled reads off (a test of
    the resolvers' own reads: their statements, or a fault injected into a loader)."""
    if request.node.get_closest_marker("resolver_path") is not None:
        return Settings(database_url=database_url, compiled_reads=CompiledReads.OFF)
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
    # A count is of one path's statements: the differential run would double them.
    monkeypatch.setattr(GraphQLClient, "differential", False)
    return StatementCounter(database, monkeypatch)


def is_query_document(document: str) -> bool:
    """Whether `document` parses and all its operations are queries."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(o.operation == OperationType.QUERY for o in operations)


def outcome(result: Any) -> dict[str, Any]:
    """What a client sees of a result: its data and its formatted errors."""
    errors = [error.formatted for error in result.errors or []]
    for error in errors:
        # A fresh id per request, by design.
        error.get("extensions", {}).pop("requestId", None)
    return {"data": result_data(result), "errors": errors}


class GraphQLClient:
    """Runs GraphQL documents through `schema.execute`, one fresh context per call.

    With `differential` on (CONVOGRAPH_TEST_COMPILED_READS=differential, or a module's
    fixture), every query also runs through the other read path on PostgreSQL and the two
    outcomes must be equal (`assert_paths_agree`).
    """

    differential = os.environ.get("CONVOGRAPH_TEST_COMPILED_READS") == "differential"

    def __init__(
        self, database: Database, settings: Settings, owner: str = "local", *, admin: bool = False
    ) -> None:
        self.database = database
        self.settings = settings
        self.owner = owner
        self.principal = Principal(owner, admin=admin)

    async def execute(self, document: str, **variables: Any) -> Any:
        """The full result: `.data` and `.errors` (errors carry extensions.code)."""
        if (
            self.differential
            and self.database.dialect == "postgresql"
            and is_query_document(document)
        ):
            results = await self.on_both_paths(document, **variables)
            assert_paths_agree(*results)
            return results[0]
        return await self.run(self.settings, document, variables)

    def context(self, settings: Settings | None = None) -> Context:
        return Context(
            database=self.database, settings=settings or self.settings, principal=self.principal
        )

    async def run(self, settings: Settings, document: str, variables: dict[str, Any]) -> Any:
        context = self.context(settings)
        result = await schema.execute(document, variable_values=variables, context_value=context)
        if isinstance(result, CompiledResult):
            result.data = result_data(result)
        return result

    async def on_both_paths(self, document: str, **variables: Any) -> tuple[Any, Any]:
        """The results of the resolver path and of the compiled one (where it answers)."""
        resolvers = self.settings.model_copy(update={"compiled_reads": CompiledReads.OFF})
        compiled = self.settings.model_copy(update={"compiled_reads": CompiledReads.ON})
        return (
            await self.run(resolvers, document, variables),
            await self.run(compiled, document, variables),
        )

    async def data(self, document: str, **variables: Any) -> dict[str, Any]:
        """The data of a document that must succeed without top-level errors."""
        result = await self.execute(document, **variables)
        assert result.errors is None, [error.formatted for error in result.errors]
        assert result.data is not None
        return result.data


def assert_paths_agree(resolvers: Any, compiled: Any) -> None:
    assert outcome(compiled) == outcome(resolvers)


@pytest.fixture
def gql(database: Database, settings: Settings) -> GraphQLClient:
    return GraphQLClient(database, settings)


# Two owners, for the tests of what one owner's client sees of the other's conversations.
@pytest.fixture
def alice(database: Database, settings: Settings) -> GraphQLClient:
    return GraphQLClient(database, settings, owner="alice")


@pytest.fixture
def bob(database: Database, settings: Settings) -> GraphQLClient:
    return GraphQLClient(database, settings, owner="bob")
