"""The web side over HTTP: the conversation page at `/`, its assets and GraphiQL's, served
from the package with no token needed, and each turned off by its setting."""

from pydantic import SecretStr

from convograph.settings import AuthMode, Settings
from tests.serving import app_client

HTML = {"Accept": "text/html"}


async def test_the_page_and_its_assets_are_served_gzipped(settings: Settings) -> None:
    async with app_client(settings) as http:
        # when
        page = await http.get("/")
        script = await http.get("/static/app/app.js", headers={"Accept-Encoding": "gzip"})
        style = await http.get("/static/app/app.css")
    # then
    assert page.status_code == 200
    assert 'src="static/app/app.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200
    assert script.headers["content-encoding"] == "gzip"
    assert script.headers["content-type"].startswith("text/javascript")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")


async def test_graphiql_and_its_assets_come_from_the_package(settings: Settings) -> None:
    async with app_client(settings) as http:
        page = await http.get("/graphql", headers=HTML)
        script = await http.get("/static/graphiql/graphiql.min.js")
    assert page.status_code == 200
    assert "static/graphiql/graphiql.min.js" in page.text
    assert "unpkg" not in page.text
    assert script.status_code == 200 and len(script.content) > 100_000


async def test_nothing_outside_the_asset_folders_is_served(settings: Settings) -> None:
    async with app_client(settings) as http:
        for path in (
            "/static/app/%2e%2e/%2e%2e/web.py",
            "/static/app/missing.js",
            "/static/web.py",
        ):
            response = await http.get(path)
            assert response.status_code == 404, path


async def test_with_jwt_auth_the_pages_need_no_token(settings: Settings) -> None:
    jwt = settings.model_copy(update={"auth": AuthMode.JWT, "jwt_secret": SecretStr("s" * 32)})
    async with app_client(jwt) as http:
        page = await http.get("/")
        script = await http.get("/static/app/app.js")
        graphiql = await http.get("/graphql", headers=HTML)
        query = await http.post("/graphql", json={"query": "{ __typename }"})
    assert [page.status_code, script.status_code, graphiql.status_code] == [200, 200, 200]
    assert query.status_code == 401


async def test_the_page_setting_turns_the_page_off(settings: Settings) -> None:
    async with app_client(settings.model_copy(update={"web_page": False})) as http:
        page = await http.get("/")
        script = await http.get("/static/app/app.js")
        graphiql = await http.get("/graphql", headers=HTML)
    assert [page.status_code, script.status_code, graphiql.status_code] == [404, 404, 200]


async def test_without_introspection_graphiql_and_its_assets_are_off(settings: Settings) -> None:
    async with app_client(settings.model_copy(update={"introspection": False})) as http:
        graphiql = await http.get("/graphql", headers=HTML)
        script = await http.get("/static/graphiql/graphiql.min.js")
        page = await http.get("/")
    assert [graphiql.status_code, script.status_code, page.status_code] == [404, 404, 200]
