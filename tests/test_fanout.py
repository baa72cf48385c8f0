"""Fan-out: subscribers of one conversation that sent the same document share one
execution per event, and each still gets exactly what its own document asks for. On
SQLite and PostgreSQL."""

import asyncio

import pytest

from convograph.api.shared_events import SharedResult
from tests import test_subscriptions
from tests.factories import add_message, create_conversation
from tests.test_subscriptions import BrokeredClient, next_result

# The broker and the client that uses it, as test_subscriptions makes them.
broker = test_subscriptions.broker
client = test_subscriptions.client

WIDE = """
subscription Wide($conversationId: UUID!) {
  conversationEvents(conversationId: $conversationId) { sequence kind message { content } }
}
"""
NARROW = """
subscription Narrow($conversationId: UUID!) {
  conversationEvents(conversationId: $conversationId) { kind }
}
"""


async def test_subscribers_with_one_document_share_its_execution_others_get_their_own(
    client: BrokeredClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three subscribers with one document and one with another
    executions: list[object] = []
    original = SharedResult.start

    def counted(self: SharedResult, *args: object) -> None:
        executions.append(self)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SharedResult, "start", counted)
    conversation = await create_conversation(client)
    streams = [
        await client.subscribe(WIDE, conversationId=conversation["id"]) for _ in range(3)
    ] + [await client.subscribe(NARROW, conversationId=conversation["id"])]
    # each stream first says it is live
    for stream in streams:
        assert (await next_result(stream)).data["conversationEvents"]["kind"] == "LIVE"
    executions.clear()
    pending = [asyncio.ensure_future(next_result(stream)) for stream in streams]
    # when one message is added
    await add_message(client, conversation["id"], "shared")
    results = [await each for each in pending]
    # then each got its own document's answer
    wide = [result.data["conversationEvents"] for result in results[:3]]
    assert all(event["message"] == {"content": "shared"} for event in wide)
    assert len({event["sequence"] for event in wide}) == 1
    assert results[3].data == {"conversationEvents": {"kind": "MESSAGE_ADDED"}}
    # and the event was executed twice: once for the first three, once for the other
    assert len(executions) == 2
    for stream in streams:
        await stream.aclose()
