"""An admin (a token whose `roles` hold `admin`): it sees and changes every owner's
conversations, and what it creates (conversations, forks, imports) is its own. Every
mutation and subscription, on SQLite and PostgreSQL."""

import asyncio
from typing import Any

import pytest

from convograph.broker import EventBroker
from convograph.db.engine import Database
from convograph.settings import Settings
from tests import test_subscriptions
from tests.documents import (
    CONVERSATION,
    CONVERSATION_EVENTS,
    CONVERSATIONS,
    CONVERSATIONS_CHANGED,
    DELETE_BRANCH,
    DELETE_CONVERSATION,
    DELETE_MESSAGE,
    FORK_CONVERSATION,
    IMPORT_CONVERSATIONS,
    RENAME_BRANCH,
    SET_CURRENT_BRANCH,
    UPDATE_CONVERSATION,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import add_message, conversation_with_messages, create_conversation
from tests.factories import edit_message as edit
from tests.test_subscriptions import BrokeredClient, live_changes, next_result

TIME = "2026-01-02T03:04:05.000006+00:00"
DOCUMENT = {
    "format": "convograph",
    "version": 1,
    "conversations": [
        {
            "id": "imported-1",
            "title": "imported",
            "metadata": {},
            "createdAt": TIME,
            "updatedAt": TIME,
            "currentBranchId": "b1",
            "messages": [
                {"id": "m1", "parentId": None, "role": "user", "content": "hi", "createdAt": TIME}
            ],
            "branches": [{"id": "b1", "tipId": "m1", "createdAt": TIME}],
        }
    ],
}


# The broker, as test_subscriptions makes it.
broker = test_subscriptions.broker


@pytest.fixture
def alice(database: Database, settings: Settings, broker: EventBroker) -> BrokeredClient:
    return BrokeredClient(database, settings, broker, "alice")


@pytest.fixture
def admin(database: Database, settings: Settings, broker: EventBroker) -> BrokeredClient:
    return BrokeredClient(database, settings, broker, "ops", admin=True)


async def visible_to(client: BrokeredClient, conversation_id: str) -> bool:
    return (await client.data(CONVERSATION, id=conversation_id))["conversation"] is not None


async def mutation(client: BrokeredClient, document: str, field: str, **input: Any) -> Any:
    result = (await client.data(document, input=input))[field]
    assert "code" not in result, result
    return result


async def test_an_admin_creates_conversations_of_its_own(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # when
    created = await create_conversation(admin, title="ops")
    # then
    assert await visible_to(admin, created["id"])
    assert not await visible_to(alice, created["id"])


async def test_an_admin_writes_to_another_owners_conversation(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given alice's conversation
    conversation, [root, answer] = await conversation_with_messages(alice, "q", "a")
    conversation_id = conversation["id"]
    # when an admin adds, edits, patches, switches, renames, updates
    added = await add_message(admin, conversation_id, "from ops")
    edited = await edit(admin, answer["id"], "a, again")
    await mutation(
        admin, UPDATE_MESSAGE_METADATA, "updateMessageMetadata",
        messageId=root["id"], metadata={"seen": True},
    )  # fmt: skip
    switched = await mutation(
        admin, SET_CURRENT_BRANCH, "setCurrentBranch",
        conversationId=conversation_id, branchId=added["branch"]["id"],
    )  # fmt: skip
    await mutation(
        admin, RENAME_BRANCH, "renameBranch", branchId=edited["branch"]["id"], name="ops"
    )
    await mutation(
        admin,
        UPDATE_CONVERSATION,
        "updateConversation",
        conversationId=conversation_id,
        title="by ops",
    )
    # then alice sees every change, and still owns the conversation
    after = (await alice.data(CONVERSATION, id=conversation_id))["conversation"]
    assert after["title"] == "by ops"
    assert after["currentBranch"]["id"] == switched["conversation"]["currentBranch"]["id"]
    overview = (await alice.data(CONVERSATIONS, first=10))["conversations"]
    assert [node["id"] for node in overview["nodes"]] == [conversation_id]


async def test_an_admin_deletes_another_owners_messages_branches_and_conversations(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given
    conversation, [_, answer] = await conversation_with_messages(alice, "q", "a")
    edited = await edit(alice, answer["id"], "a2")
    # when
    branch = await mutation(admin, DELETE_BRANCH, "deleteBranch", branchId=edited["branch"]["id"])
    message = await mutation(admin, DELETE_MESSAGE, "deleteMessage", messageId=answer["id"])
    deleted = await mutation(
        admin, DELETE_CONVERSATION, "deleteConversation", conversationId=conversation["id"]
    )
    # then
    assert branch["deletedBranchId"] == edited["branch"]["id"]
    assert message["deletedMessageId"] == answer["id"]
    assert deleted["deletedConversationId"] == conversation["id"]
    assert not await visible_to(alice, conversation["id"])


async def test_an_admins_fork_of_another_owners_message_is_the_admins(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given alice's conversation
    _, [_, answer] = await conversation_with_messages(alice, "q", "a")
    # when an admin forks it
    forked = await mutation(admin, FORK_CONVERSATION, "forkConversation", messageId=answer["id"])
    # then the fork is the admin's, not alice's
    fork_id = forked["conversation"]["id"]
    assert forked["conversation"]["messageCount"] == 2
    assert await visible_to(admin, fork_id)
    assert not await visible_to(alice, fork_id)


async def test_an_admins_import_creates_conversations_of_its_own(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # when
    result = (await admin.data(IMPORT_CONVERSATIONS, input={"data": DOCUMENT}))[
        "importConversations"
    ]
    # then
    assert result["failures"] == []
    [imported] = result["imported"]
    assert imported["conversation"]["messageCount"] == 1
    assert await visible_to(admin, imported["conversation"]["id"])
    assert not await visible_to(alice, imported["conversation"]["id"])
    # and importing it again skips it, as for any owner
    again = (await admin.data(IMPORT_CONVERSATIONS, input={"data": DOCUMENT}))[
        "importConversations"
    ]
    assert (again["imported"], len(again["skipped"])) == ([], 1)


async def test_an_admin_follows_another_owners_conversation_events(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given
    conversation = await create_conversation(alice)
    stream = await admin.subscribe(CONVERSATION_EVENTS, conversationId=conversation["id"])
    live = await next_result(stream)
    assert live.data is not None and live.data["conversationEvents"]["kind"] == "LIVE"
    # when
    await add_message(alice, conversation["id"], "hello")
    # then
    result = await next_result(stream)
    assert result.errors is None
    assert result.data["conversationEvents"]["message"]["content"] == "hello"
    await stream.aclose()


async def test_an_admins_conversations_changed_delivers_its_own_and_every_owners_changes(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given
    stream = await live_changes(await admin.subscribe(CONVERSATIONS_CHANGED))
    pending = asyncio.ensure_future(next_result(stream))
    # when the admin creates a conversation, then alice does
    own = await create_conversation(admin, title="ops")
    first = await pending
    theirs = await create_conversation(alice, title="alice")
    second = await next_result(stream)
    # then
    changes = [result.data["conversationsChanged"] for result in (first, second)]
    assert [change["conversationId"] for change in changes] == [own["id"], theirs["id"]]
    assert [change["conversation"]["title"] for change in changes] == ["ops", "alice"]
    await stream.aclose()


async def test_an_owners_conversations_changed_still_delivers_only_its_own(
    alice: BrokeredClient, admin: BrokeredClient
) -> None:
    # given
    stream = await live_changes(await alice.subscribe(CONVERSATIONS_CHANGED))
    pending = asyncio.ensure_future(next_result(stream))
    # when
    await create_conversation(admin, title="ops")
    mine = await create_conversation(alice, title="mine")
    # then
    result = await pending
    assert result.data["conversationsChanged"]["conversationId"] == mine["id"]
    await stream.aclose()
