"""The command line as an operator meets it: help, version, and configuration errors that
are one line on stderr with exit status 2, never a traceback."""

import argparse
import os
import sqlite3
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from convograph.cli import is_loopback, parser

COMMAND_TIMEOUT = 60
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/convograph"


def convograph(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run the command with a clean CONVOGRAPH_* environment plus `environment`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CONVOGRAPH_")}
    return subprocess.run(
        [sys.executable, "-m", "convograph", *args],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def assert_one_line_error(completed: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("convograph: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@127.0.0.1/chat", "only sqlite and postgresql"),
        ("postgresql://user@db:notaport/chat", "not a database URL"),
        ("postgresql+nosuchdriver://user@db/chat", "unsupported database driver"),
    ],
)
def test_a_bad_database_url_is_one_line(url: str, expected: str) -> None:
    # given a URL that cannot work, in the environment and as the option
    # when
    from_environment = convograph("migrate", CONVOGRAPH_DATABASE_URL=url)
    from_option = convograph("migrate", "--database-url", url)
    # then
    assert_one_line_error(from_environment, "CONVOGRAPH_DATABASE_URL", expected)
    assert_one_line_error(from_option, "--database-url", expected)


def test_a_password_in_a_bad_url_is_not_printed() -> None:
    # given / when
    completed = convograph("migrate", CONVOGRAPH_DATABASE_URL="postgresql://u:hunter2@db:x/c")
    # then
    assert_one_line_error(completed, "not a database URL")
    assert "hunter2" not in completed.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", "8999"],
        ["migrate"],
        ["export"],
        ["import", "{file}"],
    ],
)
def test_an_unreachable_database_is_one_line(command: list[str], tmp_path: Path) -> None:
    # given
    document = tmp_path / "conversations.json"
    document.write_text("[]", encoding="utf-8")
    args = [part.replace("{file}", str(document)) for part in command]
    # when
    completed = convograph(*args, "--database-url", UNREACHABLE_POSTGRES)
    # then
    assert_one_line_error(completed, "cannot connect to the database", "127.0.0.1:1")


def test_an_unreachable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    # given a file in a directory that does not exist
    url = f"sqlite:///{tmp_path / 'missing' / 'convograph.db'}"
    # when
    completed = convograph("migrate", CONVOGRAPH_DATABASE_URL=url)
    # then
    assert_one_line_error(completed, "cannot connect to the database", "unable to open")


def test_export_from_a_database_never_migrated_says_to_migrate(tmp_path: Path) -> None:
    # given
    missing = tmp_path / "nothing-here.db"
    empty = tmp_path / "empty.db"
    empty.touch()
    # when
    no_file = convograph("export", "--database-url", f"sqlite:///{missing}")
    no_schema = convograph("export", "--database-url", f"sqlite:///{empty}")
    # then
    assert_one_line_error(no_file, f"there is no database file {missing}")
    assert not missing.exists()
    assert_one_line_error(no_schema, "no convograph tables", "convograph migrate")


@pytest.mark.parametrize(("name", "reason"), [("missing.json", "No such file"), (".", "directory")])
def test_import_of_a_file_it_cannot_read_is_one_line(
    name: str, reason: str, tmp_path: Path
) -> None:
    # given
    url = f"sqlite:///{tmp_path / 'convograph.db'}"
    # when
    completed = convograph("import", str(tmp_path / name), CONVOGRAPH_DATABASE_URL=url)
    # then
    assert_one_line_error(completed, "cannot read", reason)
    assert not (tmp_path / "convograph.db").exists()  # nothing touched before the check


@pytest.mark.parametrize(
    ("args", "environment", "expected"),
    [
        (["migrate"], {"CONVOGRAPH_POOL_SIZE": "many"}, "invalid CONVOGRAPH_POOL_SIZE"),
        (["serve"], {"CONVOGRAPH_PORT": "0"}, "invalid CONVOGRAPH_PORT"),
        (["serve", "--port", "70000"], {}, "invalid --port"),
        (["serve", "--workers", "0"], {}, "invalid --workers"),
        (["migrate"], {"CONVOGRAPH_AUTH": "password"}, "invalid CONVOGRAPH_AUTH"),
        (["migrate"], {"CONVOGRAPH_AUTH": "jwt"}, "CONVOGRAPH_JWT_SECRET"),
    ],
)
def test_an_invalid_setting_is_one_line(
    args: list[str], environment: dict[str, str], expected: str, tmp_path: Path
) -> None:
    # given
    url = f"sqlite:///{tmp_path / 'convograph.db'}"
    # when
    completed = convograph(*args, "--database-url", url, **environment)
    # then
    assert_one_line_error(completed, expected)


def test_a_secret_is_not_repeated_in_an_error() -> None:
    # given a secret too short to use
    # when
    completed = convograph("migrate", CONVOGRAPH_AUTH="jwt", CONVOGRAPH_JWT_SECRET="short-secret")
    # then
    assert_one_line_error(completed, "at least 32 bytes")
    assert "short-secret" not in completed.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "convograph.example"])
def test_serve_without_authentication_refuses_a_network_address(host: str) -> None:
    # given the default: CONVOGRAPH_AUTH=none
    # when
    completed = convograph("serve", "--host", host, "--port", "8999")
    # then
    assert_one_line_error(
        completed, f"refusing to listen on {host}", "CONVOGRAPH_ALLOW_UNAUTHENTICATED_NETWORK"
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.10.0.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    # given / when / then
    assert is_loopback(host) is loopback


def test_the_version_comes_from_the_package_metadata() -> None:
    # given / when
    completed = convograph("--version")
    # then
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"convograph {version('convograph')}"


def test_every_option_of_every_command_has_help() -> None:
    # given
    root = parser()
    commands = next(
        action for action in root._actions if isinstance(action, argparse._SubParsersAction)
    )
    # when
    undocumented = [
        f"{name} {action.dest}"
        for name, command in commands.choices.items()
        for action in command._actions
        if not action.help
    ]
    # then
    assert sorted(commands.choices) == ["export", "export-schema", "import", "migrate", "serve"]
    assert undocumented == []


@pytest.mark.parametrize("command", ["serve", "migrate", "export", "import"])
def test_every_command_that_opens_a_database_takes_database_url(command: str) -> None:
    # given / when
    completed = convograph(command, "--help")
    # then
    assert completed.returncode == 0, completed.stderr
    assert "--database-url URL" in completed.stdout


def test_the_database_url_option_wins_over_the_environment(database_url: str) -> None:
    # given an environment that names an unreachable database
    # when
    completed = convograph(
        "export", "--database-url", database_url, CONVOGRAPH_DATABASE_URL=UNREACHABLE_POSTGRES
    )
    # then
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.splitlines()[-1] == "exported 0 conversations"


def test_an_export_to_a_file_it_cannot_write_is_one_line(database_url: str, tmp_path: Path) -> None:
    # given / when
    completed = convograph(
        "export", "--output", str(tmp_path / "missing" / "out.json"), "--database-url", database_url
    )
    # then
    assert_one_line_error(completed, "cannot write", "No such file or directory")


def test_a_database_that_fails_during_the_work_is_one_line(tmp_path: Path) -> None:
    # given: a database at the current revision whose conversations table was dropped by hand
    path = tmp_path / "convograph.db"
    assert convograph("migrate", "--database-url", f"sqlite:///{path}").returncode == 0
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("DROP TABLE conversation")
    # when
    completed = convograph("export", "--database-url", f"sqlite:///{path}")
    # then
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        "convograph: error: the database failed: no such table: conversation"
    ]
