"""The SDK's surface as a user reads it: model names, reprs, and one error per unknown id,
worded as the server words its own."""

import ast
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from convograph.client import (
    AddedMessage,
    ConversationsClient,
    Message,
    NotFoundError,
    ValidationError,
)

GENERATED = Path(__file__).resolve().parents[2] / "convograph" / "client" / "generated"
UNKNOWN = uuid.UUID("00000000-0000-4000-8000-00000000dead")
# The server's `detail`s are sentences: a capital (or a quoted name) first, a full stop last.
SENTENCE = re.compile(r"^[A-Z`].*\.$")
LONG_CONTENT = "A message long enough that a repr must not print all of it. " * 30


@pytest.fixture
async def client(server: str) -> AsyncIterator[ConversationsClient]:
    async with ConversationsClient(server) as sdk:
        yield sdk


@dataclass(frozen=True)
class Existing:
    conversation_id: uuid.UUID
    branch_id: uuid.UUID
    message_id: uuid.UUID


async def existing(client: ConversationsClient) -> Existing:
    conversation = await client.create_conversation(title="known")
    added = await client.add_message(conversation.id, Message(text="Hello"))
    return Existing(conversation.id, added.branch.id, added.message.id)


Call = Callable[[ConversationsClient, Existing], Awaitable[object]]
UNKNOWN_ID_CALLS: dict[str, Call] = {
    "get_conversation": lambda c, _: c.get_conversation(UNKNOWN),
    "get_conversation, unknown branch": lambda c, e: c.get_conversation(e.conversation_id, UNKNOWN),
    "update_conversation": lambda c, _: c.update_conversation(UNKNOWN, title="x"),
    "delete_conversation": lambda c, _: c.delete_conversation(UNKNOWN),
    "fork_conversation": lambda c, _: c.fork_conversation(UNKNOWN),
    "export_conversation": lambda c, _: c.export_conversation(UNKNOWN),
    "add_message": lambda c, _: c.add_message(UNKNOWN, Message(text="x")),
    "add_message, unknown parent": lambda c, e: c.add_message(
        e.conversation_id, Message(text="x"), parent_id=UNKNOWN
    ),
    "add_message, unknown branch": lambda c, e: c.add_message(
        e.conversation_id, Message(text="x"), branch_id=UNKNOWN
    ),
    "get_message": lambda c, _: c.get_message(UNKNOWN),
    "update_message": lambda c, _: c.update_message(UNKNOWN, Message(text="x")),
    "update_message_metadata": lambda c, _: c.update_message_metadata(UNKNOWN, {"a": 1}),
    "delete_message": lambda c, _: c.delete_message(UNKNOWN),
    "get_branch": lambda c, _: c.get_branch(UNKNOWN),
    "branches_overview": lambda c, _: c.branches_overview(UNKNOWN),
    "rename_branch": lambda c, _: c.rename_branch(UNKNOWN, "name"),
    "delete_branch": lambda c, _: c.delete_branch(UNKNOWN),
    "set_current_branch": lambda c, e: c.set_current_branch(UNKNOWN, e.branch_id),
    "set_current_branch, unknown branch": lambda c, e: c.set_current_branch(
        e.conversation_id, UNKNOWN
    ),
    "search_messages in an unknown conversation": lambda c, _: c.search_messages(
        "hello", conversation_id=UNKNOWN
    ),
}


@pytest.mark.parametrize("call", UNKNOWN_ID_CALLS.values(), ids=UNKNOWN_ID_CALLS.keys())
async def test_every_unknown_id_raises_not_found(client: ConversationsClient, call: Call) -> None:
    # given
    known = await existing(client)
    # when
    with pytest.raises(NotFoundError) as raised:
        await call(client, known)
    # then: the id is named, in the server's sentence style, with the field at fault
    assert raised.value.code == "NOT_FOUND"
    assert str(UNKNOWN) in raised.value.detail
    assert SENTENCE.match(raised.value.detail), raised.value.detail
    assert raised.value.field is not None


async def test_another_conversations_branch_is_invalid_as_in_the_mutations(
    client: ConversationsClient,
) -> None:
    # given
    mine, other = await existing(client), await existing(client)
    # when
    with pytest.raises(ValidationError) as read:
        await client.get_conversation(mine.conversation_id, other.branch_id)
    with pytest.raises(ValidationError) as written:
        await client.add_message(mine.conversation_id, Message(text="x"), branch_id=other.branch_id)
    # then
    assert read.value.field == written.value.field == "branchId"
    assert read.value.detail == written.value.detail
    assert read.value.detail == f"Branch {other.branch_id} belongs to another conversation."


async def test_client_side_errors_read_like_the_servers(client: ConversationsClient) -> None:
    # given / when
    with pytest.raises(ValidationError) as not_a_uuid:
        await client.get_message("not-a-uuid")
    with pytest.raises(NotFoundError) as from_the_client:
        await client.get_message(UNKNOWN)
    with pytest.raises(NotFoundError) as from_the_server:
        await client.delete_message(UNKNOWN)
    # then
    assert not_a_uuid.value.detail == "`messageId` must be a UUID, got 'not-a-uuid'."
    assert from_the_client.value.detail == from_the_server.value.detail
    assert from_the_client.value.detail == f"No message with id {UNKNOWN}."


async def test_results_have_short_reprs_that_show_ids(client: ConversationsClient) -> None:
    # given
    conversation = await client.create_conversation(title="Trip", metadata={"k": "v" * 500})
    added = await client.add_message(
        conversation.id, Message(text=LONG_CONTENT), metadata={"model": "m" * 500}
    )
    for _ in range(4):
        await client.add_message(conversation.id, Message(text="more"))
    read = await client.get_conversation(conversation.id)
    # when
    shown = {
        "conversation": repr(conversation),
        "added": repr(added),
        "message": repr(added.message),
        "read": repr(read),
    }
    # then
    assert all(len(text) < 250 for text in shown.values()), shown
    assert shown["conversation"].startswith(f"ConversationDetails(id='{conversation.id}', ")
    assert "title='Trip'" in shown["conversation"]
    assert shown["added"] == (
        f"AddedMessage(message=MessageDetails(id='{added.message.id}'), "
        f"branch=BranchDetails(id='{added.branch.id}'), "
        f"conversation=ConversationDetails(id='{conversation.id}'))"
    )
    assert shown["message"].startswith(f"MessageDetails(id='{added.message.id}', role='USER', ")
    assert "A message long enough that a repr must n…'" in shown["message"]
    assert "parent_id=None" in shown["message"]
    assert "messages=<5 items>" in shown["read"]
    assert str(added) == repr(added)[len("AddedMessage(") : -1].replace(", ", " ")


async def test_a_mutation_returns_its_fragments_model(client: ConversationsClient) -> None:
    # given
    conversation = await client.create_conversation()
    # when
    added = await client.add_message(conversation.id, Message(text="hi"))
    # then
    assert type(added) is AddedMessage
    assert type(added).__name__ == "AddedMessage"


def test_no_generated_model_repeats_its_operations_name() -> None:
    # given every class the codegen wrote, by module
    names = {
        module.stem: [
            node.name
            for node in ast.parse(module.read_text(encoding="utf-8")).body
            if isinstance(node, ast.ClassDef)
        ]
        for module in GENERATED.glob("*.py")
    }
    # when
    repeated = [
        name
        for module, classes in names.items()
        for name in classes
        if (operation := module.title().replace("_", "")) and name.startswith(operation * 2)
    ]
    # then
    assert names["add_message"], "the operation modules were not found"
    assert repeated == []
