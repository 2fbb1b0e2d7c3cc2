"""A small corpus for the web tests, written for them (invented people and outlets) and stored
without spaCy: articles are built with their quotation spans, as extraction would give them."""
from __future__ import annotations

from pathlib import Path

from quotetrail.corpus import Corpus
from quotetrail.model import Article, Cue, Entity, Quote, Setting, Source, Speaker

FERRY = "The ferry terminal will reopen before the summer season, whatever the ministry decides"
# Hostile strings in every field a page shows: text, names, outlets, titles, URLs and meta.
SCRIPT = "<script>window.pwned = 'text'</script>"
IMG = '"><img src=x onerror="window.pwned=\'attr\'">'
JS_URL = "javascript:window.pwned='url'"
FORMULA = '=HYPERLINK("http://bad.example","click")'


LEMMAS = {"said": "say", "warned": "warn", "wrote": "write", "quoted": "quote"}


def _find(text: str, fragment: str, after: int = 0) -> tuple[int, int]:
    start = text.index(fragment, after)
    return start, start + len(fragment)


def article(text: str, quotes: list[tuple[str, str, str, str, str]], meta: dict, *, kind_of: dict | None = None,
            reported_by: dict | None = None, sources: list[Source] | None = None,
            entities: list[Entity] | None = None, confidence: float = 0.95,
            acts: dict | None = None) -> Article:
    """quotes: (quotation, speaker, mention, cue, kind) with every string a substring of text;
    acts: by quotation, (act, setting kind, setting words, outlet), as the describe stage gives them."""
    built = []
    for quote_text, speaker, mention, cue, kind in quotes:
        start, end = _find(text, quote_text)
        mention_start, mention_end = _find(text, mention)
        cue_start, cue_end = _find(text, cue, end if text.find(cue, end) >= 0 else 0)
        act, setting_kind, setting_words, outlet = (acts or {}).get(quote_text, ("state", None, None, None))
        setting = Setting(setting_kind, setting_words, *_find(text, setting_words), outlet) if setting_kind else None
        built.append(Quote(kind, quote_text, start, end, Speaker(speaker, mention, mention_start, mention_end, "named"),
                           Cue(cue, LEMMAS[cue], cue_start, cue_end),
                           (reported_by or {}).get(quote_text, []), confidence, act=act, setting=setting))
    names = {speaker for _, speaker, _, _, _ in quotes}
    return Article(text=text, quotes=built,
                   entities=entities or [Entity(name, "PERSON") for name in sorted(names)],
                   furniture=[], headings=[], sources=sources or [], meta=meta)


def articles() -> list[Article]:
    gazette = ("Saltmere mayor promises ferry terminal will reopen\n"
               f"“{FERRY},” Mayor Ilse Varga said on Monday at the harbour office.\n"
               "Councillor Tomasz Brenner said that the repair budget had doubled since January.\n")
    courier = ("Ferry pledge draws doubts in Northbay\n"
               f"In an interview with Harbour FM, Varga repeated: “{FERRY},” she said, according to the Saltmere Gazette.\n"
               "Port engineer Ada Okafor warned that the pier pilings were older than the plans admitted.\n")
    radio = ("Coastline Radio morning bulletin\n"
             f"“{FERRY}” — Ilse Varga, as quoted by the Northbay Courier.\n")
    hostile = (f"Hostile page {SCRIPT}\n"
               f"“We tested {SCRIPT} and {IMG} in a quotation,” Rex {IMG} Nox said at the lab.\n"
               f"“{FORMULA}” Rex {IMG} Nox wrote in a spreadsheet.\n")
    stored = [
        article(gazette, [(FERRY, "Ilse Varga", "Ilse Varga", "said", "direct"),
                          ("the repair budget had doubled since January", "Tomasz Brenner", "Tomasz Brenner", "said",
                           "indirect")],
                {"source": "gazette.txt", "sitename": "Saltmere Gazette", "date": "2025-03-03",
                 "title": "Saltmere mayor promises ferry terminal will reopen",
                 "url": "https://gazette.example/ferry", "bylines": ["By Nell Hart"]},
                acts={FERRY: ("promise", None, None, None)},
                entities=[Entity("Ilse Varga", "PERSON", ["Varga"], ["Mayor of Saltmere"]),
                          Entity("Tomasz Brenner", "PERSON", [], ["Councillor"])]),
        article(courier, [(FERRY, "Ilse Varga", "Varga", "said", "direct"),
                          ("the pier pilings were older than the plans admitted", "Ada Okafor", "Ada Okafor", "warned",
                           "indirect")],
                {"source": "courier.txt", "sitename": "Northbay Courier", "date": "2025-03-04",
                 "title": "Ferry pledge draws doubts in Northbay", "url": "https://courier.example/pledge",
                 "origin": [{"outlet": "Harbour FM", "evidence": "interview with Harbour FM", "start": 43, "end": 68}]},
                reported_by={FERRY: ["Saltmere Gazette"]},
                acts={FERRY: ("state", "interview", "an interview with Harbour FM", "Harbour FM"),
                      "the pier pilings were older than the plans admitted": ("warn", None, None, None)},
                sources=[Source("Harbour FM", ["origin"]), Source("Saltmere Gazette", ["relay"])]),
        article(radio, [(FERRY, "Ilse Varga", "Ilse Varga", "quoted", "direct")],
                {"source": "radio.txt", "sitename": "Coastline Radio", "date": "2025-03-10",
                 "title": "Coastline Radio morning bulletin", "url": "https://radio.example/bulletin"},
                reported_by={FERRY: ["Northbay Courier"]}, sources=[Source("Northbay Courier", ["relay"])]),
        article(hostile, [(f"We tested {SCRIPT} and {IMG} in a quotation", f"Rex {IMG} Nox", f"Rex {IMG} Nox", "said",
                           "direct"),
                          (FORMULA, f"Rex {IMG} Nox", f"Rex {IMG} Nox", "wrote", "direct")],
                {"source": "hostile.txt", "sitename": f"Outlet {SCRIPT}", "date": "2025-02-20",
                 "title": f"Title {IMG}", "url": JS_URL, "bylines": [f"By {SCRIPT}"]},
                sources=[Source(f"Wire {IMG}", ["relay"])], confidence=0.6),
    ]
    # Enough of one speaker over several weeks for paging and a timeline.
    for day in range(1, 31):
        text = (f"Harbour notes {day}\n"
                f"“Dredging of berth {day} starts on schedule,” Ilse Varga said in her weekly statement.\n")
        stored.append(article(text, [(f"Dredging of berth {day} starts on schedule", "Ilse Varga", "Ilse Varga",
                                      "said", "direct")],
                              {"source": f"notes-{day}.txt", "sitename": "Saltmere Gazette",
                               "date": f"2025-01-{day:02d}", "title": f"Harbour notes {day}"},
                              confidence=0.8, acts={f"Dredging of berth {day} starts on schedule": (
                                  "state", "statement", "her weekly statement", None)}))
    return stored


def build(path: Path) -> Path:
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles())
    return path
