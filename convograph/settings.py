"""Runtime configuration, read from `CONVOGRAPH_*` environment variables."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./convograph.db"

_ASYNC_DRIVERS = {
    "postgres://": "postgresql+psycopg://",
    "postgresql://": "postgresql+psycopg://",
    "sqlite://": "sqlite+aiosqlite://",
}

KIB = 1024
MIB = 1024 * KIB

# HMAC algorithms verify with the shared secret, the others with a public key: a server
# that accepted both for one key could be fooled into using a public key as a secret.
SECRET_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
PUBLIC_KEY_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
MIN_SECRET_BYTES = 32


def async_database_url(url: str) -> str:
    """Map a plain `postgresql://` or `sqlite://` URL onto the async driver we ship."""
    for prefix, replacement in _ASYNC_DRIVERS.items():
        if url.startswith(prefix):
            return replacement + url.removeprefix(prefix)
    return url


class AuthMode(StrEnum):
    NONE = "none"
    JWT = "jwt"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONVOGRAPH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Server processes; unset: one per CPU on PostgreSQL, one on SQLite (whose events
    # reach subscribers through the process that wrote them).
    workers: int | None = Field(default=None, ge=1)
    # A line per request costs every request; on for debugging (`serve --access-log`).
    access_log: bool = False
    # PostgreSQL connections per server process: kept open, and opened beyond that
    # under bursts. workers x (pool_size + pool_max_overflow) must fit max_connections.
    pool_size: int = Field(default=10, ge=1)
    pool_max_overflow: int = Field(default=10, ge=0)
    # How long a writer waits for another one's lock (SQLite busy timeout, PostgreSQL
    # lock_timeout) before the request fails with SERVICE_UNAVAILABLE.
    lock_timeout_seconds: float = Field(default=10.0, gt=0)

    # --- authentication ----------------------------------------------------------------
    auth: AuthMode = AuthMode.NONE
    # With auth "none": the owner every request acts as.
    local_owner: str = Field(default="local", min_length=1, max_length=255)
    jwt_secret: SecretStr | None = None
    jwt_public_key_file: Path | None = None
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(default_factory=list)
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: int = Field(default=0, ge=0)

    # --- query limits ------------------------------------------------------------------
    max_page_size: int = Field(default=100, ge=1)
    default_page_size: int = Field(default=100, ge=1)
    max_depth: int = Field(default=12, ge=1)
    max_aliases: int = Field(default=30, ge=0)
    max_tokens: int = Field(default=5_000, ge=1)
    max_nodes: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=1 * MIB, ge=1)
    introspection: bool = True

    # --- input limits ------------------------------------------------------------------
    max_content_bytes: int = Field(default=256 * KIB, ge=1)
    max_metadata_bytes: int = Field(default=64 * KIB, ge=2)
    max_title_length: int = Field(default=1_000, ge=1)

    # --- events (subscriptions) ------------------------------------------------------
    # Subscriptions replay events this many days old at most; older ones are pruned.
    event_retention_days: float = Field(default=7, gt=0)
    event_prune_interval_seconds: float = Field(default=3600, gt=0)
    # How far a subscriber may fall behind before its stream ends (it resumes from there).
    event_queue_size: int = Field(default=1000, ge=1)

    # --- streamed messages and retries -------------------------------------------------
    # A streamed message's delta events are deleted this long after it is finished (its
    # row holds the whole text); until then a reconnecting subscriber replays every delta.
    delta_compaction_delay_seconds: float = Field(default=3600, gt=0)
    # An IN_PROGRESS message with no append for this long is marked FAILED; unset: never.
    stale_message_timeout_seconds: float | None = Field(default=None, gt=0)
    # A repeated idempotencyKey within this window returns the first result.
    idempotency_retention_hours: float = Field(default=24, gt=0)

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgres")):
            raise ValueError("only sqlite and postgresql database URLs are supported")
        return async_database_url(url)

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @model_validator(mode="after")
    def _jwt_is_configured(self) -> Self:
        if self.auth == AuthMode.NONE:
            return self
        if (self.jwt_secret is None) == (self.jwt_public_key_file is None):
            raise ValueError(
                "CONVOGRAPH_AUTH=jwt needs exactly one of CONVOGRAPH_JWT_SECRET and "
                "CONVOGRAPH_JWT_PUBLIC_KEY_FILE"
            )
        allowed = SECRET_ALGORITHMS if self.jwt_secret is not None else PUBLIC_KEY_ALGORITHMS
        if wrong := sorted(set(self.jwt_algorithms) - allowed):
            raise ValueError(
                f"CONVOGRAPH_JWT_ALGORITHMS {wrong} cannot be used with "
                + ("a shared secret" if self.jwt_secret is not None else "a public key")
            )
        if (
            self.jwt_secret is not None
            and len(self.jwt_secret.get_secret_value().encode()) < MIN_SECRET_BYTES
        ):
            raise ValueError(f"CONVOGRAPH_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def worker_count(self) -> int:
        if self.workers is not None:
            return self.workers
        return 1 if self.is_sqlite else len(os.sched_getaffinity(0))
