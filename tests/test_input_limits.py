"""Input limits: content, metadata, title, identifiers and id lists; text both databases store.

Over a size limit: a ValidationError with code LIMIT_EXCEEDED naming the field. Text that
PostgreSQL cannot store: a ValidationError with code INVALID_INPUT, on SQLite as well.
Either way nothing is written.
"""

import uuid
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.documents import (
    ADD_MESSAGE,
    CONVERSATION,
    CONVERSATIONS,
    CREATE_CONVERSATION,
    UPDATE_MESSAGE,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import conversation_with_messages, create_conversation

KIB = 1024


def limited(gql: GraphQLClient, **limits: Any) -> GraphQLClient:
    return GraphQLClient(gql.database, gql.settings.model_copy(update=limits), gql.owner)


def metadata_of_size(size: int) -> dict[str, str]:
    """A JSON object whose compact encoding is exactly `size` bytes: {"k":"xx…"}."""
    return {"k": "x" * (size - len('{"k":""}'))}


async def payload(gql: GraphQLClient, document: str, **input: Any) -> dict[str, Any]:
    data = await gql.data(document, input=input)
    [result] = data.values()
    return result


def assert_refused(result: dict[str, Any], code: str, field: str) -> None:
    assert result["__typename"] == "ValidationError", result
    assert (result["code"], result["field"]) == (code, field), result


async def message_count(gql: GraphQLClient, conversation_id: str) -> int:
    return (await gql.data(CONVERSATION, id=conversation_id))["conversation"]["messageCount"]


# --- message content and fields -------------------------------------------------------


async def test_content_up_to_the_limit_is_stored(gql: GraphQLClient) -> None:
    # given a limit of 10 bytes
    small = limited(gql, max_content_bytes=10)
    conversation = await create_conversation(small)
    # when
    result = await payload(
        small,
        ADD_MESSAGE,
        conversationId=conversation["id"],
        message={"role": "USER", "content": "é" * 5},
    )
    # then
    assert result["__typename"] == "AddMessageSuccess"
    assert result["message"]["content"] == "é" * 5


@pytest.mark.parametrize("document", [ADD_MESSAGE, UPDATE_MESSAGE])
async def test_content_over_the_limit_in_bytes_is_refused(
    gql: GraphQLClient, document: str
) -> None:
    # given a limit of 10 bytes, and six two-byte characters
    small = limited(gql, max_content_bytes=10)
    conversation, [message] = await conversation_with_messages(small, "hi")
    target = (
        {"conversationId": conversation["id"]}
        if document == ADD_MESSAGE
        else {"messageId": message["id"]}
    )
    # when
    result = await payload(small, document, message={"role": "USER", "content": "é" * 6}, **target)
    # then
    assert_refused(result, "LIMIT_EXCEEDED", "message.content")
    assert "12 bytes; at most 10" in result["detail"]
    assert await message_count(small, conversation["id"]) == 1


async def test_the_default_content_limit_is_256_kib(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    fits = await payload(
        gql,
        ADD_MESSAGE,
        conversationId=conversation["id"],
        message={"role": "USER", "content": "x" * (256 * KIB)},
    )
    too_big = await payload(
        gql,
        ADD_MESSAGE,
        conversationId=conversation["id"],
        message={"role": "USER", "content": "x" * (256 * KIB + 1)},
    )
    # then
    assert fits["__typename"] == "AddMessageSuccess"
    assert_refused(too_big, "LIMIT_EXCEEDED", "message.content")


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"name": "n" * 257}, "message.name"),
        ({"toolCallId": "t" * 257}, "message.toolCallId"),
        ({"toolCalls": [{"arguments": "x" * 100}]}, "message.toolCalls"),
    ],
)
async def test_message_fields_over_their_limits_are_refused(
    gql: GraphQLClient, message: dict[str, Any], field: str
) -> None:
    # given
    small = limited(gql, max_content_bytes=64)
    conversation = await create_conversation(small)
    # when
    result = await payload(
        small,
        ADD_MESSAGE,
        conversationId=conversation["id"],
        message={"role": "TOOL", "content": "", **message},
    )
    # then
    assert_refused(result, "LIMIT_EXCEEDED", field)


# --- metadata -------------------------------------------------------------------------


async def test_metadata_of_exactly_64_kib_is_stored(gql: GraphQLClient) -> None:
    # given / when
    result = await payload(gql, CREATE_CONVERSATION, metadata=metadata_of_size(64 * KIB))
    # then
    assert result["__typename"] == "CreateConversationSuccess"


async def test_metadata_over_64_kib_is_refused_everywhere(gql: GraphQLClient) -> None:
    # given
    conversation, [message] = await conversation_with_messages(gql, "hi")
    too_big = metadata_of_size(64 * KIB + 1)
    user = {"role": "USER", "content": "x"}
    # when
    results = [
        await payload(gql, CREATE_CONVERSATION, metadata=too_big),
        await payload(
            gql, ADD_MESSAGE, conversationId=conversation["id"], message=user, metadata=too_big
        ),
        await payload(gql, UPDATE_MESSAGE, messageId=message["id"], message=user, metadata=too_big),
        await payload(gql, UPDATE_MESSAGE_METADATA, messageId=message["id"], metadata=too_big),
    ]
    # then
    for result in results:
        assert_refused(result, "LIMIT_EXCEEDED", "metadata")
    assert await message_count(gql, conversation["id"]) == 1
    listed = await gql.data(CONVERSATIONS)
    assert listed["conversations"]["totalCount"] == 1


async def test_patches_that_add_up_past_the_limit_are_refused_and_rolled_back(
    gql: GraphQLClient,
) -> None:
    # given a 100-byte limit and a message whose metadata has one 60-byte key
    small = limited(gql, max_metadata_bytes=100)
    _, [message] = await conversation_with_messages(small, "hi")
    first = await payload(
        small, UPDATE_MESSAGE_METADATA, messageId=message["id"], metadata={"a": "x" * 52}
    )
    # when a second patch of the same size would make it 120 bytes
    second = await payload(
        small, UPDATE_MESSAGE_METADATA, messageId=message["id"], metadata={"b": "y" * 52}
    )
    # then
    assert first["__typename"] == "UpdateMessageMetadataSuccess"
    assert_refused(second, "LIMIT_EXCEEDED", "metadata")
    patched = await payload(small, UPDATE_MESSAGE_METADATA, messageId=message["id"], metadata={})
    assert patched["message"]["metadata"] == {"a": "x" * 52}


async def test_metadata_nested_too_deeply_is_refused(gql: GraphQLClient) -> None:
    # given 40 levels of nesting
    nested: dict[str, Any] = {}
    for _ in range(40):
        nested = {"k": nested}
    # when
    result = await payload(gql, CREATE_CONVERSATION, metadata=nested)
    # then
    assert_refused(result, "LIMIT_EXCEEDED", "metadata")
    assert "nested" in result["detail"]


@pytest.mark.parametrize("metadata", [[1, 2], "text", 3, True])
async def test_metadata_must_be_an_object(gql: GraphQLClient, metadata: Any) -> None:
    # given / when
    result = await payload(gql, CREATE_CONVERSATION, metadata=metadata)
    # then
    assert_refused(result, "INVALID_INPUT", "metadata")


# --- title ----------------------------------------------------------------------------


async def test_a_title_over_the_limit_is_refused(gql: GraphQLClient) -> None:
    # given / when
    fits = await payload(gql, CREATE_CONVERSATION, title="t" * 1000)
    too_long = await payload(gql, CREATE_CONVERSATION, title="t" * 1001)
    # then
    assert fits["__typename"] == "CreateConversationSuccess"
    assert_refused(too_long, "LIMIT_EXCEEDED", "title")
    assert "1001 characters; at most 1000" in too_long["detail"]


# --- text both databases can store ----------------------------------------------------


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"title": "a\x00b"}, "title"),
        ({"title": "lone \ud800 surrogate"}, "title"),
        ({"metadata": {"k": "a\x00b"}}, "metadata"),
        ({"metadata": {"a\x00b": 1}}, "metadata"),
        ({"metadata": {"k": ["\udfff"]}}, "metadata"),
        ({"metadata": {"k": float("nan")}}, "metadata"),
        ({"metadata": {"k": float("inf")}}, "metadata"),
    ],
)
async def test_text_postgresql_cannot_store_is_invalid_on_every_database(
    gql: GraphQLClient, input: dict[str, Any], field: str
) -> None:
    # given / when
    result = await payload(gql, CREATE_CONVERSATION, **input)
    # then
    assert_refused(result, "INVALID_INPUT", field)
    assert (await gql.data(CONVERSATIONS))["conversations"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"content": "nul \x00 byte"}, "message.content"),
        ({"content": "\ud83d"}, "message.content"),
        ({"name": "\x00"}, "message.name"),
        ({"toolCallId": "\x00"}, "message.toolCallId"),
        ({"toolCalls": [{"f": "\x00"}]}, "message.toolCalls"),
    ],
)
async def test_message_text_postgresql_cannot_store_is_invalid(
    gql: GraphQLClient, message: dict[str, Any], field: str
) -> None:
    # given
    conversation = await create_conversation(gql)
    # when
    result = await payload(
        gql,
        ADD_MESSAGE,
        conversationId=conversation["id"],
        message={"role": "USER", "content": "", **message},
    )
    # then
    assert_refused(result, "INVALID_INPUT", field)
    assert await message_count(gql, conversation["id"]) == 0


# --- lists of ids ---------------------------------------------------------------------


async def test_the_overview_names_at_most_a_thousand_ids(gql: GraphQLClient) -> None:
    # given
    ids = [str(uuid.uuid4()) for _ in range(1001)]
    # when
    allowed = await gql.execute(CONVERSATIONS, ids=ids[:1000])
    refused = await gql.execute(CONVERSATIONS, ids=ids)
    # then
    assert allowed.errors is None
    [error] = [error.formatted for error in refused.errors]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "at most 1000" in error["message"]
