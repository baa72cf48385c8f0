"""Runtime configuration, read from `CONVOGRAPH_*` environment variables."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from convograph.cpus import default_cpus

if TYPE_CHECKING:
    from convograph.db.engine import Database

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./convograph.db"

_ASYNC_DRIVERS = {
    "postgres://": "postgresql+psycopg://",
    "postgresql://": "postgresql+psycopg://",
    "sqlite://": "sqlite+aiosqlite://",
}
# The drivers the project installs; the engine passes psycopg-only connection options.
SUPPORTED_DRIVERS = ("postgresql+psycopg", "sqlite+aiosqlite")

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


class CompiledReads(StrEnum):
    """How queries are answered on PostgreSQL (convograph.api.compiled_reads)."""

    OFF = "off"  # by the resolvers, field by field
    ON = "on"  # by one SQL statement when the compiler covers the query
    SHADOW = "shadow"  # by the resolvers, with the compiled answer computed and compared


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONVOGRAPH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Server processes; unset: one per CPU on PostgreSQL (the CPUs the affinity mask and
    # the cgroup quota allow), one on SQLite (whose events reach subscribers through the
    # process that wrote them).
    workers: int | None = Field(default=None, ge=1)
    # `serve`: a listening socket per worker (SO_REUSEPORT), so the kernel spreads
    # connections over the workers; off: uvicorn's one shared socket.
    reuse_port: bool = False
    # A line per request costs every request; on for debugging (`serve --access-log`).
    access_log: bool = False
    # PostgreSQL connections per server process: kept open, and opened beyond that
    # under bursts. workers x (pool_size + pool_max_overflow) must fit max_connections.
    # These are the writers' pool; reads have a pool of their own (read_pool_*), so that
    # writers queued on a lock never make a read wait for a connection. Reads (and the
    # one-statement streaming appends) keep all theirs open: connections opened for a
    # burst and closed after it cost more than the requests they served (with 50
    # concurrent appends, 10 + 10 overflow ran 147 appends/s, 20 + 0 ran 204).
    pool_size: int = Field(default=10, ge=1)
    pool_max_overflow: int = Field(default=10, ge=0)
    read_pool_size: int = Field(default=20, ge=1)
    read_pool_max_overflow: int = Field(default=0, ge=0)
    # How long a request waits for a pooled connection when all are in use.
    pool_timeout_seconds: float = Field(default=5.0, gt=0)
    # How long a statement waits for another transaction's lock (SQLite busy timeout,
    # PostgreSQL lock_timeout) before the request fails with SERVICE_UNAVAILABLE.
    lock_timeout_seconds: float = Field(default=10.0, gt=0)
    # The longest a statement may run (PostgreSQL statement_timeout).
    statement_timeout_seconds: float = Field(default=30.0, gt=0)
    # Writes to one conversation holding a connection at once, per process; the others
    # queue for a turn at most conversation_write_wait_seconds, then fail with
    # SERVICE_UNAVAILABLE. A locked conversation thus never takes the whole pool.
    max_writers_per_conversation: int = Field(default=2, ge=1)
    conversation_write_wait_seconds: float = Field(default=5.0, gt=0)

    # --- transport -------------------------------------------------------------------
    # A request head (request line and headers) larger than this, or with more headers,
    # is refused with 431 before it is read further.
    max_header_bytes: int = Field(default=32 * KIB, ge=1 * KIB)
    max_header_count: int = Field(default=100, ge=1)
    # A connection must deliver a complete request head within this long of opening or
    # of its last response, or it is closed (idle keep-alive sockets included).
    idle_timeout_seconds: float = Field(default=10.0, gt=0)
    # A request body must arrive whole within this long, or the request is answered 408.
    body_read_timeout_seconds: float = Field(default=30.0, gt=0)

    # --- authentication ----------------------------------------------------------------
    auth: AuthMode = AuthMode.NONE
    # With auth "none", `serve` listens on loopback addresses only unless this is set:
    # anyone who reaches the port would act as the local owner.
    allow_unauthenticated_network: bool = False
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
    # Fields, fragment spreads and inline fragments, each fragment counted each time it is
    # spread: what validation and execution walk.
    max_selections: int = Field(default=500, ge=1)
    # Pairs of fields at one response path (`{ a a }` is one pair), which validation
    # compares with each other: quadratic in the repeats.
    max_repeated_fields: int = Field(default=200, ge=0)
    max_directives: int = Field(default=50, ge=0)
    max_operations: int = Field(default=20, ge=1)
    # Items of any list argument given in variables (`ids`, `hasKeys`), checked before the
    # items are coerced one by one.
    max_list_length: int = Field(default=1_000, ge=1)
    max_tokens: int = Field(default=5_000, ge=1)
    max_nodes: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=1 * MIB, ge=1)
    introspection: bool = True
    # On PostgreSQL, answer the queries the compiler covers with one SQL statement each.
    compiled_reads: CompiledReads = CompiledReads.ON

    # A conversations filter's metadata conditions (`equals`, `contains`, `in` together):
    # each value becomes part of the SQL statement.
    max_filter_values: int = Field(default=100, ge=1)
    max_filter_bytes: int = Field(default=16 * KIB, ge=2)
    # `snippet(startMark:, endMark:)`: each mark is repeated around every matching word.
    max_mark_length: int = Field(default=100, ge=0)
    # The JSON body of one response; a larger one is replaced by a LIMIT_EXCEEDED error.
    max_response_bytes: int = Field(default=8 * MIB, ge=1)

    # --- the web side ------------------------------------------------------------------
    # The conversation page at `/` (GraphiQL follows `introspection`).
    web_page: bool = True

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
    # Operations one WebSocket may run at once (subscriptions, and queries in flight).
    max_subscriptions_per_connection: int = Field(default=100, ge=1)
    # Subscriptions one owner (a token's `sub`) may hold open in one server process,
    # over all its sockets: each costs every event of its conversations some work.
    max_subscriptions_per_owner: int = Field(default=200, ge=1)

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
        from sqlalchemy.engine import (
            make_url,
        )  # not at import: `convograph --help` needs no SQLAlchemy

        url = async_database_url(url)
        try:
            driver = make_url(url).drivername
        except ValueError:  # SQLAlchemy's ArgumentError is one too, and so is a bad port
            raise ValueError(
                "not a database URL: expected postgresql://user:password@host:5432/name "
                "or sqlite:///path/to/file.db"
            ) from None
        if driver not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"unsupported database driver {driver!r}: use postgresql:// (psycopg) "
                "or sqlite:// (aiosqlite)"
            )
        return url

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

    def database(self) -> "Database":
        """The database these settings describe, with their pools, timeouts and limits."""
        from convograph.db.engine import Database, PoolSizes, WriteLimits

        return Database(
            self.database_url,
            lock_timeout_seconds=self.lock_timeout_seconds,
            statement_timeout_seconds=self.statement_timeout_seconds,
            pool=PoolSizes(self.pool_size, self.pool_max_overflow, self.pool_timeout_seconds),
            read_pool=PoolSizes(
                self.read_pool_size, self.read_pool_max_overflow, self.pool_timeout_seconds
            ),
            writes=WriteLimits(
                self.max_writers_per_conversation, self.conversation_write_wait_seconds
            ),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def worker_count(self) -> int:
        if self.workers is not None:
            return self.workers
        return 1 if self.is_sqlite else default_cpus()
