"""The committed generated client is what regenerating it from schema.graphql gives.

(tests/test_schema_file.py keeps schema.graphql equal to what the code exports.)

ariadne-codegen cannot live in the project's environment (it pins graphql-core < 3.3,
strawberry needs >= 3.3), so it runs from `.venv-codegen`, which this test creates or
updates from pyproject's `codegen` dependency group, as the README describes.
"""

import difflib
import filecmp
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO_ROOT / "schema.graphql"
OPERATIONS_FILE = Path("convograph/client/operations.graphql")
GENERATED_PACKAGE = Path("convograph/client/generated")
CODEGEN_VENV = REPO_ROOT / ".venv-codegen"
INSTALL_TIMEOUT = 300
REGENERATE_TIMEOUT = 120


def ariadne_codegen() -> Path:
    """The ariadne-codegen executable: $CONVOGRAPH_ARIADNE_CODEGEN, else `.venv-codegen`'s."""
    if configured := os.environ.get("CONVOGRAPH_ARIADNE_CODEGEN"):
        return Path(configured)
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    python = CODEGEN_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(CODEGEN_VENV)],
            check=True,
            timeout=INSTALL_TIMEOUT,
        )
    # The project's pip installs into the tool's venv; once the installed version is in
    # range this is a no-op that needs no network.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + pyproject["dependency-groups"]["codegen"],
        check=True,
        timeout=INSTALL_TIMEOUT,
    )
    return CODEGEN_VENV / "bin" / "ariadne-codegen"


def differences(committed: Path, regenerated: Path) -> list[str]:
    """What differs between two generated packages, file by file (byte comparison)."""

    def files(root: Path) -> set[Path]:
        return {
            path.relative_to(root)
            for path in root.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }

    ours, theirs = files(committed), files(regenerated)
    found = [f"only committed: {path}" for path in sorted(ours - theirs)]
    found += [f"missing: {path}" for path in sorted(theirs - ours)]
    for path in sorted(ours & theirs):
        if not filecmp.cmp(committed / path, regenerated / path, shallow=False):
            diff = difflib.unified_diff(
                (committed / path).read_text(encoding="utf-8").splitlines(),
                (regenerated / path).read_text(encoding="utf-8").splitlines(),
                f"committed/{path}",
                f"regenerated/{path}",
                lineterm="",
            )
            found.append("\n".join(list(diff)[:40]))
    return found


def test_regenerating_the_client_changes_nothing(tmp_path: Path) -> None:
    # given: the committed inputs and settings, laid out as in the repository
    codegen = ariadne_codegen()
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(SCHEMA_FILE, tmp_path / "schema.graphql")
    (tmp_path / OPERATIONS_FILE.parent).mkdir(parents=True)
    shutil.copy(REPO_ROOT / OPERATIONS_FILE, tmp_path / OPERATIONS_FILE)

    # when
    started = time.perf_counter()
    completed = subprocess.run(
        [str(codegen), "--config", "pyproject.toml", "client"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=REGENERATE_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    print(f"ariadne-codegen regenerated the client in {elapsed:.2f}s")

    # then
    assert completed.returncode == 0, completed.stdout + completed.stderr
    found = differences(REPO_ROOT / GENERATED_PACKAGE, tmp_path / GENERATED_PACKAGE)
    assert not found, (
        "convograph/client/generated is out of date with schema.graphql and "
        "operations.graphql: run `.venv-codegen/bin/ariadne-codegen client` "
        "and commit the result\n" + "\n".join(found)
    )
