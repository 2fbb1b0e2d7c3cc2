"""Direct and mixed quotations: spans in quotation marks and their frames."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..lexicon import lexicon
from ..model import Attribution, QuoteKind
from .frames import direct_subject, is_according_to, is_cue, make_cue, names_without_namer, subject_of
from .quote_marks import MarkedSpan

SENTENCE_END = {".", "!", "?"}
# Words of a noun phrase: "with [the striking union] accusing ...".
PHRASE_PARTS = ("DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM", "PART")
# What ends the words a participle may govern before a fragment: another clause or quotation.
CLAUSE_BREAKS = (",", ";", ":", "“", "”", "«", "»", '"')
# Words that introduce the title of a work: a quoted span right after them is that title.
WORK_BEFORE_TITLE = re.compile(
    r"\b(?:exhibitions?|exhibit|show|books?|novels?|memoirs?|(?:auto)?biograph(?:y|ies)|films?|movies?"
    r"|documentar(?:y|ies)|albums?|songs?|singles?|plays?|musicals?|series|episodes?|podcasts?|poems?|essays?"
    r"|op-eds?|columns?|operas?|paintings?|installations?|titled|entitled|headlined)[,:]?$", re.IGNORECASE)
# A document, programme or campaign noun right before a capitalised quoted span: its name
# ("the report “Tides of Change”", "the campaign “Clean Seas”"). Without the punctuation that
# WORK_BEFORE_TITLE allows: "said in a report: “Rates will rise.”" quotes the report.
DOCUMENT_BEFORE_TITLE = re.compile(
    r"\b(?:reports?|stud(?:y|ies)|reviews?|surveys?|articles?|programmes?|programs?|campaigns?|operations?"
    r"|headlines?|slogans?|hashtags?|mottos?|initiatives?|projects?|schemes?|strateg(?:y|ies)|manifestos?"
    r"|dossiers?|bills?|pseudonyms?|nicknames?|monikers?)$", re.IGNORECASE)
TITLE_MAX_WORDS = 8
OPENING_MARKS = ("“", "«", "„", "``")
CLOSING_MARKS = ("”", "»", "''")
TITLE_SCAN = 20  # tokens searched for the mark that pairs with one
TITLE_LEAD_TOKENS = 4  # "the basin study", "on CNN's"
# A capitalised span in marks right after a possessive or one of these prepositions names a
# programme or work ("on CNN's “State of the Union.”", "an episode of “Morning Desk”", "in an
# interview with “Fox and Friends”"), not speech.
BEFORE_NAME = re.compile(r"(?:['’]s|\b(?:on|of|in)|\binterviews?\s+with)$", re.IGNORECASE)
# Short words a programme's title leaves in lower case ("CNN's “The Lead with Jake Tapper”").
TITLE_SMALL_WORDS = frozenset({"with", "from", "into", "onto", "upon", "over"})
SCARE_MAX_WORDS = 2
MIXED_MIN_WORDS_WITHOUT_CUE = 4
AFTER_FRAME_TOKENS = 12
MANNER_FRAME_MAX_WORDS = 4
SIGNATURE = re.compile(r"[^\S\n]*(?:―|—|–|--?)\s*(?P<name>[^\n]*?)\s*\.?\s*$")  # "— Ana Ruiz." too
SIGNATURE_MAX_WORDS = 5
# The line below a quotation that signs it: a dash, a name, and maybe who or where they are after
# a comma ("- Bernie Sanders.", "-President Obama, tweeting after the speech.").
SIGN_OFF = re.compile(r"\s*(?:―|—|–|--?)[^\S\n]*(?P<name>[^,\n]*?)\.?[^\S\n]*(?:,[^\n]*)?\s*$")
LABEL_DASHES = ("-", "–", "—", "--")
LABEL_MAX_WORDS = 7  # "Mark Blumenthal and Jon Cohen", "Jeffrey M. Jones"
INITIAL = re.compile(r"[A-Z]\.?")  # a middle initial, which the tagger often reads as a noun: "Julie A. Diaz"
BEFORE_FRAME_TOKENS = 25
# After a quote that ends its own sentence ("… out.” When his editors would ask him …"), a frame
# must open what follows: the cue within this many words, nothing before it but its subject.
CLOSED_FRAME_MAX_WORDS = 4
# Verbs whose object is the one spoken to ("told reporters"), not what was said.
FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
ADDRESSEE_CUES = ("tell", "ask", "assure", "remind", "warn", "inform", "urge")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Inner span without surrounding spaces and the comma that hands over to the cue."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _looks_like_title(words: list[str], small: frozenset[str] = frozenset()) -> bool:
    # A title of short words only ("New Day", "The Big One") is all capitals; after a programme's
    # owner, a few longer words may stay lower case too (small).
    significant = [word for word in words if len(word) > 3 and word not in small] or words
    return bool(significant) and all(word[0].isupper() for word in significant)


def _a_name_in_marks(words: list[str], last: str) -> bool:
    """Title-case words in marks that no frame attributes: a name that is no sentence of its own
    ("“Tales From the Crypt,” an HBO series", "stars in “Bloodline,” and"), or a slogan whose
    every long word is capitalised ("wearing the logo “Make America Great Again.”"; a short
    reply, "“Thank you.”", has one such word only)."""
    if len(words) > TITLE_MAX_WORDS or not _looks_like_title(words):
        return False
    if last not in (".", "!", "?", "…"):
        return len(words) >= 2 or last == ","
    return last == "." and sum(len(word.strip(".,")) > 3 for word in words) >= 2


def names_a_work(lead: str, inner: str) -> bool:
    """“Rivers of Light” after "the exhibition" or "a memoir titled", “Harbour Watch.” after
    "on WKRN's": the title of a work or programme, not speech."""
    first_letter = next((char for char in inner if char.isalpha()), "")
    if not first_letter.isupper():
        return False
    if WORK_BEFORE_TITLE.search(lead) is not None or DOCUMENT_BEFORE_TITLE.search(lead) is not None:
        return True
    words = inner.split()
    return len(words) <= TITLE_MAX_WORDS and _looks_like_title(words, TITLE_SMALL_WORDS) and BEFORE_NAME.search(
        lead) is not None


def encloses_title(mark: Token) -> bool:
    """Whether a double quotation mark opens or closes the title of a work or document ("pointed
    to the report “Tides of Change”"): marks that hold no one's words, for the kind of a content
    around them (attribute/kinds.py), as direct_attributions skips them."""
    doc = mark.doc
    straight = mark.text in ('"', "''", "``")
    opening = mark.text in OPENING_MARKS or straight and mark.whitespace_ == "" and (
        mark.i == 0 or doc[mark.i - 1].whitespace_ != "" or doc[mark.i - 1].is_punct)
    wanted = CLOSING_MARKS if opening else OPENING_MARKS
    scan = (range(mark.i + 1, min(len(doc), mark.i + TITLE_SCAN)) if opening
            else range(mark.i - 1, max(-1, mark.i - TITLE_SCAN), -1))
    partner = next((doc[i] for i in scan if doc[i].text in wanted or straight and doc[i].text == mark.text), None)
    if partner is None:
        return False
    first, last = (mark, partner) if opening else (partner, mark)
    lead = doc[max(first.sent.start, first.i - TITLE_LEAD_TOKENS):first.i].text
    inner = doc[first.i + 1:last.i].text
    # Only right after the noun of a work or document: a short capitalised name is often the
    # speaker's own words ("called her “Miss Piggy”", "hailed him as “The Comeback Kid”"), and
    # after a comma a quotation may follow ("in his book, “…”").
    return next((char for char in inner if char.isalpha()), "").isupper() and lead[-1:].isalpha() and (
        WORK_BEFORE_TITLE.search(lead) is not None or DOCUMENT_BEFORE_TITLE.search(lead) is not None)


def _manner_frame(after: list[Token], inner: str) -> Token | None:
    """"“Was it stolen?” Fridman began." / "“…,” she shrugged.": a quote handed over
    by a comma, ? or ! to a bare "NAME VERB" that ends the sentence is that
    person's, whatever the verb (the lexicon lists verbs of saying only)."""
    handed_over = inner.rstrip()[-1:] in (",", "?", "!")
    words = [token for token in after if not token.is_punct and not token.is_space]
    if not handed_over or not 2 <= len(words) <= MANNER_FRAME_MAX_WORDS:
        return None
    verb = words[-1]
    subject = next((child for child in verb.children if child.dep_ == "nsubj"), None)
    if verb.pos_ != "VERB" or subject is None or subject.pos_ not in ("PROPN", "PRON") or subject.i < words[0].i:
        return None
    # Nothing but the subject's words and the verb: "Fridman began", not "Fridman began to cry and left".
    return verb if all(token.i in {t.i for t in subject.subtree} or token is verb for token in words) else None


def _frame_cue(tokens: list[Token]) -> Token | None:
    for token in tokens:
        if is_according_to(token) or is_cue(token):
            return token
    return None


def _quotation_frame(after: list[Token], handed_over: bool) -> Token | None:
    """"“…,” the statement read." / "“…,” the letter continued." / "“…,” read a note on the
    door.": a verb that is no cue elsewhere ("read the report") frames the quote it follows when
    it opens the words after it, or follows only its own subject, with nothing it governs after
    it but, inverted, the document that speaks. After a quote that closed its own sentence, a
    phrase after the verb makes it a sentence of its own ("The work continued through the night")."""
    words = [token for token in after if not token.is_punct and not token.is_space]
    # "the editorial read": the tagger may read the verb that ends the frame as a noun.
    verb = next((token for token in words[:CLOSED_FRAME_MAX_WORDS] if token.pos_ == "VERB"
                 or token is words[-1] and token.dep_ == "ROOT"), None)
    if verb is None or verb.lemma_.lower() not in lexicon().quotation_frames:
        return None
    if verb is words[0]:
        return verb
    subject = subject_of(verb)
    if subject is not None:
        opening = {token.i for token in subject.subtree}
    else:  # read as a noun, its subject's words read as its modifiers
        opening = {token.i for left in verb.lefts if left.dep_ in ("det", "amod", "compound") for token in left.subtree}
    if any(token.i not in opening for token in words[: words.index(verb)]):
        return None
    objects = ("dobj", "ccomp", "xcomp") if handed_over else ("dobj", "ccomp", "xcomp", "prep")
    governed = any(child.dep_ in objects and child.i > verb.i for child in verb.children)
    return None if governed else verb


def _frames_closed_quote(after: list[Token], cue: Token) -> bool:
    """Whether a cue after a quote that closed its own sentence ("…,” he said" aside: "… out.”,
    "… are you?”") still frames it: "“…” Smith said." does; "“…” Martha added that …", "“…”
    Although he had written a will …", "“…” The same day, Biden said, “…”" start a sentence
    of their own, which the cue reports."""
    words = [token for token in after if not token.is_punct and not token.is_space]
    if cue not in words or words.index(cue) >= CLOSED_FRAME_MAX_WORDS:
        return False
    if is_according_to(cue):
        return words.index(cue) == 0
    subject = subject_of(cue)
    opening = {token.i for token in subject.subtree} if subject is not None else set()
    if any(token.i not in opening and token.dep_ not in ("aux", "auxpass", "neg", "advmod")
           for token in words[: words.index(cue)]):
        return False
    objects = ("ccomp", "xcomp") if cue.lemma_.lower() in ADDRESSEE_CUES else ("ccomp", "xcomp", "dobj")
    # Only what follows the cue: the parse often hangs the quote itself on it as a clause.
    return not any(child.dep_ in objects and child.i > cue.i for child in cue.children)


def _after_frame(doc: Doc, close_end: int, limit: int) -> list[Token]:
    start = doc.char_span(close_end, close_end, alignment_mode="expand")
    tokens: list[Token] = []
    index = start.start if start is not None else len(doc)
    while index < len(doc) and len(tokens) < AFTER_FRAME_TOKENS:
        token = doc[index]
        if token.idx >= limit or token.text in SENTENCE_END or token.text in "“«„" or "\n" in token.text:
            break
        tokens.append(token)
        index += 1
    return tokens


def _before_frame(doc: Doc, open_at: int, floor: int) -> list[Token]:
    span = doc.char_span(floor, open_at, alignment_mode="contract") if open_at > floor else None
    if span is None:
        return []
    tokens: list[Token] = []
    for token in reversed(span):
        if token.text in SENTENCE_END or token.text in "”»" or "\n" in token.text:
            break
        tokens.insert(0, token)
        if len(tokens) >= BEFORE_FRAME_TOKENS:
            break
    return tokens


def _fallback_subject(cue: Token, frame: list[Token]) -> Token | None:
    """When the parse gives the cue no subject, take the nearest nominal beside it."""
    # A capitalised word inside the sentence may be a surname the tagger misread ("says Early").
    frame = [token for token in frame if not token.is_punct and (token.pos_ in ("PROPN", "PRON", "NOUN") or (
        token.is_title and token.is_alpha and not token.is_stop and not token.is_sent_start))]
    after = [token for token in frame if token.i > cue.i]
    before = [token for token in frame if token.i < cue.i]
    # "“…,” Ramos, 58, told AFP": the one told is the addressee, not an inverted speaker.
    if before and cue.lemma_.lower() in ADDRESSEE_CUES:
        return before[-1]
    if after and after[0].i == cue.i + 1 or (after and not before):
        return after[0]
    return before[-1] if before else None


def _subject_outside(cue: Token, open_at: int, close_end: int) -> Token | None:
    """"he continued, “I believe …,” citing a story": a participle the parse hangs on a verb inside
    the quote takes the subject of the first verb above it outside the quote, not its object."""
    for ancestor in cue.ancestors:
        if open_at <= ancestor.idx < close_end:
            continue
        subject = direct_subject(ancestor)
        if subject is not None and not open_at <= subject.idx < close_end:
            return subject
    return None


def _first_person_singular(tokens: list[Token]) -> bool:
    words = {token.lower_ for token in tokens}
    return bool(words & FIRST_SINGULAR) and not words & FIRST_PLURAL


def _singular_speaker_cue(cue: Token, candidates: list[Token]) -> Token:
    """"One reporter said colleagues are wondering what …: “I am waiting …”": an "I" is not a
    plural subject's; the cue that reports theirs, and has a subject of its own, speaks it."""
    subject = subject_of(cue)
    if subject is None or subject.tag_ not in ("NNS", "NNPS"):
        return cue
    return next((other for other in reversed(candidates) if other in cue.ancestors
                 and (found := direct_subject(other)) is not None and found.tag_ not in ("NNS", "NNPS")), cue)


def _signature(doc: Doc, text: str, close_end: int, para_end: int) -> Token | None:
    """"“…” — Ana Ruiz" ending its paragraph: a name after a dash signs the quote
    (letters, readers' voices, epigraphs). The last word of the name, for the resolver."""
    return _signer(doc, SIGNATURE.match(text, close_end, para_end))


def _sign_off_line(doc: Doc, text: str, span: MarkedSpan, paragraph_bounds: list[tuple[int, int]]) -> Token | None:
    """A paragraph that is one quotation, signed on the line below: "“…”\n\n- Bernie Sanders.",
    "-Michelle Marks, Philadelphia." (fact-checks, readers' voices). A paragraph of the writer's
    own followed by "- Amber Phillips." is a byline, which this never reads: the quote must
    fill its paragraph."""
    para_start, para_end = paragraph_bounds[span.paragraph]
    if (span.paragraph + 1 >= len(paragraph_bounds) or text[para_start : span.open_at].strip()
            or text[span.close_end : para_end].strip()):
        return None
    next_start, next_end = paragraph_bounds[span.paragraph + 1]
    return _signer(doc, SIGN_OFF.match(text, next_start, next_end))


def _signer(doc: Doc, signed: re.Match[str] | None) -> Token | None:
    name = doc.char_span(signed.start("name"), signed.end("name"), alignment_mode="contract") if signed else None
    if name is None or not 0 < len(name) <= SIGNATURE_MAX_WORDS or name[-1].pos_ != "PROPN":
        return None
    return name[-1] if all(token.pos_ == "PROPN" or token.text == "." or INITIAL.fullmatch(token.text)
                           for token in name) else None


def _dash_label(before: list[Token]) -> Token | None:
    """"Pollsters agree - Carl Bialik: “…”", "… - More from Jones: “…”": a newsletter's item, a
    headline, a dash and the name of whom it quotes before the colon. The name's head word."""
    if len(before) < 4 or before[-1].text != ":":
        return None
    dash = next((number for number in range(len(before) - 2, 0, -1) if before[number].text in LABEL_DASHES), None)
    if dash is None:
        return None
    name = before[dash + 1 : -1]
    if len(name) > 2 and name[0].lower_ == "more" and name[1].lower_ == "from":
        name = name[2:]
    if not 0 < len(name) <= LABEL_MAX_WORDS or not all(
            token.pos_ == "PROPN" or token.pos_ == "NOUN" and token.text[0].isupper()  # "Pew" of "Pew Research"
            or token.lower_ in ("and", "&") or INITIAL.fullmatch(token.text) for token in name):
        return None
    inside = {token.i for token in name}
    return next((token for token in name if token.pos_ == "PROPN" and token.head.i not in inside), name[-1])


def _clause_subject(frame: list[Token]) -> Token | None:
    roots = {token.sent.root for token in frame}
    for root in roots:
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child in frame:
                return child
    return None


def _hypothetical(cue: Token) -> bool:
    """"said he would advise Trump on the “strategic threats …”": a cue that no one has acted on
    frames nothing; the words are the outer cue's."""
    return any(child.dep_ == "aux" and child.lower_ in lexicon().conditional_modals for child in cue.children)


def _cue_above(tokens: list[Token], span_start: int, span_end: int) -> Token | None:
    """The nearest cue that governs a quoted fragment ("described him as “…”"), not a hypothetical
    one, nor one whose speaker the fragment describes ("the hacker known as “Guccifer” stated that ...": a name
    inside the cue's subject is not what was stated)."""
    for token in tokens:
        if span_start <= token.head.idx < span_end and token.head is not token:
            continue
        below = token
        for ancestor in token.ancestors:
            if is_cue(ancestor) and not span_start <= ancestor.idx < span_end and below.dep_ not in (
                    "nsubj", "nsubjpass") and not _hypothetical(ancestor):
                return ancestor
            below = ancestor
    return None


def _with_subject(before: list[Token]) -> Token | None:
    """"with the union [accusing]": the noun that ends a phrase opened by "with"."""
    if not before or before[-1].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    opener = next((word for word in reversed(before) if word.pos_ not in PHRASE_PARTS), None)
    return before[-1] if opener is not None and opener.lower_ == "with" else None


def _participle_lemma(token: Token, before: list[Token]) -> str | None:
    """The cue verb a participle stands for: its lemma; for an -ing word the tagger read as a
    noun with a subject ("with the coastguard warning of …"), the verb it is made from. The
    stems are tried by hand (warn-ing, accus-ing, admitt-ing): spaCy lemmatises a noun as a noun."""
    if token.tag_ == "VBG":
        return token.lemma_.lower() if is_cue(token) else None
    word = token.lower_
    if token.pos_ != "NOUN" or not word.endswith("ing") or (
            direct_subject(token) is None and _with_subject(before) is None):
        return None
    stem = word[:-3]
    doubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem
    return next((lemma for lemma in (stem, stem + "e", doubled) if lexicon().is_cue_lemma(lemma)), None)


def _participle_before(before: list[Token]) -> tuple[Token, str, Token] | None:
    """"with the union accusing management of “…”", ", warning of “…”": a cue participle in the
    words right before a fragment, when the parse hangs neither the fragment nor the participle
    where _cue_above finds them (it often reads "accusing" as an adjective of its object, or
    "warning" as a noun). Only the participle's own words may lie between it and the quote: its
    object and preposition, no comma or other verb. The participle, its verb's lemma and the
    speaker: the participle's subject ("with the union accusing"), else the subject of the
    clause it hangs on ("Nurses walked out, accusing …")."""
    for number in range(len(before) - 1, -1, -1):
        token = before[number]
        if token.text in CLAUSE_BREAKS or (token.pos_ in ("VERB", "AUX") and token.tag_ != "VBG"):
            return None
        lemma = _participle_lemma(token, before[:number])
        if lemma is None:
            continue
        subject = direct_subject(token) or _with_subject(before[:number])
        if subject is None and number > 0 and before[number - 1].text == ",":
            subject = subject_of(token) or direct_subject(token.sent.root)
        # without a speaker the participle is no frame ("Hillary Asking Moderator To …" in a headline)
        return (token, lemma, subject) if subject is not None else None
    return None


def _frame_candidates(before: list[Token]) -> list[Token]:
    """The cues of the words before a quotation, less, before a colon, the question that opens the
    sentence, whose answer the clause's subject gives ("Asked which county was his favourite, he
    demurred: “…”")."""
    candidates = [token for token in before if is_cue(token) or is_according_to(token) or _as_they_put_it(token)]
    if before and before[-1].text == ":":
        candidates = [token for token in candidates if not _opening_question(token)]
    return candidates


def _as_they_put_it(verb: Token) -> bool:
    """"As Vulture put it, “…”": a wording verb with "it" for its object, under "as"."""
    children = {(child.dep_, child.lower_) for child in verb.children}
    return (verb.lemma_.lower() in lexicon().wording_frames and ("dobj", "it") in children
            and ("mark", "as") in children)


def _opening_question(cue: Token) -> bool:
    """"Asked which …, he demurred:": the participle that opens the sentence, put to its subject."""
    return (cue.lemma_.lower() == "ask" and cue.tag_ in ("VBN", "VBD") and cue.i == cue.sent.start
            and not any(child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for child in cue.children))


def direct_attributions(doc: Doc, text: str, spans: list[MarkedSpan],
                        paragraph_bounds: list[tuple[int, int]]) -> list[Attribution]:
    lex = lexicon()
    found: list[Attribution] = []
    previous_close: dict[int, int] = {}
    for span in spans:
        para_start, para_end = paragraph_bounds[span.paragraph]
        start, end = _trimmed(text, span.start, span.end)
        inner = text[start:end]
        words = inner.split()
        floor = previous_close.get(span.paragraph, para_start)
        previous_close[span.paragraph] = span.close_end
        if not words:
            continue
        has_final_punct = text[span.start : span.end].rstrip()[-1:] in (".", "?", "!", ",", "…")
        if not has_final_punct and not span.continues_previous:
            if len(words) <= SCARE_MAX_WORDS or (len(words) <= TITLE_MAX_WORDS and _looks_like_title(words)):
                continue
        lead = text[floor : span.open_at].rstrip()
        if names_a_work(lead, inner):
            continue
        opens_sentence = not lead or lead[-1] in ".!?:,—–" or span.continues_previous
        first_letter = next((char for char in inner if char.isalpha()), "")
        kind: QuoteKind = "direct" if opens_sentence and (first_letter.isupper() or inner[0] in "….") else "mixed"
        inner_tokens = [token for token in doc.char_span(start, end, alignment_mode="expand") or []]
        first_person = any(token.lower_ in lex.first_person for token in inner_tokens)
        attribution = Attribution(kind=kind, start=start, end=end, paragraph=span.paragraph,
                                  continues_previous=span.continues_previous, first_person=first_person)
        if kind == "direct":
            after = _after_frame(doc, span.close_end, para_end)
            before = _before_frame(doc, span.open_at, floor)
            if not before and span.open_at == para_start and span.paragraph > 0:
                # "He said:" closing the previous paragraph introduces this quote.
                previous_start, previous_end = paragraph_bounds[span.paragraph - 1]
                if text[previous_end - 1] == ":":
                    before = _before_frame(doc, previous_end, previous_start)
            handed_over = text[span.start : span.end].rstrip()[-1:] == ","
            cue = _frame_cue(after) or _quotation_frame(after, handed_over) or _manner_frame(
                after, text[span.start : span.end])
            if cue is not None and inner.rstrip()[-1:] in ".?!…" and not _frames_closed_quote(after, cue):
                cue = None
            frame = after
            label = _dash_label(before) if cue is None else None
            if cue is None and label is None and before and (before[-1].text in (":", ",") or is_cue(before[-1]) or before[-1].lower_ == "that"):
                candidates = _frame_candidates(before)
                cue = candidates[-1] if candidates else None
                if cue is not None and _first_person_singular(inner_tokens):
                    cue = _singular_speaker_cue(cue, candidates)
                frame = before
            if cue is not None:
                subject = subject_of(cue)
                if subject is None or span.open_at <= subject.idx < span.close_end:
                    subject = _subject_outside(cue, span.open_at, span.close_end) or _fallback_subject(cue, frame)
                _set_cue(attribution, cue, subject)
            elif label is not None:  # the colon is the cue, as of a line's label (labels.py)
                _set_cue(attribution, before[-1], label)
            elif before and before[-1].text == ":" and (subject := _clause_subject(before)) is not None:
                # "Dumoulin was blunter: «…»": the clause before the colon names the speaker.
                attribution.subject_token = subject.i
            elif (signed := _signature(doc, text, span.close_end, para_end)
                  or _sign_off_line(doc, text, span, paragraph_bounds)) is not None:
                attribution.subject_token = signed.i
            elif _a_name_in_marks(words, text[span.start : span.end].rstrip()[-1:]):
                continue  # no frame: a name ("“Tales From the Crypt,” an HBO series") or a slogan
            else:
                attribution.inherits_speaker = True
        else:
            cue = _cue_above(inner_tokens, span.open_at, span.close_end)
            if cue is not None and names_without_namer(cue):
                continue  # "a pub called “the last anchor in town”": a name
            participle = _participle_before(_before_frame(doc, span.open_at, floor)) if cue is None else None
            if participle is not None:
                token, lemma, subject = participle
                _set_cue(attribution, token, subject)
                attribution.cue = replace(attribution.cue, lemma=lemma)
            elif cue is None:
                # Without a cue a capitalised phrase is a name ("starred in “Guardians of the Galaxy”"),
                # unless it cries or asks ("chanted “Lock Her Up! Lock Her Up!”").
                if len(words) < MIXED_MIN_WORDS_WITHOUT_CUE or len(words) <= TITLE_MAX_WORDS and _looks_like_title(
                        words) and inner.rstrip()[-1:] not in ("!", "?"):
                    continue
                attribution.inherits_speaker = True
            else:
                _set_cue(attribution, cue, subject_of(cue))
                attribution.start, attribution.end = _reported_content(cue, inner_tokens, start, end, span.close_end)
        found.append(attribution)
    return _one_per_cue(found, text)


# The cue's child that holds a fragment and is reported with it: a clause ("said that taxes made
# him “smart”"), an object ("praised a “fiery stand”"), a complement ("called the plan “a folly”").
CONTENT_DEPS = ("ccomp", "dobj", "xcomp", "oprd", "attr", "dative")
# What opens a clause but is not its content ("said [that] …").
CONTENT_OPENERS = ("that", ",", ":", "—", "–", "-")
# Fragments of one cue this close together are one list of its words ("“rigged,” and “wounded”").
FRAGMENT_GAP_MAX_CHARS = 40


def is_naming_cue(lemma: str) -> bool:
    """"called X “…”", "described X as “…”": a cue whose quoted words name what it names."""
    lex = lexicon()
    return lemma in lex.naming_verbs or lex.prepositional_cues.get(lemma) == "as"


def _reported_content(cue: Token, fragment: list[Token], start: int, end: int,
                      close_end: int) -> tuple[int, int]:
    """The content a fragment is part of, as docs/output.md defines mixed ("Dobbs called [the plan
    “a costly folly”]"): the clause or object of the cue that holds it, and with a naming cue the
    object named ("described [the ferry as “a betrayal”]"). The fragment alone where it hangs on
    the cue otherwise (a preposition, an adverbial) or stands before it."""
    if not fragment:
        return start, end
    doc = cue.doc
    top = next((token for token in fragment if not start <= token.head.idx < end or token.head.i == token.i), None)
    below, path = top, []
    while below is not None and below.head.i != cue.i and below.head.i != below.i:
        path.append(below)
        below = below.head
    if below is None or below.head.i != cue.i or below.i < cue.i:
        return start, end
    # What the cue names, a sibling of the name: "called [the plan] “a costly folly”", "pointed
    # to [the case] as the epitome of the “rigged system”".
    named = [child for child in cue.rights if child.dep_ in ("dobj", "nsubj") and child.i < below.i] or [
        grand for child in cue.rights if child.dep_ == "prep" and child.lower_ != "as" and child.i < below.i
        for grand in child.children if grand.dep_ == "pobj"]
    # "described the DLC during an interview [as “a remnant …”]": the parse may hang the "as" of
    # what something is called on a word between; after an object named it names it, whatever the cue.
    called_as = bool(named) and any(token.lower_ == "as" and token.dep_ == "prep" for token in (*path, below))
    naming = is_naming_cue(cue.lemma_.lower()) or called_as
    if below.dep_ not in CONTENT_DEPS and not called_as and not (
            naming and below.dep_ == "prep" and below.lower_ == "as"):
        return start, end
    first = below.left_edge
    if naming:
        if named:
            first = min(first, named[0].left_edge, key=lambda token: token.i)
        before = fragment[0].i - 1
        while before > first.i and (doc[before].is_quote or doc[before].lower_ in ("a", "an", "the")):
            before -= 1
        if doc[before].lower_ == "as" and before - first.i > len(fragment):
            # "described [the idea that …] as “absurd”": where what is named is the longer, the
            # annotators of real pages mark the words called alone
            return start, end
    # A name ends with itself; a clause, before a clause of its own joined to it ("called him a
    # “nice guy” [and he did not ...]").
    last = fragment[-1] if naming else below.right_edge
    for child in below.rights:
        if child.dep_ == "conj" and any(grand.dep_ in ("nsubj", "nsubjpass") for grand in child.children):
            last = min(last, child.doc[child.left_edge.i - 1], key=lambda token: token.i)
            break
    # Another quotation after the fragment is its own attribution ("…, yelling, “Free …”").
    after = fragment[-1].i + 1
    while after <= last.i and doc[after].idx < close_end:  # its own closing mark
        after += 1
    following = next((token for token in doc[after : last.i + 1] if token.is_quote), None)
    if following is not None:
        last = doc[following.i - 1]
    # An adverbial clause after the fragment ("“complicit” before he stood …") is the writer's.
    for child in below.rights:
        if child.dep_ == "advcl" and child.i > fragment[-1].i:
            last = min(last, doc[child.left_edge.i - 1], key=lambda token: token.i)
            break
    while first.i < last.i and (first.lower_ in CONTENT_OPENERS or first.dep_ == "mark"):
        first = first.doc[first.i + 1]
    while last.i > first.i and last.is_punct and last.text not in ("”", "’", "»", "''", '"'):
        last = last.doc[last.i - 1]
    if first.i <= cue.i:
        return start, end
    return min(start, first.idx), max(end, last.idx + len(last.text))


def _one_per_cue(found: list[Attribution], text: str) -> list[Attribution]:
    """Quoted fragments governed by one cue in one run of words are one attribution spanning them
    (a “pathological liar” who is “utterly amoral,” a “bully”): the annotators' one act of saying."""
    kept: list[Attribution] = []
    for attribution in found:
        previous = kept[-1] if kept else None
        if (previous is not None and attribution.kind == previous.kind == "mixed"
                and attribution.cue_token is not None and attribution.cue_token == previous.cue_token
                and attribution.paragraph == previous.paragraph and attribution.start >= previous.start
                and attribution.start - previous.end <= FRAGMENT_GAP_MAX_CHARS
                and not any(mark in text[previous.end:attribution.start] for mark in ".!?;")):
            previous.end = max(previous.end, attribution.end)
            continue
        kept.append(attribution)
    return kept


def _set_cue(attribution: Attribution, cue: Token, subject: Token | None) -> None:
    attribution.cue = make_cue(cue)
    attribution.cue_token = cue.i
    attribution.subject_token = subject.i if subject is not None else None
