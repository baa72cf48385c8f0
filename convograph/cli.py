"""`convograph serve | migrate | export-schema | export | import`."""

import argparse
import asyncio
import logging
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import Any, TypeVar

from convograph.settings import AuthMode, Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from convograph.db.migrate import upgrade
    from convograph.transport import BoundedHttpToolsProtocol

    settings = Settings()
    upgrade(settings.database_url)
    if settings.auth == AuthMode.NONE and args.host not in LOOPBACK_HOSTS:
        logging.getLogger("convograph").warning(
            "listening on %s without authentication (CONVOGRAPH_AUTH=none): "
            "every client acts as the single local owner",
            args.host,
        )
    uvicorn.run(
        "convograph.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        ws_max_size=settings.max_body_bytes,
        http=BoundedHttpToolsProtocol,
        timeout_keep_alive=settings.idle_timeout_seconds,  # type: ignore[arg-type]
    )


def _migrate(_: argparse.Namespace) -> None:
    from convograph.db.migrate import upgrade

    upgrade(Settings().database_url)


def _export_schema(_: argparse.Namespace) -> None:
    from convograph.api import schema

    sys.stdout.write(schema.as_str() + "\n")


def _export(args: argparse.Namespace) -> None:
    from convograph.transfer.documents import DocumentFormat
    from convograph.transfer.exporter import missing_conversations, write_document

    settings = Settings()
    ids = args.conversation or None
    if ids:
        missing = asyncio.run(_with_database(settings, missing_conversations, args.owner, ids))
        if missing:
            sys.stderr.write(f"no conversation {', '.join(map(str, missing))} of {args.owner}\n")
            sys.exit(2)
    try:
        with (
            open(args.output, "w", encoding="utf-8") if args.output else nullcontext(sys.stdout)
        ) as out:
            count = asyncio.run(
                _with_database(
                    settings, write_document, args.owner, DocumentFormat(args.format), ids, out
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
    from convograph.transfer.documents import DocumentFormat, InvalidDocument, stream_conversations
    from convograph.transfer.importer import ImportSummary, import_conversations
    from convograph.transfer.progress import ImportProgress

    settings = Settings()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade(settings.database_url)
    chosen = None if args.format == "auto" else DocumentFormat(args.format)
    summary = ImportSummary()
    error = None
    with open(args.file, "rb") as stream:
        progress = ImportProgress(sys.stderr, os.fstat(stream.fileno()).st_size)
        try:
            format, reader, items = stream_conversations(stream, chosen)
            summary = asyncio.run(
                _with_database(
                    settings,
                    import_conversations,
                    args.owner,
                    format,
                    items,
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


def parser() -> argparse.ArgumentParser:
    from convograph.transfer.documents import DocumentFormat

    settings = Settings()
    root = argparse.ArgumentParser(prog="convograph", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations, then serve GraphQL over HTTP")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument(
        "--workers",
        type=int,
        default=settings.worker_count,
        help="server processes (default: one per CPU on PostgreSQL, one on SQLite)",
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=settings.access_log,
        help="a log line per request (default: off)",
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)

    export_schema = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export_schema.set_defaults(run=_export_schema)

    formats = [format.value for format in DocumentFormat]
    export = commands.add_parser(
        "export", help="write conversations as a JSON document (stdout unless --output)"
    )
    export.add_argument(
        "--conversation",
        action="append",
        type=uuid.UUID,
        metavar="ID",
        help="export this conversation (repeat for more); default: every one of the owner's",
    )
    export.add_argument("--format", choices=formats, default="convograph")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    export.add_argument("--owner", default=settings.local_owner, help="whose conversations")
    export.set_defaults(run=_export)

    import_ = commands.add_parser(
        "import", help="import a convograph document or ChatGPT's conversations.json"
    )
    import_.add_argument("file", metavar="FILE")
    import_.add_argument(
        "--format", choices=["auto", *formats], default="auto", help="default: from the file"
    )
    import_.add_argument("--owner", default=settings.local_owner, help="who owns the imports")
    import_.set_defaults(run=_import)
    return root


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
