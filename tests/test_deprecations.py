"""Renamed API fields: the new name answers, and the old one still does, marked deprecated
with the release that removes it (docs/api.md, "Deprecations")."""

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import add_message, create_conversation

REMOVAL_RELEASE = "0.3.0"

DELETE_CONVERSATION_BY_BOTH_NAMES = """
mutation Delete($input: DeleteConversationInput!) {
  deleteConversation(input: $input) {
    __typename
    ... on DeleteConversationSuccess { deletedConversationId deletedId deletedMessageCount }
    ... on UserError { code detail field }
  }
}
"""

DEPRECATED_FIELDS = """
query Deprecated($type: String!) {
  __type(name: $type) {
    fields(includeDeprecated: true) { name isDeprecated deprecationReason }
  }
}
"""


async def fields_of(gql: GraphQLClient, type_name: str) -> dict[str, dict[str, Any]]:
    found = (await gql.data(DEPRECATED_FIELDS, type=type_name))["__type"]["fields"]
    return {field["name"]: field for field in found}


async def test_deleted_conversation_id_and_the_deprecated_deleted_id_name_the_same_conversation(
    gql: GraphQLClient,
) -> None:
    # given a conversation with a message
    conversation = await create_conversation(gql)
    await add_message(gql, conversation["id"], "hello")
    # when it is deleted, selecting both names
    result = (await gql.data(DELETE_CONVERSATION_BY_BOTH_NAMES, input={"id": conversation["id"]}))[
        "deleteConversation"
    ]
    # then both answer its id
    assert result == {
        "__typename": "DeleteConversationSuccess",
        "deletedConversationId": conversation["id"],
        "deletedId": conversation["id"],
        "deletedMessageCount": 1,
    }


async def test_deleted_id_is_deprecated_in_favour_of_deleted_conversation_id(
    gql: GraphQLClient,
) -> None:
    # when the payload's fields are introspected
    fields = await fields_of(gql, "DeleteConversationSuccess")
    # then the old name is deprecated, naming its replacement and its removal release
    old = fields["deletedId"]
    assert old["isDeprecated"] is True
    assert "deletedConversationId" in old["deprecationReason"]
    assert REMOVAL_RELEASE in old["deprecationReason"]
    assert fields["deletedConversationId"]["isDeprecated"] is False
