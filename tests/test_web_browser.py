"""`quotetrail serve` in a real browser: Playwright drives Debian's chromium (never a downloaded one)
against the command-line server on a free 127.0.0.1 port, over a corpus built for the tests.

Skipped where chromium or Playwright is missing, except in CI (CI=true), where that is a failure.
QUOTETRAIL_SCREENSHOTS=DIR also writes each page's screenshot there (docs/screenshots come from it).
"""
from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web_corpus import FERRY, FORMULA, build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require_browser():
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    if missing is None and not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if missing:
        if IN_CI:
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    db = build(tmp_path_factory.mktemp("browser") / "corpus.db")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "quotetrail.cli", "serve", "--db", str(db), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"serve did not start: {process.stderr.read()}")
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    sync_playwright = _require_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1100, "height": 760}, base_url=server, accept_downloads=True)
    opened = context.new_page()
    # Nothing may leave this machine: a request elsewhere (a CDN) fails the test.
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  or route.request.url.startswith("data:") else (outside.append(route.request.url), route.abort()))
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"browser errors (CSP violations, scripts): {errors}"


def counted_total(page) -> str:
    """The total once the page has fetched its counts (facets, timeline) after showing its results."""
    page.wait_for_selector("#counted")
    return page.text_content("#total")


def shoot(page, name: str, full_page: bool = False) -> None:
    folder = os.environ.get("QUOTETRAIL_SCREENSHOTS")
    image = page.screenshot(full_page=full_page, path=str(Path(folder) / f"{name}.png") if folder else None)
    assert len(image) > 5000  # something was drawn


def test_search_facet_quote_trace(page):
    page.goto("/")
    page.fill("#q", "ferry terminal")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=ferry+terminal*")
    assert counted_total(page) == "3"
    shoot(page, "search")
    page.click("#facet-outlet >> text=Northbay Courier")
    page.wait_for_url("**outlet=Northbay+Courier*")
    assert page.text_content("#total") == "1"
    assert page.locator(".chip", has_text="outlet: Northbay Courier").is_visible()
    page.click("#results .quote-text")
    assert page.text_content("#quote") == f"“{FERRY}”"
    assert page.text_content("#resolved-by").startswith("named")
    # The article text around the quote, with the quote, cue and speaker mention marked.
    assert page.text_content("#context .quote") == FERRY
    assert page.text_content("#context .cue") == "said"
    assert page.text_content("#context .speaker") == "Varga"
    assert page.get_attribute("#original", "href") == "https://courier.example/pledge"
    shoot(page, "quote")
    page.click("#trace-link")
    outlets = page.locator("#appearances .outlet").all_text_contents()
    assert outlets == ["Saltmere Gazette", "Northbay Courier", "Coastline Radio"]
    assert "Harbour FM" in page.text_content("#stated-origin")
    assert page.locator("#relay-graph .arc").count() == 2
    shoot(page, "trace", full_page=True)
    page.click("#appearances .outlet >> nth=0")
    assert page.text_content("#title") == "Saltmere mayor promises ferry terminal will reopen"
    assert page.locator("#article-text .quote").count() == 2
    shoot(page, "article")


def test_act_and_setting_facets_and_the_quotation_page_marks_the_setting(page):
    page.goto("/?q=ferry+terminal")
    counted_total(page)
    assert page.locator("#facet-act li a").all_text_contents() == ["state", "promise"]
    page.click("#facet-setting >> text=interview")
    page.wait_for_url("**setting=interview*")
    assert page.text_content("#total") == "1"
    assert page.locator(".chip", has_text="setting: interview").is_visible()
    page.click("#results .quote-text")
    assert page.text_content("#act").strip() == "state"
    assert page.text_content("#setting").startswith("interview: “an interview with Harbour FM”")
    # The setting's words marked in the article text: the evidence for it.
    assert page.text_content("#context .setting") == "an interview with Harbour FM"
    page.click("#act a")  # every statement of the corpus
    page.wait_for_url("**act=state*")
    assert counted_total(page) == "35"


def test_verify_a_misremembered_quotation_and_download_its_claim_review(page):
    page.goto("/")
    page.click("nav >> text=Verify")
    page.fill("#verify-q", "the ferry terminal will open before the summer, whatever the ministry says")
    page.press("#verify-q", "Enter")
    page.wait_for_url("**/verify?q=*")
    assert page.text_content("#verdict").startswith("first published by Saltmere Gazette on 2025-03-03")
    assert page.locator("#copies .outlet").all_text_contents() == ["Saltmere Gazette", "Northbay Courier",
                                                                    "Coastline Radio"]
    assert page.locator("#copies .parent.stated").count() == 2
    assert "Harbour FM" in page.text_content("#outside")
    with page.expect_download() as download:
        page.click("#claimreview")
    review = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Quoted accurately"
    shoot(page, "verify", full_page=True)


def test_permalink_restores_the_view(page, browser, server):
    page.goto("/?q=dredging&mode=prefix&sort=relevance")
    page.click("#facet-min-confidence >> text=≥ 0.7")
    page.wait_for_url("**min_confidence=0.7*")
    page.click("#next")
    page.wait_for_url("**page=2*")  # the link's navigation ends after click() returns
    state = page.url
    first = page.locator("#results .quote-text").first.text_content()
    other = browser.new_page(base_url=server)  # a colleague opening the shared link
    try:
        other.goto(state)
        assert other.input_value("#q") == "dredging"
        assert other.input_value("#mode") == "prefix"
        assert other.input_value("#sort") == "relevance"
        assert other.locator(".chip", has_text="min confidence: 0.7").is_visible()
        assert other.locator("#results .quote-text").first.text_content() == first
        assert "page 2 of 2" in other.text_content(".pager")
    finally:
        other.close()


def test_timeline_bar_narrows_the_dates(page):
    page.goto("/?q=dredging")
    assert counted_total(page) == "30"
    page.locator("svg.timeline a").nth(4).click()  # 5 January
    assert page.input_value("#since") == "2025-01-05" and page.input_value("#until") == "2025-01-05"
    assert page.text_content("#total") == "1"


def test_export_downloads_every_match(page):
    page.goto("/?per_page=5")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 37
    assert "'" + FORMULA in {row["text"] for row in rows}
    with page.expect_download() as download:
        page.click("#export-jsonl")
    assert len(Path(download.value.path()).read_text(encoding="utf-8").splitlines()) == 37


def test_speaker_and_outlets_pages(page):
    page.goto("/?q=ferry")
    page.click("#facet-speaker >> text=Ilse Varga")
    page.click("#results .speaker-link >> nth=0")
    assert page.text_content("h1") == "Ilse Varga"
    assert "Mayor of Saltmere" in page.text_content(".titles")
    assert "carried by 3 outlets" in page.text_content(".speaker-profile")
    shoot(page, "speaker")
    page.click("nav >> text=Outlets")
    page.fill("#since", "2025-03-01")
    page.click("text=Apply")
    rows = page.locator("#outlets tbody tr")
    assert rows.count() == 3
    assert "Northbay Courier (1)" in page.locator("#outlets tr", has_text="Coastline Radio").text_content()
    shoot(page, "outlets")


def test_a_name_typed_in_the_box_is_suggested_and_finds_their_quotations(page):
    page.goto("/")
    page.locator("#q").press_sequentially("Var", delay=50)
    page.locator("#speaker-suggestions option").first.wait_for(state="attached")
    assert page.eval_on_selector_all("#speaker-suggestions option", "options => options.map(o => o.value)") == [
        "Ilse Varga"]
    page.fill("#q", "Ilse Varga")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=Ilse+Varga*")
    assert "Quotations by Ilse Varga" in page.text_content("#named")
    assert counted_total(page) == "33"
    assert set(page.locator("#results .speaker-link").all_text_contents()) == {"Ilse Varga"}
    page.click("#as-words")  # the words themselves instead: no quotation contains them
    assert page.locator("#no-results").is_visible()


def test_the_speaker_page_pages_through_their_quotations(page):
    page.goto("/speaker?name=Varga")
    assert page.text_content("h1") == "Ilse Varga"
    assert page.locator(".speaker-quotes .result").count() == 10
    newest = page.locator(".speaker-quotes .quote-text").first.text_content()
    page.click(".quotes-pager .older")
    assert page.locator(".speaker-quotes .result").count() == 10
    assert page.locator(".speaker-quotes .quote-text").first.text_content() != newest
    assert "quotations 11–20 of 33" in page.text_content(".quotes-pager")


NARROW_PAGES = ["/", "/?q=ferry", "/?q=Varga", "/speaker?name=Varga", "/outlets", "/analyse", "/?since=March",
                "/verify", "/verify?q=the+ferry+terminal+will+reopen+before+the+summer"]


def test_no_page_scrolls_sideways_on_a_390_pixel_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    try:
        phone = context.new_page()
        phone.goto("/?q=ferry")
        quote = phone.get_attribute("#results .quote-text", "href")
        article = phone.get_attribute("#results .article-link", "href")
        for url in [*NARROW_PAGES, quote, quote + "/trace", article]:
            phone.goto(url)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
        shoot(phone, "phone-search")
    finally:
        context.close()


def test_an_error_page_offers_the_search_box(browser, server):
    page = browser.new_page(base_url=server)  # not the checked fixture: the 404 it logs is the point
    try:
        assert page.goto("/quotes/99999").status == 404
        assert "no quotation 99999" in page.text_content("#error")
        page.fill("#q", "dredging")
        page.press("#q", "Enter")
        page.wait_for_url("**/?q=dredging*")
        assert counted_total(page) == "30"
    finally:
        page.close()


HOSTILE_PAGES = ["/?q=tested", "/?q=hyperlink", "/outlets", "/speaker?name=Nox"]


def test_hostile_text_names_outlets_and_meta_stay_text(page):
    page.goto("/?q=tested")
    quote_url = page.get_attribute("#results .quote-text", "href")
    page.click("#results .quote-text")
    article_url = page.get_attribute("#article-link", "href")
    for url in [*HOSTILE_PAGES, quote_url, quote_url + "/trace", article_url]:
        page.goto(url)
        assert page.evaluate("window.pwned") is None, url
        assert page.locator("img").count() == 0, url
        assert page.locator("a[href^='javascript']").count() == 0, url
        assert page.evaluate("document.scripts.length") == 1, url  # only /static/app.js
    # The payloads are shown as the text they are.
    assert "<script>window.pwned = 'text'</script>" in page.text_content("#meta")
    assert "javascript:window.pwned='url'" in page.text_content("#meta")
    assert "onerror" in page.text_content("#title")
    page.goto("/?q=tested")
    assert "<script>" in page.text_content("#results")


def test_content_security_policy_blocks_injected_script(browser, server):
    page = browser.new_page(base_url=server)  # not the checked fixture: this violation is the point
    try:
        response = page.goto("/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        blocked = page.evaluate("""() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', event => resolve(event.violatedDirective));
            const script = document.createElement('script');
            script.textContent = 'window.pwned = 1';
            document.body.appendChild(script);
            setTimeout(() => resolve(null), 2000);
        })""")
        assert blocked is not None and blocked.startswith("script-src")
        assert page.evaluate("window.pwned") is None
    finally:
        page.close()


def test_offline_api_docs(page):
    page.goto("/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/search").count() == 1
    shoot(page, "api-docs")


def test_analyse_pasted_text(page):
    page.goto("/analyse")
    page.fill("#text", "Harbour talks resume\n\n"
                       "“We will keep the ferry running through the winter,” said Harbour Master Jonas Ekberg "
                       "on Tuesday.\n")
    page.click("text=Extract quotations")
    page.wait_for_selector("#analysis", timeout=120_000)  # the first analysis loads the model
    row = page.locator("#extracted tbody tr").first.text_content()
    assert "Jonas Ekberg" in row and "We will keep the ferry running through the winter" in row
    assert page.locator("#analysis .quote").count() == 1
    shoot(page, "analyse")
