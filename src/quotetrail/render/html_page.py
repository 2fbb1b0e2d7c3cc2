"""A self-contained HTML page: every attribution highlighted and coloured by
speaker, its kind drawn apart (the line under it), its act in its title, cue,
speaker mention, addressee, setting and target marked, with legends. All
article text is escaped."""
from __future__ import annotations

from html import escape

from ..model import KINDS, Article
from .table import count_line

PALETTE = ["#ffe08a", "#a7e3ff", "#c6f0b5", "#ffc4d6", "#d9c8ff", "#ffd2a8", "#b8f2e6", "#f3d9b1"]
UNKNOWN = "#e6e6e6"
KIND_NAMES = {"direct": "direct quote", "mixed": "mixed quote", "indirect": "indirect quote",
              "stance": "stance", "belief": "belief", "no_comment": "no comment"}
STYLE = """
body { font-family: Georgia, serif; max-width: 52rem; margin: 2rem auto; line-height: 1.55; color: #222; }
article { margin-bottom: 3rem; } p { white-space: pre-wrap; margin: 0 0 .8rem; }
.quote { border-radius: 3px; padding: 0 1px; } .quote.indirect { border-bottom: 2px dotted #555; }
.quote.mixed { border-bottom: 2px dashed #555; } .quote.stance { border-bottom: 3px solid #d9480f; }
.quote.belief { border-bottom: 3px solid #5f3dc4; font-style: italic; } .quote.no_comment { border-bottom: 3px double #868e96; }
.kinds span { margin-right: .6rem; } .cue { font-weight: bold; text-decoration: underline; }
.speaker { outline: 2px solid #333; border-radius: 3px; } .furniture { color: #999; text-decoration: line-through; }
.heading { font-weight: bold; font-size: 1.1rem; } .legend span { display: inline-block; margin: 0 .6rem .3rem 0; padding: 0 .3rem; border-radius: 3px; }
.meta { color: #666; font-size: .9rem; }
.addressee { border-bottom: 3px solid #1a7f37; } .setting { border-bottom: 3px double #0969da; } .target { border-bottom: 3px solid #cf222e; }
"""


def _colours(article: Article) -> dict[str, str]:
    speakers = list(dict.fromkeys(q.speaker.name for q in article.quotes if q.speaker))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(speakers)}


def _marks(article: Article, colours: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, inline style/title) for every highlighted span."""
    marks = []
    for block in article.furniture:
        marks.append((block.start, block.end, "furniture", ""))
    for block in article.headings:
        marks.append((block.start, block.end, "heading", ""))
    for quote in article.quotes:
        name = quote.speaker.name if quote.speaker else "unknown speaker"
        via = f" via {', '.join(quote.reported_by)}" if quote.reported_by else ""
        colour = colours.get(name, UNKNOWN)
        act = f"; {quote.act}" + (f", PLOVER {quote.plover}" if quote.plover else "") if quote.act else ""
        marks.append((quote.start, quote.end, f"quote {quote.kind}",
                      f'style="background:{colour}" title="{escape(f"{name}{via} ({KIND_NAMES[quote.kind]}{act})")}"'))
        if quote.cue:
            marks.append((quote.cue.start, quote.cue.end, "cue", ""))
        if quote.speaker and quote.speaker.end > quote.speaker.start:
            marks.append((quote.speaker.start, quote.speaker.end, "speaker", ""))
        for css, part, label in (("addressee", quote.addressee, "to whom"), ("setting", quote.setting, "setting"),
                                 ("target", quote.target, "about whom")):
            if part is not None and part.end > part.start:
                if css == "setting":
                    label += f": {part.kind.replace('_', ' ')}" + (f" ({part.outlet})" if part.outlet else "")
                marks.append((part.start, part.end, css, f'title="{escape(label)}"'))
    return list(dict.fromkeys(marks))  # a setting many quotations share is marked once


def _highlight(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """Split the text at every mark boundary, wrap each piece in the marks covering it."""
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks),
                   *newlines, *(i + 1 for i in newlines)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        piece = escape(text[start:end])
        if piece == "\n":  # paragraph breaks stay outside every span
            pieces.append(piece)
            continue
        for mark_start, mark_end, css, attributes in marks:
            if mark_start <= start and end <= mark_end:
                piece = f'<span class="{css}" {attributes}>{piece}</span>'
        pieces.append(piece)
    return "".join(pieces)


def _article_html(article: Article) -> str:
    colours = _colours(article)
    body = _highlight(article.text, _marks(article, colours))
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    legend = "".join(f'<span style="background:{colour}">{escape(name)}</span>' for name, colour in colours.items())
    sources = "; ".join(f"{escape(s.name)} ({escape(', '.join(s.roles))})" for s in article.sources)
    title = escape(str(article.meta.get("title") or article.meta.get("source") or "Article"))
    return (f"<article><h2>{title}</h2><div class=\"legend\">Speakers: {legend} "
            f"<span class=\"cue\">cue</span> <span class=\"speaker\">speaker mention</span> "
            f"<span class=\"addressee\">to whom</span> <span class=\"setting\">setting</span> "
            f"<span class=\"target\">about whom</span> <span class=\"furniture\">furniture</span></div>"
            f"<div class=\"legend kinds\">Kinds: {KIND_LEGEND}</div>"
            f"<p class=\"meta\">{escape(count_line(article))}. Sources: {sources or 'none stated'}</p>"
            f"{paragraphs}</article>")


KIND_LEGEND = "".join(f'<span class="legend-kind quote {kind}">{KIND_NAMES[kind]}</span>' for kind in KINDS)


def render_html(articles: list[Article]) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>quotetrail</title>"
            f"<style>{STYLE}</style></head><body>"
            + "".join(_article_html(article) for article in articles) + "</body></html>\n")
