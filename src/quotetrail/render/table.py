"""A readable terminal view: speaker | quote | cue | via, each row labelled by kind, and under a
quote, labelled, what the speaker did, to whom, where and about whom, where the text says more
than a plain statement. (A line of its own, not a column: the rows read as before.)"""
from __future__ import annotations

import shutil
import textwrap

from ..model import KINDS, QUOTATIONS, Article, Quote

HEADERS = ("speaker", "quote", "cue", "via")
# One letter per kind, shown before each quote: [d]irect, [m]ixed, [i]ndirect, [s]tance, [b]elief, [n]o comment.
LABELS = {kind: kind[0] for kind in KINDS}


def legend(article: Article) -> str:
    """The letters of the quotation kinds, and of the other kinds the article holds."""
    present = {quote.kind for quote in article.quotes}
    return " ".join(f"[{LABELS[kind]}]{kind[1:].replace('_', ' ')}" for kind in KINDS
                    if kind in QUOTATIONS or kind in present)


def _speaker_cell(quote: Quote) -> str:
    if quote.speaker is None:
        return "?"
    speaker = quote.speaker
    if speaker.mention.lower() in (speaker.name.lower(), f"the {speaker.name.lower()}"):
        return speaker.name
    return f"{speaker.name} ({speaker.mention})"


def described(quote: Quote) -> str:
    """"act: deny; to: reporters; setting: interview (Newsmax); about: the agency"; "" for a
    plain statement, said nowhere in particular, to and about nobody named."""
    parts = [f"act: {quote.act}"] if quote.act and quote.act != "state" else []
    if quote.addressee:
        parts.append(f"to: {quote.addressee.text}")
    if quote.setting:
        parts.append(f"setting: {quote.setting.kind.replace('_', ' ')} ({quote.setting.outlet or quote.setting.text})")
    if quote.target:
        parts.append(f"about: {quote.target.text}")
    return "; ".join(parts)


def _rows(article: Article) -> list[tuple[str, str, str, str]]:
    return [(_speaker_cell(q), f"[{LABELS[q.kind]}] {q.text}", q.cue.text if q.cue else "-",
             ", ".join(q.reported_by) or "-") for q in article.quotes]


def count_line(article: Article) -> str:
    """"5 quotations, 2 stances, 1 belief": the kinds an article holds, quotations first."""
    quotations = sum(quote.kind in ("direct", "mixed", "indirect") for quote in article.quotes)
    parts = [f"{quotations} quotation{'s' * (quotations != 1)}"]
    for kind, plural in (("stance", "stances"), ("belief", "beliefs"), ("no_comment", "no comments")):
        count = sum(quote.kind == kind for quote in article.quotes)
        if count:
            parts.append(f"{count} {plural if count != 1 else kind.replace('_', ' ')}")
    return ", ".join(parts)


def render_table(articles: list[Article], width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((120, 24)).columns
    out: list[str] = []
    for article in articles:
        source = article.meta.get("source") or article.meta.get("title") or "article"
        out.append(f"== {source}: {count_line(article)} ({legend(article)}) ==")
        rows = _rows(article)
        speaker_w = min(28, max([len(HEADERS[0])] + [len(r[0]) for r in rows]))
        cue_w = min(14, max([len(HEADERS[2])] + [len(r[2]) for r in rows]))
        via_w = min(16, max([len(HEADERS[3])] + [len(r[3]) for r in rows]))
        quote_w = max(30, width - speaker_w - cue_w - via_w - 9)
        widths = (speaker_w, quote_w, cue_w, via_w)
        line = "-+-".join("-" * w for w in widths)
        out.append(" | ".join(h.ljust(w) for h, w in zip(HEADERS, widths)))
        out.append(line)
        for row, quote in zip(rows, article.quotes):
            cells = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths)]
            lines = max(len(c) for c in cells)
            if extra := described(quote):  # after the row's own lines, which stay as they were
                cells = [c + [""] * (lines - len(c)) for c in cells]
                cells[1] += textwrap.wrap("↳ " + extra, quote_w)
            for i in range(max(len(c) for c in cells)):
                out.append(" | ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths)).rstrip())
        if article.sources:
            out.append("sources: " + "; ".join(f"{s.name} ({', '.join(s.roles)})" for s in article.sources))
        if article.furniture:
            out.append(f"furniture removed: {len(article.furniture)} lines")
        out.append("")
    return "\n".join(out)
