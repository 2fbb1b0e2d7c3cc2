"""The web app: server-rendered pages and a JSON API over the read layer (corpus.read), read-only.

Plain `def` handlers run in FastAPI's thread pool and borrow one of a few read-only SQLite
connections (read.connection.Reader). Every state of a page is in its URL, so any view is a
permalink. Every answer, errors included, carries the security headers; a bad parameter is a
4xx (JSON under /api, else a page with the search box), never a 500.
"""
from __future__ import annotations

import csv
import inspect
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

import fastapi_offline
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..corpus.read import searching, verify, views
from ..corpus.read.connection import CorpusCache, Reader, connect_readonly
from ..corpus.read import fields
from ..corpus.read.fields import MAX_TEXT_CHARS, MAX_VALUE_CHARS, MODES, SORTS, NotFound, Search, parse_filters
from ..corpus.read.planner import Frequencies, find
from ..corpus.read.records import PUBLIC_FLAT_FIELDS, QuoteRecord, flat, public, quotes_by_id
from ..corpus.read.views import MAX_SPEAKERS_PER_PAGE, SPEAKERS_PER_PAGE
from ..corpus.schema import CorpusError, quotation_count
from ..read import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES
from ..sanitize import spreadsheet_safe
from ..settings import Analysis
from .analyser import Analyser, Busy
from .render import templates

HERE = Path(__file__).parent
API = "/api/v1"
# Pages load only this site's own files; no inline script, no framing, forms post only here.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Swagger UI sets inline styles on its elements; its page alone allows them.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
ANALYSE_MAX_BYTES = DEFAULT_MAX_BYTES
# Names this server answers to: a page fetched through another name (DNS rebinding) is refused.
LOCAL_HOSTS = ("127.0.0.1", "localhost")
MAX_ID = 2**63 - 1  # SQLite's integers
MAX_PER_PAGE = 100
MAX_PAGE = searching.MAX_ROWS
SPEAKER_QUOTES_PER_PAGE = 10
SPEAKER_CACHE_SIZE = 512  # profiles and pages of quotations, a few kB each
MAX_QUOTE_CHARS = 2000  # a pasted quotation (verify, trace)
CLAIM_REVIEWER = "quotetrail"  # a ClaimReview's author when the download names none

QuoteId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
ArticleId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
QuoteWords = Annotated[str, Query(min_length=1, max_length=MAX_QUOTE_CHARS,
                                  description="the quotation's words, even partial or slightly wrong")]
SaidBy = Annotated[str | None, Query(max_length=MAX_VALUE_CHARS, description="the person it is said to be by")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def _search_params() -> inspect.Signature:
    """The search's query parameters: the words, how to match and order them, paging, and
    one per entry of read.fields.FILTERS (so a new filter is a new parameter, documented)."""
    params = [
        inspect.Parameter("q", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            str | None, Query(description='words to find; a speaker\'s name finds their quotations (mode=auto); '
                                          'speaker:NAME or speaker:"FIRST LAST" filters by speaker',
                              max_length=MAX_TEXT_CHARS)]),
        inspect.Parameter("mode", inspect.Parameter.KEYWORD_ONLY, default="auto", annotation=Annotated[
            Literal[MODES], Query(description="auto: a speaker's name means their quotations, else words; words: "
                                              "all of them; phrase: in this order; prefix: words starting so; "
                                              "exact: these exact characters")]),
        inspect.Parameter("sort", inspect.Parameter.KEYWORD_ONLY, default="newest",
                          annotation=Annotated[Literal[SORTS], Query()]),
        inspect.Parameter("page", inspect.Parameter.KEYWORD_ONLY, default=1, annotation=PageNumber),
        inspect.Parameter("per_page", inspect.Parameter.KEYWORD_ONLY, default=20,
                          annotation=Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]),
        inspect.Parameter("interval", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[Literal["day", "week", "month", "year"] | None,
                                               Query(description="the timeline's buckets (default: from its span)")]),
    ]
    for entry in fields.FILTERS:
        kind = Literal[entry.choices] if entry.choices else str
        params.append(inspect.Parameter(entry.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            kind | None, Query(description=entry.help, max_length=None if entry.choices else MAX_VALUE_CHARS)]))
    return inspect.Signature(params, return_annotation=Search)


def _search_request() -> object:
    """A FastAPI dependency making a Search from the query parameters (see _search_params),
    made when the app is: the filters are those of read.fields.FILTERS then."""
    def search_request(**given: object) -> Search:
        per_page, page = int(given.pop("per_page")), int(given.pop("page"))
        text, mode, sort, interval = (given.pop(name) for name in ("q", "mode", "sort", "interval"))
        return Search(text or None, str(mode), parse_filters(given), str(sort), (page - 1) * per_page, per_page,
                      interval=interval or None)

    search_request.__signature__ = _search_params()
    return search_request


def _public_fields(pairs: list[tuple[str, object]]) -> dict:
    """asdict's dict_factory: a quotation leaves out the ingesting machine's path of its input."""
    data = dict(pairs)
    if "cluster_id" in data and "article_id" in data:
        data.pop("source", None)
    return data


def _json(value: object, status_code: int = 200) -> Response:
    """The dataclasses as JSON. The routes declare them as response_model, which documents the
    API; returning a Response skips re-validating every field on the way out."""
    data = ([asdict(item, dict_factory=_public_fields) for item in value] if isinstance(value, list)
            else asdict(value, dict_factory=_public_fields))
    return Response(json.dumps(data, ensure_ascii=False), status_code=status_code, media_type="application/json")


BOM = "\ufeff"  # spreadsheets read the file as UTF-8 with it


def _csv_lines(quotes: Iterator[QuoteRecord]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(PUBLIC_FLAT_FIELDS)
    for number, record in enumerate(quotes):
        row = flat(record)
        writer.writerow([spreadsheet_safe(row[column]) for column in PUBLIC_FLAT_FIELDS])
        if number % 200 == 199:  # a chunk per few hundred rows keeps the stream moving
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(quotes: Iterator[QuoteRecord]) -> Iterator[str]:
    for record in quotes:
        yield json.dumps(public(record), ensure_ascii=False) + "\n"


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith(("/api/", "/static", "/openapi.json")):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _security_headers(path: str) -> dict[str, str]:
    return {"Content-Security-Policy": DOCS_CSP if path == "/docs" else CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",  # (no-referrer would make a browser's Origin "null")
            "X-Frame-Options": "DENY"}


def _secure(request: Request, response: Response) -> Response:
    response.headers.update(_security_headers(request.url.path))
    return response


class SecurityHeaders:
    """Every answer's security headers, set on its start message: plain ASGI, since Starlette's
    @app.middleware("http") runs each request through a task group and memory streams."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(_security_headers(scope["path"]))
            await send(message)

        await self.app(scope, receive, secured)


def _same_origin(request: Request) -> bool:
    """Whether a POST comes from this site's own pages (or from no browser page at all): a
    browser's Sec-Fetch-Site must say so; a browser without it must send an Origin naming this host."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.headers.get("host")


def create_app(db: str | Path, analyse_timeout: float = DEFAULT_DOC_TIMEOUT, analysis: Analysis | None = None,
               allowed_hosts: Sequence[str] = ()) -> FastAPI:
    """The app over the corpus at db, opened read-only; CorpusError when it cannot be read.
    analyse_timeout: seconds for one extraction on the Analyse page and API (0: no limit);
    analysis: its models (default: from the environment); allowed_hosts: names it answers
    to besides this machine's (a Host header naming another gets 400)."""
    reader = Reader(db)
    frequencies = Frequencies()
    count_cache = searching.CountCache()
    # Speaker pages' profiles and quotations, by speaker: a profile reads their latest 100
    # quotations, and a name several speakers share shows five.
    speaker_cache = CorpusCache(SPEAKER_CACHE_SIZE)
    searched = Depends(_search_request())
    with reader.connection() as conn:
        frequencies(conn)  # read now: the first search would wait for it
    analyse = Analyser(analyse_timeout, analysis=analysis)
    app = FastAPI(title="quotetrail", version="1", docs_url=None, redoc_url=None,
                  description="Quotations from news articles: who said what, where, and who relayed it. Read-only.")
    app.router.add_event_handler("shutdown", analyse.close)
    app.mount("/static/swagger", StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"),
              name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Added first, so the security headers' middleware (added next, outside it) covers its 400s.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOCAL_HOSTS, *allowed_hosts])

    app.add_middleware(SecurityHeaders)

    def page(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status_code)

    def failure(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        if _wants_json(request):
            response = JSONResponse({"error": message}, status_code=status, headers=headers)
        else:
            response = page(request, "error.html", status, message=message)
            response.headers.update(headers or {})
        return response

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, error: CorpusError) -> Response:
        return failure(request, 404 if isinstance(error, NotFound) else 400, str(error))

    @app.exception_handler(Busy)
    async def busy(request: Request, error: Busy) -> Response:
        return failure(request, 503, str(error), {"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        message = "; ".join(f"{'.'.join(str(part) for part in item['loc'][1:])}: {item['msg']}"
                            for item in error.errors())
        return failure(request, 422, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return failure(request, error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Outside the middleware: its headers are set here.
        return _secure(request, failure(request, 500, "something went wrong on the server"))

    def results(conn, request: Search, counted: bool) -> searching.SearchResult:
        if counted:  # the search page shows every facet; the API counts those asked for
            request.facets, request.timeline = fields.facets(), True
        return searching.search(conn, request, frequencies(conn), cache=count_cache)

    # --- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, query: Search = searched,
                    counts: Annotated[bool, Query(description="count facets and dates in the page")] = False
                    ) -> HTMLResponse:
        with reader.connection() as conn:
            result = results(conn, query, counted=counts)
        return page(request, "search.html", result=result, filters=fields.FILTERS, counts=counts)

    @app.get("/counts", response_class=HTMLResponse, include_in_schema=False)
    def counts_fragment(request: Request, query: Search = searched) -> HTMLResponse:
        """The search page's facets and timeline, which it fetches once its results show."""
        with reader.connection() as conn:
            result = results(conn, query, counted=True)
        as_search_page = Request({**request.scope, "path": "/"})  # links in it lead to the search page
        return page(as_search_page, "counts.html", result=result, filters=fields.FILTERS)

    @app.get("/quotes/{quote_id}", response_class=HTMLResponse, include_in_schema=False)
    def quote_page(request: Request, quote_id: QuoteId) -> HTMLResponse:
        with reader.connection() as conn:
            return page(request, "quote.html", detail=views.quote(conn, quote_id))

    @app.get("/quotes/{quote_id}/trace", response_class=HTMLResponse, include_in_schema=False)
    def trace_page(request: Request, quote_id: QuoteId) -> HTMLResponse:
        with reader.connection() as conn:
            view = views.trace_quote(conn, quote_id)
            answer = verify.verify_quote(conn, quote_id)
        return page(request, "trace.html", view=view, answer=answer,
                    claim_query=urlencode({"q": view.appearances[0].text}))

    @app.get("/verify", response_class=HTMLResponse, include_in_schema=False)
    def verify_page(request: Request, q: Annotated[str | None, Query(max_length=MAX_QUOTE_CHARS)] = None,
                    speaker: SaidBy = None) -> HTMLResponse:
        answer = None
        if q and q.strip():
            with reader.connection() as conn:
                answer = verify.verify(conn, q, speaker or None, frequencies(conn))
        claim = urlencode({"q": q, **({"speaker": speaker} if speaker else {})}) if q else ""
        return page(request, "verify.html", q=q, speaker=speaker, answer=answer, claim_query=claim)

    @app.get("/trace", include_in_schema=False)
    def trace_by_text(request: Request, q: Annotated[str, Query(min_length=1, max_length=2000)]) -> Response:
        with reader.connection() as conn:
            view = views.trace_text(conn, q)
        if view is None:
            raise NotFound(f"no stored quotation matches {q!r}")
        return RedirectResponse(f"/quotes/{view.quote_id}/trace", status_code=303)

    @app.get("/speaker", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, name: Annotated[str, Query(min_length=1, max_length=MAX_VALUE_CHARS)],
                     page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
                     quotes_page: Annotated[int, Query(ge=1, le=MAX_PAGE // SPEAKER_QUOTES_PER_PAGE)] = 1
                     ) -> HTMLResponse:
        with reader.connection() as conn:
            sample = frequencies(conn)
            found = views.speakers(conn, name, sample, page_number, cache=speaker_cache)

            def their_quotes(speaker: int) -> searching.SearchResult:
                return searching.search(conn, Search(speaker_ids=[speaker], limit=SPEAKER_QUOTES_PER_PAGE,
                                                     offset=(quotes_page - 1) * SPEAKER_QUOTES_PER_PAGE), sample,
                                        cache=count_cache)

            said = {view.id: speaker_cache.kept(conn, ("quotes", view.id, quotes_page), partial(their_quotes, view.id))
                    for view in found}
        return page(request, "speaker.html", name=name, views=found, said=said, quotes_page=quotes_page)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request, since: Annotated[str | None, Query(max_length=20)] = None,
                     until: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
        with reader.connection() as conn:
            found = views.outlets(conn, since or None, until or None)
        return page(request, "outlets.html", since=since or "", until=until or "", outlets=found)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
        with reader.connection() as conn:
            return page(request, "article.html", article=views.article(conn, article_id))

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form(request: Request) -> HTMLResponse:
        return page(request, "analyse.html", text="", format="text", article=None, failure=None)

    @app.post("/analyse", response_class=HTMLResponse, include_in_schema=False)
    async def analyse_page(request: Request) -> HTMLResponse:
        if not _same_origin(request):
            return failure(request, 403, "analyse takes forms from this site's own page only")
        # A plain urlencoded form: parse_qs reads it, no multipart parser needed.
        body = await _body(request)
        form = {name: values[0] for name, values in parse_qs(body.decode("utf-8", "replace")).items()}
        text, format = form.get("text", ""), form.get("format", "text")
        article, problem = await analyse(text, format == "html")
        return page(request, "analyse.html", text=text, format=format, article=article, failure=problem)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html")

    # --- API -------------------------------------------------------------------------------

    @app.get(f"{API}/search", tags=["search"], response_model=searching.SearchResult)
    def api_search(query: Search = searched,
                   facets: Annotated[str | None, Query(
                       description=f"facets to count, comma-separated: {', '.join(fields.facets())} (counted over the first "
                                   f"{searching.COUNTED:,} hits)", max_length=200)] = None,
                   timeline: Annotated[bool, Query(description="count the hits by day, week, month or year")] = False
                   ) -> Response:
        """A page of matching quotations, newest first, oldest first or by relevance; facets and a
        timeline when asked. `total` is exact when `total_exact`, else a lower bound."""
        query = replace(query, facets=tuple(name.strip() for name in (facets or "").split(",") if name.strip()),
                        timeline=timeline)  # (replace checks the facets' names)
        with reader.connection() as conn:
            return _json(searching.search(conn, query, frequencies(conn), cache=count_cache))

    @app.get(f"{API}/export", tags=["search"], response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}})
    def api_export(query: Search = searched, format: Literal["csv", "jsonl"] = "csv") -> StreamingResponse:
        """Every match of the search (paging ignored), streamed; CSV starts with a byte-order mark
        (spreadsheets read it as UTF-8) and cells a spreadsheet would run as formulas are prefixed with '."""
        conn = connect_readonly(reader.path)  # its own: the stream outlives this request's turn
        try:
            query.offset = 0
            searching.apply_name(conn, query)  # what the page shows: a name means its speaker's quotations
            ids = find(conn, query, frequencies(conn), quotation_count(conn))
        except BaseException:
            conn.close()
            raise

        def everything() -> Iterator[QuoteRecord]:
            try:
                for start in range(0, len(ids), 500):
                    yield from quotes_by_id(conn, ids[start:start + 500])
            finally:
                conn.close()

        lines = _csv_lines(everything()) if format == "csv" else _jsonl_lines(everything())
        media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
        return StreamingResponse(lines, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="quotetrail-export.{format}"'})

    @app.get(f"{API}/quotes/{{quote_id}}", tags=["quotations"], response_model=views.QuoteDetail)
    def api_quote(quote_id: QuoteId) -> Response:
        """One quotation with its speaker, cue, how the speaker was resolved, and the article text around it."""
        with reader.connection() as conn:
            return _json(views.quote(conn, quote_id))

    @app.get(f"{API}/quotes/{{quote_id}}/trace", tags=["quotations"], response_model=views.TraceView)
    def api_trace_quote(quote_id: QuoteId) -> Response:
        """The same quotation across outlets, earliest first, with the relay graph and the origins articles state."""
        with reader.connection() as conn:
            return _json(views.trace_quote(conn, quote_id))

    @app.get(f"{API}/trace", tags=["quotations"], response_model=views.TraceView)
    def api_trace(q: Annotated[str, Query(min_length=1, max_length=2000)]) -> Response:
        """Trace a quotation by its words (as `quotetrail trace`)."""
        with reader.connection() as conn:
            view = views.trace_text(conn, q)
        if view is None:
            raise NotFound(f"no quotation matches {q!r}")
        return _json(view)

    @app.get(f"{API}/verify", tags=["quotations"])
    def api_verify(q: QuoteWords, speaker: SaidBy = None) -> Response:
        """Did someone really say this, and where first? The verdict, the earliest copy, the stated
        origin, whom the copies credit and every copy's variant, changes and parent (as `quotetrail
        verify`); `found` is false when no stored quotation matches."""
        with reader.connection() as conn:
            answer = verify.verify(conn, q, speaker or None, frequencies(conn))
        return Response(json.dumps(answer, ensure_ascii=False), media_type="application/json")

    @app.get(f"{API}/verify/claimreview", tags=["quotations"])
    def api_claim_review(q: QuoteWords, speaker: SaidBy = None,
                         reviewer: Annotated[str, Query(min_length=1, max_length=MAX_VALUE_CHARS,
                                                        description="the organisation publishing the review")]
                         = CLAIM_REVIEWER) -> Response:
        """The verdict as schema.org ClaimReview JSON-LD, for a fact-checker's publishing tool (a download)."""
        with reader.connection() as conn:
            answer = verify.verify(conn, q, speaker or None, frequencies(conn))
        return Response(json.dumps(verify.claim_review(answer, reviewer), ensure_ascii=False, indent=2),
                        media_type="application/ld+json", headers={
                            "Content-Disposition": 'attachment; filename="quotetrail-claimreview.jsonld"'})

    @app.get(f"{API}/speakers", tags=["speakers"], response_model=list[views.SpeakerView])
    def api_speakers(request: Request, name: Annotated[str, Query(min_length=1, max_length=MAX_VALUE_CHARS)],
                     page: PageNumber = 1,
                     per_page: Annotated[int, Query(ge=1, le=MAX_SPEAKERS_PER_PAGE)] = SPEAKERS_PER_PAGE) -> Response:
        """The speakers a name may mean, most quoted first, from the figures kept at ingest, with
        titles, cues and quotations by month over their latest quotations; a page at a time (a
        bare surname may mean dozens). `X-Total-Count` says how many it may mean; `Link` gives the next page."""
        with reader.connection() as conn:
            found = views.speakers(conn, name, frequencies(conn), page, per_page, cache=speaker_cache)
        response = _json(found)
        response.headers["X-Total-Count"] = str(found.total)
        if found.next_page is not None:
            response.headers["Link"] = f'<{request.url.include_query_params(page=found.next_page)}>; rel="next"'
        return response

    @app.get(f"{API}/speakers/suggest", tags=["speakers"], response_model=list[views.SpeakerMatch])
    def api_suggest(q: Annotated[str, Query(max_length=MAX_VALUE_CHARS)] = "") -> Response:
        """Speakers whose name or one of its words starts with q, most quoted first (the search box's suggestions)."""
        with reader.connection() as conn:
            return _json(views.suggest_speakers(conn, q))

    @app.get(f"{API}/outlets", tags=["outlets"], response_model=list[views.OutletView])
    def api_outlets(since: Annotated[str | None, Query(max_length=20)] = None,
                    until: Annotated[str | None, Query(max_length=20)] = None) -> Response:
        """Per-outlet counts in a date range, whom each quotes most and whom it relays."""
        with reader.connection() as conn:
            return _json(views.outlets(conn, since or None, until or None))

    @app.get(f"{API}/articles/{{article_id}}", tags=["articles"], response_model=views.ArticleView)
    def api_article(article_id: ArticleId) -> Response:
        """A stored article: its text, meta, sources and quotation spans."""
        with reader.connection() as conn:
            return _json(views.article(conn, article_id))

    @app.post(f"{API}/analyse", tags=["analyse"])
    async def api_analyse(request: Request) -> dict:
        """Extract quotations from {"text": ...} or {"html": ...} without storing anything. At most
        a few wait their turn; past that the answer is 503 (retry after Retry-After seconds)."""
        if not _same_origin(request):
            return failure(request, 403, "analyse takes requests from this site's own pages only")
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return failure(request, 415, "send JSON (Content-Type: application/json)")
        try:
            payload = json.loads(await _body(request))
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deep to parse
            raise CorpusError("send a JSON object: {\"text\": ...} or {\"html\": ...}") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("text", payload.get("html")), str):
            raise CorpusError("send a JSON object: {\"text\": ...} or {\"html\": ...}")
        is_html = "html" in payload and "text" not in payload
        article, problem = await analyse(payload["html" if is_html else "text"], is_html)
        if problem:
            raise CorpusError(problem)
        return article.to_dict(include_text=True)

    return app


async def _body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > ANALYSE_MAX_BYTES:
            raise CorpusError(f"the text is larger than {ANALYSE_MAX_BYTES:,} bytes")
    return b"".join(chunks)
