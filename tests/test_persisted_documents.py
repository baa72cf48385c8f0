"""Persisted documents over HTTP: `documentId` and Apollo's `extensions.persistedQuery`,
over POST and GET, with the compiled read path on (PostgreSQL compiles; SQLite resolves)."""

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from convograph.client.sdk import PersistedClient
from convograph.persisted_documents import PersistedDocuments
from convograph.settings import CompiledReads, Settings
from tests.serving import app_client

CREATE = """
mutation Create($input: CreateConversationInput!) {
  createConversation(input: $input) {
    ... on CreateConversationSuccess { conversation { id title } }
  }
}
"""

READ = """
query Read($id: UUID!) {
  conversation(id: $id) { id title messages(last: 10) { totalCount nodes { id } } }
}
"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apollo(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    compiled = settings.model_copy(update={"compiled_reads": CompiledReads.ON})
    async with app_client(compiled) as client:
        yield client


@pytest.fixture
async def conversation_id(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/graphql", json={"query": CREATE, "variables": {"input": {"title": "kept"}}}
    )
    return response.json()["data"]["createConversation"]["conversation"]["id"]


async def test_apollo_hash_is_not_found_then_registered_by_the_retry(
    client: httpx.AsyncClient, conversation_id: str
) -> None:
    variables = {"id": conversation_id}
    # Given a hash the server has never seen
    miss = await client.post("/graphql", json={"extensions": apollo(READ), "variables": variables})
    # Then it says so the way Apollo and urql retry on
    assert miss.status_code == 200
    [error] = miss.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # When the client retries with the text, and then sends the hash alone over GET
    retry = await client.post(
        "/graphql", json={"query": READ, "extensions": apollo(READ), "variables": variables}
    )
    hashed = await client.get(
        "/graphql",
        params={"extensions": json.dumps(apollo(READ)), "variables": json.dumps(variables)},
    )
    # Then both are answered, alike
    assert retry.json()["data"]["conversation"]["title"] == "kept"
    assert hashed.status_code == 200
    assert hashed.json() == retry.json()


async def test_document_id_over_post_and_get(
    client: httpx.AsyncClient, conversation_id: str
) -> None:
    document_id = f"sha256:{sha256(READ)}"
    variables = {"id": conversation_id}
    unknown = await client.post(
        "/graphql", json={"documentId": document_id, "variables": variables}
    )
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # Given the document registered with its id
    await client.post(
        "/graphql", json={"documentId": document_id, "query": READ, "variables": variables}
    )
    # When it is named by id alone
    posted = await client.post("/graphql", json={"documentId": document_id, "variables": variables})
    got = await client.get(
        "/graphql", params={"documentId": document_id, "variables": json.dumps(variables)}
    )
    # Then it runs
    assert posted.json()["data"]["conversation"]["id"] == conversation_id
    assert got.json() == posted.json()


@pytest.mark.parametrize(
    "body",
    [
        {"documentId": "md5:abc"},
        {"documentId": "sha256:" + "A" * 64},
        {"documentId": 7},
        {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}},
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "short"}}},
        {"extensions": {"persistedQuery": "yes"}},
        {"query": READ, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}},
        {"documentId": "sha256:" + "0" * 64, "extensions": apollo(READ)},
    ],
)
async def test_bad_persisted_requests_are_400_with_a_code(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post("/graphql", json=body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_mutation_over_get_is_405(client: httpx.AsyncClient) -> None:
    # Given a mutation registered by hash
    variables = {"input": {"title": "over GET"}}
    await client.post(
        "/graphql", json={"query": CREATE, "extensions": apollo(CREATE), "variables": variables}
    )
    # When it is sent over GET, by hash or by text
    for params in (
        {"extensions": json.dumps(apollo(CREATE)), "variables": json.dumps(variables)},
        {"query": CREATE, "variables": json.dumps(variables)},
    ):
        response = await client.get("/graphql", params=params)
        # Then the method is refused, and nothing is created
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_store_is_bounded_in_documents_and_bytes() -> None:
    store = PersistedDocuments(max_documents=3, max_bytes=100)
    digests = [store.register(f"query Q{n} {{ __typename }}") for n in range(5)]
    assert len(store) == 3
    assert store.get(digests[0]) is None
    assert store.get(digests[-1]) == "query Q4 { __typename }"
    store.register("query Big { " + "__typename " * 20 + "}")  # > 100 bytes: not kept
    assert len(store) == 3


async def test_the_sdk_sends_hashes_and_the_text_only_once(
    client: httpx.AsyncClient, conversation_id: str
) -> None:
    # Given the SDK's GraphQL client over this app, recording what it sends
    sent: list[dict[str, Any]] = []

    async def record(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    client.event_hooks["request"].append(record)
    sdk = PersistedClient(url="http://test/graphql", http_client=client)  # type: ignore[arg-type]
    # When it runs one operation twice
    for _ in range(2):
        conversation = await sdk.get_conversation(id=uuid.UUID(conversation_id), first=10)
        assert conversation.conversation is not None
    # Then the text travelled once, after the server first asked for it
    assert ["query" in body for body in sent] == [False, True, False]
    assert all("persistedQuery" in body["extensions"] for body in sent)
