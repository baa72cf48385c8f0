"""Renamed API fields: the new name answers, and the old one still does, marked deprecated
with the release that removes it (docs/api.md, "Deprecations")."""

import uuid
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.documents import CONVERSATION, DELETE_CONVERSATION, UPDATE_CONVERSATION
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


DEPRECATED_INPUT_FIELDS = """
query DeprecatedInputs($type: String!) {
  __type(name: $type) {
    inputFields(includeDeprecated: true) { name isDeprecated deprecationReason }
  }
}
"""

# The mutations whose input named the conversation `id` before `conversationId`.
CONVERSATION_MUTATIONS = [
    pytest.param(DELETE_CONVERSATION, "deleteConversation", {}, id="deleteConversation"),
    pytest.param(
        UPDATE_CONVERSATION, "updateConversation", {"title": "New"}, id="updateConversation"
    ),
]


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


@pytest.mark.parametrize(("document", "root", "extra"), CONVERSATION_MUTATIONS)
@pytest.mark.parametrize("names", [["conversationId"], ["id"], ["conversationId", "id"]])
async def test_conversation_mutations_take_conversation_id_and_still_the_deprecated_id(
    gql: GraphQLClient, document: str, root: str, extra: dict[str, Any], names: list[str]
) -> None:
    # given a conversation
    conversation = await create_conversation(gql, title="Old")
    # when a mutation names it by the new name, the old one, or both
    named = dict.fromkeys(names, conversation["id"])
    result = (await gql.data(document, input={**named, **extra}))[root]
    # then it acts on that conversation
    assert result["__typename"].endswith("Success"), result
    after = (await gql.data(CONVERSATION, id=conversation["id"]))["conversation"]
    if root == "deleteConversation":
        assert result["deletedConversationId"] == conversation["id"]
        assert after is None
    else:
        assert after["title"] == "New"


@pytest.mark.parametrize(("document", "root", "extra"), CONVERSATION_MUTATIONS)
async def test_naming_no_conversation_or_two_is_a_validation_error(
    gql: GraphQLClient, document: str, root: str, extra: dict[str, Any]
) -> None:
    # given two conversations
    first = await create_conversation(gql, title="Old")
    second = await create_conversation(gql, title="Old")
    # when a mutation names neither, or a different one by each name
    neither = (await gql.data(document, input=extra))[root]
    both = (
        await gql.data(document, input={"conversationId": first["id"], "id": second["id"], **extra})
    )[root]
    # then each is a ValidationError on conversationId, and both conversations are untouched
    for result in (neither, both):
        assert (result["__typename"], result["field"]) == ("ValidationError", "conversationId")
    for conversation in (first, second):
        after = (await gql.data(CONVERSATION, id=conversation["id"]))["conversation"]
        assert after["title"] == "Old"


@pytest.mark.parametrize(("document", "root", "extra"), CONVERSATION_MUTATIONS)
@pytest.mark.parametrize("name", ["conversationId", "id"])
async def test_an_unknown_conversation_is_not_found_on_the_field_that_named_it(
    gql: GraphQLClient, document: str, root: str, extra: dict[str, Any], name: str
) -> None:
    # when a mutation names a conversation that does not exist
    result = (await gql.data(document, input={name: str(uuid.uuid4()), **extra}))[root]
    # then it is not found, on the field the caller used
    assert (result["__typename"], result["field"]) == ("NotFoundError", name)


@pytest.mark.parametrize("input_type", ["DeleteConversationInput", "UpdateConversationInput"])
async def test_input_id_is_deprecated_in_favour_of_conversation_id(
    gql: GraphQLClient, input_type: str
) -> None:
    # when the input's fields are introspected
    found = (await gql.data(DEPRECATED_INPUT_FIELDS, type=input_type))["__type"]["inputFields"]
    fields = {field["name"]: field for field in found}
    # then `id` is deprecated, naming its replacement and its removal release
    assert fields["id"]["isDeprecated"] is True
    assert "conversationId" in fields["id"]["deprecationReason"]
    assert REMOVAL_RELEASE in fields["id"]["deprecationReason"]
    assert fields["conversationId"]["isDeprecated"] is False
