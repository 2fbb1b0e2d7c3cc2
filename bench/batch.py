"""Batch throughput on saved web pages, the way users hold articles.

Writes N HTML pages into a temporary directory: articles recombined from the
bundled samples (bench/throughput.py's make_articles) wrapped in realistic page
chrome (scripts, cookie banner, navigation, header, byline, share links, inline
"read more" links, related stories, newsletter box, footer), in a few outlet
layouts. Then, each in a fresh process:

- the extraction stage alone: read the directory, HTML → text and metadata
  with trafilatura, language gate (what the workers do before the pipeline);
- the whole batch end to end (read, extract, pipeline) with 1 and 2 workers.

Prints documents/s, peak RSS (MB, the largest process) and the share of the
end-to-end time (1 worker) spent in HTML extraction. Model loading is left out
of the 1-worker timing; with 2 workers the pool starts (and loads the model)
inside the timing, as in bench/throughput.py.

    python bench/batch.py [--pages 2000] [--words 400]
"""
from __future__ import annotations

import argparse
import html
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import make_articles, peak_rss_mb

OUTLETS = ["Daily Meridian", "Coastline Radio", "The Harbour Post", "Northern Ledger", "Valley Courier"]
SECTIONS = ["World", "Politics", "Business", "Climate", "Science", "Sport", "Culture", "Opinion", "Travel",
            "Health", "Technology", "Education", "Local", "Weather", "Podcasts", "Video", "Obituaries"]
RELATED = ["Ferry fares to rise in spring", "Council votes on new bus lanes", "Dockworkers mark 50 years of union",
           "Storm warning for the coast", "Port profits fall for second year", "Fishermen protest quota cuts",
           "New terminal opens to cruise ships", "Rail link to harbour delayed again", "Mayor unveils budget plan"]


def _links(items: list[str]) -> str:
    return "".join(f'<li><a href="/{item.lower().replace(" ", "-")}">{html.escape(item)}</a></li>' for item in items)


def _state(number: int, rng: random.Random) -> str:
    """The front-end framework's inline state, which real pages carry by the tens of kilobytes."""
    teasers = [{"id": f"{number}-{index}", "headline": rng.choice(RELATED), "url": f"/story/{number}/{index}",
                "image": {"src": f"/img/{index}.jpg", "width": 640, "height": 360}, "section": rng.choice(SECTIONS)}
               for index in range(150)]
    return json.dumps({"page": {"id": number, "type": "article"}, "teasers": teasers})


def make_page(number: int, article: str, rng: random.Random) -> str:
    """One article in the furniture of a news site, in one of a few layouts."""
    outlet = rng.choice(OUTLETS)
    paragraphs = [line for line in article.splitlines() if line.strip()]
    title = " ".join(paragraphs[0].split()[:9]).rstrip(",.;:“”\"")
    body = []
    for index, paragraph in enumerate(paragraphs):
        body.append(f"<p>{html.escape(paragraph)}</p>")
        if index == 3:
            body.append(f'<p class="read-more"><strong>Read more:</strong> <a href="/r{number}">'
                        f"{html.escape(rng.choice(RELATED))}</a></p>")
        if index == 6:
            body.append('<div class="ad-slot"><span>Advertisement</span></div>')
    share = ('<div class="share"><span>Share this article</span> <a href="#">Facebook</a> '
             '<a href="#">Twitter</a> <a href="#">Email</a> <a href="#">Copy link</a></div>')
    date = f"2024-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
    byline = f'<p class="byline">By <a rel="author" href="/staff/{number % 40}">Staff Reporter {number % 40}</a></p>'
    story = (f'<h1 class="headline">{html.escape(title)}</h1>{byline}<time datetime="{date}">{date}</time>'
             f'{share}{"".join(body)}{share}')
    article_block = (f'<article class="story">{story}</article>' if number % 3 else
                     f'<div id="content"><div class="story-body">{story}</div></div>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {outlet}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{html.escape(paragraphs[0][:150])}">
<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" content="{date}T08:00:00Z">
<link rel="canonical" href="https://news.example/{number}"><link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": date})}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
gtag('js', new Date()); var ads = {{slots: ["top", "mid", "bottom"], lazy: true}};</script>
<script>window.__STATE__ = {_state(number, rng)};</script>
<style>.story p {{ line-height: 1.6 }} .share a {{ margin: 0 4px }} nav li {{ display: inline }}</style></head>
<body><div id="cookie-banner">We use cookies to improve your experience. <button>Accept all</button>
<button>Manage preferences</button></div>
<header><a class="logo" href="/">{outlet}</a><nav><ul>{_links(rng.sample(SECTIONS, 12))}</ul>
<div class="mega-menu">{"".join(f"<ul>{_links([f'{section} {topic}' for topic in RELATED])}</ul>"
                                for section in SECTIONS)}</div></nav>
<div class="ticker">Breaking: {html.escape(rng.choice(RELATED))}</div><form><input placeholder="Search"></form></header>
<main>{article_block}
<aside class="related"><h2>Related stories</h2><ul>{_links(rng.sample(RELATED, 6))}</ul></aside>
<section class="newsletter"><h3>Sign up for our morning briefing</h3><p>The news you need, in your inbox by 7am.</p>
<input type="email" placeholder="Your email"><button>Subscribe</button></section></main>
<footer><ul>{_links(["About us", "Contact", "Careers", "Advertise", "Privacy policy", "Terms of use"])}</ul>
<p>© 2024 {outlet}. All rights reserved.</p></footer>
<script src="/static/app.js" async></script></body></html>"""


def write_pages(directory: Path, count: int, words: int) -> None:
    rng = random.Random(11)
    for number, article in enumerate(make_articles(count, words)):
        (directory / f"page{number:05}.html").write_text(make_page(number, article, rng), encoding="utf-8")


def run_child(mode: str, directory: Path) -> dict:
    """Runs inside a fresh interpreter."""
    from quotetrail import batch
    from quotetrail.inputs import Fetcher, InputOptions, Preparer, read_inputs
    from quotetrail.model import Document
    from quotetrail.nlp import load_nlp

    with Fetcher() as fetcher:
        items = read_inputs([str(directory)], InputOptions(), fetcher)
        if mode == "extract":
            prepare = Preparer()
            start = time.perf_counter()
            count = sum(isinstance(prepare(item), Document) for item in items if isinstance(item, Document))
        else:
            workers = int(mode)
            if workers == 1:
                load_nlp()("Warm up the pipeline once.")
            start = time.perf_counter()
            count = sum(outcome.article is not None for outcome in batch.run(items, workers=workers))
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "count": count, "peak_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child[0], Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="quotetrail-bench-") as temp:
        directory = Path(temp)
        write_pages(directory, args.pages, args.words)
        size = sum(path.stat().st_size for path in directory.iterdir()) / args.pages / 1024
        print(f"{args.pages} HTML pages, {size:.0f} KB each on average, about {args.words} words of article text")
        results = {}
        print(f"{'run':<34}{'documents/s':>12}{'seconds':>10}{'peak MB':>10}")
        for mode, label in (("extract", "HTML extraction stage alone"), ("1", "end to end, 1 worker"),
                            ("2", "end to end, 2 workers")):
            output = subprocess.run([sys.executable, __file__, "--child", mode, str(directory)],
                                    capture_output=True, text=True, check=True).stdout
            result = results[mode] = json.loads(output.strip().splitlines()[-1])
            assert result["count"] == args.pages, f"{label}: {result['count']} of {args.pages} documents"
            print(f"{label:<34}{args.pages / result['seconds']:>12.1f}{result['seconds']:>10.1f}"
                  f"{result['peak_mb']:>10.0f}")
        share = results["extract"]["seconds"] / results["1"]["seconds"]
        print(f"HTML extraction: {share:.1%} of end-to-end time with 1 worker (goal: at most 25%)")


if __name__ == "__main__":
    main()
