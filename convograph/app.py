"""The ASGI application: GraphQL at /graphql (GraphiQL on GET, subscriptions over WebSocket),
/healthz and /readyz."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET, UnsetType

from convograph.broker import EventBroker, create_broker
from convograph.context import Context
from convograph.db.engine import Database
from convograph.retention import prune_periodically
from convograph.schema import schema
from convograph.settings import Settings

logger = logging.getLogger("convograph")


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, database: Database, settings: Settings, broker: EventBroker) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.database = database
        self.settings = settings
        self.broker = broker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As strawberry's, but a request it rejects gets a GraphQL error body, not text."""
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        try:
            response = await self.run(Request(scope, receive=receive))
        except HTTPException as error:
            response = JSONResponse(
                {"errors": [{"message": error.reason, "extensions": {"code": "BAD_USER_INPUT"}}]},
                status_code=error.status_code,
            )
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            database=self.database,
            settings=self.settings,
            owner=self.settings.local_owner,
            broker=self.broker,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket's `connection_init` arrived: from now on it acts as its owner."""
        context.owner = await self.websocket_owner(context.connection_params)
        context.refresh_loaders()
        return UNSET

    async def websocket_owner(self, connection_params: dict[str, object]) -> str:
        """The owner a WebSocket acts as, from its `connection_init` payload.

        Authentication plugs in here (e.g. a bearer token in the payload); raising
        strawberry's ConnectionRejectionError closes the socket with 4403.
        """
        return self.settings.local_owner


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    database = Database(settings.database_url)
    broker = create_broker(database, settings.event_queue_size)
    graphql = GraphQLApp(database, settings, broker)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            await database.ping()
        except Exception as error:  # any failure to reach the database means not ready
            logger.warning("readiness check failed: %s", error)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await broker.start()
        stop_pruning = asyncio.Event()
        pruning = asyncio.create_task(
            prune_periodically(
                database,
                timedelta(days=settings.event_retention_days),
                settings.event_prune_interval_seconds,
                stop_pruning,
            )
        )
        yield
        stop_pruning.set()
        await pruning
        await broker.stop()
        await database.dispose()

    return Starlette(
        routes=[
            # Route, not Mount: a mount answers POST /graphql with a redirect.
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
