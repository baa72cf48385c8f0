import pytest
from pydantic import ValidationError

from convograph.cpus import default_cpus
from convograph.settings import DEFAULT_DATABASE_URL, Settings

DATABASE_URL_VARIABLE = "CONVOGRAPH_DATABASE_URL"


@pytest.fixture(autouse=True)
def no_database_url_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own CONVOGRAPH_DATABASE_URL must not leak into these tests."""
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://user:secret@db.example:5432/chat",
            "postgresql+psycopg://user:secret@db.example:5432/chat",
        ),
        (
            "postgres://user:secret@db.example:5432/chat",
            "postgresql+psycopg://user:secret@db.example:5432/chat",
        ),
        ("sqlite:///x", "sqlite+aiosqlite:///x"),
        ("sqlite:////var/lib/convograph.db", "sqlite+aiosqlite:////var/lib/convograph.db"),
    ],
)
def test_a_plain_database_url_gets_the_async_driver(given: str, expected: str) -> None:
    # given / when
    settings = Settings(database_url=given)
    # then
    assert settings.database_url == expected


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@127.0.0.1/chat", "sqlite+aiosqlite:///./chat.db"],
)
def test_a_url_that_names_the_async_driver_is_kept(url: str) -> None:
    # given / when
    settings = Settings(database_url=url)
    # then
    assert settings.database_url == url


def test_the_default_database_is_a_local_sqlite_file() -> None:
    # given no CONVOGRAPH_DATABASE_URL
    # when
    settings = Settings()
    # then
    assert settings.database_url == "sqlite+aiosqlite:///./convograph.db"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.is_sqlite


@pytest.mark.parametrize("url", ["mysql://root@127.0.0.1/chat", "oracle://scott@db/orcl"])
def test_an_unsupported_database_is_rejected(url: str) -> None:
    # given / when / then
    with pytest.raises(ValidationError, match="only sqlite and postgresql"):
        Settings(database_url=url)


def test_the_database_url_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "postgres://app@db.internal/convograph")
    # when
    settings = Settings()
    # then
    assert settings.database_url == "postgresql+psycopg://app@db.internal/convograph"
    assert not settings.is_sqlite


def test_an_unsupported_database_in_the_environment_is_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "mysql://root@127.0.0.1/chat")
    # when / then
    with pytest.raises(ValidationError, match="only sqlite and postgresql"):
        Settings()


@pytest.mark.parametrize(
    ("url", "workers", "expected"),
    [
        ("sqlite:///x.db", None, 1),
        ("postgresql://postgres@127.0.0.1/chat", None, default_cpus()),
        ("postgresql://postgres@127.0.0.1/chat", 3, 3),
        ("sqlite:///x.db", 2, 2),
    ],
)
def test_serve_runs_one_worker_per_cpu_on_postgresql_and_one_on_sqlite(
    url: str, workers: int | None, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.delenv("CONVOGRAPH_WORKERS", raising=False)
    # when
    settings = Settings(database_url=url, workers=workers)
    # then
    assert settings.worker_count == expected
