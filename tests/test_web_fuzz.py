"""Property test: random values for every parameter of every page and API route, and random
bodies for analyse, never get a 5xx; every answer carries the security headers.

Uses test_fuzz.py's budget: CI runs a small derandomised one; `make fuzz` more."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quotetrail.web.app import create_app  # noqa: E402

from test_fuzz import budget, case  # noqa: E402
from web_corpus import build  # noqa: E402

# Values a user, a crawler or an attacker may send: words, names, numbers far out of range,
# dates that do not exist or are the last there is, and each parameter's own vocabulary.
SPECIAL = ["", "0", "-1", "1", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309",
           "nan", "inf", "9999-12-31", "0001-01-01", "2025-02-30", "2025-03-04", "(unknown)", "speaker:",
           'speaker:"', 'speaker:"Ilse Varga" ferry', "Varga", "Ilse Varga", "auto", "words", "phrase", "prefix",
           "exact", "newest", "oldest", "relevance", "direct", "mixed", "day", "week", "month", "year",
           "speaker,outlet,kind,min_confidence", "true", "false", "%", "_", "\\", "'", '"', "*", "NEAR(", "a OR b",
           "<script>", "\u202e", "\x00", "ferry terminal", "state", "promise", "interview", "social_post",
           "Harbour FM", "the reporters", "act,setting,addressee"]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUES = st.one_of(st.sampled_from(SPECIAL), TEXT, st.integers(-2**70, 2**70).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))

PAGES = {"/": None, "/speaker": ["name", "page", "quotes_page"], "/outlets": ["since", "until"], "/trace": ["q"],
         "/quotes/{id}": [], "/quotes/{id}/trace": [], "/verify": ["q", "speaker"], "/articles/{id}": [], "/analyse": [], "/docs": []}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(build(tmp_path_factory.mktemp("fuzz") / "corpus.db"))
    return TestClient(app, base_url="http://localhost", raise_server_exceptions=False)


@pytest.fixture(scope="module")
def routes(client) -> dict[str, list[str]]:
    """Every GET route with its query parameters, the API's read from its OpenAPI document."""
    api = {path: [param["name"] for param in operation.get("parameters", []) if param["in"] == "query"]
           for path, item in client.get("/openapi.json").json()["paths"].items()
           for method, operation in item.items() if method == "get"}
    return {**{path.replace("{quote_id}", "{id}").replace("{article_id}", "{id}"): names
               for path, names in api.items()},
            **{path: names if names is not None else api["/api/v1/search"] for path, names in PAGES.items()}}


def _checked(response) -> None:
    assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    assert "default-src 'none'" in response.headers["content-security-policy"], response.request.url


@budget(300)
@given(data=st.data())
def test_random_parameters_never_get_a_server_error(client, routes, data, fuzz_tally):
    with case(fuzz_tally):
        path = data.draw(st.sampled_from(sorted(routes)))
        names = routes[path]
        chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))) if names else []
        params = {name: data.draw(VALUES) for name in chosen}
        if "{id}" in path:
            path = path.replace("{id}", quote(data.draw(VALUES.filter(str.strip)), safe=""))
        accept = data.draw(st.sampled_from(["text/html", "application/json", "*/*", ""]))
        _checked(client.get(path, params=params, headers={"accept": accept} if accept else {}))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


def _would_extract(value: object) -> bool:
    """A body the worker would analyse (loading the model): left out, this tests the web's handling."""
    return isinstance(value, dict) and isinstance(value.get("text", value.get("html")), str) and bool(
        str(value.get("text", value.get("html"))).strip())


@budget(150)
@given(body=st.one_of(JSON.filter(lambda value: not _would_extract(value)).map(json.dumps),
                      st.binary(max_size=200).filter(lambda raw: b"text" not in raw and b"html" not in raw),
                      st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
                      st.integers(1, 3000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth)),
       content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]))
def test_random_bodies_to_analyse_never_get_a_server_error(client, body, content_type, fuzz_tally):
    with case(fuzz_tally):
        headers = {"content-type": content_type} if content_type else {}
        _checked(client.post("/api/v1/analyse", content=body, headers=headers))
        _checked(client.post("/analyse", content=body, headers=headers))
