"""`convograph serve | migrate | export-schema | export | import`."""

import argparse
import asyncio
import ipaddress
import logging
import os
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import IO, Any, NoReturn, TypeVar

import pydantic

import convograph
from convograph.settings import AuthMode, Settings

logger = logging.getLogger("convograph")

T = TypeVar("T")

# The options that stand for a setting, by the setting's name: given, they win over the
# CONVOGRAPH_* environment variable.
SETTING_OPTIONS = ("database_url", "host", "port", "workers", "access_log", "reuse_port")
# Settings whose values an error message must not repeat.
SECRET_SETTINGS = frozenset({"database_url", "jwt_secret"})


class ConfigurationError(Exception):
    """The command cannot start as configured; the message is one line for the operator."""


def _settings(args: argparse.Namespace) -> Settings:
    """The settings from the environment, with the options given on the command line."""
    given = {
        name: value for name in SETTING_OPTIONS if (value := getattr(args, name, None)) is not None
    }
    try:
        return Settings(**given)
    except pydantic.ValidationError as error:
        raise ConfigurationError(_describe(error, given)) from None


def _describe(error: pydantic.ValidationError, given: dict[str, Any]) -> str:
    problems = []
    for problem in error.errors():
        message = str(problem["msg"]).removeprefix("Value error, ")
        if not problem["loc"]:  # a check across settings names them itself
            problems.append(message)
            continue
        name = str(problem["loc"][0])
        source = f"--{name.replace('_', '-')}" if name in given else f"CONVOGRAPH_{name.upper()}"
        shown = "" if name in SECRET_SETTINGS else f" (got {problem['input']!r})"
        problems.append(f"invalid {source}: {message}{shown}")
    return "; ".join(problems)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`: localhost, 127.0.0.0/8 or ::1."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:  # a host name: it may resolve to any interface
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _refuse_unauthenticated_network(settings: Settings) -> None:
    if settings.auth != AuthMode.NONE or is_loopback(settings.host):
        return
    if not settings.allow_unauthenticated_network:
        raise ConfigurationError(
            f"refusing to listen on {settings.host} without authentication "
            "(CONVOGRAPH_AUTH=none): every client would act as the local owner. Set "
            "CONVOGRAPH_AUTH=jwt, listen on 127.0.0.1, or set "
            "CONVOGRAPH_ALLOW_UNAUTHENTICATED_NETWORK=true if the network is yours alone"
        )
    logger.warning(
        "listening on %s without authentication (CONVOGRAPH_AUTH=none, "
        "CONVOGRAPH_ALLOW_UNAUTHENTICATED_NETWORK=true): every client acts as the local owner",
        settings.host,
    )


def _reachable(settings: Settings) -> int | None:
    """Connect once, so that a wrong URL fails here in one line rather than deep in a
    migration; on PostgreSQL, the connections it allows ordinary roles."""
    from convograph.db.capacity import server_connection_limit
    from convograph.db.probe import DatabaseUnavailable, check_connection

    try:
        return check_connection(
            settings.database_url, None if settings.is_sqlite else server_connection_limit
        )
    except DatabaseUnavailable as error:
        raise ConfigurationError(str(error)) from None


def _warn_if_pools_exceed(settings: Settings, available: int | None) -> None:
    from convograph.db.capacity import ConnectionBudget, overcommit_warning

    if available is None:
        return
    budget = ConnectionBudget(
        settings.worker_count,
        settings.pool_size,
        settings.pool_max_overflow,
        settings.read_pool_size,
        settings.read_pool_max_overflow,
    )
    if (warning := overcommit_warning(budget, available)) is not None:
        logger.warning("%s", warning)


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from convograph.db.migrate import upgrade
    from convograph.transport import BoundedHttpToolsProtocol

    settings = _settings(args)
    _refuse_unauthenticated_network(settings)
    available = _reachable(settings)
    upgrade(settings.database_url)
    _warn_if_pools_exceed(settings, available)
    # Each worker builds its app from the environment: the options must reach it there.
    given = {
        f"CONVOGRAPH_{name.upper()}": str(getattr(settings, name))
        for name in SETTING_OPTIONS
        if getattr(args, name, None) is not None
    }
    options = {
        "access_log": settings.access_log,
        "ws_max_size": settings.max_body_bytes,
        "http": BoundedHttpToolsProtocol,
        "timeout_keep_alive": settings.idle_timeout_seconds,
    }
    with _environment(given):
        if settings.reuse_port:
            from convograph import reuse_port

            reuse_port.serve(settings.host, settings.port, settings.worker_count, options)
            return
        uvicorn.run(
            "convograph.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.worker_count,
            **options,
        )


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """`variables` set in os.environ for the block, as they were after it (`main` may run
    inside another program, such as a test)."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _migrate(args: argparse.Namespace) -> None:
    from convograph.db.migrate import upgrade

    settings = _settings(args)
    _reachable(settings)
    upgrade(settings.database_url)


def _export_schema(_: argparse.Namespace) -> None:
    from convograph.api import schema

    sys.stdout.write(schema.as_str() + "\n")


def _export(args: argparse.Namespace) -> None:
    from convograph.db.probe import DatabaseUnavailable, require_current_schema
    from convograph.transfer.documents import DocumentFormat
    from convograph.transfer.exporter import missing_conversations, write_document

    settings = _settings(args)
    owner = _owner(args, settings)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # stderr carries only the count
    try:
        require_current_schema(settings.database_url)
    except DatabaseUnavailable as error:
        raise ConfigurationError(str(error)) from None
    ids = args.conversation or None
    if ids:
        missing = asyncio.run(_with_database(settings, missing_conversations, owner, ids))
        if missing:
            raise ConfigurationError(f"no conversation {', '.join(map(str, missing))} of {owner}")
    try:
        output = open(args.output, "w", encoding="utf-8") if args.output else None  # noqa: SIM115
    except OSError as error:
        raise ConfigurationError(f"cannot write {args.output}: {error.strerror}") from None
    try:
        with output or nullcontext(sys.stdout) as out:
            count = asyncio.run(
                _with_database(
                    settings, write_document, owner, DocumentFormat(args.format), ids, out
                )
            )
    except BrokenPipeError:  # the reader of stdout stopped early (`| head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.stderr.write(f"exported {count:,} conversations\n")


async def _with_database(settings: Settings, work: Callable[..., Awaitable[T]], *args: Any) -> T:
    from convograph.db.engine import Database

    database = Database(settings.database_url)
    try:
        return await work(database, *args)
    finally:
        await database.dispose()


def _import(args: argparse.Namespace) -> None:
    from convograph.db.migrate import upgrade

    try:
        stream = open(args.file, "rb")  # noqa: SIM115  # closed below, after the work
    except OSError as error:
        raise ConfigurationError(f"cannot read {args.file}: {error.strerror}") from None
    with stream:
        settings = _settings(args)
        _reachable(settings)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        upgrade(settings.database_url)
        _import_stream(args, settings, stream)


def _import_stream(args: argparse.Namespace, settings: Settings, stream: IO[bytes]) -> NoReturn:
    from convograph.db.input_rules import InputLimits
    from convograph.transfer.documents import DocumentFormat, InvalidDocument, stream_conversations
    from convograph.transfer.importer import ImportSummary, import_conversations
    from convograph.transfer.progress import ImportProgress

    chosen = None if args.format == "auto" else DocumentFormat(args.format)
    summary = ImportSummary()
    error = None
    progress = ImportProgress(sys.stderr, os.fstat(stream.fileno()).st_size)
    try:
        format, reader, items = stream_conversations(stream, chosen)
        summary = asyncio.run(
            _with_database(
                settings,
                import_conversations,
                _owner(args, settings),
                format,
                items,
                InputLimits.of(settings),
                lambda outcome: progress.record(outcome, reader.bytes_read),
            )
        )
    except InvalidDocument as invalid:
        error = invalid.detail
    finally:
        progress.finish()
    print(
        f"imported {len(summary.imported):,} conversations "
        f"({summary.message_count:,} messages, {summary.branch_count:,} branches); "
        f"skipped {len(summary.skipped):,} imported before; failed {len(summary.failed):,}"
    )
    if summary.failed:
        print("failed records: " + ", ".join(str(o.index) for o in summary.failed))
    if error is not None:
        sys.stderr.write(f"stopped: {error}\n")
    sys.exit(1 if summary.failed or error is not None else 0)


def _database_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database-url",
        metavar="URL",
        help="postgresql://user:password@host:5432/name or sqlite:///path.db "
        "(default: CONVOGRAPH_DATABASE_URL, else sqlite:///./convograph.db)",
    )


def _owner_option(command: argparse.ArgumentParser, meaning: str) -> None:
    command.add_argument("--owner", help=f"{meaning} (default: CONVOGRAPH_LOCAL_OWNER, else local)")


def _owner(args: argparse.Namespace, settings: Settings) -> str:
    return settings.local_owner if args.owner is None else args.owner


def parser() -> argparse.ArgumentParser:
    from convograph.transfer.documents import DocumentFormat

    root = argparse.ArgumentParser(
        prog="convograph",
        description="A GraphQL API server for branching chat conversations. Settings come "
        "from CONVOGRAPH_* environment variables; an option given here wins over its variable.",
    )
    root.add_argument("--version", action="version", version=f"%(prog)s {convograph.__version__}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="apply migrations, then serve GraphQL over HTTP",
        description="Apply migrations, then serve GraphQL at /graphql (with /healthz and "
        "/readyz). Without authentication (CONVOGRAPH_AUTH=none) it listens on loopback "
        "addresses only, unless CONVOGRAPH_ALLOW_UNAUTHENTICATED_NETWORK=true.",
    )
    serve.add_argument(
        "--host",
        help="address to listen on (default: CONVOGRAPH_HOST, else 127.0.0.1; "
        "0.0.0.0 for every interface)",
    )
    serve.add_argument(
        "--port", type=int, help="TCP port to listen on (default: CONVOGRAPH_PORT, else 8000)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes (default: CONVOGRAPH_WORKERS, else one per CPU the process "
        "may use, cgroup quota included, on PostgreSQL, and one on SQLite)",
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        help="a log line per request (default: CONVOGRAPH_ACCESS_LOG, else off)",
    )
    serve.add_argument(
        "--reuse-port",
        action=argparse.BooleanOptionalAction,
        help="a listening socket per worker (SO_REUSEPORT, TCP_NODELAY; "
        "default: CONVOGRAPH_REUSE_PORT, else off)",
    )
    _database_option(serve)
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser(
        "migrate",
        help="bring the database schema up to date",
        description="Apply every migration the database lacks (serve and import do it too).",
    )
    _database_option(migrate)
    migrate.set_defaults(run=_migrate)

    export_schema = commands.add_parser(
        "export-schema",
        help="print the GraphQL schema (SDL)",
        description="Print the GraphQL schema (SDL) to stdout; needs no database.",
    )
    export_schema.set_defaults(run=_export_schema)

    formats = [format.value for format in DocumentFormat]
    export = commands.add_parser(
        "export",
        help="write conversations as a JSON document (stdout unless --output)",
        description="Write an owner's conversations as one JSON document.",
    )
    export.add_argument(
        "--conversation",
        action="append",
        type=uuid.UUID,
        metavar="ID",
        help="export this conversation (repeat for more); default: every one of the owner's",
    )
    export.add_argument(
        "--format",
        choices=formats,
        default="convograph",
        help="convograph (lossless, read back by import) or chatgpt (conversations.json); "
        "default: convograph",
    )
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    _owner_option(export, "whose conversations")
    _database_option(export)
    export.set_defaults(run=_export)

    import_ = commands.add_parser(
        "import",
        help="import a convograph document or ChatGPT's conversations.json",
        description="Import a convograph document or ChatGPT's conversations.json; "
        "conversations imported before are skipped.",
    )
    import_.add_argument("file", metavar="FILE", help="the JSON document to import")
    import_.add_argument(
        "--format",
        choices=["auto", *formats],
        default="auto",
        help="the document's format (default: auto, told from the file)",
    )
    _owner_option(import_, "who owns the imports")
    _database_option(import_)
    import_.set_defaults(run=_import)
    return root


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except ConfigurationError as error:
        sys.stderr.write(f"convograph: error: {error}\n")
        sys.exit(2)
    except Exception as error:
        # Imported here: `convograph --help` should not wait for SQLAlchemy.
        from sqlalchemy.exc import DBAPIError

        from convograph.db.probe import reason

        if not isinstance(error, DBAPIError):
            raise
        # The database failed after the checks passed (it went away, or refused a
        # statement): one line, as for the checks, but a failure of the run.
        sys.stderr.write(f"convograph: error: the database failed: {reason(error)}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
