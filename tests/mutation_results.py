"""What the mutation tests read back: raw results, paths, branches, snapshots of a tree."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.conftest import GraphQLClient
from tests.documents import (
    ADD_MESSAGE,
    BRANCH_SNAPSHOT,
    CONVERSATION,
    DELETE_CONVERSATION,
    SET_CURRENT_BRANCH,
    SIBLINGS,
    UPDATE_MESSAGE,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import add_message, conversation_with_messages

# JSON values that are not objects, for inputs that must be one.
NOT_OBJECTS: list[Any] = [["a", "list"], "a string", 42, True]

ERROR_CODES = {"NotFoundError": "NOT_FOUND", "ValidationError": "INVALID_INPUT"}

ISO_8601_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def unknown_id() -> str:
    return str(uuid.uuid4())


def message_input(content: str, role: str = "USER", **fields: Any) -> dict[str, Any]:
    return {"role": role, "content": content, **fields}


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


def moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)


async def add_result(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    """The raw AddMessageResult, success or error."""
    return (await gql.data(ADD_MESSAGE, input=input))["addMessage"]


async def edit_result(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    return (await gql.data(UPDATE_MESSAGE, input=input))["updateMessage"]


async def patch_result(gql: GraphQLClient, message_id: str, metadata: Any) -> dict[str, Any]:
    data = await gql.data(
        UPDATE_MESSAGE_METADATA, input={"messageId": message_id, "metadata": metadata}
    )
    return data["updateMessageMetadata"]


async def switch_result(gql: GraphQLClient, conversation_id: str, branch_id: str) -> dict[str, Any]:
    input = {"conversationId": conversation_id, "branchId": branch_id}
    return (await gql.data(SET_CURRENT_BRANCH, input=input))["setCurrentBranch"]


async def delete_result(gql: GraphQLClient, conversation_id: str) -> dict[str, Any]:
    return (await gql.data(DELETE_CONVERSATION, input={"id": conversation_id}))[
        "deleteConversation"
    ]


async def read_conversation(
    gql: GraphQLClient, conversation_id: str, branch_id: str | None = None
) -> dict[str, Any]:
    return (await gql.data(CONVERSATION, id=conversation_id, branchId=branch_id))["conversation"]


async def path_of(
    gql: GraphQLClient, conversation_id: str, branch_id: str | None = None
) -> list[str]:
    """The ids on a branch's path (default: the current branch), root first."""
    conversation = await read_conversation(gql, conversation_id, branch_id)
    return [edge["node"]["id"] for edge in conversation["messages"]["edges"]]


async def branches_of(gql: GraphQLClient, conversation_id: str) -> list[dict[str, Any]]:
    return (await read_conversation(gql, conversation_id))["branches"]["nodes"]


async def branch_snapshot(gql: GraphQLClient, branch_id: str) -> dict[str, Any]:
    return (await gql.data(BRANCH_SNAPSHOT, id=branch_id))["branch"]


async def snapshot(gql: GraphQLClient, conversation_id: str) -> dict[str, dict[str, Any]]:
    """Every branch of the conversation with its full path, by branch id."""
    branch_ids = ids(await branches_of(gql, conversation_id))
    return {bid: await branch_snapshot(gql, bid) for bid in branch_ids}


async def siblings(gql: GraphQLClient, message_id: str) -> tuple[int, int]:
    message = (await gql.data(SIBLINGS, id=message_id))["message"]
    return message["siblingIndex"], message["siblingCount"]


def assert_user_error(result: dict[str, Any], typename: str, field: str | None) -> None:
    assert result["__typename"] == typename, result
    assert result["code"] == ERROR_CODES[typename], result
    assert result["field"] == field, result
    assert result["detail"]


@dataclass(frozen=True)
class Tree:
    """A conversation with three branches; `other` is current, `side` was forked before it.

    main: a - b - c        side (forked at b): a - b - e        other (forked at a): a - f
    """

    conversation: str
    main: str
    side: str
    other: str
    a: str
    b: str
    c: str
    e: str
    f: str


async def tree(gql: GraphQLClient) -> Tree:
    conversation, (a, b, c) = await conversation_with_messages(gql, "a", "b", "c")
    side = await add_message(gql, conversation["id"], "e", parentId=b["id"])
    other = await add_message(gql, conversation["id"], "f", parentId=a["id"])
    return Tree(
        conversation=conversation["id"],
        main=conversation["currentBranch"]["id"],
        side=side["branch"]["id"],
        other=other["branch"]["id"],
        a=a["id"],
        b=b["id"],
        c=c["id"],
        e=side["message"]["id"],
        f=other["message"]["id"],
    )
