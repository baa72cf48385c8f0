"""Runtime configuration, read from `CONVOGRAPH_*` environment variables."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./convograph.db"

_ASYNC_DRIVERS = {
    "postgres://": "postgresql+psycopg://",
    "postgresql://": "postgresql+psycopg://",
    "sqlite://": "sqlite+aiosqlite://",
}


def async_database_url(url: str) -> str:
    """Map a plain `postgresql://` or `sqlite://` URL onto the async driver we ship."""
    for prefix, replacement in _ASYNC_DRIVERS.items():
        if url.startswith(prefix):
            return replacement + url.removeprefix(prefix)
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONVOGRAPH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)
    # The owner every request acts as until authentication is configured.
    local_owner: str = "local"
    max_page_size: int = Field(default=100, ge=1)
    default_page_size: int = Field(default=100, ge=1)
    # Subscriptions replay events this many days old at most; older ones are pruned.
    event_retention_days: float = Field(default=7, gt=0)
    event_prune_interval_seconds: float = Field(default=3600, gt=0)
    # How far a subscriber may fall behind before its stream ends (it resumes from there).
    event_queue_size: int = Field(default=1000, ge=1)

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgres")):
            raise ValueError("only sqlite and postgresql database URLs are supported")
        return async_database_url(url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
