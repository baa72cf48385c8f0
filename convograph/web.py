"""What a browser loads: the conversation page at `/` and the assets of it and of GraphiQL,
all shipped in the package (built from web/ into convograph/static/), so that no page
needs a CDN."""

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

STATIC = Path(__file__).parent / "static"
GRAPHIQL_PAGE = STATIC / "graphiql" / "index.html"
APP_PAGE = STATIC / "app" / "index.html"

# The page runs only its own script and talks only to this server (HTTP and WebSocket).
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Assets are not content-hashed: a browser revalidates them (ETag) rather than guessing.
REVALIDATE = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def _assets(folder: str) -> ASGIApp:
    # Text assets shrink to about a fifth; the first load of `/` is measured gzipped.
    return GZipMiddleware(StaticFiles(directory=STATIC / folder), minimum_size=512)


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(GRAPHIQL_PAGE.read_text(encoding="utf-8"), headers=REVALIDATE)


def web_routes(*, page: bool, graphiql: bool) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    if graphiql:
        routes.append(Mount("/static/graphiql", app=_assets("graphiql")))
    if page:
        html = APP_PAGE.read_text(encoding="utf-8")

        async def conversation_page(_: Request) -> Response:
            return HTMLResponse(
                html,
                headers={
                    **REVALIDATE,
                    "Content-Security-Policy": PAGE_POLICY,
                    "Referrer-Policy": "no-referrer",
                },
            )

        routes += [
            Route("/", conversation_page, methods=["GET", "HEAD"]),
            Mount("/static/app", app=_assets("app")),
        ]
    return routes
