"""The compiled shortcut: a valid query the compiler covers skips the extension pipeline,
and every other request goes through it, answered as before."""

from typing import Any

import pytest
import strawberry

from convograph.api import schema
from convograph.api.compiled_reads import CompiledResult
from tests.conftest import GraphQLClient
from tests.factories import conversation_with_messages

PAGE = """
query Page($id: UUID!, $first: Int) {
  conversation(id: $id) { id title messages(first: $first) { nodes { id content parent { id } } } }
}
"""


@pytest.fixture
def pipeline_runs(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The queries strawberry's own pipeline ran (the shortcut does not call it)."""
    ran: list[str | None] = []
    original = strawberry.Schema.execute

    async def counted(self: strawberry.Schema, query: str | None, *args: Any, **kw: Any) -> Any:
        ran.append(query)
        return await original(self, query, *args, **kw)

    monkeypatch.setattr(strawberry.Schema, "execute", counted)
    return ran


async def test_a_compiled_query_skips_the_pipeline_on_postgresql(
    gql: GraphQLClient, pipeline_runs: list[str | None]
) -> None:
    conversation, messages = await conversation_with_messages(gql, "one", "two", "three")
    pipeline_runs.clear()

    result = await gql.run(gql.settings, PAGE, {"id": conversation["id"], "first": 2})

    assert result.errors is None
    nodes = result.data["conversation"]["messages"]["nodes"]
    assert [n["content"] for n in nodes] == ["one", "two"]
    assert nodes[1]["parent"] == {"id": messages[0]["id"]}
    if gql.database.dialect == "postgresql":
        assert isinstance(result, CompiledResult) and pipeline_runs == []
    else:
        assert pipeline_runs == [PAGE]


async def test_a_persisted_query_takes_the_shortcut_too(
    gql: GraphQLClient, pipeline_runs: list[str | None]
) -> None:
    # given a request that carries extensions, as an Apollo persisted query does
    conversation, _ = await conversation_with_messages(gql, "one")
    pipeline_runs.clear()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    # when it is executed
    result = await schema.execute(
        PAGE,
        variable_values={"id": conversation["id"]},
        context_value=gql.context(),
        operation_extensions=extensions,
    )
    # then it is answered like any other compiled query
    assert result.errors is None
    if gql.database.dialect == "postgresql":
        assert isinstance(result, CompiledResult) and pipeline_runs == []
    else:
        assert pipeline_runs == [PAGE]


@pytest.mark.parametrize(
    ("document", "variables", "code"),
    [
        # invalid: validation's error
        ("{ conversation(id: 1) { nope } }", {}, "BAD_USER_INPUT"),
        # over the node limit only for these variables
        (PAGE, {"first": 100_000}, "LIMIT_EXCEEDED"),
        # variables that do not coerce
        (PAGE, {"id": "not a uuid"}, "BAD_USER_INPUT"),
        # a syntax error
        ("{ conversation(", {}, "BAD_USER_INPUT"),
    ],
)
async def test_a_refused_query_is_answered_by_the_pipeline(
    gql: GraphQLClient,
    pipeline_runs: list[str | None],
    document: str,
    variables: dict[str, Any],
    code: str,
) -> None:
    conversation, _ = await conversation_with_messages(gql, "one")
    pipeline_runs.clear()

    result = await gql.run(gql.settings, document, {"id": conversation["id"], **variables})

    assert result.data is None
    assert {e.extensions["code"] for e in result.errors} == {code}
    assert pipeline_runs == [document]
