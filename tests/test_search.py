"""searchMessages: ranked full-text hits with snippets, branches and paths, on both databases."""

import uuid
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert

from convograph.db import loaders
from convograph.db.engine import Database
from convograph.db.migrate import alembic_config
from convograph.db.tables import utcnow
from tests.conftest import GraphQLClient, StatementCounter
from tests.documents import DELETE_CONVERSATION, SEARCH, SEARCH_IN_CONTEXT
from tests.factories import add_message, conversation_with_messages, edit_message
from tests.test_dataloaders import FEW_STATEMENTS
from tests.test_migrations import CONVERSATION_0001, MESSAGE_0001


async def search(gql: GraphQLClient, query: str, **variables: Any) -> dict[str, Any]:
    return (await gql.data(SEARCH, query=query, **variables))["searchMessages"]


async def contents(gql: GraphQLClient, query: str, **variables: Any) -> list[str]:
    found = await search(gql, query, **variables)
    return [edge["node"]["message"]["content"] for edge in found["edges"]]


async def bad_user_input(gql: GraphQLClient, document: str, **variables: Any) -> str:
    result = await gql.execute(document, **variables)
    assert result.errors is not None, result.data
    [error] = result.errors
    assert error.extensions["code"] == "BAD_USER_INPUT", error.formatted
    return error.message


async def test_hits_are_ranked_and_highlighted(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(
        gql,
        "How do I bake sourdough bread?",
        "Sourdough needs a starter; sourdough rises slowly. Bake it hot.",
        "Thanks, nothing else.",
        title="Bread",
    )
    # when
    found = await search(gql, "sourdough")
    # then: the message that says it twice ranks first; the other one is not a hit
    nodes = [edge["node"] for edge in found["edges"]]
    assert found["totalCount"] == 2
    assert [n["message"]["content"][:9] for n in nodes] == ["Sourdough", "How do I "]
    assert nodes[0]["rank"] > nodes[1]["rank"] > 0
    assert nodes[0]["snippet"] == (
        "<mark>Sourdough</mark> needs a starter; <mark>sourdough</mark> rises slowly. Bake it hot."
    )
    assert nodes[1]["snippet"] == "How do I bake <mark>sourdough</mark> bread?"
    assert all(n["conversation"] == {"id": conversation["id"], "title": "Bread"} for n in nodes)
    assert all(n["message"]["role"] == "USER" for n in nodes)


async def test_words_are_matched_by_their_stem(gql: GraphQLClient) -> None:
    # given
    await conversation_with_messages(gql, "She was baking bread.", "Bakes are good.", "Cake.")
    # when / then
    assert sorted(await contents(gql, "bake")) == ["Bakes are good.", "She was baking bread."]


async def test_web_search_syntax_phrases_alternatives_and_exclusions(gql: GraphQLClient) -> None:
    # given
    await conversation_with_messages(
        gql, "red apple pie", "apple red wine", "green pear tart", "red pear"
    )
    # when / then: every word is required, in any order
    assert sorted(await contents(gql, "red apple")) == ["apple red wine", "red apple pie"]
    # a phrase keeps its order
    assert await contents(gql, '"red apple"') == ["red apple pie"]
    # or gives alternatives, in any case
    assert sorted(await contents(gql, "tart OR wine")) == ["apple red wine", "green pear tart"]
    # -word excludes, and an alternative may exclude too
    assert sorted(await contents(gql, "red -apple")) == ["red pear"]
    assert sorted(await contents(gql, 'pear -"green pear" or pie')) == ["red apple pie", "red pear"]
    # an unclosed quote runs to the end, and punctuation is no word
    assert await contents(gql, '"apple pie') == ["red apple pie"]
    assert await contents(gql, "pie !!! ,") == ["red apple pie"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "no word"),
        ("   ", "no word"),
        ("!!! ---", "no word"),
        ("-apple", "only excludes"),
        ("pear or -apple", "only excludes"),
        ("apple " * 200, "longer than 1000"),
        (" ".join(f"w{i}" for i in range(40)), "more than 32 terms"),
        ("apple\x00", "NUL"),
    ],
)
async def test_queries_that_cannot_run_are_bad_user_input(
    gql: GraphQLClient, query: str, reason: str
) -> None:
    # given
    await conversation_with_messages(gql, "apple pear")
    # when
    message = await bad_user_input(gql, SEARCH, query=query)
    # then
    assert reason in message


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "NOT",
        "AND apple",
        "apple NEAR(pear)",
        "apple*",
        "^apple",
        "(apple",
        "apple) OR",
        "{apple}:pear",
        "col:apple",
        "a'b",
        "'; DROP TABLE message; --",
        "apple & | ! <-> pear",
        "\\",
    ],
)
async def test_database_syntax_in_a_query_is_only_text(gql: GraphQLClient, query: str) -> None:
    # given
    await conversation_with_messages(gql, "apple pear", "and not near")
    # when
    result = await gql.execute(SEARCH, query=query)
    # then: hits or a BAD_USER_INPUT error, never a fault
    codes = [error.extensions["code"] for error in result.errors or []]
    assert codes in ([], ["BAD_USER_INPUT"]), [e.formatted for e in result.errors or []]


async def test_only_the_callers_conversations_are_searched(
    gql: GraphQLClient, database: Any, settings: Any
) -> None:
    # given a message of another owner
    stranger = GraphQLClient(database, settings, owner="stranger")
    await conversation_with_messages(stranger, "a secret recipe")
    await conversation_with_messages(gql, "my own recipe")
    # when / then
    assert await contents(gql, "recipe") == ["my own recipe"]
    assert await contents(stranger, "recipe") == ["a secret recipe"]


async def test_a_deleted_conversation_vanishes_from_results_at_once(gql: GraphQLClient) -> None:
    # given
    doomed, _ = await conversation_with_messages(gql, "the lighthouse keeper", "lighthouse")
    await conversation_with_messages(gql, "a lighthouse too")
    # when
    deleted = await gql.data(DELETE_CONVERSATION, input={"id": doomed["id"]})
    # then
    assert deleted["deleteConversation"]["__typename"] == "DeleteConversationSuccess"
    found = await search(gql, "lighthouse")
    assert [e["node"]["message"]["content"] for e in found["edges"]] == ["a lighthouse too"]
    assert found["totalCount"] == 1


async def test_an_edit_is_found_and_the_original_stays_found_on_its_branch(
    gql: GraphQLClient,
) -> None:
    # given: the second message is edited, on a new branch
    conversation, [first, original, reply] = await conversation_with_messages(
        gql, "Plan a trip", "Go to Lisbon in spring", "Book the flights"
    )
    edit = await edit_message(gql, original["id"], "Go to Porto in spring", role="ASSISTANT")
    # when
    found = (await gql.data(SEARCH_IN_CONTEXT, query="spring"))["searchMessages"]
    # then: both are hits, each on its own branch, with the path that leads to it
    hits = {node["message"]["content"]: node for node in found["nodes"]}
    assert set(hits) == {"Go to Lisbon in spring", "Go to Porto in spring"}
    original_hit, edit_hit = hits["Go to Lisbon in spring"], hits["Go to Porto in spring"]
    assert [b["tip"]["id"] for b in original_hit["branches"]["nodes"]] == [reply["id"]]
    assert [b["id"] for b in edit_hit["branches"]["nodes"]] == [edit["branch"]["id"]]
    assert [m["id"] for m in original_hit["path"]["nodes"]] == [first["id"], original["id"]]
    assert [m["id"] for m in edit_hit["path"]["nodes"]] == [first["id"], edit["message"]["id"]]
    assert edit_hit["path"]["totalCount"] == 2
    assert all(node["conversation"]["id"] == conversation["id"] for node in found["nodes"])


async def test_a_hit_knows_every_branch_that_holds_it(gql: GraphQLClient) -> None:
    # given: a root under three branches, and a fork of its own
    conversation, [root, middle, _] = await conversation_with_messages(
        gql, "root of everything", "middle", "tip one"
    )
    second = await add_message(gql, conversation["id"], "tip two", parentId=middle["id"])
    third = await add_message(gql, conversation["id"], "tip three", parentId=root["id"])
    # when: the branches are paged one at a time
    pages: list[list[str]] = []
    after = None
    while True:
        found = await gql.data(
            SEARCH_IN_CONTEXT, query="everything", branchesFirst=1, branchesAfter=after
        )
        [hit] = found["searchMessages"]["nodes"]
        pages.append([b["id"] for b in hit["branches"]["nodes"]])
        if not hit["branches"]["pageInfo"]["hasNextPage"]:
            break
        after = hit["branches"]["pageInfo"]["endCursor"]
    # then: oldest first
    [[one], [two], [three]] = pages
    assert [one, two, three] == [
        conversation["currentBranch"]["id"],
        second["branch"]["id"],
        third["branch"]["id"],
    ]
    assert hit["branches"]["totalCount"] == 3
    assert hit["message"]["id"] == root["id"]
    assert hit["path"]["nodes"] == [{"id": root["id"], "content": "root of everything"}]


async def test_custom_marks_and_cut_snippets(gql: GraphQLClient) -> None:
    # given: a long message whose match lies in the middle
    words = [f"filler{i}" for i in range(120)]
    words[60] = "needle"
    await conversation_with_messages(gql, " ".join(words))
    # when
    [hit] = (await gql.data(SEARCH_IN_CONTEXT, query="needle"))["searchMessages"]["nodes"]
    # then
    assert "**needle**" in hit["stars"]
    assert "needle" in hit["plain"] and "*" not in hit["plain"]
    assert hit["plain"].startswith("…") and hit["plain"].endswith("…")
    assert len(hit["plain"].split()) < 40


async def test_conversation_and_role_filters(gql: GraphQLClient) -> None:
    # given
    one, _ = await conversation_with_messages(gql, "weather today")
    await add_message(gql, one["id"], "sunny weather", role="ASSISTANT")
    await conversation_with_messages(gql, "weather tomorrow")
    # when / then
    assert sorted(await contents(gql, "weather", conversationId=one["id"])) == [
        "sunny weather",
        "weather today",
    ]
    assert await contents(gql, "weather", role="ASSISTANT") == ["sunny weather"]
    assert await contents(gql, "weather", conversationId=one["id"], role="USER") == [
        "weather today"
    ]


async def test_pages_walk_every_hit_once_in_rank_order(gql: GraphQLClient) -> None:
    # given: 23 hits of distinct relevance (the word repeated i times)
    conversation, _ = await conversation_with_messages(gql, "other")
    for i in range(1, 24):
        await add_message(gql, conversation["id"], " ".join(["echo"] * i + ["pad"] * (24 - i)))
    # when
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = await search(gql, "echo", first=10, after=after)
        seen.extend(edge["node"] for edge in page["edges"])
        assert page["totalCount"] == 23
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert len(seen) == 23 == len({n["message"]["id"] for n in seen})
    assert [n["message"]["content"].count("echo") for n in seen] == list(range(23, 0, -1))
    ranks = [n["rank"] for n in seen]
    assert ranks == sorted(ranks, reverse=True)


async def test_a_page_past_the_end_is_empty_and_still_counts(gql: GraphQLClient) -> None:
    # given
    await conversation_with_messages(gql, "kiwi", "kiwi kiwi")
    first_page = await search(gql, "kiwi", first=2)
    # when
    past = await search(gql, "kiwi", first=2, after=first_page["pageInfo"]["endCursor"])
    # then
    assert past["edges"] == []
    assert past["totalCount"] == 2
    assert past["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        ({"first": 101}, "`first` must be between 0 and 100"),
        ({"first": -1}, "`first` must be between 0 and 100"),
        ({"after": "garbage!"}, "`after`"),
        ({"after": "Y3wxMg=="}, "`after`"),
    ],
)
async def test_bad_page_arguments_are_bad_user_input(
    gql: GraphQLClient, variables: dict[str, Any], reason: str
) -> None:
    # given
    await conversation_with_messages(gql, "kiwi")
    # when
    message = await bad_user_input(gql, SEARCH, query="kiwi", **variables)
    # then
    assert reason in message


async def test_search_statements_do_not_grow_with_the_page(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given: 40 hits, each in a conversation of two branches
    for i in range(40):
        conversation, [root, _] = await conversation_with_messages(gql, f"marker {i}", "reply")
        await add_message(gql, conversation["id"], "fork", parentId=root["id"])
    # when
    statements.reset()
    small = (await gql.data(SEARCH_IN_CONTEXT, query="marker", first=5))["searchMessages"]
    small_count = statements.count
    statements.reset()
    large = (await gql.data(SEARCH_IN_CONTEXT, query="marker", first=40))["searchMessages"]
    large_count = statements.count
    # then
    print(f"\n[{database_url.split(':')[0]}] search 5 vs 40 hits: {small_count} vs {large_count}")
    assert len(small["nodes"]) == 5 and len(large["nodes"]) == 40
    assert all(hit["branches"]["totalCount"] == 2 for hit in large["nodes"])
    assert small_count == large_count <= FEW_STATEMENTS


@pytest.mark.migrates
async def test_messages_written_before_the_search_migration_are_found(
    gql: GraphQLClient, database: Database, database_url: str
) -> None:
    # given: a database at the revision before search (0003), with a message in it written
    # as rows (today's write path also records events, a table of a later revision)
    config = alembic_config(database_url)
    command.downgrade(config, "0002")
    # The columns of that revision: today's models have more.
    conversation_id, now = uuid.uuid4(), utcnow()
    async with database.transaction() as session:
        await session.execute(
            insert(CONVERSATION_0001).values(
                id=conversation_id,
                owner="local",
                metadata={},
                current_branch_id=None,
                created_at=now,
                updated_at=now,
            )
        )
        await session.execute(
            insert(MESSAGE_0001).values(
                id=uuid.uuid4(),
                conversation_id=conversation_id,
                parent_id=None,
                role="user",
                content="written before search existed",
                metadata={},
                depth=0,
                created_at=now,
                updated_at=now,
            )
        )
    # when
    command.upgrade(config, "head")
    # then
    assert await contents(gql, "existed") == ["written before search existed"]
    await conversation_with_messages(gql, "written after it existed")
    assert len(await contents(gql, "existed")) == 2


async def test_a_hit_whose_conversation_is_deleted_meanwhile_is_a_retryable_error(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a hit whose conversation is deleted after the search read it: each DataLoader
    # batch reads in a session of its own
    await conversation_with_messages(gql, "a needle in the hay")

    async def deleted_meanwhile(_session: Any, _owner: Any, ids: list[Any]) -> list[None]:
        return [None for _ in ids]

    monkeypatch.setattr(loaders, "conversations_by_id", deleted_meanwhile)
    # when
    result = await gql.execute(SEARCH, query="needle")
    # then the client is told to retry, not that the server failed
    [error] = [error.formatted for error in result.errors]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "deleted while this request ran" in error["message"]
    assert error["path"][-1] == "conversation"
