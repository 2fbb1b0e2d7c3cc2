"""Page clutter removed from the HTML tree before trafilatura reads it.

trafilatura drops most navigation, but small widgets set inside the article
body survive it and end up mid-text, where their words read as speech:
inline related-link boxes ("Read Ana Ruiz's review here", "MORE: ..."),
image credits ("Credit: Jo Lee/Getty Images"), share and newsletter boxes,
gallery hints ("swipe left to view more"). Each is small, so a rule only ever
removes a block of at most CLUTTER_MAX_WORDS words; article paragraphs that
merely contain a link stay (a block must be nearly all link text).
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

CLUTTER_MAX_WORDS = 40
# Blocks whose class or id names a widget (whole words of the attribute).
WIDGET_NAMES = re.compile(
    r"(?:^|[\s_-])(?:related|recommended|recirc|read-?more|more-?stories|newsletter|signup|sign-up|subscribe"
    r"|share|sharing|social|promo|outbrain|taboola|credit|credits|byline-credit|gallery-hint)(?:$|[\s_-])",
    re.IGNORECASE)
# Whole-block texts that are page furniture, whatever the markup.
CLUTTER_TEXT = re.compile(
    r"^(?:(?:photo|image|picture|video|illustration)?\s*credits?\s*:.*"
    r"|.*\bswipe (?:left|right|up)\b.*"
    r"|.*/\s*(?:getty images|afp|reuters|ap|shutterstock|alamy|epa)(?:\s+via\s+.*)?"
    r"|(?:read|see|watch|listen)(?: more| also| next)?\s*:.*"
    r"|(?:read|watch|listen to|see) .{0,100}\bhere\W{0,3}"
    r"|(?:more|related|recommended|also read|read more|see also|most read|trending)"
    r"(?:\s*:.{0,160}|\s*(?:stories|articles|coverage)?\W{0,3})"
    r"|(?:sign up|subscribe)\b.{0,120}\b(?:newsletter|inbox)s?\b.*"
    r"|share (?:this|on)\b.*)$",
    re.IGNORECASE | re.DOTALL)
# Inline links that interrupt a sentence: "The mayor said MORE: Flood hits town the bridge ..."
INLINE_LINK_TEXT = re.compile(r"^\s*(?:more|read more|related|see also|also read|read next)\s*:", re.IGNORECASE)
BLOCK_TAGS = ("p", "div", "li", "ul", "ol", "aside", "section", "figcaption", "figure")
INLINE_TAGS = ("span", "small", "strong", "em", "a")
LINK_SHARE = 0.8  # of a block's words inside links, above which it is a link widget
LINK_WIDGET_MIN_WORDS = 3


def _words(text: str) -> int:
    return len(text.split())


def _link_words(element: HtmlElement) -> int:
    return sum(_words(link.text_content()) for link in element.iter("a"))


def _is_clutter(element: HtmlElement) -> bool:
    text = " ".join(element.text_content().split())
    words = _words(text)
    if words == 0 or words > CLUTTER_MAX_WORDS:
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}"
    if WIDGET_NAMES.search(names):
        return True
    if element.tag in INLINE_TAGS:
        # Inside a paragraph only what cannot be prose: a "MORE:" link, an image credit.
        return bool(INLINE_LINK_TEXT.match(text)) or (element.tag != "a" and CLUTTER_TEXT.match(text) is not None
                                                      and "credit" in text.lower()[:20])
    if CLUTTER_TEXT.match(text):
        return True
    # A block that is (nearly) all link text: a related-link widget, not prose.
    # One or two linked words ("[Engadget]") are more often a cited source than a widget.
    return words >= LINK_WIDGET_MIN_WORDS and _link_words(element) >= LINK_SHARE * words


def declutter(tree: HtmlElement) -> int:
    """Remove clutter blocks inside <body> in place; the number removed."""
    body = tree.find(".//body")
    if body is None:
        return 0
    doomed = [element for element in body.iter(*BLOCK_TAGS, *INLINE_TAGS) if _is_clutter(element)]
    removed = 0
    for element in doomed:
        # An ancestor may already be gone with its subtree.
        if any(ancestor is body for ancestor in element.iterancestors()):
            element.drop_tree()  # keeps the element's tail text
            removed += 1
    return removed
