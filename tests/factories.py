"""Plain async factories: build conversations through the API, fail loudly if they can't."""

from typing import Any

from tests.conftest import GraphQLClient
from tests.documents import ADD_MESSAGE, CREATE_CONVERSATION, UPDATE_MESSAGE


async def create_conversation(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    result = (await gql.data(CREATE_CONVERSATION, input=input))["createConversation"]
    assert result["__typename"] == "CreateConversationSuccess", result
    return result["conversation"]


async def add_message(
    gql: GraphQLClient, conversation_id: str, content: str, role: str = "USER", **input: Any
) -> dict[str, Any]:
    """The AddMessageSuccess payload: `message`, `branch` and `conversation`."""
    payload = {
        "conversationId": conversation_id,
        "message": {"role": role, "content": content},
        **input,
    }
    result = (await gql.data(ADD_MESSAGE, input=payload))["addMessage"]
    assert result["__typename"] == "AddMessageSuccess", result
    return result


async def edit_message(
    gql: GraphQLClient, message_id: str, content: str, role: str = "USER", **input: Any
) -> dict[str, Any]:
    """The UpdateMessageSuccess payload: `message`, `branch` and `conversation`."""
    payload = {"messageId": message_id, "message": {"role": role, "content": content}, **input}
    result = (await gql.data(UPDATE_MESSAGE, input=payload))["updateMessage"]
    assert result["__typename"] == "UpdateMessageSuccess", result
    return result


async def conversation_with_messages(
    gql: GraphQLClient, *contents: str, **input: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A conversation and the messages appended to its current branch, in order."""
    conversation = await create_conversation(gql, **input)
    messages = [(await add_message(gql, conversation["id"], c))["message"] for c in contents]
    return conversation, messages
