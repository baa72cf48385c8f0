"""The ASGI application in-process: readiness and the masking of faults."""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest

from convograph.db import loaders
from convograph.db.errors import Conflict, DomainError, InvalidInput, LimitExceeded, NotFound
from convograph.settings import Settings
from tests.documents import CONVERSATION_TITLE
from tests.serving import app_client, post_graphql

UNREACHABLE_DATABASE_URL = "postgresql://postgres@127.0.0.1:1/nowhere"

MESSAGE_CONTENT = """
query MessageContent($id: UUID!) {
  message(id: $id) { id content }
}
"""


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as client:
        yield client


@pytest.fixture
async def client_without_database() -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(Settings(database_url=UNREACHABLE_DATABASE_URL)) as client:
        yield client


async def test_readyz_is_unavailable_while_the_database_is_unreachable(
    client_without_database: httpx.AsyncClient,
) -> None:
    # given an application whose database does not answer
    # when
    response = await client_without_database.get("/readyz")
    # then
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


async def test_healthz_does_not_need_the_database(
    client_without_database: httpx.AsyncClient,
) -> None:
    # given an application whose database does not answer
    # when
    response = await client_without_database.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_ok_with_the_database_up(client: httpx.AsyncClient) -> None:
    # given a migrated database
    # when
    response = await client.get("/readyz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.resolver_path
async def test_an_unexpected_fault_in_a_resolver_is_masked_and_logged(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a loader that fails the way a bug would, with text that must not leak
    async def broken(*_: Any) -> Sequence[Any]:
        raise RuntimeError("secret SQL: SELECT * FROM conversation")

    monkeypatch.setattr(loaders, "conversations_by_id", broken)
    caplog.set_level(logging.ERROR, logger="convograph")
    # when
    response = await post_graphql(client, CONVERSATION_TITLE, id=str(uuid.uuid4()))
    # then the client learns only that it failed, and under which request id
    body = response.json()
    assert body["data"] == {"conversation": None}
    [error] = body["errors"]
    assert error["message"] == "Internal server error."
    assert error["path"] == ["conversation"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert isinstance(request_id, str)
    assert request_id
    assert "secret" not in response.text
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    # and the log holds the request id together with the fault itself
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "secret SQL" in str(record.exc_info[1])


@pytest.mark.resolver_path
async def test_a_fault_is_masked_while_another_request_runs(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a faulty request that fails only once a second request has begun executing
    other_request_started = asyncio.Event()

    async def broken(*_: Any) -> Sequence[Any]:
        await asyncio.wait_for(other_request_started.wait(), timeout=30)
        raise RuntimeError("secret SQL: SELECT * FROM conversation")

    async def no_messages(_session: Any, _owner: Any, ids: Sequence[uuid.UUID]) -> list[None]:
        other_request_started.set()
        return [None for _ in ids]

    monkeypatch.setattr(loaders, "conversations_by_id", broken)
    monkeypatch.setattr(loaders, "messages_by_id", no_messages)
    # when both run at once
    faulty, healthy = await asyncio.gather(
        post_graphql(client, CONVERSATION_TITLE, id=str(uuid.uuid4())),
        post_graphql(client, MESSAGE_CONTENT, id=str(uuid.uuid4())),
    )
    # then the fault is still masked, under the faulty request's own id
    assert healthy.json() == {"data": {"message": None}}
    [error] = faulty.json()["errors"]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in faulty.text


async def test_a_query_while_the_database_is_unreachable_is_service_unavailable(
    client_without_database: httpx.AsyncClient,
) -> None:
    # given an application whose database does not answer
    # when
    response = await post_graphql(client_without_database, CONVERSATION_TITLE, id=str(uuid.uuid4()))
    # then
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "127.0.0.1" not in response.text and "psycopg" not in response.text


async def test_a_syntax_error_is_bad_user_input(client: httpx.AsyncClient) -> None:
    # when
    response = await client.post("/graphql", json={"query": "query {"})
    # then
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"].startswith("Syntax Error")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.resolver_path
@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInput("id must name a conversation.", "id"), "BAD_USER_INPUT"),
        (LimitExceeded("id is too long.", "id"), "LIMIT_EXCEEDED"),
        (NotFound("No conversation with that id.", "id"), "NOT_FOUND"),
        (Conflict("That id is taken.", "id"), "BAD_USER_INPUT"),
    ],
)
async def test_an_input_check_outside_a_unit_of_work_is_a_coded_error(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, error: DomainError, code: str
) -> None:
    # given an input check that fails in a query, where no unit of work turns it into a
    # UserError
    async def checked(*_: Any) -> Sequence[Any]:
        raise error

    monkeypatch.setattr(loaders, "conversations_by_id", checked)
    # when
    response = await post_graphql(client, CONVERSATION_TITLE, id=str(uuid.uuid4()))
    # then the client gets the check's own words and a code for them, not a fault
    [answer] = response.json()["errors"]
    assert answer["message"] == error.detail
    assert answer["extensions"]["code"] == code
    assert answer["extensions"]["field"] == "id"
    assert "requestId" not in answer["extensions"]


@pytest.mark.parametrize(
    ("method", "arguments"),
    [
        ("post", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
        ("post", {"json": {"variables": {}}}),
        ("get", {"params": {"query": "mutation { __typename }"}}),
    ],
    ids=["body-not-json", "no-query", "mutation-over-get"],
)
async def test_a_rejected_request_gets_a_graphql_error_body(
    client: httpx.AsyncClient, method: str, arguments: dict[str, Any]
) -> None:
    # when
    response = await getattr(client, method)("/graphql", **arguments)
    # then
    assert 400 <= response.status_code < 500
    errors = response.json()["errors"]
    assert errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
