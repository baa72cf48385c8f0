"""Authentication: bearer tokens verified with PyJWT, the principal they name, and 401s."""

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from pydantic import SecretStr, ValidationError

from convograph import cli
from convograph.app import create_app
from convograph.auth import BearerTokens, LocalOwner, Principal, Unauthenticated
from convograph.settings import AuthMode, Settings
from tests.conftest import migrated_sqlite_url
from tests.tokens import SECRET, KeyFiles, claims, hs256, key_files

OVERVIEW = "query { conversations(first: 10) { totalCount nodes { id title } } }"
CREATE = """
mutation Create($title: String) {
  createConversation(input: { title: $title }) {
    ... on CreateConversationSuccess { conversation { id } }
  }
}
"""
JWT_ENVIRONMENT = ("CONVOGRAPH_AUTH", "CONVOGRAPH_JWT_SECRET", "CONVOGRAPH_JWT_PUBLIC_KEY_FILE")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Authentication happens before any SQL runs: one database, SQLite, suffices."""
    return migrated_sqlite_url(tmp_path)


@pytest.fixture(autouse=True)
def no_auth_settings_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in JWT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    return key_files(tmp_path_factory.mktemp("keys"))


def secret_tokens(**settings: Any) -> BearerTokens:
    return BearerTokens(Settings(auth="jwt", jwt_secret=SECRET, **settings))


def bearer(token: str) -> str:
    return f"Bearer {token}"


def rejection(tokens: BearerTokens, authorization: str | None) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as raised:
        tokens.authenticate(authorization)
    return raised.value


# --- verifying tokens -----------------------------------------------------------------


def test_a_valid_hs256_token_names_its_subject_as_the_owner() -> None:
    # given / when
    principal = secret_tokens().authenticate(bearer(hs256(sub="alice")))
    # then
    assert principal == Principal("alice")
    assert principal.owner == "alice"


@pytest.mark.parametrize("roles", [["admin"], ["reader", "admin"], "reader admin"])
def test_the_admin_role_sees_every_owner(roles: Any) -> None:
    # given / when
    principal = secret_tokens().authenticate(bearer(hs256(sub="root", roles=roles)))
    # then
    assert principal.admin
    assert principal.subject == "root"
    assert principal.owner is None


@pytest.mark.parametrize("roles", [["administrator"], "reader", {"admin": True}, 1])
def test_other_roles_are_not_admin(roles: Any) -> None:
    # given / when
    principal = secret_tokens().authenticate(bearer(hs256(roles=roles)))
    # then
    assert principal.owner == "alice"


# Tokens are made when the test runs, not at collection: a valid one lives
# LIFETIME_SECONDS, and a slow run could reach this test after it expired.
@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (lambda: hs256(exp=int(time.time()) - 60), "expired"),
        (lambda: hs256(nbf=int(time.time()) + 600), "not yet valid"),
        (lambda: hs256(exp=None), "exp"),
        (lambda: hs256(sub=None), "sub"),
        (lambda: hs256(sub=""), "sub"),
        (lambda: hs256(sub="x" * 256), "sub"),
        (
            lambda: jwt.encode(claims(), "another-secret-that-is-also-32-bytes-long", "HS256"),
            "Signature",
        ),
        (lambda: jwt.encode(claims(), None, algorithm="none"), "alg"),
        (lambda: "not.a.token", ""),
        (lambda: "", ""),
    ],
    ids=[
        "expired",
        "nbf",
        "no-exp",
        "no-sub",
        "empty-sub",
        "long-sub",
        "signature",
        "alg-none",
        "garbage",
        "empty",
    ],
)
def test_an_invalid_token_is_rejected(make_token: Callable[[], str], reason: str) -> None:
    # given / when
    error = rejection(secret_tokens(), bearer(make_token()))
    # then
    assert reason in error.detail
    assert error.challenge.startswith("Bearer ")


def test_a_missing_token_is_rejected_without_blaming_a_token() -> None:
    # given / when
    error = rejection(secret_tokens(), None)
    # then
    assert error.detail == "Missing bearer token."
    assert not error.invalid_token
    assert error.challenge == 'Bearer realm="convograph"'


def test_another_scheme_than_bearer_is_rejected() -> None:
    # given / when
    error = rejection(secret_tokens(), "Basic YWxpY2U6c2VjcmV0")
    # then
    assert error.invalid_token
    assert 'error="invalid_token"' in error.challenge


def test_the_scheme_is_case_insensitive() -> None:
    # given / when / then
    assert secret_tokens().authenticate(f"bearer {hs256()}").subject == "alice"


def test_issuer_and_audience_are_checked_when_configured() -> None:
    # given
    tokens = secret_tokens(jwt_issuer="https://issuer.example", jwt_audience="convograph")
    right = {"iss": "https://issuer.example", "aud": "convograph"}
    # when / then
    assert tokens.authenticate(bearer(hs256(**right))).subject == "alice"
    wrong_issuer = rejection(tokens, bearer(hs256(**{**right, "iss": "https://evil"})))
    wrong_audience = rejection(tokens, bearer(hs256(**{**right, "aud": "other"})))
    assert "issuer" in wrong_issuer.detail.lower()
    assert "audience" in wrong_audience.detail.lower()
    assert "iss" in rejection(tokens, bearer(hs256(aud="convograph"))).detail
    assert "aud" in rejection(tokens, bearer(hs256(iss="https://issuer.example"))).detail


def test_leeway_forgives_a_little_clock_skew() -> None:
    # given a token that expired a few seconds ago
    token = hs256(exp=int(time.time()) - 5)
    # when / then
    assert secret_tokens(jwt_leeway_seconds=60).authenticate(bearer(token)).subject == "alice"
    rejection(secret_tokens(), bearer(token))


def test_rs256_tokens_verify_with_a_pem_public_key(keys: KeyFiles) -> None:
    # given
    tokens = BearerTokens(Settings(auth="jwt", jwt_public_key_file=keys.pem_path))
    # when / then
    assert tokens.authenticate(bearer(keys.rs256(sub="bob"))).subject == "bob"


def test_a_public_key_is_never_used_as_an_hmac_secret(keys: KeyFiles) -> None:
    # given a token "signed" with the public key's PEM text as an HS256 secret
    forged = _hs256_with_raw_key(keys.pem_path.read_bytes())
    tokens = BearerTokens(Settings(auth="jwt", jwt_public_key_file=keys.pem_path))
    # when / then
    assert "alg" in rejection(tokens, bearer(forged)).detail


def _hs256_with_raw_key(key: bytes) -> str:
    """An HS256 token signed with `key` as raw bytes, bypassing PyJWT's key-type check."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(sub="mallory")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def test_es256_tokens_verify_with_the_jwks_key_their_kid_names(keys: KeyFiles) -> None:
    # given
    tokens = BearerTokens(Settings(auth="jwt", jwt_public_key_file=keys.jwks_path))
    # when / then
    assert tokens.authenticate(bearer(keys.es256("second", sub="carol"))).subject == "carol"
    assert tokens.authenticate(bearer(keys.es256("first", sub="dave"))).subject == "dave"
    assert "kid" in rejection(tokens, bearer(keys.es256(None))).detail


def test_a_token_signed_by_another_key_with_a_known_kid_is_rejected(keys: KeyFiles) -> None:
    # given a token signed with the "first" key but claiming to be from "second"
    token = jwt.encode(claims(), keys.ec_private["first"], "ES256", headers={"kid": "second"})
    tokens = BearerTokens(Settings(auth="jwt", jwt_public_key_file=keys.jwks_path))
    # when / then
    assert "Signature" in rejection(tokens, bearer(token)).detail


def test_without_authentication_every_caller_is_the_local_owner() -> None:
    # given / when
    principal = LocalOwner("local").authenticate(bearer("anything at all"))
    # then
    assert principal == Principal("local")


# --- configuration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "exactly one of"),
        ({"jwt_secret": SECRET, "jwt_public_key_file": "key.pem"}, "exactly one of"),
        ({"jwt_secret": "short"}, "at least 32 bytes"),
        ({"jwt_secret": SECRET, "jwt_algorithms": "RS256"}, "cannot be used"),
        ({"jwt_public_key_file": "key.pem", "jwt_algorithms": "HS256,RS256"}, "cannot be used"),
    ],
)
def test_a_jwt_configuration_that_cannot_be_safe_is_refused(
    settings: dict[str, Any], message: str
) -> None:
    # given / when / then
    with pytest.raises(ValidationError, match=message):
        Settings(auth="jwt", **settings)


def test_jwt_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setenv("CONVOGRAPH_AUTH", "jwt")
    monkeypatch.setenv("CONVOGRAPH_JWT_PUBLIC_KEY_FILE", "/etc/convograph/jwks.json")
    monkeypatch.setenv("CONVOGRAPH_JWT_ALGORITHMS", "RS256, ES256")
    # when
    settings = Settings()
    # then
    assert settings.jwt_algorithms == ["RS256", "ES256"]
    assert settings.jwt_public_key_file == Path("/etc/convograph/jwks.json")


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
def jwt_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"auth": AuthMode.JWT, "jwt_secret": SecretStr(SECRET)})


@pytest.fixture
async def http(jwt_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(jwt_settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        yield client


async def post(
    http: httpx.AsyncClient, document: str, token: str | None, **variables: Any
) -> httpx.Response:
    headers = {"Authorization": bearer(token)} if token is not None else {}
    return await http.post(
        "/graphql", json={"query": document, "variables": variables}, headers=headers
    )


async def test_a_request_without_a_token_is_401_with_a_graphql_error(
    http: httpx.AsyncClient,
) -> None:
    # given / when
    response = await post(http, OVERVIEW, None)
    # then
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="convograph"'
    assert response.json() == {
        "errors": [{"message": "Missing bearer token.", "extensions": {"code": "UNAUTHENTICATED"}}]
    }


async def test_an_expired_token_is_401_and_changes_nothing(http: httpx.AsyncClient) -> None:
    # given
    expired = hs256(exp=int(time.time()) - 60)
    # when
    response = await post(http, CREATE, expired, title="never")
    # then
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in error["message"]
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    listed = (await post(http, OVERVIEW, hs256())).json()
    assert listed["data"]["conversations"]["totalCount"] == 0


async def test_the_token_subject_owns_what_it_creates_and_an_admin_sees_all(
    http: httpx.AsyncClient,
) -> None:
    # given
    await post(http, CREATE, hs256(sub="alice"), title="alice's")
    await post(http, CREATE, hs256(sub="bob"), title="bob's")
    # when
    as_alice = (await post(http, OVERVIEW, hs256(sub="alice"))).json()["data"]
    as_bob = (await post(http, OVERVIEW, hs256(sub="bob"))).json()["data"]
    as_admin = (await post(http, OVERVIEW, hs256(sub="ops", roles=["admin"]))).json()["data"]
    # then
    assert [c["title"] for c in as_alice["conversations"]["nodes"]] == ["alice's"]
    assert [c["title"] for c in as_bob["conversations"]["nodes"]] == ["bob's"]
    assert as_admin["conversations"]["totalCount"] == 2


async def test_graphiql_and_health_need_no_token(http: httpx.AsyncClient) -> None:
    # given / when
    graphiql = await http.get("/graphql", headers={"Accept": "text/html"})
    healthz = await http.get("/healthz")
    readyz = await http.get("/readyz")
    # then
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()
    assert healthz.status_code == 200
    assert readyz.status_code == 200


async def test_a_query_by_get_needs_a_token_too(http: httpx.AsyncClient) -> None:
    # given / when
    response = await http.get("/graphql", params={"query": OVERVIEW})
    # then
    assert response.status_code == 401


async def websocket_answers(
    settings: Settings, headers: dict[str, str], init_payload: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Everything the app sends for a WebSocket upgrade, then (if given) a `connection_init`
    with `init_payload`, before the client hangs up."""
    app = create_app(settings)
    scope = {
        "type": "websocket",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "scheme": "ws",
        "server": ("test", 80),
        "headers": [(b"sec-websocket-protocol", b"graphql-transport-ws")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "subprotocols": ["graphql-transport-ws"],
    }
    incoming: list[dict[str, Any]] = [{"type": "websocket.connect"}]
    if init_payload is not None:
        init = {"type": "connection_init", "payload": init_payload}
        incoming.append({"type": "websocket.receive", "text": json.dumps(init)})
    answers: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        # After the handshake the client hangs up: the app's loop then ends.
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        answers.append(message)

    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    return answers


async def websocket_handshake(settings: Settings, headers: dict[str, str]) -> dict[str, Any]:
    """The app's first answer to a WebSocket upgrade: `websocket.accept` or `websocket.close`."""
    return (await websocket_answers(settings, headers))[0]


async def test_a_websocket_with_a_bad_token_is_refused(jwt_settings: Settings) -> None:
    # given / when
    answer = await websocket_handshake(jwt_settings, {"Authorization": "Bearer not-a-jwt"})
    # then
    assert answer["type"] == "websocket.close"
    assert answer["code"] == 4401


async def test_a_websocket_without_a_token_anywhere_is_closed_at_connection_init(
    jwt_settings: Settings,
) -> None:
    # given / when: no header (as from a browser) and no token in connection_init
    answers = await websocket_answers(jwt_settings, {}, init_payload={})
    # then
    closes = [a for a in answers if a["type"] == "websocket.close"]
    assert closes and closes[0]["code"] == 4403
    assert not any("connection_ack" in a.get("text", "") for a in answers)


async def test_a_websocket_authenticates_with_a_token_in_connection_init(
    jwt_settings: Settings,
) -> None:
    # given / when
    answers = await websocket_answers(
        jwt_settings, {}, init_payload={"authorization": bearer(hs256())}
    )
    # then
    assert any("connection_ack" in a.get("text", "") for a in answers)


async def test_a_websocket_with_a_token_is_accepted(jwt_settings: Settings) -> None:
    # given / when
    answer = await websocket_handshake(jwt_settings, {"Authorization": bearer(hs256())})
    # then
    assert answer["type"] == "websocket.accept"


# --- the serve command ----------------------------------------------------------------


@pytest.fixture
def serve_without_running(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    from convograph.db import migrate

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(migrate, "upgrade", lambda url: None)
    return calls


def test_serving_beyond_loopback_without_auth_warns(
    serve_without_running: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    # given / when
    with caplog.at_level(logging.WARNING, logger="convograph"):
        cli.main(["serve", "--host", "0.0.0.0"])
    # then
    assert serve_without_running
    assert any("without authentication" in r.getMessage() for r in caplog.records)


def test_serving_beyond_loopback_with_jwt_does_not_warn(
    serve_without_running: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.setenv("CONVOGRAPH_AUTH", "jwt")
    monkeypatch.setenv("CONVOGRAPH_JWT_SECRET", SECRET)
    # when
    with caplog.at_level(logging.WARNING, logger="convograph"):
        cli.main(["serve", "--host", "0.0.0.0"])
    # then
    assert serve_without_running
    assert not any("without authentication" in r.getMessage() for r in caplog.records)
