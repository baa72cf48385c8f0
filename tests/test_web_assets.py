"""The web side's build checks: the assets shipped in convograph/static/ are exactly what
web/build.mjs makes from the sources and the packages web/package-lock.json pins, the page's
operation types match schema.graphql, and the page type-checks.

They need Node and the pinned packages (CI runs `npm ci` in web/); without npm, or when the
registry cannot be reached to install them, they skip and say so."""

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
WEB = ROOT / "web"
STATIC = ROOT / "convograph" / "static"
INSTALL_TIMEOUT_SECONDS = 600
STEP_TIMEOUT_SECONDS = 300


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=WEB, capture_output=True, text=True, timeout=STEP_TIMEOUT_SECONDS
    )


@pytest.fixture(scope="module")
def web_packages() -> Iterator[Path]:
    """web/node_modules as package-lock.json pins it, installed if it is not there yet."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the web build cannot be checked")
    modules = WEB / "node_modules"
    if not (modules / ".package-lock.json").is_file():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=WEB,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
        )
        if installed.returncode != 0:
            pytest.skip(f"`npm ci` in web/ failed (no registry?):\n{installed.stderr[-2000:]}")
    yield modules


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_shipped_assets_are_what_the_build_makes(web_packages: Path, tmp_path: Path) -> None:
    # given / when a build into a folder of its own
    built = run("node", "build.mjs", "--out", str(tmp_path))
    assert built.returncode == 0, built.stderr
    # then it matches what the package ships, file for file and byte for byte
    shipped, rebuilt = files_under(STATIC), files_under(tmp_path)
    assert sorted(shipped) == sorted(rebuilt), "run web/build.sh and commit convograph/static/"
    differing = [name for name in shipped if shipped[name] != rebuilt[name]]
    assert differing == [], f"stale assets {differing}: run web/build.sh and commit them"


def test_graphiql_is_the_version_web_package_json_pins() -> None:
    # given the exact versions web/package.json pins and those the build recorded
    pinned = json.loads((WEB / "package.json").read_text())["dependencies"]
    shipped = json.loads((STATIC / "graphiql" / "versions.json").read_text())
    # then they are the same, and the explorer loads nothing from elsewhere
    assert shipped == pinned
    page = (STATIC / "graphiql" / "index.html").read_text()
    loaded = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert loaded and all(url.startswith(("static/graphiql/", "data:")) for url in loaded)


def test_the_page_types_match_schema_graphql(web_packages: Path) -> None:
    checked = run("npx", "graphql-codegen", "--config", "codegen.yml", "--check", "--silent")
    assert checked.returncode == 0, (
        "web/src/generated/graphql.ts is stale: run `npm run codegen` in web/\n"
        + checked.stdout
        + checked.stderr
    )


def test_the_page_type_checks(web_packages: Path) -> None:
    checked = run("npx", "tsc", "--noEmit")
    assert checked.returncode == 0, checked.stdout + checked.stderr
