"""Browser tests: Debian's Chromium driven by Playwright against `convograph serve`.

Every page runs with each request to anywhere but 127.0.0.1 aborted and recorded, and a
test fails if its page tried one: the explorer and the page must work on a private network.
A failing test leaves a screenshot in .browser-artifacts/ (CONVOGRAPH_BROWSER_ARTIFACTS).
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (the test extra has it)"
)

CHROMIUM = os.environ.get("CONVOGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(
    os.environ.get("CONVOGRAPH_BROWSER_ARTIFACTS", Path(__file__).parents[2] / ".browser-artifacts")
)
# A slow shared machine, not a performance bound: how long a step may take to show.
STEP_TIMEOUT_MS = 20_000
LOOPBACK = "127.0.0.1"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


# Per module, not per session: Playwright's sync API keeps an event loop running while it
# is open, and the async tests that run after this folder need the thread's loop free.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install chromium chromium-driver "
            "(or set CONVOGRAPH_CHROMIUM)"
        )
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        playwright_api.expect.set_options(timeout=STEP_TIMEOUT_MS)
        yield browser
        browser.close()


class Pages:
    """Opens pages in browser contexts of their own (separate storage, like two browsers),
    each with the loopback-only rule, and screenshots them all if the test failed."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.blocked: list[str] = []
        self.pages: list[Any] = []
        self.contexts: list[Any] = []

    def _only_loopback(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def open(
        self, path: str = "/", *, web_socket: Callable[[Any], None] | None = None, **options: Any
    ) -> Any:
        """A page at `path`; `web_socket`, if given, handles each WebSocket it opens."""
        context = self.browser.new_context(base_url=self.base_url, **options)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.route(re.compile(r".*"), self._only_loopback)
        if web_socket is not None:
            context.route_web_socket(re.compile(r".*"), web_socket)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        self.contexts.append(context)
        self.pages.append(page)
        page.goto(path)
        return page

    def close(self, name: str, failed: bool) -> None:
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for i, page in enumerate(self.pages):
                path = ARTIFACTS / f"{name}-{i}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                    print(f"screenshot of the failed page: {path}")
                except playwright_api.Error as error:
                    print(f"no screenshot of page {i}: {error}")
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Pages]:
    opened = Pages(browser, server)
    try:
        yield opened
    finally:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        opened.close(name, request.node.stash.get(FAILED, True))
    assert opened.blocked == [], f"the page asked for more than loopback: {opened.blocked}"
