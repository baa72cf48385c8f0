"""GraphiQL, served from the package's own assets, runs a query with no network but loopback."""

from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import Pages

QUERY = "query Recent { conversations(first: 1) { totalCount } }"


def test_graphiql_loads_and_runs_a_query_offline(pages: Pages) -> None:
    # given GraphiQL with a query in its address (as a shared link carries it)
    page: Any = pages.open(f"/graphql?q={quote(QUERY)}")
    expect(page.locator(".graphiql-container .graphiql-query-editor")).to_be_visible()
    # when the run button is pressed
    page.locator(".graphiql-execute-button").click()
    # then the response is the server's
    expect(page.locator(".graphiql-response")).to_contain_text('"totalCount"')
    # and the headers tab, where a JWT goes, is there
    expect(page.get_by_role("button", name="Headers", exact=True)).to_be_visible()
