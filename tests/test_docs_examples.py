"""Every example of README.md and docs/*.md runs against a served database, so that a broken
example fails the suite.

The convention the pages are written to:

- A ```graphql block is a complete document, POSTed to a fresh SQLite server (AUTH=none),
  one server per page, the page's blocks in order. A ```json block right after it whose
  only top-level key is "variables" gives its variables. A string "<name>" in them is
  replaced by the value of the most recent key `name` in an earlier response on the page
  (the last one of the latest response that has it: aliases make it unambiguous).
- A ```json block with a top-level "data" or "errors" right after an example (or after its
  variables) is the expected response, compared by structure: UUIDs, timestamps and
  cursors by their kind, not their value. A document without one must answer without errors.
- ```sh blocks run with bash, ```python blocks as scripts, in a directory of the page's own
  where `.venv` is this interpreter's environment and CONVOGRAPH_DATABASE_URL is the
  server's database; `http://127.0.0.1:8000` (and `ws://…`) is the server's address. A sh
  block followed by an expected response must print that JSON.
- `<!-- not run: reason -->` on the line before a block skips it (and its JSON blocks).
"""

import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serving import running_server

REPO_ROOT = Path(__file__).resolve().parents[1]
PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
DOCUMENTED_ADDRESS = "://127.0.0.1:8000"
RUNNABLE = {"graphql": "graphql", "sh": "sh", "bash": "sh", "shell": "sh", "python": "python"}
SCRIPT_TIMEOUT_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 60

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<language>[\w-]*)\s*$")
NOT_RUN = re.compile(r"^\s*<!--\s*not run:\s*(?P<reason>.+?)\s*-->\s*$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
EMBEDDED_UUID = re.compile(UUID.pattern.strip("^$"), re.I)
CURSOR_KEYS = {"cursor", "startCursor", "endCursor"}


@dataclass(frozen=True)
class Block:
    """A fenced code block of a page."""

    page: str
    line: int
    language: str
    text: str
    skip_reason: str | None


@dataclass
class Example:
    """A runnable block with what the page gives it and expects of it."""

    block: Block
    variables: dict[str, Any] | None = None
    expected: Any = None

    @property
    def id(self) -> str:
        return f"{self.block.page}:{self.block.line}"


@dataclass
class ParsedPage:
    examples: list[Example]
    unclosed_fence_line: int | None
    # A fence with a language inside a block: the block above it was left open.
    nested_fence_lines: list[int]
    anchors_used: list[str]
    headings: list[str]


def parse_page(path: Path) -> ParsedPage:
    """The page's examples, with their variables and expected responses attached."""
    page = path.relative_to(REPO_ROOT).as_posix()
    blocks, unclosed, headings, anchors = _blocks(page, path.read_text(encoding="utf-8"))
    examples: list[Example] = []
    attachable: Example | None = None
    for block in blocks:
        if block.language in RUNNABLE:
            attachable = Example(block)
            examples.append(attachable)
        elif block.language == "json" and attachable and _attach(attachable, block):
            continue
        else:
            # Any other block (JSON data samples, JavaScript, TypeScript, ...) is prose.
            attachable = None
    nested = [
        block.line + offset + 1
        for block in blocks
        for offset, line in enumerate(block.text.splitlines())
        if re.match(r"^ *```+[\w-]+\s*$", line)
    ]
    return ParsedPage(examples, unclosed, nested, anchors, headings)


def _blocks(page: str, text: str) -> tuple[list[Block], int | None, list[str], list[str]]:
    blocks: list[Block] = []
    headings: list[str] = []
    anchors: list[str] = []
    lines = text.splitlines()
    index = 0
    previous = ""
    while index < len(lines):
        line = lines[index]
        opening = FENCE.match(line)
        if not opening:
            if line.startswith("#"):
                headings.append(line.lstrip("#").strip())
            anchors += re.findall(r"\]\(#([^)\s]+)\)", line)
            if line.strip():
                previous = line
            index += 1
            continue
        start, indent, fence = index, len(opening["indent"]), opening["fence"]
        closing = re.compile(rf"^ *{fence}`*\s*$")
        index += 1
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        if index == len(lines):
            return blocks, start + 1, headings, anchors
        skip = NOT_RUN.match(previous)
        blocks.append(
            Block(
                page=page,
                line=start + 1,
                language=RUNNABLE.get(opening["language"], opening["language"]),
                text="".join(f"{body[indent:]}\n" for body in lines[start + 1 : index]),
                skip_reason=skip["reason"] if skip else None,
            )
        )
        previous = lines[index]
        index += 1
    return blocks, None, headings, anchors


def _attach(example: Example, block: Block) -> bool:
    """Attach a JSON block right after an example as its variables or expected response;
    False if it is neither (a data sample)."""
    where = f"{block.page}:{block.line}"
    try:
        value = json.loads(block.text)
    except json.JSONDecodeError:
        return False
    if not isinstance(value, dict):
        return False
    if set(value) == {"variables"}:
        if example.block.language != "graphql" or example.variables or example.expected:
            raise ValueError(f"{where}: variables belong right after a graphql block")
        example.variables = value["variables"]
        return True
    if {"data", "errors"} & set(value) and example.expected is None:
        example.expected = value
        return True
    return False


PARSED = {path: parse_page(path) for path in PAGES}
EXAMPLES = [example for parsed in PARSED.values() for example in parsed.examples]


# Comparing responses by structure


def mismatches(expected: Any, actual: Any, path: str = "$", key: str = "") -> Iterator[str]:
    """Where `actual` differs from `expected`; ids, times and cursors match by kind."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield f"{path}: expected an object, got {actual!r}"
            return
        if expected.keys() != actual.keys():
            yield f"{path}: keys {sorted(expected)} != {sorted(actual)}"
        for name in expected.keys() & actual.keys():
            yield from mismatches(expected[name], actual[name], f"{path}.{name}", name)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            yield f"{path}: expected a list of {len(expected)}, got {actual!r}"
            return
        for position, (want, got) in enumerate(zip(expected, actual, strict=True)):
            yield from mismatches(want, got, f"{path}[{position}]", key)
    elif isinstance(expected, str) and (kind := _kind(expected, key)):
        if not isinstance(actual, str) or _kind(actual, key) != kind:
            yield f"{path}: expected a {kind}, got {actual!r}"
    elif isinstance(expected, str):
        if not isinstance(actual, str) or _masked(expected) != _masked(actual):
            yield f"{path}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, float) and not isinstance(actual, bool):
        if not isinstance(actual, int | float) or not math.isclose(expected, actual, rel_tol=1e-6):
            yield f"{path}: expected {expected!r}, got {actual!r}"
    elif type(expected) is not type(actual) or expected != actual:
        yield f"{path}: expected {expected!r}, got {actual!r}"


def _masked(text: str) -> str:
    """The text with the ids in it (as in "No conversation with id …") made alike."""
    return EMBEDDED_UUID.sub("<UUID>", text)


def _kind(value: str, key: str) -> str | None:
    if key in CURSOR_KEYS:
        return "cursor"
    if UUID.match(value):
        return "UUID"
    if TIMESTAMP.match(value):
        return "timestamp"
    return None


# Running a page


@dataclass
class PageRun:
    """One page's server, working directory and the responses so far."""

    base_url: str
    database_url: str
    directory: Path
    responses: list[Any] = field(default_factory=list)
    done: int = 0

    def placeholder(self, name: str) -> Any:
        for response in reversed(self.responses):
            found = list(_values_of(response, name))
            if found:
                return found[-1]
        pytest.fail(f'no earlier response on the page has a key "{name}" for "<{name}>"')

    def localised(self, text: str) -> str:
        return text.replace(DOCUMENTED_ADDRESS, "://" + self.base_url.split("://", 1)[1])


def _values_of(value: Any, name: str) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == name:
                yield item
            yield from _values_of(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _values_of(item, name)


def _filled(value: Any, run: PageRun) -> Any:
    if isinstance(value, str) and (placeholder := re.fullmatch(r"<(\w+)>", value)):
        return run.placeholder(placeholder[1])
    if isinstance(value, dict):
        return {key: _filled(item, run) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, run) for item in value]
    return value


def run_example(example: Example, run: PageRun) -> None:
    block = example.block
    if block.language == "graphql":
        variables = _filled(example.variables or {}, run)
        answer = httpx.post(
            f"{run.base_url}/graphql",
            json={"query": block.text, "variables": variables},
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
        response = answer.json()
    else:
        response = _run_script(block, run)
    if response is not None:
        # Kept whatever the comparison finds, so that one wrong response does not fail the
        # page's later examples too.
        run.responses.append(response)
    if example.expected is not None:
        found = list(mismatches(example.expected, response))
        assert not found, "\n".join([*found, "response:", json.dumps(response, indent=2)])
    elif block.language == "graphql":
        assert "errors" not in response, json.dumps(response, indent=2)


def _run_script(block: Block, run: PageRun) -> Any:
    source = run.localised(block.text)
    if block.language == "python":
        script = run.directory / f"example_{block.line}.py"
        script.write_text(source, encoding="utf-8")
        command = [sys.executable, str(script)]
    else:
        command = ["bash", "-e", "-o", "pipefail", "-c", source]
    environment = {
        **os.environ,
        "CONVOGRAPH_DATABASE_URL": run.database_url,
        "CONVOGRAPH_AUTH": "none",
    }
    finished = subprocess.run(
        command,
        cwd=run.directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )
    assert finished.returncode == 0, (
        f"exit status {finished.returncode}\nstdout:\n{finished.stdout}\nstderr:\n{finished.stderr}"
    )
    try:
        return json.loads(finished.stdout)
    except json.JSONDecodeError:
        return None


class PageServers:
    """A server per page, started on the page's first example and stopped at the next page,
    so that only one runs at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.page: str | None = None
        self.run: PageRun | None = None
        self.stack = ExitStack()

    def for_page(self, page: str) -> PageRun:
        if self.page != page or self.run is None:
            self.close()
            directory = self.root / page.replace("/", "_")
            directory.mkdir()
            (directory / ".venv").symlink_to(sys.prefix)
            database_url = f"sqlite:///{directory / 'convograph.db'}"
            base_url = self.stack.enter_context(
                running_server(
                    database_url, directory / "serve.log", environment={"CONVOGRAPH_AUTH": "none"}
                )
            )
            self.page, self.run = page, PageRun(base_url, database_url, directory)
        return self.run

    def close(self) -> None:
        self.stack.close()
        self.page, self.run = None, None


@pytest.fixture(scope="module")
def page_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServers]:
    servers = PageServers(tmp_path_factory.mktemp("docs"))
    yield servers
    servers.close()


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_example_runs(example: Example, page_servers: PageServers) -> None:
    # given the page's server, with every earlier example of the page run on it
    if example.block.skip_reason:
        pytest.skip(example.block.skip_reason)
    run = page_servers.for_page(example.block.page)
    page_examples = [item for item in EXAMPLES if item.block.page == example.block.page]
    position = page_examples.index(example)
    for earlier in page_examples[run.done : position]:
        if not earlier.block.skip_reason:
            # Only for their responses: a failing one is reported by its own case.
            with suppress(Exception):
                run_example(earlier, run)
    run.done = position + 1
    # when it runs, then it succeeds with the response it shows
    run_example(example, run)


@pytest.mark.parametrize(
    "path", PAGES, ids=[path.relative_to(REPO_ROOT).as_posix() for path in PAGES]
)
def test_every_code_block_is_closed_and_every_anchor_is_a_heading(path: Path) -> None:
    # given the page as parsed
    parsed = PARSED[path]
    # then no fence is left open and every in-page link names a heading
    assert parsed.unclosed_fence_line is None, f"the block at line {parsed.unclosed_fence_line}"
    assert parsed.nested_fence_lines == [], "a block above these lines is left open"
    slugs = {_slug(heading) for heading in parsed.headings}
    assert [anchor for anchor in parsed.anchors_used if anchor not in slugs] == []


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_every_setting_is_in_the_configuration_page() -> None:
    # given the settings the server reads
    from convograph.settings import Settings

    page = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    # then each has its row, named as its environment variable
    missing = [
        f"CONVOGRAPH_{name.upper()}"
        for name in Settings.model_fields
        if f"| `CONVOGRAPH_{name.upper()}` |" not in page
    ]
    assert missing == []
