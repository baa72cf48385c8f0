import subprocess
import sys
from pathlib import Path

from convograph.api import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO_ROOT / "schema.graphql"


def expected_sdl() -> str:
    return schema.as_str() + "\n"


def test_the_committed_schema_file_matches_the_code() -> None:
    # given
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    # when
    generated = expected_sdl()
    # then
    assert committed == generated, (
        "schema.graphql is out of date with the code: "
        "run `convograph export-schema > schema.graphql` and commit the result"
    )


def test_export_schema_prints_the_sdl() -> None:
    # given / when
    completed = subprocess.run(
        [sys.executable, "-m", "convograph", "export-schema"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == expected_sdl()
