"""`convograph serve | migrate | export-schema`."""

import argparse
import logging
import sys

from convograph.settings import AuthMode, Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from convograph.db.migrate import upgrade

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
    )


def _migrate(_: argparse.Namespace) -> None:
    from convograph.db.migrate import upgrade

    upgrade(Settings().database_url)


def _export_schema(_: argparse.Namespace) -> None:
    from convograph.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


def parser() -> argparse.ArgumentParser:
    settings = Settings()
    root = argparse.ArgumentParser(prog="convograph", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations, then serve GraphQL over HTTP")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument("--workers", type=int, default=settings.workers)
    serve.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="no line per request"
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.set_defaults(run=_export_schema)
    return root


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
