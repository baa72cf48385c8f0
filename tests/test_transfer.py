"""exportConversation and importConversations in the convograph format: lossless round trips."""

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy.exc import DataError, IntegrityError

from convograph.db import imports
from convograph.db.engine import Database
from convograph.db.input_rules import InputLimits
from convograph.settings import Settings
from convograph.transfer.documents import DocumentFormat, InvalidDocument, stream_conversations
from convograph.transfer.importer import Status, import_conversations
from tests.conftest import GraphQLClient
from tests.documents import CONVERSATION, CONVERSATIONS, EXPORT_CONVERSATION, IMPORT_CONVERSATIONS
from tests.factories import add_message, conversation_with_messages, edit_message

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "convograph-export.schema.json"
REFERENCES = ("id", "parentId", "editOfId", "tipId", "forkedFromId", "branchPointId")


def validate(document: Any) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)


def with_ids_as_positions(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by the order in which it first appears:
    two documents of the same data, written by two servers, are then equal."""
    names: dict[str, str] = {}

    def name(value: str | None) -> str | None:
        return None if value is None else names.setdefault(value, f"#{len(names)}")

    result = copy.deepcopy(document)
    for conversation in result["conversations"]:
        conversation["id"] = name(conversation["id"])
        for row in conversation["messages"] + conversation["branches"]:
            for key in REFERENCES:
                if key in row:
                    row[key] = name(row[key])
        conversation["currentBranchId"] = name(conversation["currentBranchId"])
    return result


async def export(gql: GraphQLClient, conversation_id: str, format: str = "CONVOGRAPH") -> Any:
    return (await gql.data(EXPORT_CONVERSATION, id=conversation_id, format=format))[
        "exportConversation"
    ]


async def import_document(gql: GraphQLClient, data: Any, **input: Any) -> dict[str, Any]:
    result = (await gql.data(IMPORT_CONVERSATIONS, input={"data": data, **input}))[
        "importConversations"
    ]
    assert result["__typename"] == "ImportConversationsSuccess", result
    return result


async def branching_conversation(gql: GraphQLClient) -> dict[str, Any]:
    """A conversation with an edit, a fork, an edited root, metadata and tool calls."""
    conversation, [root, answer, follow_up] = await conversation_with_messages(
        gql, "Where to?", "Lisbon.", "When?", title="Trip", metadata={"topic": "travel"}
    )
    await add_message(
        gql,
        conversation["id"],
        "",
        role="ASSISTANT",
        message={
            "role": "ASSISTANT",
            "content": "",
            "toolCalls": [{"id": "call_1", "type": "function", "function": {"name": "weather"}}],
        },
        metadata={"model": "m1"},
    )
    await add_message(
        gql,
        conversation["id"],
        "",
        message={"role": "TOOL", "content": "sunny", "toolCallId": "call_1", "name": "weather"},
    )
    await edit_message(gql, answer["id"], "Porto.", role="ASSISTANT", metadata={"v": 2})
    await add_message(gql, conversation["id"], "In May?", parentId=answer["id"])
    await edit_message(gql, root["id"], "Where to, in winter?")
    await add_message(gql, conversation["id"], "Any tips?", parentId=follow_up["id"])
    return conversation


async def test_an_export_holds_the_whole_tree_and_fits_the_json_schema(gql: GraphQLClient) -> None:
    # given
    conversation = await branching_conversation(gql)
    read = (await gql.data(CONVERSATION, id=conversation["id"]))["conversation"]
    # when
    document = await export(gql, conversation["id"])
    # then
    validate(document)
    assert (document["format"], document["version"]) == ("convograph", 1)
    [exported] = document["conversations"]
    assert exported["id"] == conversation["id"]
    assert (exported["title"], exported["metadata"]) == ("Trip", {"topic": "travel"})
    assert (exported["createdAt"], exported["updatedAt"]) == (read["createdAt"], read["updatedAt"])
    assert exported["currentBranchId"] == read["currentBranch"]["id"]
    assert len(exported["messages"]) == read["messageCount"] == 9
    assert len(exported["branches"]) == read["branchCount"] == 5
    branches = {b["id"]: b for b in read["branches"]["nodes"]}
    for branch in exported["branches"]:
        listed = branches[branch["id"]]
        assert branch["tipId"] == listed["tip"]["id"]
        assert branch["branchPointId"] == (listed["branchPoint"] or {}).get("id")
        assert branch["forkedFromId"] == (listed["forkedFrom"] or {}).get("id")
        assert (branch["createdAt"], branch["updatedAt"]) == (
            listed["createdAt"],
            listed["updatedAt"],
        )
        assert branch["name"] is None
    # parents come before their children
    seen: set[str] = set()
    for message in exported["messages"]:
        assert message["parentId"] is None or message["parentId"] in seen
        seen.add(message["id"])
    tool_call = next(m for m in exported["messages"] if m["toolCalls"])
    assert tool_call["toolCalls"][0]["id"] == "call_1"
    assert tool_call["metadata"] == {"model": "m1"}
    tool = next(m for m in exported["messages"] if m["role"] == "tool")
    assert (tool["toolCallId"], tool["name"], tool["content"]) == ("call_1", "weather", "sunny")


async def test_an_unknown_or_foreign_conversation_exports_as_null(
    gql: GraphQLClient, database: Database, settings: Settings
) -> None:
    # given
    stranger = GraphQLClient(database, settings, owner="stranger")
    theirs, _ = await conversation_with_messages(stranger, "mine")
    # when / then
    assert await export(gql, theirs["id"]) is None
    assert await export(gql, "00000000-0000-0000-0000-000000000000") is None


async def test_export_import_export_gives_the_same_document(
    gql: GraphQLClient, database: Database, settings: Settings
) -> None:
    # given: an export of one owner's conversation
    conversation = await branching_conversation(gql)
    document = await export(gql, conversation["id"])
    other = GraphQLClient(database, settings, owner="other")
    # when: another owner imports it and exports what it became
    result = await import_document(other, document)
    [imported] = result["imported"]
    again = await export(other, imported["conversation"]["id"])
    # then: the same document but for the ids, which map one to one
    assert imported["conversation"]["id"] != conversation["id"]
    assert imported["sourceId"] == conversation["id"]
    assert with_ids_as_positions(again) == with_ids_as_positions(document)
    validate(again)


async def test_importing_the_same_document_twice_does_not_duplicate(gql: GraphQLClient) -> None:
    # given: a document of two conversations, deleted here after the export
    one, _ = await conversation_with_messages(gql, "one")
    two, _ = await conversation_with_messages(gql, "two")
    document = await export(gql, one["id"])
    document["conversations"] += (await export(gql, two["id"]))["conversations"]
    document["conversations"][0]["id"] = "source-one"
    document["conversations"][1]["id"] = "source-two"
    first = await import_document(gql, document)
    # when
    second = await import_document(gql, document)
    # then
    assert [c["index"] for c in first["imported"]] == [0, 1]
    assert second["imported"] == [] and second["failures"] == []
    assert [(s["index"], s["sourceId"]) for s in second["skipped"]] == [
        (0, "source-one"),
        (1, "source-two"),
    ]
    assert [s["conversation"]["id"] for s in second["skipped"]] == [
        c["conversation"]["id"] for c in first["imported"]
    ]
    overview = await gql.data(CONVERSATIONS, first=100)
    assert overview["conversations"]["totalCount"] == 4


async def test_an_export_imported_back_where_it_came_from_is_skipped(
    gql: GraphQLClient,
) -> None:
    # given: a backup of a conversation that is still here, and of one deleted since
    kept, _ = await conversation_with_messages(gql, "kept")
    lost, _ = await conversation_with_messages(gql, "lost")
    document = await export(gql, kept["id"])
    document["conversations"] += (await export(gql, lost["id"]))["conversations"]
    await gql.data(
        "mutation D($id: UUID!) { deleteConversation(input: {id: $id}) { __typename } }",
        id=lost["id"],
    )
    # when
    result = await import_document(gql, document)
    # then: the one still here is not copied; the lost one comes back under a new id
    assert [(s["index"], s["conversation"]["id"]) for s in result["skipped"]] == [(0, kept["id"])]
    [restored] = result["imported"]
    assert restored["index"] == 1 and restored["sourceId"] == lost["id"]
    assert restored["conversation"]["id"] != lost["id"]


async def test_a_deleted_import_can_be_imported_again(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "hello")
    document = await export(gql, conversation["id"])
    document["conversations"][0]["id"] = "source"
    [imported] = (await import_document(gql, document))["imported"]
    await gql.data(
        "mutation D($id: UUID!) { deleteConversation(input: {id: $id}) { __typename } }",
        id=imported["conversation"]["id"],
    )
    # when
    again = await import_document(gql, document)
    # then
    assert len(again["imported"]) == 1 and again["skipped"] == []


async def test_a_bad_record_fails_alone_and_is_named_by_index(gql: GraphQLClient) -> None:
    # given: three conversations, the second with a message whose parent does not exist
    conversation, _ = await conversation_with_messages(gql, "a", "b")
    good = (await export(gql, conversation["id"]))["conversations"][0]
    bad = copy.deepcopy(good)
    bad["messages"][1]["parentId"] = "nowhere"
    items = [good, bad, copy.deepcopy(good)]
    document = {"format": "convograph", "version": 1, "conversations": items}
    for index, item in enumerate(document["conversations"]):
        item["id"] = f"source-{index}"
    # when
    result = await import_document(gql, document)
    # then
    assert [c["index"] for c in result["imported"]] == [0, 2]
    [failure] = result["failures"]
    assert (failure["index"], failure["sourceId"]) == (1, "source-1")
    assert "parent 'nowhere'" in failure["reason"]
    overview = await gql.data(CONVERSATIONS, first=100)
    assert overview["conversations"]["totalCount"] == 3


TITLES_AND_SIZES = (
    "query { conversations(first: 100) { nodes { title messageCount branchCount } } }"
)


async def test_a_conversation_that_fails_while_written_is_rolled_back(
    gql: GraphQLClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the second conversation's branches fail to be written, after its messages were
    conversation, _ = await conversation_with_messages(gql, "x", "y", title="original")
    exported = (await export(gql, conversation["id"]))["conversations"][0]
    items = [dict(exported, id=f"s{i}", title=f"t{i}") for i in range(3)]
    insert = imports._insert
    branch_writes = 0

    async def insert_failing_once(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        nonlocal branch_writes
        await insert(session, table, rows)
        if table.name == "branch":
            branch_writes += 1
            if branch_writes == 2:
                raise DataError("INSERT INTO branch", {}, Exception("disk says no"))

    monkeypatch.setattr(imports, "_insert", insert_failing_once)
    # when
    summary = await import_conversations(
        database, "local", DocumentFormat.CONVOGRAPH, items, InputLimits.of(gql.settings)
    )
    # then: nothing of it is left; the ones before and after it are in
    assert [o.index for o in summary.imported] == [0, 2]
    [failure] = summary.failed
    assert (failure.index, failure.status, failure.source_id) == (1, Status.FAILED, "s1")
    assert failure.reason == "The database cannot store one of its values."
    nodes = (await gql.data(TITLES_AND_SIZES))["conversations"]["nodes"]
    assert sorted((n["title"], n["messageCount"], n["branchCount"]) for n in nodes) == [
        ("original", 2, 1),
        ("t0", 2, 1),
        ("t2", 2, 1),
    ]


async def test_a_conversation_that_breaks_a_constraint_fails_alone(
    gql: GraphQLClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the database refuses the first conversation's branches
    conversation, _ = await conversation_with_messages(gql, "x")
    exported = (await export(gql, conversation["id"]))["conversations"][0]
    items = [dict(exported, id=f"s{i}") for i in range(2)]
    insert = imports._insert
    refused = False

    async def insert_refusing_once(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        nonlocal refused
        if table.name == "branch" and not refused:
            refused = True
            raise IntegrityError("INSERT INTO branch", {}, Exception("duplicate branch name"))
        await insert(session, table, rows)

    monkeypatch.setattr(imports, "_insert", insert_refusing_once)
    # when
    summary = await import_conversations(
        database, "local", DocumentFormat.CONVOGRAPH, items, InputLimits.of(gql.settings)
    )
    # then
    assert [o.index for o in summary.imported] == [1]
    [failure] = summary.failed
    assert failure.reason == "The database refused it: it breaks a constraint of the data model."


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (42, "must be a list"),
        ("text", "must be a list"),
        ({"format": "other", "conversations": []}, "format is 'other'"),
        ({"format": "convograph", "version": 2, "conversations": []}, "Version 2"),
        ({"format": "convograph", "version": 1}, "needs a `conversations` list"),
        ({"format": "convograph", "conversations": {}}, "needs a `conversations` list"),
        ({"conversations": [], "extra": 1}, "`extra` is not a field"),
    ],
)
async def test_a_document_that_is_not_one_is_a_validation_error(
    gql: GraphQLClient, data: Any, detail: str
) -> None:
    # when
    result = (await gql.data(IMPORT_CONVERSATIONS, input={"data": data}))["importConversations"]
    # then
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "data"
    assert detail in result["detail"]


def valid_conversation() -> dict[str, Any]:
    time = "2026-01-02T03:04:05.000006+00:00"
    return {
        "id": "c",
        "title": None,
        "metadata": {},
        "createdAt": time,
        "updatedAt": time,
        "currentBranchId": "b1",
        "messages": [
            {"id": "m1", "parentId": None, "role": "user", "content": "hi", "createdAt": time},
            {"id": "m2", "parentId": "m1", "role": "assistant", "content": "yo", "createdAt": time},
        ],
        "branches": [{"id": "b1", "tipId": "m2", "createdAt": time}],
    }


def broken(change: str) -> dict[str, Any]:
    conversation = valid_conversation()
    message, branch = conversation["messages"][1], conversation["branches"][0]
    match change:
        case "no createdAt":
            del conversation["createdAt"]
        case "role":
            message["role"] = "robot"
        case "parent":
            message["parentId"] = "m9"
        case "cycle":
            conversation["messages"][0]["parentId"] = "m2"
        case "duplicate":
            message["id"] = "m1"
        case "snake case":
            message["parent_id"] = message.pop("parentId")
        case "current":
            conversation["currentBranchId"] = "b9"
        case "naive time":
            message["createdAt"] = "2026-01-02T03:04:05"
        case "not a time":
            message["createdAt"] = "yesterday"
        case "tool calls":
            message["toolCalls"] = "call it"
        case "tip":
            branch["tipId"] = "m9"
        case "content":
            message["content"] = 5
        case "metadata":
            conversation["metadata"] = []
        case "not an object":
            return "conversation"  # type: ignore[return-value]
    return conversation


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("no createdAt", "createdAt is missing"),
        ("role", "messages[1].role must be one of system, developer, user"),
        ("parent", "Message 'm2' has parent 'm9', which is no message"),
        ("cycle", "is its own ancestor"),
        ("duplicate", "Two messages have the id 'm1'"),
        ("snake case", "messages[1].parent_id is not a field of this format"),
        ("current", "current branch 'b9' is no branch"),
        ("naive time", "messages[1].createdAt has no UTC offset"),
        ("not a time", "messages[1].createdAt is not an ISO 8601 time"),
        ("tool calls", "messages[1].toolCalls must be a list of objects or null"),
        ("tip", "Branch 'b1' has tip 'm9', which is unknown"),
        ("content", "messages[1].content must be a string, not a number"),
        ("metadata", "metadata must be an object, not a list"),
        ("not an object", "must be an object, not a string"),
    ],
)
async def test_record_failures_say_what_is_wrong(
    gql: GraphQLClient, change: str, reason: str
) -> None:
    # given
    document = {"format": "convograph", "version": 1, "conversations": [broken(change)]}
    # when
    result = await import_document(gql, document)
    # then
    [failure] = result["failures"]
    assert failure["index"] == 0
    assert reason in failure["reason"]
    assert result["imported"] == []


async def test_a_minimal_hand_written_document_imports(gql: GraphQLClient) -> None:
    # given: only the required fields
    document = {"format": "convograph", "version": 1, "conversations": [valid_conversation()]}
    validate(document)
    # when
    [imported] = (await import_document(gql, document))["imported"]
    # then
    read = (await gql.data(CONVERSATION, id=imported["conversation"]["id"]))["conversation"]
    nodes = [edge["node"] for edge in read["messages"]["edges"]]
    assert [(n["role"], n["content"], n["depth"]) for n in nodes] == [
        ("USER", "hi", 0),
        ("ASSISTANT", "yo", 1),
    ]
    assert nodes[1]["parent"] == {"id": nodes[0]["id"]}
    assert all(
        n["createdAt"] == n["updatedAt"] == "2026-01-02T03:04:05.000006+00:00" for n in nodes
    )
    assert read["currentBranch"]["id"] == read["branches"]["nodes"][0]["id"]


async def test_any_listing_order_and_ties_keep_the_documents_order(gql: GraphQLClient) -> None:
    # given: children listed before their parent, all created at the same instant, an
    # edit listed before its original, a fork listed before the branch it forked from
    time = "2026-01-02T03:04:05+00:00"

    def message(key: str, parent: str | None) -> dict[str, Any]:
        return {"id": key, "parentId": parent, "role": "user", "content": key, "createdAt": time}

    conversation = {
        "id": "c",
        "createdAt": time,
        "currentBranchId": "fork",
        "messages": [
            {**message("alpha", "root"), "editOfId": "zeta"},
            message("zeta", "root"),
            message("root", None),
        ],
        "branches": [
            {"id": "fork", "tipId": "alpha", "forkedFromId": "main", "createdAt": time},
            {"id": "main", "tipId": "zeta", "createdAt": time},
        ],
    }
    document = {"format": "convograph", "version": 1, "conversations": [conversation]}
    # when
    [imported] = (await import_document(gql, document))["imported"]
    again = await export(gql, imported["conversation"]["id"])
    # then: rows of equal times keep the order they were listed in, references resolved
    [written] = again["conversations"]
    assert [m["content"] for m in written["messages"]] == ["root", "alpha", "zeta"]
    ids = {m["content"]: m["id"] for m in written["messages"]}
    assert written["messages"][1]["editOfId"] == ids["zeta"]
    assert written["messages"][1]["parentId"] == ids["root"]
    fork, main = written["branches"]
    assert (fork["tipId"], main["tipId"]) == (ids["alpha"], ids["zeta"])
    assert fork["forkedFromId"] == main["id"]
    assert written["currentBranchId"] == fork["id"]


async def test_a_streamed_document_that_breaks_off_keeps_what_came_before(
    gql: GraphQLClient, database: Database
) -> None:
    # given: a file whose second conversation is cut off
    conversation, _ = await conversation_with_messages(gql, "whole")
    exported = (await export(gql, conversation["id"]))["conversations"][0]
    text = json.dumps(
        {"format": "convograph", "version": 1, "conversations": [dict(exported, id="s0")] * 2}
    )
    stream = io.BytesIO(text[: len(text) - 200].encode())
    # when
    format, reader, items = stream_conversations(stream, None)
    imported = []
    with pytest.raises(InvalidDocument) as stopped:
        await import_conversations(
            database, "reader", format, items, InputLimits.of(Settings()), imported.append
        )
    # then
    assert format is DocumentFormat.CONVOGRAPH
    assert [o.status for o in imported] == [Status.IMPORTED]
    assert "not valid JSON" in stopped.value.detail
    assert 0 < reader.bytes_read <= len(text)
