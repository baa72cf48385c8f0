"""With JWT auth: both pages load without a token, the page takes one in its token field
(for HTTP and for the WebSocket), and GraphiQL sends the one in its headers."""

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Pages
from tests.browser.test_conversation_page import contents, send, start_conversation
from tests.serving import running_server
from tests.tokens import SECRET, hs256


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory: Path = tmp_path_factory.mktemp("browser-jwt")
    environment = {"CONVOGRAPH_AUTH": "jwt", "CONVOGRAPH_JWT_SECRET": SECRET}
    with running_server(
        f"sqlite:///{directory / 'convograph.db'}",
        directory / "serve.log",
        environment=environment,
    ) as base_url:
        yield base_url


def test_the_page_asks_for_a_token_and_works_with_one(pages: Pages) -> None:
    # given the page, opened without a token
    page = pages.open("/")
    # then it says it needs one, with the token field open
    expect(page.locator("#status")).to_contain_text("needs a token")
    expect(page.get_by_label("Bearer token (JWT)")).to_be_visible()
    # when alice's token is saved
    page.get_by_label("Bearer token (JWT)").fill(hs256(sub="alice"))
    page.get_by_role("button", name="Save token").click()
    # then she can write, and the live connection (token in connection_init) is up
    start_conversation(page)
    send(page, "alice's first message")
    expect(page.locator("#live")).to_have_text("Live")
    # and bob, with a token of his own, sees none of it
    bob = pages.open("/")
    bob.get_by_label("Bearer token (JWT)").fill(hs256(sub="bob"))
    bob.get_by_role("button", name="Save token").click()
    expect(bob.locator("#conversation-list")).to_contain_text("No conversations yet.")
    bob.goto(page.url)
    expect(bob.locator("#status")).to_contain_text("does not exist")
    expect(contents(bob)).to_have_count(0)


def test_graphiql_sends_the_token_of_its_headers_tab(pages: Pages) -> None:
    # given GraphiQL with a token in its headers (as the Headers tab keeps it)
    headers = json.dumps({"Authorization": f"Bearer {hs256(sub='carol')}"})
    query = "query Mine { conversations(first: 1) { totalCount } }"
    page = pages.open(f"/graphql?q={quote(query)}&headers={quote(headers)}")
    # when the query runs
    page.locator(".graphiql-execute-button").click()
    # then the server answered carol, not 401
    expect(page.locator(".graphiql-response")).to_contain_text('"totalCount": 0')
