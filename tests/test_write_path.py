"""The write path's round trips: W1 (addMessage) and W2 (updateMessage) as few statements as
their semantics allow, and concurrent appends that stay on one line; on both databases."""

import asyncio
from typing import Any

from tests.conftest import GraphQLClient, StatementCounter
from tests.factories import add_message, create_conversation

W1 = """
mutation W1($input: AddMessageInput!) {
  addMessage(input: $input) { __typename ... on AddMessageSuccess { message { id content } } }
}
"""

W2 = """
mutation W2($input: UpdateMessageInput!) {
  updateMessage(input: $input) { __typename ... on UpdateMessageSuccess { message { id } } }
}
"""

LINE = """
query Line($id: UUID!) {
  conversation(id: $id) { branchCount messages(first: 100) { nodes { content } } }
}
"""

# Besides BEGIN and COMMIT, which the counter leaves out: PostgreSQL folds the lock and
# the reads into one statement and every write, event and NOTIFY into another; SQLite,
# in process, runs the writes one by one. W2 names a message, not its conversation: one
# read before the transaction finds the conversation whose write turn it takes.
W1_STATEMENTS = {"postgresql": 2, "sqlite": 5}
W2_STATEMENTS = {"postgresql": 4, "sqlite": 7}


async def two_messages(gql: GraphQLClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """A conversation with two messages, and the first of them."""
    conversation = await create_conversation(gql)
    first = await add_message(gql, conversation["id"], "one")
    await add_message(gql, conversation["id"], "two")
    return conversation, first["message"]


async def test_w1_and_w2_run_in_the_fewest_statements(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given a conversation with two messages
    conversation, first = await two_messages(gql)
    dialect = gql.database.dialect
    # when
    statements.reset()
    added = await gql.data(
        W1,
        input={"conversationId": conversation["id"], "message": {"role": "USER", "content": "3"}},
    )
    w1 = statements.count
    statements.reset()
    edited = await gql.data(
        W2, input={"messageId": first["id"], "message": {"role": "USER", "content": "1"}}
    )
    w2 = statements.count
    # then
    assert added["addMessage"]["__typename"] == "AddMessageSuccess"
    assert edited["updateMessage"]["__typename"] == "UpdateMessageSuccess"
    assert (w1, w2) == (W1_STATEMENTS[dialect], W2_STATEMENTS[dialect])


async def test_an_edit_off_the_current_branch_costs_no_more_statements(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given a message edited once: the edit's new branch is current, and does not hold it
    _, first = await two_messages(gql)
    edit = {"messageId": first["id"], "message": {"role": "USER", "content": "1"}}
    await gql.data(W2, input=edit)
    # when it is edited again
    statements.reset()
    edited = await gql.data(W2, input=edit)
    # then the branch it forks from is found in the same one statement
    assert edited["updateMessage"]["__typename"] == "UpdateMessageSuccess"
    assert statements.count == W2_STATEMENTS[gql.database.dialect]


async def test_concurrent_appends_to_one_conversation_stay_on_one_line(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql)
    # when twenty appends race (each waits for the lock, and the others' writes
    # make what its statement read before the lock stale)
    await asyncio.gather(*(add_message(gql, conversation["id"], f"m{i}") for i in range(20)))
    # then every one extended the current branch: one branch, twenty messages
    data = await gql.data(LINE, id=conversation["id"])
    assert data["conversation"]["branchCount"] == 1
    assert len(data["conversation"]["messages"]["nodes"]) == 20


START_STREAM = """
mutation Start($input: AddMessageInput!) {
  addMessage(input: $input) { ... on AddMessageSuccess { message { id } } }
}
"""

APPEND = """
mutation Append($input: AppendMessageContentInput!) {
  appendMessageContent(input: $input) {
    __typename ... on AppendMessageContentSuccess { applied message { content } }
  }
}
"""

# PostgreSQL: one statement, its own transaction (no BEGIN or COMMIT either). SQLite:
# the lock, the reads and the writes of a transaction.
APPEND_STATEMENTS = {"postgresql": 1, "sqlite": 6}


async def test_an_applied_delta_is_one_round_trip_on_postgresql(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # given a streamed message with one delta
    conversation = await create_conversation(gql)
    message = {"role": "ASSISTANT", "status": "IN_PROGRESS"}
    started = await gql.data(
        START_STREAM, input={"conversationId": conversation["id"], "message": message}
    )
    message_id = started["addMessage"]["message"]["id"]
    await gql.data(APPEND, input={"messageId": message_id, "delta": "one ", "index": 0})
    # when
    statements.reset()
    result = await gql.data(APPEND, input={"messageId": message_id, "delta": "two", "index": 1})
    # then
    assert result["appendMessageContent"]["message"]["content"] == "one two"
    assert statements.count == APPEND_STATEMENTS[gql.database.dialect]
