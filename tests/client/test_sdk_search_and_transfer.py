"""The SDK's search, export and import, end to end against a `convograph serve` process."""

import pytest

from convograph.client import (
    ConversationFormat,
    ConversationsClient,
    GraphQLRequestError,
    Message,
    NotFoundError,
    Role,
    ValidationError,
)
from tests.client.test_sdk import client, server_url  # noqa: F401  (fixtures)
from tests.test_chatgpt_import import trip_conversation


async def test_search_finds_a_message_with_its_branches_and_path(
    client: ConversationsClient,  # noqa: F811
) -> None:
    # given: an answer and its edit
    conversation = await client.create_conversation(title="Trip")
    question = await client.add_message(conversation.id, Message(text="Where in spring?"))
    answer = await client.add_message(
        conversation.id, Message(role="assistant", content="Lisbon in spring.")
    )
    edit = await client.update_message(
        answer.message.id, Message(role="assistant", content="Porto in spring.")
    )
    # when
    results = await client.search_messages("lisbon", start_mark="[", end_mark="]")
    # then
    [hit] = results.hits
    assert results.total_count == 1 and not results.has_next_page
    assert hit.message.id == answer.message.id
    assert hit.message.role == Role.ASSISTANT
    assert hit.snippet == "[Lisbon] in spring."
    assert hit.rank > 0
    assert (hit.conversation.id, hit.conversation.title) == (conversation.id, "Trip")
    assert [b.id for b in hit.branches.nodes] == [answer.branch.id]
    assert not hit.branches.nodes[0].is_current  # the edit's branch is current
    assert [m.id for m in hit.path.nodes] == [question.message.id, answer.message.id]
    # when: narrowed by conversation and role
    springs = await client.search_messages("spring", conversation_id=str(conversation.id))
    answers = await client.search_messages("spring", role="assistant", limit=1)
    # then
    assert {h.message.id for h in springs.hits} == {
        question.message.id,
        answer.message.id,
        edit.message.id,
    }
    assert answers.total_count == 2 and len(answers.hits) == 1 and answers.has_next_page
    rest = await client.search_messages("spring", role=Role.ASSISTANT, after=answers.end_cursor)
    assert len(rest.hits) == 1 and not rest.has_next_page
    assert {answers.hits[0].message.id, rest.hits[0].message.id} == {
        answer.message.id,
        edit.message.id,
    }


async def test_a_query_that_cannot_run_raises_bad_user_input(
    client: ConversationsClient,  # noqa: F811
) -> None:
    # when / then
    with pytest.raises(GraphQLRequestError) as refused:
        await client.search_messages("-everything")
    assert refused.value.code == "BAD_USER_INPUT"


async def test_export_then_import_through_the_sdk(
    client: ConversationsClient,  # noqa: F811
) -> None:
    # given
    conversation = await client.create_conversation(title="Saved", metadata={"k": 1})
    await client.add_message(conversation.id, Message(text="keep me"))
    document = await client.export_conversation(str(conversation.id))
    document["conversations"][0]["id"] = "from-elsewhere"
    # when
    summary = await client.import_conversations(document)
    again = await client.import_conversations(document, format="convograph")
    # then
    [imported] = summary.imported
    assert (imported.index, imported.source_id) == (0, "from-elsewhere")
    assert imported.conversation is not None
    assert (imported.conversation.title, imported.conversation.message_count) == ("Saved", 1)
    assert imported.conversation.metadata == {"k": 1}
    assert again.imported == []
    assert again.skipped[0].conversation is not None
    assert again.skipped[0].conversation.id == imported.conversation.id
    copy = await client.get_conversation(imported.conversation.id)
    assert [m.content for m in copy.messages] == ["keep me"]


async def test_chatgpt_import_and_export_through_the_sdk(
    client: ConversationsClient,  # noqa: F811
) -> None:
    # given: a good ChatGPT conversation and a bad one
    bad = dict(trip_conversation(), conversation_id="chat-bad", current_node="nowhere")
    # when
    summary = await client.import_conversations([trip_conversation(), bad], "CHATGPT")
    exported = await client.export_conversation(
        summary.imported[0].conversation.id,  # type: ignore[union-attr]
        ConversationFormat.CHATGPT,
    )
    # then
    assert [i.source_id for i in summary.imported] == ["chat-trip"]
    [failure] = summary.failures
    assert (failure.index, failure.source_id) == (1, "chat-bad")
    assert "current_node 'nowhere'" in failure.reason
    [conversation] = exported
    assert conversation["title"] == "Trip planning"
    assert len(conversation["mapping"]) == 11  # ten messages under the null root


async def test_import_and_export_errors_are_typed(
    client: ConversationsClient,  # noqa: F811
) -> None:
    # when / then
    with pytest.raises(ValidationError) as refused:
        await client.import_conversations({"format": "something else"})
    assert refused.value.field == "data"
    with pytest.raises(NotFoundError):
        await client.export_conversation("00000000-0000-0000-0000-000000000000")
