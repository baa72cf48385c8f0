"""The ASGI application: GraphQL at /graphql (GraphiQL on GET, subscriptions over WebSocket),
/healthz, /readyz, and the conversation page at /."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from convograph.api import schema
from convograph.auth import ANONYMOUS, Authenticator, Unauthenticated, authenticator_for
from convograph.body_limit import BodySizeLimit
from convograph.broker import EventBroker, create_broker
from convograph.context import Context
from convograph.db.engine import Database
from convograph.persisted_documents import PersistedDocumentError, PersistedDocuments, with_document
from convograph.rejections import rejection
from convograph.retention import fail_stale_periodically, prune_periodically
from convograph.schema.request_errors import RequestErrorCode
from convograph.settings import Settings
from convograph.transport import BodyReadTimeout
from convograph.web import graphiql_page, web_routes
from convograph.websocket_protocols import LegacyWSHandler, TransportWSHandler, WebSocketAdapter

logger = logging.getLogger("convograph")

# graphql-transport-ws's close code for a connection without valid credentials.
WEBSOCKET_UNAUTHORIZED = 4401


class GraphQLApp(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    websocket_adapter_class = WebSocketAdapter

    def __init__(
        self,
        database: Database,
        settings: Settings,
        authenticator: Authenticator,
        broker: EventBroker,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.introspection else None,
            # The handlers count operations themselves, and answer with a code.
            max_subscriptions_per_connection=None,
        )
        self.persisted = PersistedDocuments()
        self.database = database
        self.settings = settings
        self.authenticator = authenticator
        self.broker = broker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As strawberry's, after authentication; a refused request gets a GraphQL error body."""
        if scope["type"] == "websocket":
            await self._accept_websocket(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        try:
            response = await self._respond(request)
        except Unauthenticated as error:
            response = rejection(
                error.detail,
                RequestErrorCode.UNAUTHENTICATED,
                401,
                {"WWW-Authenticate": error.challenge},
            )
        except PersistedDocumentError as error:
            response = rejection(error.message, error.code, error.status)
        except HTTPException as error:
            # A mutation over GET: the method is wrong, not the document.
            headers = {"Allow": "POST"} if error.status_code == 405 else None
            response = rejection(
                _reason(error), RequestErrorCode.BAD_USER_INPUT, error.status_code, headers
            )
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            # The explorer page holds no data: a browser gets it without a token.
            return graphiql_page()
        request.state.principal = self.authenticator.authenticate(
            request.headers.get("authorization")
        )
        return await self.run(request)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET that names a persisted document is a query, whatever it accepts.
        params = request.query_params
        persisted = "documentId" in params or "extensions" in params
        return not persisted and super().should_render_graphql_ide(request)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """As strawberry's, with persisted documents: a request may name its document by
        `documentId` or `extensions.persistedQuery` (convograph.persisted_documents)."""
        data = await super().parse_http_body(request)
        if isinstance(data, list):
            return data
        # Strawberry keeps no `documentId`: read it from the request itself, which costs a
        # second parse of the body only when the body names one.
        if request.method == "GET":
            document_id = request.query_params.get("documentId")
        else:
            body = await request.get_body()
            named = b'"documentId"' in (body if isinstance(body, bytes) else body.encode())
            raw = self.parse_json(body) if named else None
            document_id = raw.get("documentId") if isinstance(raw, dict) else None
        return with_document(self.persisted, data, document_id)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            if request_adapter.method == "GET" and isinstance(
                error.__cause__, InvalidOperationTypeError
            ):
                # GraphQL over HTTP: a mutation over GET is 405 Method Not Allowed.
                raise HTTPException(405, error.reason) from error.__cause__
            raise

    async def _accept_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive=receive, send=send)
        header = websocket.headers.get("authorization")
        try:
            websocket.state.principal = self.authenticator.authenticate(header)
        except Unauthenticated:
            if header is not None:
                # Closing before accepting refuses the handshake.
                await websocket.close(code=WEBSOCKET_UNAUTHORIZED)
                return
            # No header: the token may still come in `connection_init` (on_ws_connect).
            websocket.state.principal = ANONYMOUS
        await super().__call__(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            database=self.database,
            settings=self.settings,
            principal=request.state.principal,
            broker=self.broker,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket's `connection_init` arrived: a bearer token in its payload (browsers
        cannot set headers on a WebSocket) decides whom the socket acts as from now on."""
        params = context.connection_params or {}
        token = params.get("authorization") or params.get("Authorization")
        if token is not None or context.principal is ANONYMOUS:
            try:
                context.principal = self.authenticator.authenticate(
                    token if isinstance(token, str) else None
                )
            except Unauthenticated as error:
                raise ConnectionRejectionError(
                    {"message": error.detail, "code": RequestErrorCode.UNAUTHENTICATED.value}
                ) from None
        context.refresh_loaders()
        return UNSET

    def encode_json(self, data: object) -> str | bytes:
        # Text, not bytes: strawberry sends bytes over a WebSocket as binary frames, which
        # graphql-transport-ws clients do not read.
        try:
            return orjson.dumps(data).decode()
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, a lone surrogate
            return super().encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        # Strawberry answers a JSONDecodeError with 400; anything else would be a plain 500:
        # nesting beyond the recursion limit, bytes that are not UTF-8, and integers of more
        # digits than Python converts (4,300), whose conversion is quadratic.
        try:
            return json.loads(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None
        except UnicodeDecodeError:
            raise json.JSONDecodeError("not UTF-8", "", 0) from None
        except ValueError as error:
            raise json.JSONDecodeError(str(error), "", 0) from None

    def parse_json(self, data: str | bytes) -> Any:
        value = super().parse_json(data)
        # Anything else would reach strawberry's request parsing, which expects a mapping.
        if not isinstance(value, dict | list):
            raise HTTPException(400, "Expected a JSON object.")
        return value


def _reason(error: HTTPException) -> str:
    cause = error.__cause__
    if (
        isinstance(cause, InvalidOperationTypeError)
        and cause.operation_type is OperationType.SUBSCRIPTION
    ):
        return (
            "Subscriptions are served over a WebSocket at /graphql (graphql-transport-ws or"
            " graphql-ws), not over HTTP."
        )
    return error.reason


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    database = settings.database()
    broker = create_broker(
        database, settings.event_queue_size, settings.max_subscriptions_per_owner
    )
    graphql = GraphQLApp(database, settings, authenticator_for(settings), broker)

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
                compact_after=timedelta(seconds=settings.delta_compaction_delay_seconds),
                key_retention=timedelta(hours=settings.idempotency_retention_hours),
            )
        )
        upkeep = [pruning]
        if settings.stale_message_timeout_seconds is not None:
            upkeep.append(
                asyncio.create_task(
                    fail_stale_periodically(
                        database,
                        timedelta(seconds=settings.stale_message_timeout_seconds),
                        stop_pruning,
                    )
                )
            )
        yield
        stop_pruning.set()
        for task in upkeep:
            await task
        await broker.stop()
        await database.dispose()

    return Starlette(
        routes=[
            # Route, not Mount: a mount answers POST /graphql with a redirect.
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *web_routes(page=settings.web_page, graphiql=settings.introspection),
        ],
        middleware=[
            Middleware(BodyReadTimeout, seconds=settings.body_read_timeout_seconds),
            Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes),
        ],
        lifespan=lifespan,
    )
