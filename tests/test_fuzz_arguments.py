"""Fuzzing argument by argument: cursors, filters, search text and snippet marks, branch
names, titles and imported documents, with hostile values of every kind (NUL, lone
surrogates, integers beyond 64 bits, NaN, times at the edges of the calendar, deep nesting).

Whole documents are fuzzed over HTTP in test_fuzz.py; here the documents are fixed and
only their variables vary, run in process through `schema.execute`, so that thousands of
examples per database stay quick. No answer may be INTERNAL_SERVER_ERROR, and every error
carries a code. Hypothesis draws the examples (derandomised: the same ones every run);
they are then sent one by one, each reported with the variables that broke it.
"""

import base64
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GraphQLClient
from tests.documents import (
    CONVERSATIONS,
    CREATE_CONVERSATION,
    FORK_CONVERSATION,
    IMPORT_CONVERSATIONS,
    RENAME_BRANCH,
    UPDATE_CONVERSATION,
)
from tests.factories import conversation_with_messages

# Examples per database, by argument class: 5,000 in all.
EXAMPLES = {
    "cursors": 900,
    "filters": 1500,
    "search": 800,
    "names": 600,
    "titles": 600,
    "imports": 600,
}

FILTERED = """
query Filtered($filter: ConversationFilter) {
  conversations(filter: $filter, first: 5) { totalCount nodes { id } }
}
"""
SEARCH = """
query Search($query: String!, $after: String, $start: String!, $end: String!) {
  searchMessages(query: $query, after: $after, first: 5) {
    totalCount nodes { snippet(startMark: $start, endMark: $end) }
  }
}
"""
PAGES = """
query Pages($id: UUID!, $after: String, $before: String) {
  conversation(id: $id) {
    messages(after: $after) { totalCount }
    branches(before: $before) { totalCount }
    forks(after: $after) { totalCount }
  }
}
"""

SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
HOSTILE = st.sampled_from(["\x00", "a\x00b", "\ud800", "\udfff", "'; --", "%s", "\U0001d4b3"])
TEXT = st.one_of(
    st.text(max_size=20),
    HOSTILE,
    st.lists(st.one_of(st.characters(), SURROGATES, st.just("\x00")), max_size=8).map("".join),
)
INTEGERS = st.one_of(
    st.integers(-(2**31), 2**31),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**400]),
)
NUMBERS = st.one_of(
    INTEGERS, st.floats(), st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308])
)


def nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=10,
) | st.sampled_from([10, 33, 900]).map(nested)

EDGE_TIMES = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59.999999+00:00",
        "2024-01-01T00:00:00",
        "not a time",
    ]
)
TIMES = st.one_of(
    EDGE_TIMES,
    st.datetimes(
        timezones=st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    ).map(datetime.isoformat),
)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode()


CURSORS = st.one_of(
    st.none(),
    TEXT,
    st.from_regex(r"\A[0-9]{1,5000}\Z", fullmatch=True).map(lambda d: b64(f"i|{d}")),
    st.tuples(st.sampled_from(["CREATED_AT_DESC", "UPDATED_AT_ASC", "x"]), TIMES, TEXT).map(
        lambda parts: b64("|".join(parts))
    ),
    st.binary(max_size=40).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
)

FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "archived": st.booleans(),
        "titleContains": TEXT,
        "createdAfter": TIMES,
        "createdBefore": TIMES,
        "updatedAfter": TIMES,
        "updatedBefore": TIMES,
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "equals": JSON_VALUES,
                "contains": JSON_VALUES,
                "in": st.one_of(JSON_VALUES, st.dictionaries(TEXT, st.lists(JSON_VALUES))),
                "hasKeys": st.lists(TEXT, max_size=5),
            },
        ),
    },
)


def imported_document(title: Any, content: Any, metadata: Any, at: Any, name: Any) -> Any:
    return {
        "format": "convograph",
        "version": 1,
        "conversations": [
            {
                "id": "fuzz",
                "title": title,
                "metadata": metadata,
                "createdAt": at,
                "messages": [
                    {
                        "id": "m",
                        "parentId": None,
                        "role": "user",
                        "content": content,
                        "createdAt": at,
                    }
                ],
                "branches": [{"id": "b", "tipId": "m", "createdAt": at, "name": name}],
                "currentBranchId": "b",
            }
        ],
    }


IMPORTS = st.builds(imported_document, TEXT, TEXT, JSON_VALUES, TIMES, st.one_of(st.none(), TEXT))


def drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples of `strategy`, the same ones every run."""
    examples: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(example: Any) -> None:
        examples.append(example)

    draw()
    return examples


def assert_no_fault(result: Any, variables: dict[str, Any]) -> None:
    for error in result.errors or ():
        code = (error.extensions or {}).get("code")
        assert code not in (None, "INTERNAL_SERVER_ERROR"), (error.formatted, variables)


async def fuzz(
    gql: GraphQLClient,
    document: str,
    strategy: st.SearchStrategy[Any],
    count: int,
    variables: Callable[[Any], dict[str, Any]],
) -> None:
    examples = drawn(strategy, count)
    assert len(examples) >= count * 0.9, len(examples)
    for example in examples:
        given_variables = variables(example)
        assert_no_fault(await gql.execute(document, **given_variables), given_variables)


@pytest.fixture
async def tree(gql: GraphQLClient) -> dict[str, Any]:
    """A conversation with two messages (one matching the searches) and its branch."""
    conversation, messages = await conversation_with_messages(gql, "fuzz needle", "more")
    return {"conversation": conversation, "messages": messages}


async def test_cursors_never_fault(gql: GraphQLClient, tree: dict[str, Any]) -> None:
    # given / when / then
    conversation = tree["conversation"]["id"]
    half = EXAMPLES["cursors"] // 2
    await fuzz(
        gql,
        PAGES,
        st.tuples(CURSORS, CURSORS),
        half,
        lambda c: {"id": conversation, "after": c[0], "before": c[1]},
    )
    await fuzz(
        gql,
        CONVERSATIONS,
        st.tuples(CURSORS, CURSORS),
        half,
        lambda c: {"first": 5, "after": c[0]} if c[1] is None else {"last": 5, "before": c[1]},
    )


async def test_filters_never_fault(gql: GraphQLClient, tree: dict[str, Any]) -> None:
    # given / when / then
    await fuzz(gql, FILTERED, FILTERS, EXAMPLES["filters"], lambda f: {"filter": f})


async def test_search_text_and_marks_never_fault(gql: GraphQLClient, tree: dict[str, Any]) -> None:
    # given / when / then
    strategy = st.tuples(st.one_of(TEXT, st.just("needle")), CURSORS, TEXT, TEXT)
    await fuzz(
        gql,
        SEARCH,
        strategy,
        EXAMPLES["search"],
        lambda s: {"query": s[0], "after": s[1], "start": s[2], "end": s[3]},
    )


async def test_branch_names_never_fault(gql: GraphQLClient, tree: dict[str, Any]) -> None:
    # given / when / then
    branch = tree["conversation"]["currentBranch"]["id"]
    await fuzz(
        gql,
        RENAME_BRANCH,
        st.one_of(st.none(), TEXT),
        EXAMPLES["names"],
        lambda n: {"input": {"branchId": branch, "name": n}},
    )


async def test_titles_never_fault(gql: GraphQLClient, tree: dict[str, Any]) -> None:
    # given / when / then
    conversation = tree["conversation"]["id"]
    message = tree["messages"][0]["id"]
    third = EXAMPLES["titles"] // 3
    titles = st.tuples(TEXT, JSON_VALUES)
    await fuzz(
        gql,
        CREATE_CONVERSATION,
        titles,
        third,
        lambda t: {"input": {"title": t[0], "metadata": t[1]}},
    )
    await fuzz(
        gql,
        UPDATE_CONVERSATION,
        titles,
        third,
        lambda t: {"input": {"id": conversation, "title": t[0], "metadata": t[1]}},
    )
    await fuzz(
        gql, FORK_CONVERSATION, TEXT, third, lambda t: {"input": {"messageId": message, "title": t}}
    )


async def test_imported_documents_never_fault(gql: GraphQLClient) -> None:
    # given / when / then: each import fails with a reason, or succeeds
    await fuzz(
        gql, IMPORT_CONVERSATIONS, IMPORTS, EXAMPLES["imports"], lambda d: {"input": {"data": d}}
    )
