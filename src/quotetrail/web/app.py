"""The web app: server-rendered pages and a JSON API over corpus.queries, read-only.

Plain `def` handlers run in FastAPI's thread pool, each thread with its own
read-only SQLite connection (queries.Reader). Every state of a page is in its
URL, so any view is a permalink.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import parse_qs

import fastapi_offline
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..corpus import queries
from ..corpus.export import COLUMNS
from ..corpus.queries import SearchQuery
from ..corpus.schema import CorpusError
from ..corpus.search import MAX_SPEAKERS_PER_PAGE, SPEAKERS_PER_PAGE, QuoteRecord
from ..read import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES
from ..sanitize import spreadsheet_safe
from ..settings import Analysis
from .analyser import Analyser
from .render import templates

HERE = Path(__file__).parent
API = "/api/v1"
# Pages load only this site's own files; no inline script, no framing, forms post only here.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Swagger UI sets inline styles on its elements; its page alone allows them.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
ANALYSE_MAX_BYTES = DEFAULT_MAX_BYTES


def search_query(
        q: Annotated[str | None, Query(description="words to find in the quotation", max_length=500)] = None,
        mode: Annotated[Literal["words", "phrase", "prefix", "exact"],
                        Query(description="words: all of them; phrase: in this order; prefix: words starting so; "
                                          "exact: these exact characters")] = "words",
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        kind: Literal["direct", "mixed", "indirect"] | None = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        sort: Literal["date", "relevance"] = "date",
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=queries.MAX_PER_PAGE)] = 20,
        interval: Literal["day", "week"] | None = None) -> SearchQuery:
    return SearchQuery(q or None, mode, speaker or None, outlet or None, kind, since or None, until or None,
                       min_confidence, sort, page, per_page, interval)


Search = Annotated[SearchQuery, Depends(search_query)]


def _json(value: object) -> Response:
    """The dataclasses as JSON. The routes declare them as response_model, which documents the
    API; returning a Response skips re-validating every field on the way out."""
    data = [asdict(item) for item in value] if isinstance(value, list) else asdict(value)
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def _csv_lines(quotes: Iterator[QuoteRecord]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number, record in enumerate(quotes):
        row = asdict(record) | {"via": "; ".join(record.via)}
        writer.writerow([spreadsheet_safe(row[column]) for column in COLUMNS])
        if number % 200 == 199:  # a chunk per few hundred rows keeps the stream moving
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(quotes: Iterator[QuoteRecord]) -> Iterator[str]:
    for record in quotes:
        yield json.dumps(asdict(record), ensure_ascii=False) + "\n"


def create_app(db: str | Path, analyse_timeout: float = DEFAULT_DOC_TIMEOUT,
               analysis: Analysis | None = None) -> FastAPI:
    """The app over the corpus at db, opened read-only; CorpusError when it cannot be read.
    analyse_timeout: seconds for one extraction on the Analyse page and API (0: no limit);
    analysis: its models (default: from the environment)."""
    reader = queries.Reader(db)
    analyse = Analyser(analyse_timeout, analysis=analysis)
    app = FastAPI(title="quotetrail", version="1", docs_url=None, redoc_url=None,
                  description="Quotations from news articles: who said what, where, and who relayed it. Read-only.")
    app.router.add_event_handler("shutdown", analyse.close)
    app.mount("/static/swagger", StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"),
              name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status_code)

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, error: CorpusError) -> Response:
        status = 404 if isinstance(error, queries.NotFound) else 400
        if request.url.path.startswith(API):
            return JSONResponse({"error": str(error)}, status_code=status)
        return page(request, "error.html", status, message=str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        message = "; ".join(f"{'.'.join(str(part) for part in item['loc'][1:])}: {item['msg']}"
                            for item in error.errors())
        if request.url.path.startswith(API):
            return JSONResponse({"error": message}, status_code=422)
        return page(request, "error.html", 422, message=message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(API) or request.url.path.startswith("/static"):
            return JSONResponse({"error": str(error.detail)}, status_code=error.status_code)
        return page(request, "error.html", error.status_code, message=str(error.detail))

    # --- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, query: Search) -> HTMLResponse:
        return page(request, "search.html", result=queries.search(reader.conn, query))

    @app.get("/quotes/{quote_id}", response_class=HTMLResponse, include_in_schema=False)
    def quote_page(request: Request, quote_id: int) -> HTMLResponse:
        return page(request, "quote.html", detail=queries.quote(reader.conn, quote_id))

    @app.get("/quotes/{quote_id}/trace", response_class=HTMLResponse, include_in_schema=False)
    def trace_page(request: Request, quote_id: int) -> HTMLResponse:
        return page(request, "trace.html", view=queries.trace_quote(reader.conn, quote_id))

    @app.get("/trace", include_in_schema=False)
    def trace_by_text(request: Request, q: Annotated[str, Query(min_length=1, max_length=2000)]) -> Response:
        view = queries.trace_text(reader.conn, q)
        if view is None:
            return page(request, "error.html", 404, message=f"no stored quotation matches {q!r}")
        return RedirectResponse(f"/quotes/{view.quote_id}/trace", status_code=303)

    @app.get("/speaker", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)],
                     page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> HTMLResponse:
        return page(request, "speaker.html", name=name, views=queries.speakers(reader.conn, name, page_number))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request, since: str | None = None, until: str | None = None) -> HTMLResponse:
        return page(request, "outlets.html", since=since or "", until=until or "",
                    outlets=queries.outlets(reader.conn, since or None, until or None))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        return page(request, "article.html", article=queries.article(reader.conn, article_id))

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form(request: Request) -> HTMLResponse:
        return page(request, "analyse.html", text="", format="text", article=None, failure=None)

    @app.post("/analyse", response_class=HTMLResponse, include_in_schema=False)
    async def analyse_page(request: Request) -> HTMLResponse:
        # A plain urlencoded form: parse_qs reads it, no multipart parser needed.
        body = await _body(request)
        form = {name: values[0] for name, values in parse_qs(body.decode("utf-8", "replace")).items()}
        text, format = form.get("text", ""), form.get("format", "text")
        article, failure = await analyse(text, format == "html")
        return page(request, "analyse.html", text=text, format=format, article=article, failure=failure)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html")

    # --- API -------------------------------------------------------------------------------

    @app.get(f"{API}/search", tags=["search"], response_model=queries.SearchResult)
    def api_search(query: Search) -> Response:
        """A page of matching quotations, newest first or by relevance, with facet counts and a timeline."""
        return _json(queries.search(reader.conn, query))

    @app.get(f"{API}/export", tags=["search"], response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}})
    def api_export(query: Search, format: Literal["csv", "jsonl"] = "csv") -> StreamingResponse:
        """Every match of the search (paging ignored), streamed; CSV cells that a spreadsheet
        would run as formulas are prefixed with '."""
        conn = queries.connect_readonly(reader.path)  # its own: the stream outlives this thread's turn
        quotes = queries.matching(conn, query)
        first = next(quotes, None)  # a bad query fails here, as an error rather than a cut stream

        def everything() -> Iterator[QuoteRecord]:
            try:
                if first is not None:
                    yield first
                    yield from quotes
            finally:
                conn.close()

        lines = _csv_lines(everything()) if format == "csv" else _jsonl_lines(everything())
        media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
        return StreamingResponse(lines, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="quotetrail-export.{format}"'})

    @app.get(f"{API}/quotes/{{quote_id}}", tags=["quotations"], response_model=queries.QuoteDetail)
    def api_quote(quote_id: int) -> Response:
        """One quotation with its speaker, cue, how the speaker was resolved, and the article text around it."""
        return _json(queries.quote(reader.conn, quote_id))

    @app.get(f"{API}/quotes/{{quote_id}}/trace", tags=["quotations"], response_model=queries.TraceView)
    def api_trace_quote(quote_id: int) -> Response:
        """The same quotation across outlets, earliest first, with the relay graph and the origins articles state."""
        return _json(queries.trace_quote(reader.conn, quote_id))

    @app.get(f"{API}/trace", tags=["quotations"], response_model=queries.TraceView)
    def api_trace(q: Annotated[str, Query(min_length=1, max_length=2000)]) -> Response:
        """Trace a quotation by its words (as `quotetrail trace`)."""
        view = queries.trace_text(reader.conn, q)
        if view is None:
            raise queries.NotFound(f"no quotation matches {q!r}")
        return _json(view)

    @app.get(f"{API}/speakers", tags=["speakers"], response_model=list[queries.SpeakerView])
    def api_speakers(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)],
                     page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                     per_page: Annotated[int, Query(ge=1, le=MAX_SPEAKERS_PER_PAGE)] = SPEAKERS_PER_PAGE) -> Response:
        """The speakers a name may mean, most quoted first, with aliases, titles, quotations by
        month, cues, outlets; a page at a time (a bare surname may mean dozens). The
        `X-Total-Count` header says how many it may mean; `Link` gives the next page."""
        views = queries.speakers(reader.conn, name, page, per_page)
        response = _json(views)
        response.headers["X-Total-Count"] = str(views.total)
        if views.next_page is not None:
            response.headers["Link"] = f'<{request.url.include_query_params(page=views.next_page)}>; rel="next"'
        return response

    @app.get(f"{API}/outlets", tags=["outlets"], response_model=list[queries.OutletView])
    def api_outlets(since: str | None = None, until: str | None = None) -> Response:
        """Per-outlet counts in a date range, whom each quotes most and whom it relays."""
        return _json(queries.outlets(reader.conn, since, until))

    @app.get(f"{API}/articles/{{article_id}}", tags=["articles"], response_model=queries.ArticleView)
    def api_article(article_id: int) -> Response:
        """A stored article: its text, meta, sources and quotation spans."""
        return _json(queries.article(reader.conn, article_id))

    @app.post(f"{API}/analyse", tags=["analyse"])
    async def api_analyse(request: Request) -> dict:
        """Extract quotations from {"text": ...} or {"html": ...} without storing anything."""
        try:
            payload = json.loads(await _body(request))
        except ValueError:
            raise CorpusError("send a JSON object: {\"text\": ...} or {\"html\": ...}") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("text", payload.get("html")), str):
            raise CorpusError("send a JSON object: {\"text\": ...} or {\"html\": ...}")
        is_html = "html" in payload and "text" not in payload
        article, failure = await analyse(payload["html" if is_html else "text"], is_html)
        if failure:
            raise CorpusError(failure)
        return article.to_dict(include_text=True)

    return app


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > ANALYSE_MAX_BYTES:
            raise CorpusError(f"the text is larger than {ANALYSE_MAX_BYTES:,} bytes")
    return body

