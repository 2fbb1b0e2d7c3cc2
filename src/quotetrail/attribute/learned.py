"""The learned attribution tagger: SOURCE, CUE and CONTENT spans per paragraph,
grouped into attributions.

The tagger is a spaCy NER-style pipeline trained on PolNeAR (see train/). It
reads one paragraph at a time, as it was trained; the paragraph Docs are
built from the article Doc's own tokens, so nothing is tokenised twice and
every span maps straight back to the article's tokens and characters.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon import lexicon
from ..model import QUOTATIONS, Attribution, Cue
from .frames import commits, direct_subject, is_author_voice, is_happening, speaks_for_its_noun, subject_of
from .indirect import only_a_title
from .kinds import (CLOSE_MARKS, FINITE_TAGS, OPEN_MARKS, holds_quoted_words, in_other_sense, is_asserted,
                    is_bare_infinitive, is_nominal, is_passive, kind_of, takes_no_position, without_setting)
from .labels import line_label

QUOTED = re.compile(f"[{OPEN_MARKS}]([^{OPEN_MARKS}{CLOSE_MARKS}]+)[{CLOSE_MARKS}]")  # the words inside double marks
SO_CALLED = re.compile(r"\bso[\s-]*called\b", re.IGNORECASE)
# Subjects that name nobody: the writer's own voice ("It is fair to say ...",
# "One would say ...", "..., which is not to say that ...").
IMPERSONAL = frozenset({"it", "one", "which", "that", "this", "there", "what"})
TAGGER_BATCH = 256  # paragraphs per tagger batch
TAGGER_WINDOW = 2000  # tokens: PolNeAR's paragraphs, which it was trained on, are far shorter
TAGGER_BATCH_TOKENS = 20_000


@dataclass(frozen=True)
class Tagged:
    """One tagger span: its label and token range in the article Doc."""

    label: str  # SOURCE | CUE | CONTENT
    start: int
    end: int
    paragraph: int
    confidence: float | None = None  # the accurate tagger's (accurate.windows.span_confidence); None from the fast one


def _windows(doc: Doc, paragraph: range) -> Iterator[range]:
    """The paragraph, or for one longer than TAGGER_WINDOW tokens (a text on one line)
    runs of whole sentences up to that length: the tagger's memory grows with its input."""
    if len(paragraph) <= TAGGER_WINDOW:
        if paragraph:
            yield paragraph
        return
    start = paragraph.start
    for sentence in doc[paragraph.start:paragraph.stop].sents:
        if sentence.end - start > TAGGER_WINDOW and sentence.start > start:
            yield range(start, sentence.start)
            start = sentence.start
        while sentence.end - start > TAGGER_WINDOW:  # a sentence longer than a window
            yield range(start, start + TAGGER_WINDOW)
            start += TAGGER_WINDOW
    if start < paragraph.stop:
        yield range(start, paragraph.stop)


def _tagged(tagger: Language, docs: list[Doc]) -> Iterator[Doc]:
    """tagger.pipe(docs) in batches of at most TAGGER_BATCH paragraphs and TAGGER_BATCH_TOKENS
    tokens: a batch's memory grows with its tokens, and one long text fills many windows."""
    batch: list[Doc] = []
    tokens = 0
    for doc in docs:
        if batch and (len(batch) == TAGGER_BATCH or tokens + len(doc) > TAGGER_BATCH_TOKENS):
            yield from tagger.pipe(batch, batch_size=len(batch))
            batch, tokens = [], 0
        batch.append(doc)
        tokens += len(doc)
    yield from tagger.pipe(batch, batch_size=max(len(batch), 1))


def tag(tagger: Language, articles: Sequence[tuple[Doc, Sequence[range]]]) -> list[list[Tagged]]:
    """Tag every paragraph of every article in one batched pass; per article,
    its spans in reading order."""
    paragraph_docs: list[Doc] = []
    origins: list[tuple[int, int, int]] = []  # article, paragraph, first token
    for number, (doc, paragraphs) in enumerate(articles):
        # The words and spaces read as arrays: a Token object per word costs more than the look-up.
        orths, spaces_after = doc.to_array([ORTH, SPACY]).T.tolist()
        for index, paragraph in enumerate(paragraphs):
            for tokens in _windows(doc, paragraph):
                words = [doc.vocab.strings[orth] for orth in orths[tokens.start:tokens.stop]]
                spaces = [bool(space) for space in spaces_after[tokens.start:tokens.stop]]
                spaces[-1] = False
                paragraph_docs.append(Doc(tagger.vocab, words=words, spaces=spaces))
                origins.append((number, index, tokens.start))
    found: list[list[Tagged]] = [[] for _ in articles]
    for tagged, (number, index, offset) in zip(_tagged(tagger, paragraph_docs), origins):
        found[number].extend(Tagged(span.label_, span.start + offset, span.end + offset, index)
                             for span in tagged.ents)
    return found


def is_speech_cue(cue: Span) -> bool:
    """A cue of speech: a word of it is a cue verb or noun of the lexicon ("said",
    "according to", "the statement", "expressed alarm"). A quotation the tagger alone
    proposes needs one: its other cues ("saw", "was titled", "mocked the so-called
    “reform”") frame perceptions, titles and scare quotes more often than words."""
    lex = lexicon()
    return any(lex.is_cue_lemma(lemma) or lemma in lex.speech_nouns or lemma in lex.expression_verbs
               or token.lower_ in lex.source_first_heads for token, lemma in ((token, _cue_lemma(token)) for token in cue))


def _cue_lemma(token: Token) -> str:
    """The token's lemma; for a headline's verb that the parser read as a name ("Mayor Praises
    Crews", "Ryan Slams Plan": a title-case NNP or NNPS ending in "s"), the speech or stance verb
    of the lexicon it inflects, if any (not a finding verb: "Governor Hears About ...")."""
    lemma, word = token.lemma_.lower(), token.lower_
    if token.tag_ not in ("NNP", "NNPS") or not token.is_title or not word.endswith("s"):
        return lemma
    lex = lexicon()
    return next((stem for stem in (word[:-1], word[:-2], word[:-3] + "y")
                 if stem in lex.speech_verbs or lex.is_stance_lemma(stem)), lemma)


def _commits_or_directs(cue: Span | None) -> bool:
    """"vowed to", "urged X to", "called on X to": a cue whose to-clause is what was said
    (the rules read the same frames: lexicon commissive, directive)."""
    lex = lexicon()
    return cue is not None and any(commits(token) or token.lemma_.lower() in lex.directive_verbs
                                   or token.lemma_.lower() in lex.directive_prepositions for token in cue)


def _is_stance(content: Span, cue: Span | None) -> bool:
    """A tagged nominal content that is a stance: a noun phrase or gerund (not a lone pronoun,
    "which", or a stray adverbial; _stance_object), framed by a cue of speech or a stance verb (the tagger's
    other cues, "decided", "covered", "ordered", frame actions far more often on our real
    pages) that is more than a plain verb of saying or naming ("said the same thing",
    "a type called X"), or a finding verb ("showed"), and not passive ("were asked"). A content
    under any other verb is an action or a perception, however sure the tagger is ("vetoed the
    bill", "looked out on the crowd"): outside what a stance is (docs/output.md)."""
    lex = lexicon()
    if cue is None or is_passive(cue) or takes_no_position(cue.root, cue, content):
        return False  # "asked [the contender] if ...": whom; "has not endorsed [a candidate]": no act
    if _casts(cue, content):  # "dismissed him as a relic": a pronoun characterised is a position too
        return not content[0].is_punct
    if not _stance_object(cue, content) or content.root.dep_ == "advcl":
        return False  # "asked, [turning the question into a game]": the speaker's next act, no position
    if not (is_speech_cue(cue) or any(_takes_stance(token) for token in cue)):
        return False
    words = [_cue_lemma(token) for token in cue if not (token.is_punct or token.dep_ in ("aux", "auxpass", "neg", "advmod"))]
    # "a cell type called a tuft cell": naming, not a position ("called for" is one); "the
    # campaign showed a swimmer": a finding verb needs a clause to report anything, unless
    # a poll finds it ("the poll showed a slimmer lead for Clinton").
    return not all(word in lex.plain_saying or word in lex.naming_verbs or word in lex.that_clause_verbs
                   for word in words) or _poll_finding(cue) or _labels(cue, content) or _answers(content)


def _takes_stance(token: Token) -> bool:
    """A word that takes a position on what it governs: a stance verb of the lexicon, one with its
    particle ("laid out his vision", not "laid off staff") or an adjective with its preposition
    ("was critical of the plan")."""
    lex, lemma = lexicon(), _cue_lemma(token)
    if lex.is_stance_lemma(lemma):
        return True
    particles, prepositions = lex.particle_stances.get(lemma, ()), lex.stance_adjectives.get(lemma, ())
    return any(child.dep_ == "prt" and child.lower_ in particles or child.dep_ == "prep" and child.lower_ in prepositions
               for child in token.children)


def _is_content_clause(content: Span) -> bool:
    """A clause of its own: opened by "that", "whether" or "if", or a finite verb with a subject
    of its own that the parse makes a complement ("was adamant [she would not resign]"); not an
    infinitive ("allows [you to choose]", "lets [passengers choose]")."""
    opener, root = content[0], content.root
    if opener.dep_ == "mark" and opener.lower_ in ("that", "whether", "if"):
        return True
    if opener.tag_ in ("WRB", "WP", "WDT"):
        return False  # "explores how black people were brutalized": a topic, not a claim
    finite = root.tag_ in FINITE_TAGS or any(
        child.dep_ in ("aux", "auxpass") and child.lower_ != "to" for child in root.children)
    return root.dep_ == "ccomp" and finite and any(child.dep_ in ("nsubj", "nsubjpass") for child in root.children)


def _reports_clause(cue: Span, content: Span, source: Tagged | None) -> bool:
    """"has been acutely aware that", "implied that", "were adamant he would not run", "privately
    made the case to X that": a clause the tagger marks as content, hanging on its cue, with a
    tagged source, reports what the source holds whatever the cue word; not a fact found or
    recalled ("discovered that", "have forgotten that": lexicon finding) nor a passive's ("were
    persuaded that": the subject is who was told)."""
    return (source is not None and _is_content_clause(content) and _governs(cue, content)
            and not is_passive(cue) and not any(token.lemma_.lower() in lexicon().finding_verbs for token in cue))


def _quotes_in_position(cue: Span, content: Span, source: Tagged | None) -> bool:
    """"also bemoaned the climate in which people “literally hate each other”", "talked up her
    “50-state strategy”": quoted words inside a position a stance verb takes (lexicon stance
    lists), hanging on it, from a tagged source, are the source's words; not the writer's scare
    quotes ("mocked the so-called “reform”") nor a single quoted word ("the “reform” plan")."""
    if SO_CALLED.search(content.text) or not any(len(words.split()) > 1 for words in QUOTED.findall(content.text)):
        return False
    return source is not None and _governs(cue, content) and any(
        lexicon().is_stance_lemma(token.lemma_.lower()) for token in cue)


def _position_on(cue: Span, content: Span) -> bool:
    """"talked about how his forces must be ready ...", "spoke out for ''shotgun marriages''",
    "compared his repetitiousness to ...": a stance word (_takes_stance) whose own object the
    content is takes a position on it, whatever quotation marks it holds; not a passive's. Mixed
    quotations keep _quotes_in_position's care for scare quotes."""
    return not is_passive(cue) and _governs(cue, content) and any(_takes_stance(token) for token in cue)


def _judges(cue: Span, content: Span) -> bool:
    """"attacked Trump", "endorses Ted Cruz", "praised him": whom a verb that judges its object
    (lexicon evaluative) takes a position on is a name or a pronoun, which is_nominal leaves
    out for the other cues ("..., Okoro said, Coastline Radio reported")."""
    return content.root.pos_ in ("PROPN", "PRON") and content.root.tag_ not in ("WP", "WDT") and any(
        _cue_lemma(token) in lexicon().evaluative_verbs for token in cue)


def _stance_object(cue: Span, content: Span) -> bool:
    """What a stance can be taken on: a noun phrase or gerund (is_nominal), or one of the shapes
    it leaves out that still name a position's object or the position itself."""
    return (is_nominal(content) or _judges(cue, content) or _pronoun_and_predicate(content) or _answers(content)
            or _adjective_object(cue, content))


def _pronoun_and_predicate(content: Span) -> bool:
    """"accused [him of sexism]", "compared [her to a heretic]": the object pronoun with what
    is said of it; a pronoun alone ("urged [him]") says nothing."""
    return content.root.tag_ == "PRP" and content.root.dep_ == "dobj" and content.root.i == content.start and len(content) > 1


def _adjective_object(cue: Span, content: Span) -> bool:
    """"rebutted [many of the points]", "renounced [most of them]": the cue's object, headed by
    a quantity or an adjective the parse read as its noun, is a noun phrase all the same."""
    root = content.root
    return root.tag_ in ("JJ", "JJS") and root.dep_ == "dobj" and root.head.i in {token.i for token in cue} and not content[0].is_punct


def _answers(content: Span) -> bool:
    """"said [no to the war]", "said [yes]": an interjection the verb takes is the answer given,
    a position even under a plain verb of saying; with no verb of its own ("said yes and took ...")."""
    first = content[0]
    return first.tag_ == "UH" and first.dep_ == "intj" and not any(token.pos_ in ("VERB", "AUX") for token in content)


def _casts(cue: Span, content: Span) -> bool:
    """"sees Cruz as a uniter", "cast her rival as out of touch": the object characterised
    through "as" (lexicon casting)."""
    return cue.root.lemma_.lower() in lexicon().casting_verbs and any(
        token.lower_ == "as" and token.dep_ == "prep" and token.head.i in (cue.root.i, content.root.i) for token in content)


def _labels(cue: Span, content: Span) -> bool:
    """"called [the ruling lawful]", "calls [the whole thing a farce]": a naming verb whose object
    the content holds with the label put on it characterises it; not "a type called [X]"."""
    verb = cue.root
    return verb.lemma_.lower() in lexicon().naming_verbs and content.root.dep_ == "dobj" and content.root.head.i == verb.i and any(
        token.head.i == verb.i and token.dep_ in ("oprd", "xcomp", "ccomp") and token.i > content.root.i for token in content)


def _poll_finding(cue: Span) -> bool:
    subject = direct_subject(cue.root)
    return cue.root.lemma_.lower() in lexicon().that_clause_verbs and subject is not None and (
        subject.lemma_.lower() in lexicon().poll_nouns)


def _governs(cue: Span, content: Span) -> bool:
    """Whether the content hangs on its cue in the parse: the first verb above the content's
    head, through nouns and prepositions ("spoke about [X]", "criticism of [X]"), is a word
    of the cue. The tagger pairs a content with the nearest cue, which for a noun phrase is
    often another verb's ("he thought ..., looking inside [the lungs]")."""
    cue_words = {token.i for token in cue}
    token = content.root
    while token.head.i != token.i:
        token = token.head
        if token.i in cue_words:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _split_off(cue: Span, content: Span) -> bool:
    """"Governor Praises [Crews' Rescue Effort]", "rubbished [the mayor's claim]": a content right after
    its cue that the parse made a sentence of its own (a headline's verb read as a name) hangs on
    the cue all the same."""
    return content.start == cue.end and content.root.dep_ == "ROOT"


def _noun_complement(content: Span) -> Span | None:
    """"rejected [the notion] that the episode was over": the content's noun and the that-clause
    after it, which the tagger leaves out; the clause is part of the noun phrase. Not one holding
    quoted words, which the quotation frames read."""
    clause = next((child for child in content.root.rights if child.dep_ in ("acl", "ccomp") and child.left_edge.i == content.end
                   and any(grand.dep_ == "mark" and grand.lower_ == "that" for grand in child.children)), None)
    if clause is None:
        return None
    last = clause.right_edge
    while last.is_punct and last.i > clause.i:
        last = last.nbor(-1)
    whole = content.doc[content.start : last.i + 1]
    return None if holds_quoted_words(whole) else whole


def _our_span(doc: Doc, content: Tagged) -> tuple[int, int]:
    """The content's characters in quotetrail's convention: PolNeAR's content
    starts with the complementiser ("that the plan failed"), quotetrail's after it."""
    first = content.start
    if content.end - first > 1 and doc[first].lower_ == "that" and doc[first].dep_ == "mark":
        first += 1
    span = doc[first:content.end]
    return span.start_char, span.end_char


def _gap(a: Tagged, b: Tagged) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def _nearest(spans: list[Tagged], to: Tagged) -> Tagged | None:
    """The span of spans (sorted by start) nearest to; ties go to the earlier span: sources
    and cues usually come first. The tagger's spans never overlap (they are entities of one
    Doc), so the nearest is one of the two around `to`'s place: a bisection, not a scan,
    which made a paragraph with thousands of spans quadratic."""
    at = bisect_left(spans, to.start, key=lambda span: span.start)
    return min(spans[max(at - 1, 0):at + 1], key=lambda span: (_gap(span, to), span.start), default=None)


def _named_line(doc: Doc, source: Tagged | None, cue: Tagged | None, content: Tagged) -> bool:
    """"Trump: Islamophobia threatens national security", "SANDERS: We will win": a line
    that opens with a name, a colon and what the named said (a headline, a transcript's
    turn; labels.line_label). The colon is the cue; nothing else on the line frames the
    words. The parse must read the label as a name: "Report:", "Poll:" name no one."""
    if source is None or cue is None or cue.end - cue.start != 1 or doc[cue.start].text != ":":
        return False
    if not (source.end == cue.start and content.start == cue.end):
        return False
    start = doc[source.start].idx
    found = line_label(doc.text, doc.text.rfind("\n", 0, start) + 1)
    if found is None or found.start(1) != start or found.end() != doc[cue.start].idx + 1:
        return False
    return any(token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG") for token in doc[source.start:source.end])


def _speaks_in_own_sentence(doc: Doc, source: Tagged, cue: Token, content: Tagged) -> bool:
    """"Voters will also determine if … The two-party system has usually produced …": the source
    nearest the cue lies in another sentence than the cue and the content, while the cue's own
    clause names who acts; that subject speaks (an impersonal "it" is left to the tagger)."""
    sentence = doc[source.start].sent.start
    if sentence in (cue.sent.start, doc[content.start].sent.start):
        return False
    subject = subject_of(cue)
    return subject is not None and subject.sent.start == cue.sent.start and subject.lower_ not in IMPERSONAL


def _frames_another_sentence(cue: Span, content: Span) -> bool:
    """"..., Kilfoyle said. [The group didn't endorse anyone]": the nearest cue lies in another
    sentence, which it frames; unquoted words carry no one's voice across a full stop. A
    sentence ending in a colon introduces the next one ("He put it this way: ...")."""
    sentence = cue.root.sent
    apart = content.start >= sentence.end or content.end <= sentence.start
    return apart and not sentence.text.rstrip().endswith(":")


def _sure(content: Tagged, threshold: float | None) -> bool:
    return threshold is not None and content.confidence is not None and content.confidence >= threshold


def model_attributions(doc: Doc, text: str, tagged: list[Tagged], sure_quotation: float | None = None) -> list[Attribution]:
    """One attribution per CONTENT span, with the nearest CUE in its paragraph and
    the SOURCE nearest that cue (or the content, when no cue was tagged); a cue
    with no tagged source takes its subject from the parse, and a content with
    neither cue nor source is left out. A content whose cue has no subject
    takes its speaker from context, as a continued quote does.

    PolNeAR annotates nominal contents ("praised his side's resilience"),
    thoughts and intentions ("believes", "plans to") and refusals ("declined
    to comment") besides reported speech: each is kept and labelled by kind
    (attribute/kinds.py). Left out: one whose only speaker is an impersonal
    subject ("It is fair to say"). A line that opens with a name and a colon (a headline,
    a transcript's turn) frames what follows it. sure_quotation: a tagged quotation whose
    content the tagger is at least this confident of (Tagged.confidence) may have a cue
    that is not of speech (the accurate tier,
    accurate/admission.py; the fast tagger gives no confidence)."""
    attributions = []
    by_paragraph: dict[tuple[int, str], list[Tagged]] = defaultdict(list)
    for span in sorted(tagged, key=lambda span: span.start):
        by_paragraph[span.paragraph, span.label].append(span)
    for content in (span for span in tagged if span.label == "CONTENT"):
        cue_span = _nearest(by_paragraph[content.paragraph, "CUE"], content)
        source = _nearest(by_paragraph[content.paragraph, "SOURCE"], cue_span or content)
        if cue_span is None and source is None:
            continue  # nothing frames it as anyone's words
        start, end = _our_span(doc, content)
        content_doc = doc[content.start:content.end]
        cue = cue_token = cue_doc = None
        if cue_span is not None:
            cue_doc = doc[cue_span.start:cue_span.end]
            cue_token = cue_doc.root.i
            cue = Cue(text=cue_doc.text, lemma=cue_doc.root.lemma_.lower(),
                      start=cue_doc.start_char, end=cue_doc.end_char)
        kind = kind_of(content_doc, cue_doc, text[start:end])
        labelled = _named_line(doc, source, cue_span, content)
        if cue_doc is not None and kind in QUOTATIONS and not (is_speech_cue(cue_doc) or labelled or _sure(content, sure_quotation)
                                                               or _reports_clause(cue_doc, content_doc, source)
                                                               or kind == "mixed" and _quotes_in_position(cue_doc, content_doc, source)
                                                               or kind != "mixed" and _position_on(cue_doc, content_doc)):
            continue  # a perception or a title ("saw", "was titled"): nobody's words
        if cue_doc is not None and in_other_sense(cue_doc.root):
            continue  # "called off the deal", "assumed his post": no act of saying or thinking
        if content_doc.root.head.i != content_doc.root.i and is_author_voice(content_doc.root.head):
            continue  # "only time will tell [if he lasts]": it hangs on the writer's own words
        if kind in QUOTATIONS and only_a_title(list(content_doc)):
            continue  # "an article titled “Clinton Does Best ...”": a work's name, no one's words
        if kind == "indirect" and cue_doc is not None and _frames_another_sentence(cue_doc, content_doc):
            continue  # the cue reports its own sentence, not this one
        if kind == "indirect" and is_bare_infinitive(content_doc) and not _commits_or_directs(cue_doc):
            continue  # "were asked to complete a form", "threatening to intensify": no one's words
        if kind == "stance" and not _is_stance(content_doc, cue_doc):
            continue
        if kind not in QUOTATIONS and (cue_doc is None or not (_governs(cue_doc, content_doc)
                                                               or kind == "stance" and _split_off(cue_doc, content_doc))):
            continue  # a stance, belief or refusal is read off its own verb
        if kind in ("stance", "belief") and not is_asserted(cue_doc.root):
            continue  # "would allow leaders to claim victory": a possibility, no one's position
        if kind in ("stance", "belief") and cue_doc.root.pos_ == "VERB" and source is None and subject_of(cue_doc.root) is None:
            continue  # "Want to bookmark this?": nobody's wish
        if kind == "stance":  # where the position was taken is no part of it ("... in a statement")
            kept = without_setting(list(content_doc))
            end = kept[-1].idx + len(kept[-1].text) if kept else end
            if (complement := _noun_complement(content_doc)) is not None:
                end = complement.end_char
        if source is not None and cue_token is not None and _speaks_in_own_sentence(doc, source, doc[cue_token], content):
            source = None  # the tagged source frames another sentence's words
        source_span = doc[source.start:source.end] if source is not None else None
        subject = source_span.root if source_span is not None else None
        if subject is None and cue_token is not None:
            subject = subject_of(doc[cue_token])
        if is_happening(subject):
            continue  # "A look at the fleet suggests ...": an event or the writer's looking says nothing
        if subject is not None and subject.lower_ in IMPERSONAL and not (
                cue_token is not None and speaks_for_its_noun(subject, doc[cue_token])):
            continue
        attributions.append(Attribution(
            kind=kind, start=start, end=end, paragraph=content.paragraph,
            cue=cue, cue_token=cue_token, subject_token=subject.i if subject is not None else None,
            inherits_speaker=subject is None, method="model", model_confidence=content.confidence,
            source=(source_span.start_char, source_span.end_char) if source_span is not None else None))
    return attributions


__all__ = ["Tagged", "tag", "model_attributions", "is_speech_cue"]
