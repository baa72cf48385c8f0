"""Owners never see or change each other's data, on every operation.

For each operation, owner B names owner A's ids and must get exactly what a never-used id
gets (the same null, the same error, word for word once the id is swapped): nothing that
would tell B that A's ids exist. A's data is then checked unchanged, and A's rows never
show in B's lists or totals. An admin principal sees and may change everyone's.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from convograph.api import schema
from convograph.client import ConversationsClient, GraphQLRequestError, NotFoundError
from convograph.client import Message as SDKMessage
from convograph.db.engine import Database
from convograph.settings import Settings
from tests.conftest import GraphQLClient
from tests.documents import (
    ADD_MESSAGE,
    APPEND_MESSAGE_CONTENT,
    BRANCH,
    CONVERSATION,
    CONVERSATIONS,
    DELETE_BRANCH,
    DELETE_CONVERSATION,
    DELETE_MESSAGE,
    FINISH_MESSAGE,
    FORK_CONVERSATION,
    MESSAGE,
    RENAME_BRANCH,
    SET_CURRENT_BRANCH,
    UPDATE_CONVERSATION,
    UPDATE_MESSAGE,
    UPDATE_MESSAGE_METADATA,
)
from tests.factories import add_message, conversation_with_messages, create_conversation
from tests.factories import edit_message as edit
from tests.serving import post_graphql, running_server
from tests.tokens import KeyFiles, key_files

MESSAGE_INPUT = {"role": "USER", "content": "written by someone else"}


@pytest.fixture(autouse=True)
def on_both_read_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query here also runs through the compiled read path (on PostgreSQL), which
    must answer exactly as the resolvers do: the same nulls, the same errors."""
    monkeypatch.setattr(GraphQLClient, "differential", True)


@dataclass(frozen=True)
class Tree:
    """A's conversation: root - reply - tail on `main`, and an edit of `reply` on `edited`."""

    conversation: str
    root: str
    reply: str
    tail: str
    edit: str
    main: str
    edited: str

    @property
    def ids(self) -> list[str]:
        return [self.conversation, self.root, self.reply, self.tail, self.edit]


async def alices_tree(alice: GraphQLClient) -> Tree:
    conversation, (root, reply, tail) = await conversation_with_messages(
        alice, "root", "reply", "tail", title="A's secrets", metadata={"private": True}
    )
    main = conversation["currentBranch"]["id"]
    edited = await edit(alice, reply["id"], "reply, edited")
    await add_message(alice, conversation["id"], "tail on main", branchId=main)
    return Tree(
        conversation=conversation["id"],
        root=root["id"],
        reply=reply["id"],
        tail=tail["id"],
        edit=edited["message"]["id"],
        main=main,
        edited=edited["branch"]["id"],
    )


@dataclass(frozen=True)
class Mine:
    """B's own conversation, with one message, that B may name alongside A's ids."""

    conversation: str
    branch: str
    message: str


async def bobs_conversation(bob: GraphQLClient) -> Mine:
    conversation, [message] = await conversation_with_messages(bob, "bob's own")
    return Mine(conversation["id"], conversation["currentBranch"]["id"], message["id"])


@dataclass(frozen=True)
class Case:
    """One operation, with the variables that point it at A's data."""

    name: str
    document: str
    variables: Callable[[Tree, Mine], dict[str, Any]]


CASES = [
    # Queries: single objects and every nested field beneath them.
    Case("conversation", CONVERSATION, lambda a, b: {"id": a.conversation}),
    Case("message", MESSAGE, lambda a, b: {"id": a.reply}),
    Case("branch", BRANCH, lambda a, b: {"id": a.edited}),
    Case("conversations(ids)", CONVERSATIONS, lambda a, b: {"ids": [a.conversation]}),
    Case(
        "Conversation.messages(branchId)",
        CONVERSATION,
        lambda a, b: {"id": b.conversation, "branchId": a.main},
    ),
    # Mutations: every id argument, alone and next to B's own ids.
    Case(
        "addMessage(conversationId)",
        ADD_MESSAGE,
        lambda a, b: {"input": {"conversationId": a.conversation, "message": MESSAGE_INPUT}},
    ),
    Case(
        "addMessage(parentId)",
        ADD_MESSAGE,
        lambda a, b: {
            "input": {
                "conversationId": b.conversation,
                "parentId": a.reply,
                "message": MESSAGE_INPUT,
            }
        },
    ),
    Case(
        "addMessage(branchId)",
        ADD_MESSAGE,
        lambda a, b: {
            "input": {
                "conversationId": b.conversation,
                "branchId": a.main,
                "message": MESSAGE_INPUT,
            }
        },
    ),
    Case(
        "addMessage(parentId, branchId)",
        ADD_MESSAGE,
        lambda a, b: {
            "input": {
                "conversationId": a.conversation,
                "parentId": a.root,
                "branchId": a.main,
                "message": MESSAGE_INPUT,
            }
        },
    ),
    Case(
        "updateMessage(messageId)",
        UPDATE_MESSAGE,
        lambda a, b: {"input": {"messageId": a.reply, "message": MESSAGE_INPUT}},
    ),
    Case(
        "updateMessageMetadata(messageId)",
        UPDATE_MESSAGE_METADATA,
        lambda a, b: {"input": {"messageId": a.root, "metadata": {"private": None, "x": 1}}},
    ),
    Case(
        "setCurrentBranch(conversationId, branchId)",
        SET_CURRENT_BRANCH,
        lambda a, b: {"input": {"conversationId": a.conversation, "branchId": a.main}},
    ),
    Case(
        "setCurrentBranch(branchId)",
        SET_CURRENT_BRANCH,
        lambda a, b: {"input": {"conversationId": b.conversation, "branchId": a.edited}},
    ),
    Case(
        "deleteConversation(id)",
        DELETE_CONVERSATION,
        lambda a, b: {"input": {"id": a.conversation}},
    ),
    Case(
        "forkConversation(messageId)",
        FORK_CONVERSATION,
        lambda a, b: {"input": {"messageId": a.reply, "title": "mine now"}},
    ),
    Case("deleteMessage(messageId)", DELETE_MESSAGE, lambda a, b: {"input": {"messageId": a.tail}}),
    Case(
        "appendMessageContent(messageId)",
        APPEND_MESSAGE_CONTENT,
        lambda a, b: {"input": {"messageId": a.tail, "delta": "appended", "index": 0}},
    ),
    Case(
        "finishMessage(messageId)",
        FINISH_MESSAGE,
        lambda a, b: {"input": {"messageId": a.tail, "status": "FAILED", "content": "gone"}},
    ),
    Case("deleteBranch(branchId)", DELETE_BRANCH, lambda a, b: {"input": {"branchId": a.edited}}),
    Case(
        "renameBranch(branchId)",
        RENAME_BRANCH,
        lambda a, b: {"input": {"branchId": a.main, "name": "taken over"}},
    ),
    Case(
        "updateConversation(id)",
        UPDATE_CONVERSATION,
        lambda a, b: {"input": {"id": a.conversation, "title": "x", "archived": True}},
    ),
]

# Root fields whose isolation is shown by tests other than the CASES above.
COVERED_ELSEWHERE = {
    "conversations": "test_a_stranger_s_rows_never_show_in_lists_or_totals",
    "createConversation": "test_what_an_owner_creates_is_theirs_alone",
    "searchMessages": "tests/test_search.py::test_only_the_callers_conversations_are_searched",
    "exportConversation": "tests/test_transfer.py::test_an_unknown_or_foreign_conversation_exports_as_null",
    # Imports make new conversations owned by the caller and are idempotent per owner.
    "importConversations": "test_what_an_owner_creates_is_theirs_alone",
}


@pytest.fixture
def admin(database: Database, settings: Settings) -> GraphQLClient:
    return GraphQLClient(database, settings, owner="ops", admin=True)


def swapped(value: Any, replacements: dict[str, str]) -> Any:
    """`value` (any JSON) with every id in `replacements` replaced."""
    text = json.dumps(value)
    for old, new in replacements.items():
        text = text.replace(old, new)
    return json.loads(text)


def outcome(result: Any) -> dict[str, Any]:
    """What the caller learns: the data and the errors as they would be sent."""
    errors = [error.formatted for error in result.errors or []]
    return {"data": result.data, "errors": errors}


async def everything_of(gql: GraphQLClient, tree: Tree) -> dict[str, Any]:
    """All that A can read of the tree: conversation, branches, paths, messages."""
    conversation = await gql.data(CONVERSATION, id=tree.conversation)
    branches = [await gql.data(BRANCH, id=b) for b in (tree.main, tree.edited)]
    messages = [await gql.data(MESSAGE, id=m) for m in tree.ids[1:]]
    return {"conversation": conversation, "branches": branches, "messages": messages}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_a_stranger_s_ids_answer_as_unknown_ids_and_change_nothing(
    alice: GraphQLClient, bob: GraphQLClient, case: Case
) -> None:
    # given A's tree, B's own conversation, and ids that were never used
    tree = await alices_tree(alice)
    mine = await bobs_conversation(bob)
    alices_before = await everything_of(alice, tree)
    bobs_before = await everything_of_mine(bob, mine)
    unknown = {i: str(uuid.uuid4()) for i in [*tree.ids, tree.main, tree.edited]}
    variables = case.variables(tree, mine)
    # when B names A's ids, and then unknown ones in their places
    with_alices_ids = outcome(await bob.execute(case.document, **variables))
    with_unknown_ids = outcome(await bob.execute(case.document, **swapped(variables, unknown)))
    # then both answers are the same, word for word
    assert swapped(with_alices_ids, unknown) == with_unknown_ids
    assert "A's secrets" not in json.dumps(with_alices_ids)
    # and neither changed anything of A's or B's
    assert await everything_of(alice, tree) == alices_before
    assert await everything_of_mine(bob, mine) == bobs_before


async def everything_of_mine(gql: GraphQLClient, mine: Mine) -> dict[str, Any]:
    return {
        "conversation": await gql.data(CONVERSATION, id=mine.conversation),
        "branch": await gql.data(BRANCH, id=mine.branch),
        "message": await gql.data(MESSAGE, id=mine.message),
    }


def test_every_root_field_has_an_isolation_test() -> None:
    # given the operations the schema offers
    operations = {
        name
        for root in (schema.get_type_by_name("Query"), schema.get_type_by_name("Mutation"))
        for name in (field.graphql_name or _camel(field.python_name) for field in root.fields)
    }
    # when
    covered = {case.name.split("(")[0] for case in CASES} | set(COVERED_ELSEWHERE)
    # then
    assert operations <= covered, f"no isolation test for {sorted(operations - covered)}"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def test_a_stranger_s_rows_never_show_in_lists_or_totals(
    alice: GraphQLClient, bob: GraphQLClient
) -> None:
    # given A has a tree and more conversations; B has one conversation
    tree = await alices_tree(alice)
    for title in ("two", "three"):
        await create_conversation(alice, title=title)
    mine = await bobs_conversation(bob)
    # when B lists, in every order and from either end, naming A's ids too
    listings = [
        (await bob.data(CONVERSATIONS, orderBy=order, **page))["conversations"]
        for order in ("CREATED_AT_DESC", "CREATED_AT_ASC", "UPDATED_AT_DESC", "UPDATED_AT_ASC")
        for page in ({}, {"first": 100}, {"last": 100})
    ]
    named = (await bob.data(CONVERSATIONS, ids=[tree.conversation, mine.conversation]))[
        "conversations"
    ]
    own = (await bob.data(CONVERSATION, id=mine.conversation))["conversation"]
    # then only B's conversation is there, and every total counts B's rows alone
    for listing in [*listings, named]:
        assert listing["totalCount"] == 1
        assert [node["id"] for node in listing["nodes"]] == [mine.conversation]
    assert own["messageCount"] == 1
    assert own["branchCount"] == 1
    assert own["messages"]["totalCount"] == 1
    assert own["branches"]["totalCount"] == 1
    [message] = [edge["node"] for edge in own["messages"]["edges"]]
    assert (message["siblingIndex"], message["siblingCount"]) == (0, 1)


async def test_what_an_owner_creates_is_theirs_alone(
    alice: GraphQLClient, bob: GraphQLClient
) -> None:
    # given / when
    created = await create_conversation(bob, title="bob's")
    # then
    assert (await alice.data(CONVERSATION, id=created["id"])) == {"conversation": None}
    assert (await alice.data(CONVERSATIONS))["conversations"]["totalCount"] == 0
    assert (await bob.data(CONVERSATION, id=created["id"]))["conversation"]["title"] == "bob's"


async def test_an_admin_sees_and_changes_every_owner_s_data(
    alice: GraphQLClient, bob: GraphQLClient, admin: GraphQLClient
) -> None:
    # given
    tree = await alices_tree(alice)
    mine = await bobs_conversation(bob)
    # when
    listed = (await admin.data(CONVERSATIONS))["conversations"]
    read = (await admin.data(MESSAGE, id=tree.reply))["message"]
    switched = (
        await admin.data(
            SET_CURRENT_BRANCH, input={"conversationId": tree.conversation, "branchId": tree.main}
        )
    )["setCurrentBranch"]
    created = await create_conversation(admin, title="the admin's own")
    # then
    assert listed["totalCount"] == 2
    assert {node["id"] for node in listed["nodes"]} == {tree.conversation, mine.conversation}
    assert read["content"] == "reply"
    assert switched["__typename"] == "SetCurrentBranchSuccess"
    assert (await alice.data(CONVERSATION, id=tree.conversation))["conversation"][
        "currentBranch"
    ] == {"id": tree.main}
    # and what an admin creates belongs to the admin's own subject, not to anyone else
    assert (await alice.data(CONVERSATION, id=created["id"])) == {"conversation": None}
    assert (await bob.data(CONVERSATIONS))["conversations"]["totalCount"] == 1


# --- over HTTP, with real tokens ------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> KeyFiles:
    return key_files(tmp_path)


@pytest.fixture
def jwt_server(database_url: str, keys: KeyFiles, tmp_path: Path) -> Any:
    environment = {"CONVOGRAPH_AUTH": "jwt", "CONVOGRAPH_JWT_PUBLIC_KEY_FILE": str(keys.pem_path)}
    with running_server(database_url, tmp_path / "serve.log", environment=environment) as url:
        yield url


async def test_owners_are_isolated_over_http_with_rs256_tokens(
    jwt_server: str, keys: KeyFiles
) -> None:
    # given A's conversation, written through the SDK with A's token
    async with ConversationsClient(jwt_server, token=keys.rs256(sub="alice")) as a:
        conversation = await a.create_conversation(title="A's secrets")
        written = await a.add_message(conversation.id, SDKMessage(text="private"))
    # when B, with B's own valid token, names A's ids
    async with (
        ConversationsClient(jwt_server, token=keys.rs256(sub="bob")) as b,
        httpx.AsyncClient(base_url=jwt_server, timeout=10.0) as raw,
    ):
        with pytest.raises(NotFoundError):
            await b.get_conversation(conversation.id)
        with pytest.raises(NotFoundError):
            await b.get_message(written.message.id)
        overview = await b.conversations_overview()
        response = await post_graphql(
            raw,
            DELETE_CONVERSATION,
            headers={"Authorization": f"Bearer {keys.rs256(sub='bob')}"},
            input={"id": str(conversation.id)},
        )
    # then B learns nothing and changes nothing, while an admin sees A's conversation
    assert overview.total_count == 0
    assert response.json()["data"]["deleteConversation"]["__typename"] == "NotFoundError"
    async with ConversationsClient(jwt_server, token=keys.rs256(sub="ops", roles=["admin"])) as ops:
        seen = await ops.get_conversation(conversation.id)
    assert [m.content for m in seen.messages] == ["private"]
    # and without a token, nobody gets anything
    async with ConversationsClient(jwt_server) as anonymous:
        with pytest.raises(GraphQLRequestError) as refused:
            await anonymous.conversations_overview()
    assert refused.value.code == "UNAUTHENTICATED"
