"""Apply the Alembic history: the only way a database gets its schema."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def sync_database_url(url: str) -> str:
    """Alembic runs synchronously: same database, blocking driver."""
    return url.replace("sqlite+aiosqlite://", "sqlite://")


def comparing_on(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for comparing the models with a database of `dialect`:
    objects the models mark as another database's only (`info["dialect"]`) are left out."""

    def include(item: Any, _name: Any, _type: Any, reflected: bool, _compare_to: Any) -> bool:
        return reflected or item.info.get("dialect", dialect) == dialect

    return include


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = sync_database_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
