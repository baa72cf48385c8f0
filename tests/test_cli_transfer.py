"""`convograph export` and `convograph import` as a user runs them, on the test's database."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import GraphQLClient
from tests.test_chatgpt_import import trip_conversation
from tests.test_transfer import branching_conversation, validate, with_ids_as_positions

COMMAND_TIMEOUT = 120


def convograph(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "convograph", *args],
        env={**os.environ, "CONVOGRAPH_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


async def test_export_then_import_as_another_owner_then_export_again(
    gql: GraphQLClient, database_url: str, tmp_path: Path
) -> None:
    # given: two conversations
    await branching_conversation(gql)
    await branching_conversation(gql)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    # when
    exported = convograph(database_url, "export", "--output", str(first))
    imported = convograph(database_url, "import", str(first), "--owner", "other")
    again = convograph(database_url, "export", "--owner", "other", "--output", str(second))
    # then
    assert exported.returncode == imported.returncode == again.returncode == 0, (
        exported.stderr + imported.stderr + again.stderr
    )
    assert "exported 2 conversations" in exported.stderr
    assert imported.stdout.splitlines() == [
        "imported 2 conversations (18 messages, 10 branches); skipped 0 imported before; failed 0"
    ]
    assert "100%" in imported.stderr  # the progress line
    validate(read(first))
    assert with_ids_as_positions(read(second)) == with_ids_as_positions(read(first))


async def test_importing_a_file_twice_skips_what_it_imported(
    gql: GraphQLClient, database_url: str, tmp_path: Path
) -> None:
    # given
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([trip_conversation()]), encoding="utf-8")
    convograph(database_url, "import", str(path))
    # when
    second = convograph(database_url, "import", str(path), "--format", "chatgpt")
    # then
    assert second.returncode == 0, second.stderr
    assert "imported 0 conversations" in second.stdout
    assert "skipped 1 imported before" in second.stdout


async def test_a_bad_record_is_reported_by_index_and_the_rest_imported(
    database_url: str, tmp_path: Path
) -> None:
    # given: the second conversation has a message with an unknown role
    bad = trip_conversation()
    bad["conversation_id"] = "chat-bad"
    bad["mapping"]["a2"]["message"]["author"]["role"] = "critic"
    good = dict(trip_conversation(), conversation_id="chat-good")
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([trip_conversation(), bad, good]), encoding="utf-8")
    # when
    result = convograph(database_url, "import", str(path))
    # then
    assert result.returncode == 1
    assert (
        "record 1 (source id chat-bad) not imported: Node 'a2': author.role 'critic'"
        in result.stderr
    )
    assert result.stdout.splitlines() == [
        "imported 2 conversations (20 messages, 6 branches); skipped 0 imported before; failed 1",
        "failed records: 1",
    ]


async def test_a_file_that_is_not_json_stops_the_import(database_url: str, tmp_path: Path) -> None:
    # given
    path = tmp_path / "broken.json"
    path.write_text('{"format": "convograph", "version": 1, "conversations": [{"id": ', "utf-8")
    # when
    result = convograph(database_url, "import", str(path))
    # then
    assert result.returncode == 1
    assert "stopped: The document is not valid JSON" in result.stderr
    assert "imported 0 conversations" in result.stdout


async def test_exporting_an_unknown_conversation_fails_before_writing(
    database_url: str, tmp_path: Path
) -> None:
    # given
    output = tmp_path / "out.json"
    # when
    result = convograph(
        database_url,
        "export",
        "--conversation",
        "00000000-0000-0000-0000-000000000001",
        "--output",
        str(output),
    )
    # then
    assert result.returncode == 2
    assert "no conversation 00000000-0000-0000-0000-000000000001" in result.stderr
    assert not output.exists()


async def test_export_of_chosen_conversations_in_chatgpts_format(
    gql: GraphQLClient, database_url: str, tmp_path: Path
) -> None:
    # given
    chosen = await branching_conversation(gql)
    await branching_conversation(gql)
    # when
    result = convograph(
        database_url, "export", "--conversation", chosen["id"], "--format", "chatgpt"
    )
    # then
    assert result.returncode == 0, result.stderr
    [conversation] = json.loads(result.stdout)
    assert conversation["conversation_id"] == chosen["id"]
    assert len(conversation["mapping"]) == 10  # nine messages under the null root
