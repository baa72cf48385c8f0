"""Compiled reads: the compiled path answers exactly as the resolver path does.

Every query is run through both paths (`GraphQLClient.on_both_paths`) on trees with
forks, edits, deletions and two owners, and the outcomes (data and formatted errors) must
be equal: the documents of tests/documents.py and every query constant of the test
modules, with ids of every kind; generated selections over the compiled sub-schema; and
the error cases. Where the compiler covers a document, the compiled path must really have
answered it, with one statement. On SQLite the resolver path answers either way (the
compiler is PostgreSQL's): there the tests check that the setting changes nothing.
"""

import importlib
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    ObjectTypeDefinitionNode,
    OperationDefinitionNode,
    build_ast_schema,
    parse,
    print_ast,
)
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from convograph.api import compiled_reads
from convograph.api.compiled_reads import CompiledResult
from convograph.db.engine import Database
from convograph.schema.pagination import index_cursor
from convograph.settings import CompiledReads
from tests import documents
from tests.conftest import (
    GraphQLClient,
    StatementCounter,
    assert_paths_agree,
    is_query_document,
    outcome,
)
from tests.factories import add_message, conversation_with_messages, edit_message

DELETE_MESSAGE = """
mutation DeleteMessage($input: DeleteMessageInput!) {
  deleteMessage(input: $input) { __typename ... on UserError { code detail } }
}
"""

DELETE_BRANCH = """
mutation DeleteBranch($input: DeleteBranchInput!) {
  deleteBranch(input: $input) { __typename ... on UserError { code detail } }
}
"""

ARCHIVE = """
mutation Archive($input: UpdateConversationInput!) {
  updateConversation(input: $input) { __typename ... on UserError { code detail } }
}
"""

# What a frontend sends to render a conversation, with fragments, aliases and directives.
FRONTEND = """
fragment Line on Message {
  id role content depth status deltaCount createdAt parent { id } siblingIndex siblingCount
}
fragment Page on MessageConnection {
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ...Line editOf { id content } } }
}
query Frontend($id: UUID!, $branchId: UUID, $last: Int, $before: String, $withBranches: Boolean!,
               $terse: Boolean!, $treeFirst: Int = 3, $treeAfter: String) {
  __typename
  conversation(id: $id) {
    __typename id title metadata archivedAt version messageCount branchCount
    tree: messagesInTree(first: $treeFirst, after: $treeAfter) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id parent { id } siblingIndex }
    }
    forkedFrom { __typename conversation { id title } message { id content } }
    current: currentBranch { id name isCurrent messageCount tip { ...Line } }
    messages(branchId: $branchId, last: $last, before: $before) { ...Page nodes { id } }
    ... on Conversation { messages(branchId: $branchId, last: $last, before: $before) { __typename } }
    branches(first: 10) @include(if: $withBranches) {
      nodes {
        id createdAt updatedAt branchPoint { id } forkedFrom { id tip { id } }
        conversation { id }
        messages(first: 2) @skip(if: $terse) { nodes { id } }
        older: messages(last: 1) { edges { __typename cursor } nodes { content } }
      }
    }
  }
}
"""

OVERVIEW = """
query Overview($first: Int, $after: String, $last: Int, $before: String, $offset: Int! = 0,
               $orderBy: ConversationOrderBy! = CREATED_AT_DESC, $ids: [UUID!],
               $filter: ConversationFilter) {
  conversations(first: $first, after: $after, last: $last, before: $before, offset: $offset,
                orderBy: $orderBy, ids: $ids, filter: $filter) {
    __typename totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { __typename cursor node { id title updatedAt currentBranch { id tip { content } } } }
    nodes { id messageCount }
  }
}
"""

NODES = """
query Nodes($message: UUID!, $branch: UUID!) {
  message(id: $message) {
    id editOf { id } conversation { id title }
    children(last: 2) { totalCount pageInfo { startCursor hasPreviousPage } nodes { id depth } }
  }
  branch(id: $branch) { id name tip { id } messages { totalCount nodes { id } } }
}
"""

# Answered by the resolvers: fields the compiler does not build.
NOT_COMPILED = """
query NotCompiled($id: UUID!) {
  conversation(id: $id) { id forks { totalCount } }
}
"""


@dataclass(frozen=True)
class Trees:
    """Alice's forked, edited and pruned conversation, her archived one, and Bob's."""

    conversation: str
    fork: str
    archived: str
    bobs: str
    branches: list[str]
    messages: list[str]
    bobs_branch: str
    bobs_message: str

    @property
    def ids(self) -> list[str]:
        unknown = str(uuid.UUID(int=7))
        return [
            self.conversation,
            self.fork,
            self.archived,
            self.bobs,
            *self.branches,
            *self.messages,
            self.bobs_branch,
            self.bobs_message,
            unknown,
        ]


@pytest.fixture
async def trees(alice: GraphQLClient, bob: GraphQLClient) -> Trees:
    conversation, messages = await conversation_with_messages(
        alice, "root", "one", "two", "three", title="Alice's", metadata={"k": [1, 2.5, None]}
    )
    main = conversation["currentBranch"]["id"]
    edited = await edit_message(alice, messages[2]["id"], "two, edited")
    on_edit = await add_message(alice, conversation["id"], "after the edit")
    fork = await add_message(alice, conversation["id"], "forked", parentId=messages[1]["id"])
    doomed = await add_message(alice, conversation["id"], "doomed", parentId=messages[0]["id"])
    await add_message(alice, conversation["id"], "tail on main", branchId=main)
    await alice.data(DELETE_MESSAGE, input={"messageId": messages[3]["id"]})
    await alice.data(DELETE_BRANCH, input={"branchId": doomed["branch"]["id"]})
    archived, _ = await conversation_with_messages(alice, "old", title="archived")
    await stream_an_answer(alice, archived["id"], ["an answer ", "in progress"])
    await alice.data(ARCHIVE, input={"id": archived["id"], "archived": True})
    bobs, [bobs_message] = await conversation_with_messages(bob, "bob's")
    forked = await alice.data(documents.FORK_CONVERSATION, input={"messageId": messages[1]["id"]})
    return Trees(
        conversation=conversation["id"],
        fork=forked["forkConversation"]["conversation"]["id"],
        archived=archived["id"],
        bobs=bobs["id"],
        branches=[main, edited["branch"]["id"], fork["branch"]["id"]],
        messages=[
            *(m["id"] for m in messages[:3]),
            edited["message"]["id"],
            on_edit["message"]["id"],
            fork["message"]["id"],
        ],
        bobs_branch=bobs["currentBranch"]["id"],
        bobs_message=bobs_message["id"],
    )


async def stream_an_answer(gql: GraphQLClient, conversation_id: str, deltas: list[str]) -> str:
    """An IN_PROGRESS assistant message with `deltas` appended: its id."""
    started = await gql.data(
        documents.ADD_MESSAGE,
        input={
            "conversationId": conversation_id,
            "message": {"role": "ASSISTANT", "content": "", "status": "IN_PROGRESS"},
        },
    )
    message = started["addMessage"]["message"]["id"]
    for index, delta in enumerate(deltas):
        appended = await gql.data(
            documents.APPEND_MESSAGE_CONTENT,
            input={"messageId": message, "delta": delta, "index": index},
        )
        assert appended["appendMessageContent"]["applied"] is True
    return str(message)


def on_postgresql(database: Database) -> bool:
    return database.dialect == "postgresql"


async def agree(client: GraphQLClient, document: str, **variables: Any) -> dict[str, Any]:
    """Both paths' outcome, equal; the compiled path's result is checked by the caller."""
    resolvers, compiled = await client.on_both_paths(document, **variables)
    assert_paths_agree(resolvers, compiled)
    return {"outcome": outcome(resolvers), "compiled": isinstance(compiled, CompiledResult)}


async def test_a_frontend_document_is_answered_by_one_statement(
    alice: GraphQLClient, trees: Trees, database: Database, statements: StatementCounter
) -> None:
    # Given a document with fragments, aliases, @include and @skip
    variables = {"id": trees.conversation, "last": 2, "withBranches": True, "terse": False}
    # When both paths answer it
    statements.reset()
    result = await agree(alice, FRONTEND, **variables)
    # Then they agree, and on PostgreSQL the compiled one answered with one statement
    data = result["outcome"]["data"]
    assert data["conversation"]["messages"]["totalCount"] == 3
    assert data["conversation"]["branchCount"] == 3
    assert result["compiled"] is on_postgresql(database)
    if on_postgresql(database):
        compiled_statements = [s for s in statements.statements if "json_build_object" in s]
        assert len(compiled_statements) == 1
    # And a fork's source agrees too
    fork = await agree(alice, FRONTEND, **(variables | {"id": trees.fork}))
    assert fork["outcome"]["data"]["conversation"]["forkedFrom"]["conversation"] == {
        "id": trees.conversation,
        "title": "Alice's",
    }


async def test_a_streamed_answer_and_the_whole_tree_are_compiled_too(
    alice: GraphQLClient, trees: Trees, database: Database
) -> None:
    # given a conversation whose last message is still streaming (two deltas in)
    variables = {"id": trees.archived, "withBranches": True, "terse": True, "treeFirst": 1}
    # when both paths answer the frontend's document, and the tree's next page
    first = await agree(alice, FRONTEND, **variables)
    tree = first["outcome"]["data"]["conversation"]["tree"]
    rest = await agree(
        alice,
        FRONTEND,
        **(variables | {"treeFirst": 5, "treeAfter": tree["pageInfo"]["endCursor"]}),
    )
    # then they agree, compiled on PostgreSQL, with the status, deltas and version
    assert first["compiled"] is rest["compiled"] is on_postgresql(database)
    conversation = rest["outcome"]["data"]["conversation"]
    streamed = conversation["current"]["tip"]
    assert (streamed["content"], streamed["status"], streamed["deltaCount"]) == (
        "an answer in progress",
        "IN_PROGRESS",
        2,
    )
    assert conversation["version"] >= 4
    assert tree["totalCount"] == 2
    assert [node["parent"] for node in conversation["tree"]["nodes"]] == [
        {"id": tree["nodes"][0]["id"]}
    ]


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 1},
        {"last": 1},
        {"first": 1, "offset": 1},
        {"orderBy": "UPDATED_AT_ASC", "first": 2},
        {"orderBy": "CREATED_AT_ASC", "last": 5},
        {"ids": []},
        {"filter": {"archived": True}},
        {"filter": {"titleContains": "ALICE", "metadata": {"contains": {"k": [2.5]}}}},
        {"filter": {"metadata": {"in": {"k": [[1, 2.5, None], 3]}, "hasKeys": ["k"]}}},
    ],
)
async def test_the_overview_agrees_in_every_order_and_direction(
    alice: GraphQLClient, trees: Trees, database: Database, variables: dict[str, Any]
) -> None:
    result = await agree(alice, OVERVIEW, **variables)
    assert result["outcome"]["errors"] == []
    assert result["compiled"] is on_postgresql(database)


async def test_overview_cursors_of_one_path_page_the_other(
    alice: GraphQLClient, trees: Trees
) -> None:
    # Given the first page and its cursors
    first = await agree(alice, OVERVIEW, first=1)
    page_info = first["outcome"]["data"]["conversations"]["pageInfo"]
    # When the next and previous pages are asked for with them
    after = await agree(alice, OVERVIEW, first=1, after=page_info["endCursor"])
    before = await agree(alice, OVERVIEW, last=1, before=page_info["endCursor"])
    ids = await agree(alice, OVERVIEW, ids=[trees.conversation, trees.bobs])
    # Then both paths agree on them, and the pages are the ones expected
    assert (
        after["outcome"]["data"]["conversations"]["nodes"]
        != first["outcome"]["data"]["conversations"]["nodes"]
    )
    assert before["outcome"]["data"]["conversations"]["nodes"] == []
    assert [n["id"] for n in ids["outcome"]["data"]["conversations"]["nodes"]] == [
        trees.conversation
    ]


async def test_every_path_page_agrees(alice: GraphQLClient, trees: Trees) -> None:
    # Given each branch, and every window of its path
    for branch in trees.branches:
        for variables in (
            {},
            {"first": 0},
            {"first": 2},
            {"last": 2},
            {"after": index_cursor(0), "first": 1},
            {"before": index_cursor(3), "last": 2},
            {"after": index_cursor(1), "before": index_cursor(3)},
            {"first": 2, "last": 1},
            {"after": index_cursor(40)},
        ):
            # When both paths page it, Then they agree
            result = await agree(alice, documents.BRANCH, id=branch, **variables)
            assert result["outcome"]["errors"] == []


async def test_node_queries_agree_for_every_kind_of_id(
    alice: GraphQLClient, bob: GraphQLClient, trees: Trees
) -> None:
    for client in (alice, bob):
        for message in [*trees.messages, trees.bobs_message]:
            for branch in [*trees.branches, trees.bobs_branch]:
                await agree(client, NODES, message=message, branch=branch)


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (documents.BRANCH, {"first": 101}),
        (documents.BRANCH, {"last": -1}),
        (documents.BRANCH, {"after": "not a cursor"}),
        (documents.BRANCH, {"before": index_cursor(-1).replace("=", "")}),
        (OVERVIEW, {"first": 1, "last": 1}),
        (OVERVIEW, {"offset": -1}),
        (OVERVIEW, {"after": index_cursor(1)}),
        (OVERVIEW, {"filter": {"createdAfter": "2020-01-01T00:00:00"}}),
        (OVERVIEW, {"filter": {"metadata": {"in": {"k": 1}}}}),
        (OVERVIEW, {"ids": ["not-a-uuid"]}),
        (documents.CONVERSATION, {"branchId": "bobs"}),
        (documents.CONVERSATION, {"branchId": "other"}),
    ],
)
async def test_errors_agree(
    alice: GraphQLClient, trees: Trees, document: str, variables: dict[str, Any]
) -> None:
    # Given arguments that the resolver path refuses (or a branch of another conversation)
    names = {"bobs": trees.bobs_branch, "other": trees.branches[0]}
    if variables.get("branchId") in names:
        variables = {**variables, "branchId": names[variables["branchId"]]}
    if document is documents.CONVERSATION:
        other = variables["branchId"] == trees.branches[0]
        variables["id"] = trees.archived if other else trees.conversation
    elif document is documents.BRANCH:
        variables["id"] = trees.branches[0]
    # When both paths run it
    result = await agree(alice, document, **variables)
    # Then both report the same error
    [error] = result["outcome"]["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def query_constants() -> list[str]:
    """Every module-level query document of the test suite (mutations and subscriptions
    are the resolver path's alone)."""
    found: dict[str, None] = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, str) and is_query_document(value):
                found[value] = None
    for value in vars(documents).values():
        if isinstance(value, str) and is_query_document(value):
            found[value] = None
    return list(found)


def _variable_sets(document: str, ids: list[str]) -> list[dict[str, Any]]:
    """Variables for a document: each id in turn for its UUID variables, and a few pages."""
    [operation] = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    definitions = {d.variable.name.value: d for d in operation.variable_definitions or ()}
    uuids = [n for n, d in definitions.items() if "UUID" in str(d.type.to_dict())]
    sets: list[dict[str, Any]] = []
    for value in ids:
        sets.append({name: value for name in uuids if "branch" not in name.lower()})
    if "first" in definitions:
        sets.append({name: ids[0] for name in uuids if "branch" not in name.lower()} | {"first": 1})
    return sets


async def test_every_query_of_the_suite_agrees(
    alice: GraphQLClient, bob: GraphQLClient, trees: Trees, database: Database
) -> None:
    if not on_postgresql(database):
        pytest.skip("the compiler is PostgreSQL's: on SQLite both settings run the resolvers")
    compiled = 0
    for document in query_constants():
        for variables in _variable_sets(document, trees.ids):
            for client in (alice, bob):
                compiled += (await agree(client, document, **variables))["compiled"]
    # Not everything fell back: the documents the compiler covers were compiled.
    assert compiled > 0


def compiled_sub_schema() -> str:
    """The committed schema with only the fields the compiler builds (and no filter: its
    JSON values are generated by the overview test above)."""
    document = parse((Path(__file__).resolve().parent.parent / "schema.graphql").read_text())
    drop = {
        "Query": {"searchMessages", "exportConversation"},
        "Conversation": {"forks"},
    }

    def trimmed(definition: Any) -> Any:
        if not isinstance(definition, ObjectTypeDefinitionNode):
            return definition
        fields = [
            _replaced(
                field,
                arguments=tuple(a for a in field.arguments or () if a.name.value != "filter"),
            )
            for field in definition.fields or ()
            if field.name.value not in drop.get(definition.name.value, set())
        ]
        return _replaced(definition, fields=tuple(fields))

    trimmed_document = _replaced(
        document, definitions=tuple(trimmed(d) for d in document.definitions)
    )
    build_ast_schema(trimmed_document)  # still a valid schema
    return print_ast(trimmed_document)


def _replaced(node: Any, **changes: Any) -> Any:
    """A copy of a (frozen) AST node with some attributes changed."""
    return type(node)(
        **{key: getattr(node, key) for key in node.keys if key not in changes}, **changes
    )


def generated_documents(ids: list[str], count: int) -> list[str]:
    """`count` selections over the compiled sub-schema, derandomised."""
    found: list[str] = []
    id_values = st.sampled_from(ids).map(nodes.String)
    cursors = st.sampled_from([index_cursor(i) for i in range(4)] + ["nonsense"]).map(nodes.String)
    strategy = queries(
        compiled_sub_schema(),
        fields=["conversation", "conversations", "branch", "message"],
        custom_scalars={"UUID": id_values, "DateTime": cursors, "JSON": cursors},
    )

    @hypothesis_settings(
        max_examples=count,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def collect(document: str) -> None:
        found.append(document)

    collect()
    return found


async def test_generated_selections_agree(
    alice: GraphQLClient, trees: Trees, database: Database
) -> None:
    if not on_postgresql(database):
        pytest.skip("the compiler is PostgreSQL's: on SQLite both settings run the resolvers")
    compiled = 0
    for document in generated_documents(trees.ids, 60):
        compiled += (await agree(alice, document))["compiled"]
    assert compiled > 0


async def test_sqlite_keeps_the_resolver_path_whatever_the_setting(
    alice: GraphQLClient, trees: Trees, database: Database
) -> None:
    if on_postgresql(database):
        pytest.skip("PostgreSQL compiles: the other tests compare the paths there")
    # When a covered document runs with the setting on
    result = await agree(alice, documents.CONVERSATION, id=trees.conversation)
    # Then the resolvers answered it, exactly as with the setting off
    assert result["compiled"] is False
    assert result["outcome"]["data"]["conversation"]["id"] == trees.conversation


async def test_uncovered_fields_are_answered_by_the_resolvers(
    alice: GraphQLClient, trees: Trees
) -> None:
    result = await agree(alice, NOT_COMPILED, id=trees.conversation)
    assert result["compiled"] is False
    assert result["outcome"]["data"]["conversation"]["forks"] == {"totalCount": 1}


async def test_timestamps_have_one_spelling(alice: GraphQLClient, trees: Trees) -> None:
    result = await agree(alice, documents.CONVERSATION, id=trees.conversation)
    spelled = result["outcome"]["data"]["conversation"]["createdAt"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", spelled)


async def test_shadow_answers_from_the_resolvers_and_logs_a_difference(
    alice: GraphQLClient,
    trees: Trees,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if not on_postgresql(database):
        pytest.skip("shadow compares with the compiled path, which is PostgreSQL's")
    shadow = alice.settings.model_copy(update={"compiled_reads": CompiledReads.SHADOW})
    variables = {"id": trees.conversation}
    # Given agreeing paths, shadow logs nothing
    with caplog.at_level(logging.WARNING, "convograph.compiled_reads"):
        result = await alice.run(shadow, documents.CONVERSATION, variables)
    assert not isinstance(result, CompiledResult)
    assert not caplog.records

    # When the compiled answer is wrong
    async def wrong(_: Any) -> str:
        return '{"conversation": null}'

    monkeypatch.setattr(compiled_reads, "compiled_answer", wrong)
    with caplog.at_level(logging.WARNING, "convograph.compiled_reads"):
        result = await alice.run(shadow, documents.CONVERSATION, variables)
    # Then the client still gets the resolvers' answer, and the difference is logged
    assert result.data["conversation"]["id"] == trees.conversation
    assert any("differs" in record.getMessage() for record in caplog.records)


async def test_the_plan_cache_is_bounded(
    alice: GraphQLClient, trees: Trees, database: Database
) -> None:
    if not on_postgresql(database):
        pytest.skip("plans are made on PostgreSQL only")
    compiled = alice.settings.model_copy(update={"compiled_reads": CompiledReads.ON})
    for n in range(compiled_reads.MAX_PLANS + 20):
        document = f"query Q{n}($id: UUID!) {{ conversation(id: $id) {{ id }} }}"
        await alice.run(compiled, document, {"id": trees.conversation})
    assert len(compiled_reads._plans) <= compiled_reads.MAX_PLANS
