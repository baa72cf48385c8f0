"""The overview's filter: archived, title, time ranges and metadata, pushed down to SQL.

The metadata cases are the same on both databases: jsonb operators on PostgreSQL,
json_each on SQLite, one meaning.
"""

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.conftest import GraphQLClient, StatementCounter
from tests.documents import FILTERED, UPDATE_CONVERSATION
from tests.factories import add_message, conversation_with_messages, create_conversation

FILTERED_WITH_NESTED_FIELDS = """
query FilteredWithNestedFields($filter: ConversationFilter!, $first: Int!) {
  conversations(filter: $filter, first: $first) {
    totalCount
    nodes {
      id title metadata archivedAt messageCount branchCount
      currentBranch { name tip { content } }
      forkedFrom { conversation { id } message { id } }
      forks(first: 5) { totalCount nodes { id } }
    }
  }
}
"""

# The page, the count, and one batch per kind of nested read: the same for 5 or 50 rows.
FEW_STATEMENTS = 10

FORK = """
mutation Fork($messageId: UUID!) {
  forkConversation(input: {messageId: $messageId, title: "fork"}) { __typename }
}
"""

DOCUMENTS: dict[str, dict[str, Any]] = {
    "travel": {
        "topic": "travel",
        "rating": 5,
        "tags": ["a", "b"],
        "owner": {"team": "x", "lead": "ann"},
        "flag": True,
    },
    "work": {"topic": "work", "rating": 3.0, "tags": ["b"], "owner": {"team": "y"}, "note": None},
    "empty": {},
    "odd keys": {'key "quoted"': "q", "a.b": 1, "with space": "s", "topic": "Travel"},
    "nested": {
        "topic": ["travel"],
        "rating": "5",
        "flag": "true",
        "owner": {"team": "x", "lead": "bob", "extra": [1, {"k": 2}]},
    },
}

METADATA_CASES: list[tuple[dict[str, Any], set[str]]] = [
    # equality: the value, not a value containing it; numbers by value; null is a value
    ({"equals": {"topic": "travel"}}, {"travel"}),
    ({"equals": {"rating": 5}}, {"travel"}),
    ({"equals": {"rating": 3}}, {"work"}),
    ({"equals": {"flag": True}}, {"travel"}),
    ({"equals": {"note": None}}, {"work"}),
    ({"equals": {"tags": ["b"]}}, {"work"}),
    ({"equals": {"tags": ["b", "a"]}}, set()),
    ({"equals": {"owner": {"team": "y"}}}, {"work"}),
    ({"equals": {"owner": {"team": "x"}}}, set()),
    ({"equals": {'key "quoted"': "q", "a.b": 1}}, {"odd keys"}),
    ({"equals": {"missing": None}}, set()),
    # containment: objects key by key, arrays element by element
    ({"contains": {"tags": ["b"]}}, {"travel", "work"}),
    ({"contains": {"tags": ["b", "a"]}}, {"travel"}),
    ({"contains": {"owner": {"team": "x"}}}, {"travel", "nested"}),
    ({"contains": {"owner": {"extra": [{"k": 2}]}}}, {"nested"}),
    ({"contains": {"topic": "travel"}}, {"travel"}),
    ({"contains": {"topic": "travel", "flag": True}}, {"travel"}),
    ({"contains": {}}, set(DOCUMENTS)),
    # in a list
    ({"in": {"topic": ["travel", "work"]}}, {"travel", "work"}),
    ({"in": {"rating": [5, "5"]}}, {"travel", "nested"}),
    ({"in": {"topic": [["travel"]]}}, {"nested"}),
    ({"in": {"topic": []}}, set()),
    # key existence, whatever the value
    ({"hasKeys": ["note"]}, {"work"}),
    ({"hasKeys": ["with space", "a.b"]}, {"odd keys"}),
    ({"hasKeys": ["owner"]}, {"travel", "work", "nested"}),
    # all conditions together
    ({"equals": {"topic": "travel"}, "hasKeys": ["flag"], "in": {"rating": [5]}}, {"travel"}),
    ({"contains": {"owner": {"team": "x"}}, "in": {"rating": ["5"]}}, {"nested"}),
]


async def overview(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    return (await gql.data(FILTERED, **variables))["conversations"]


def titles(connection: dict[str, Any]) -> list[str]:
    return [node["title"] for node in connection["nodes"]]


async def archive(gql: GraphQLClient, conversation_id: str, archived: bool = True) -> None:
    result = await gql.data(
        UPDATE_CONVERSATION, input={"id": conversation_id, "archived": archived}
    )
    assert result["updateConversation"]["__typename"] == "UpdateConversationSuccess", result


@pytest.mark.parametrize(("metadata", "expected"), METADATA_CASES)
async def test_metadata_filter(
    gql: GraphQLClient, metadata: dict[str, Any], expected: set[str]
) -> None:
    # given
    for title, document in DOCUMENTS.items():
        await create_conversation(gql, title=title, metadata=document)
    # when
    found = await overview(gql, filter={"metadata": metadata})
    # then
    assert set(titles(found)) == expected
    assert found["totalCount"] == len(expected)


async def test_archived_filter(gql: GraphQLClient) -> None:
    # given
    for title in ("kept", "archived", "unarchived"):
        await create_conversation(gql, title=title)
    ids = {c["title"]: c["id"] for c in (await overview(gql))["nodes"]}
    await archive(gql, ids["archived"])
    await archive(gql, ids["unarchived"])
    await archive(gql, ids["unarchived"], archived=False)
    # when
    only_archived = await overview(gql, filter={"archived": True})
    not_archived = await overview(gql, filter={"archived": False})
    both = await overview(gql, filter={"archived": None})
    # then
    assert titles(only_archived) == ["archived"]
    assert only_archived["nodes"][0]["archivedAt"] is not None
    assert titles(not_archived) == ["unarchived", "kept"]
    assert (only_archived["totalCount"], not_archived["totalCount"]) == (1, 2)
    assert titles(both) == ["unarchived", "archived", "kept"]


async def test_title_contains_ignores_case_and_takes_wildcards_literally(
    gql: GraphQLClient,
) -> None:
    # given
    for title in ("Trip to Lisbon", "lisbon notes", "100% sure", "a_b", "ab", None):
        await create_conversation(gql, title=title)
    # when / then
    assert titles(await overview(gql, filter={"titleContains": "LISBON"})) == [
        "lisbon notes",
        "Trip to Lisbon",
    ]
    assert titles(await overview(gql, filter={"titleContains": "%"})) == ["100% sure"]
    assert titles(await overview(gql, filter={"titleContains": "_"})) == ["a_b"]
    assert (await overview(gql, filter={"titleContains": ""}))["totalCount"] == 5


async def test_time_ranges_include_their_start_and_exclude_their_end(
    gql: GraphQLClient,
) -> None:
    # given three conversations created one after another; the first is updated last
    created = [await create_conversation(gql, title=f"c{i}") for i in range(3)]
    await add_message(gql, created[0]["id"], "later")
    middle = created[1]["createdAt"]
    # when / then
    assert titles(await overview(gql, filter={"createdAfter": middle})) == ["c2", "c1"]
    assert titles(await overview(gql, filter={"createdBefore": middle})) == ["c0"]
    window = {"createdAfter": middle, "createdBefore": created[2]["createdAt"]}
    assert titles(await overview(gql, filter=window)) == ["c1"]
    assert titles(await overview(gql, filter={"updatedAfter": created[2]["updatedAt"]})) == [
        "c2",
        "c0",
    ]
    assert titles(await overview(gql, filter={"updatedBefore": created[2]["updatedAt"]})) == ["c1"]


async def test_times_in_any_zone_compare_as_instants(gql: GraphQLClient) -> None:
    # given
    conversation = await create_conversation(gql, title="only")
    created = datetime.fromisoformat(conversation["createdAt"])
    # when the same instant is given in India's zone
    in_india = created.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
    # then
    assert titles(await overview(gql, filter={"createdAfter": in_india})) == ["only"]
    assert titles(await overview(gql, filter={"createdBefore": in_india})) == []


async def test_filters_combine_with_ids_offset_order_and_cursors(gql: GraphQLClient) -> None:
    # given eight conversations, every other one about travel
    created = [
        await create_conversation(
            gql, title=f"c{i}", metadata={"topic": "travel" if i % 2 == 0 else "work"}
        )
        for i in range(8)
    ]
    ids = [c["id"] for c in created[1:]]  # c0 is left out
    travel = {"metadata": {"equals": {"topic": "travel"}}}
    # when: ids, filter, oldest first, skipping one
    page = await overview(gql, filter=travel, ids=ids, orderBy="CREATED_AT_ASC", offset=1, first=2)
    # then: c2 is skipped, c0 is not asked for
    assert titles(page) == ["c4", "c6"]
    assert page["totalCount"] == 3
    assert not page["pageInfo"]["hasNextPage"]
    assert page["pageInfo"]["hasPreviousPage"]
    # when: newest first, page by page
    first = await overview(gql, filter=travel, first=3)
    rest = await overview(gql, filter=travel, first=3, after=first["pageInfo"]["endCursor"])
    # then
    assert titles(first) + titles(rest) == ["c6", "c4", "c2", "c0"]
    assert first["totalCount"] == rest["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    # when: backwards from the end, by update time
    last = await overview(gql, filter=travel, last=2, orderBy="UPDATED_AT_DESC")
    before = await overview(
        gql,
        filter=travel,
        last=2,
        before=last["pageInfo"]["startCursor"],
        orderBy="UPDATED_AT_DESC",
    )
    # then
    assert titles(before) + titles(last) == ["c6", "c4", "c2", "c0"]


async def test_another_owners_conversations_never_match(gql: GraphQLClient) -> None:
    # given
    await create_conversation(gql, title="mine", metadata={"topic": "travel"})
    stranger = GraphQLClient(gql.database, gql.settings, owner="someone-else")
    # when
    found = (await stranger.data(FILTERED, filter={"metadata": {"hasKeys": ["topic"]}}))[
        "conversations"
    ]
    # then
    assert (found["totalCount"], found["nodes"]) == (0, [])


@pytest.mark.parametrize(
    "conversation_filter",
    [
        {"metadata": {"equals": [1]}},
        {"metadata": {"contains": "travel"}},
        {"metadata": {"in": {"topic": "travel"}}},
        {"metadata": {"in": ["travel"]}},
        {"createdAfter": "2026-01-01T00:00:00"},
        {"updatedBefore": "not a time"},
    ],
)
async def test_a_filter_that_cannot_be_used_is_bad_user_input(
    gql: GraphQLClient, conversation_filter: dict[str, Any]
) -> None:
    # when
    result = await gql.execute(FILTERED, filter=conversation_filter)
    # then
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"


async def test_filtered_overview_statements_do_not_grow_with_the_page(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given 50 matching conversations, each with a message and a fork, and others that do not
    for i in range(50):
        _, [message] = await conversation_with_messages(
            gql, f"hello {i}", title=f"match {i}", metadata={"topic": "travel", "n": i}
        )
        fork = await gql.data(FORK, messageId=message["id"])
        assert fork["forkConversation"]["__typename"] == "ForkConversationSuccess"
    for i in range(10):
        await create_conversation(gql, title=f"other {i}", metadata={"topic": "work"})
    conversation_filter = {
        "titleContains": "match",
        "archived": False,
        "metadata": {"equals": {"topic": "travel"}, "hasKeys": ["n"]},
    }
    # when
    statements.reset()
    five = await gql.data(FILTERED_WITH_NESTED_FIELDS, filter=conversation_filter, first=5)
    small = statements.count
    statements.reset()
    fifty = await gql.data(FILTERED_WITH_NESTED_FIELDS, filter=conversation_filter, first=50)
    large = statements.count
    # then
    print(f"\n[{database_url.split(':')[0]}] filtered overview 5 vs 50: {small} vs {large}")
    assert len(five["conversations"]["nodes"]) == 5
    nodes = fifty["conversations"]["nodes"]
    assert fifty["conversations"]["totalCount"] == 50
    assert {node["title"] for node in nodes} == {f"match {i}" for i in range(50)}
    assert all(node["forks"]["totalCount"] == 1 for node in nodes)
    assert all(node["currentBranch"]["tip"]["content"].startswith("hello") for node in nodes)
    assert small == large
    assert large <= FEW_STATEMENTS
