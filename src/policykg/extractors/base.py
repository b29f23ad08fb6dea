"""What every extractor shares: the document under analysis and its findings.

An extractor is a function ``(Document) -> list[Finding]``. A finding is one
fact with the exact span of text that states it; :mod:`policykg.graph` turns
findings into DPV practices with Web Annotation evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from rdflib import URIRef

from policykg import languages, lexicon
from policykg.lexicon import Match, Matcher, Token
from policykg.rdfdata import shared_iri
from policykg.segmenting import Block, Span, segment
from policykg.trie import led


class Finding(NamedTuple):
    """One extracted fact (a named tuple: extraction makes hundreds per policy, and a
    frozen dataclass's ``__init__`` costs several times more).

    ``aspect`` names the kind of fact (``purposes``, ``recipients``, ``retention`` ...),
    ``value`` is a DPV concept IRI or a plain value (organisation key, ISO duration,
    date), ``start``/``end`` index the matched words and ``sentence`` the sentence
    that is quoted as evidence. ``block`` is the index of the passage it belongs to.
    """

    aspect: str
    value: str
    start: int
    end: int
    sentence: Span
    block: int
    role: str | None = None
    label: str | None = None
    inherited: bool = False

    @property
    def iri(self) -> URIRef:
        """The value as an IRI (the vocabularies' own object: :func:`rdfdata.shared_iri`)."""
        return shared_iri(self.value)


@dataclass
class Document:
    """A policy text with its structure, language and vocabularies."""

    identifier: str
    text: str
    lang: str
    vocab: dict[str, lexicon.Vocabulary] = field(default_factory=lexicon.load)

    def __post_init__(self) -> None:
        self._match_cache: dict[int, tuple[list[int], list[Match]]] = {}
        self._context: dict[tuple[int, Span], tuple[Span, ...]] = {}
        self._may_deny: dict[Span, bool] = {}
        self.memo: dict[str, Any] = {}
        """Results an extractor's helper computes once per document (keyed by the helper's name)."""

    @cached_property
    def blocks(self) -> list[Block]:
        return segment(self.text)

    @cached_property
    def passages(self):  # type: ignore[no-untyped-def]
        """Which sentences speak about the law rather than the company's practice."""
        from policykg.extractors.context import PassageKinds

        return PassageKinds(self)

    @cached_property
    def flat(self) -> str:
        """The text with line breaks as spaces (same offsets): inside a sentence a line
        break is where a line was wrapped, so patterns over names and phrases must not
        stop there ("Google\nAnalytics", "Acme Ireland\nLimited")."""
        return self.text.replace("\n", " ")

    @cached_property
    def sentence_index(self) -> list[tuple[int, Span]]:
        """Every sentence with the index of its block, in text order."""
        return [(i, s) for i, b in enumerate(self.blocks) for s in b.sentences]

    @cached_property
    def sentence_texts(self) -> list[str]:
        """The text (of :attr:`flat`) of each sentence of :attr:`sentence_index`, sliced
        once: extractors pass the same sentence to several memoised tests, and a string
        computes its hash once."""
        flat = self.flat
        return [flat[s.start:s.end] for _, s in self.sentence_index]

    @cached_property
    def _tokens(self) -> list[Token]:
        return lexicon.tokens(self.text)

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self._tokens]

    def tokens(self, span: Span) -> list[Token]:
        lo = bisect_left(self._token_starts, span.start)
        hi = bisect_left(self._token_starts, span.end)
        return [t for t in self._tokens[lo:hi] if t.end <= span.end]

    @property
    def lexicon_lang(self) -> str:
        """The language whose labels are matched: the policy's own when it has a profile;
        otherwise English (names, acronyms and figures still match)."""
        return _lexicon_lang(self.lang)

    def matches(self, scheme: str, span: Span) -> list[Match]:
        vocab = self.vocab.get(scheme)
        if vocab is None:
            return []
        matcher = vocab.matchers.get(self.lexicon_lang)
        if matcher is None:
            return []
        return self._find(matcher, span)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for _, s in self.sentence_index]

    def matches_by_sentence(self, scheme: str) -> list[tuple[int, Span, list[Match]]]:
        """(block index, sentence, matches) for the sentences where ``scheme`` matches.

        The same matches as :meth:`matches` sentence by sentence, found without
        visiting the (many) sentences where the vocabulary has none.
        """
        vocab = self.vocab.get(scheme)
        matcher = vocab.matchers.get(self.lexicon_lang) if vocab else None
        if matcher is None:
            return []
        everything = self._find(matcher, Span(0, len(self.text)))
        grouped: dict[int, list[Match]] = {}
        starts = self._sentence_starts
        for m in everything:
            i = bisect_right(starts, m.start) - 1
            if i < 0:
                continue
            _, sentence = self.sentence_index[i]
            if m.start >= sentence.start and m.end <= sentence.end:
                grouped.setdefault(i, []).append(m)
        return [(self.sentence_index[i][0], self.sentence_index[i][1], ms) for i, ms in sorted(grouped.items())]

    def without_matches(self, scheme: str, span: Span, english: bool = False) -> str:
        """The text of ``span`` with ``scheme``'s matches blanked out (same offsets): what
        else a stretch holds besides places ("from the EU, the UK and Switzerland"; "Microsoft
        Ireland" after the known name). ``english``: also the English labels' matches."""
        rest = list(self.flat[span.start:span.end])
        found = self.matches(scheme, span)
        vocab = self.vocab.get(scheme)
        if english and vocab is not None and vocab.matchers.get("en") is not None:
            found = [*found, *self._find(vocab.matchers["en"], span)]
        for m in found:
            rest[m.start - span.start:m.end - span.start] = " " * (m.end - m.start)
        return "".join(rest)

    def _find(self, matcher: Matcher, span: Span) -> list[Match]:
        """Matches of ``matcher`` inside ``span``.

        Each vocabulary is matched once over the whole text and the result sliced
        per sentence: a policy has hundreds of sentences and a dozen vocabularies.
        """
        cached = self._match_cache.get(id(matcher))
        if cached is None:
            self._match_all(matcher)
            cached = self._match_cache[id(matcher)]
        starts, found = cached
        lo = bisect_left(starts, span.start)
        hi = bisect_left(starts, span.end)
        if lo == hi:
            return []  # most spans asked about hold no match of most vocabularies
        return [m for m in found[lo:hi] if m.end <= span.end]

    def _match_all(self, matcher: Matcher) -> None:
        """Match every vocabulary of the document's language in one pass and cache
        the results; a matcher from elsewhere (not in ``vocab``) is run alone."""
        group, index = lexicon.group_for(self.vocab, matcher.lang)
        if id(matcher) in index:
            for m, found in zip(group.matchers, group.find_all(self.text, self._tokens), strict=True):
                self._match_cache[id(m)] = ([x.start for x in found], found)
        else:
            found = matcher.find(self.text, self._tokens)
            self._match_cache[id(matcher)] = ([x.start for x in found], found)

    def after_excluded_word(self, scheme: str, start: int, concept: URIRef | None = None) -> bool:
        """True when the word before ``start`` is one the scheme must not follow
        ("by e-mail" is a channel, not an e-mail address), or one ``concept`` must not
        follow ("a sync client" is software, not a client of the company)."""
        vocab = self.vocab.get(scheme)
        if vocab is None:
            return False
        if concept is not None and vocab.concept_not_after:
            own = vocab.concept_not_after.get(concept, {}).get(self.lexicon_lang)
            if own:
                found = _WORD_RUN.findall(self.text[max(0, start - 40):start])
                if found and found[-1].casefold() in own:
                    return True
        words = vocab.not_after.get(self.lexicon_lang)
        if not words:
            return False
        before = self.text[max(0, start - 40):start]
        found = _WORD_RUN.findall(before)
        if not found:
            return False
        last = found[-1].casefold()  # the word before, whatever punctuation follows it
        if last in words:
            return True
        if last not in _CONJUNCTIONS:
            return False
        # the second of two joined by "or"/"and": "by e-mail or phone", "via SMS och e-post"
        m = _JOINED_BEFORE.search(before)
        return bool(m and m.group(1).casefold() in words)

    def cue_in(self, scheme: str, span: Span) -> bool:
        vocab = self.vocab.get(scheme)
        if vocab is None or not vocab.cues:
            return True
        matcher = vocab.cues.get(self.lexicon_lang)
        return bool(matcher and self._find(matcher, span))

    def concept_cue_in(self, scheme: str, concept: URIRef, spans: list[Span]) -> bool:
        """A concept with its own ``pkg:requiresCue`` ("physical" needs "safeguards"
        or "measures" nearby) counts only where one of its cues is present."""
        vocab = self.vocab.get(scheme)
        cues = vocab.concept_cues.get(concept) if vocab else None
        if not cues:
            return True
        matcher = cues.get(self.lexicon_lang)
        return bool(matcher) and any(self._find(matcher, s) for s in spans)

    def concept_excluded(self, scheme: str, concept: URIRef, span: Span) -> bool:
        """A concept with ``pkg:excludedBy`` words does not count where one of them is
        in the sentence ("we will notify you" of changes to this policy)."""
        vocab = self.vocab.get(scheme)
        excluders = vocab.concept_excluders.get(concept) if vocab else None
        if not excluders:
            return False
        matcher = excluders.get(self.lexicon_lang)
        return bool(matcher and self._find(matcher, span))

    def context_spans(self, block_index: int, sentence: Span) -> tuple[Span, ...]:
        """The sentence, its block's first sentence, its lead-in and its heading (memoised:
        every vocabulary with matches in a sentence asks)."""
        key = (block_index, sentence)
        spans = self._context.get(key)
        if spans is None:
            block = self.blocks[block_index]
            found = [sentence]
            if block.sentences:
                found.append(block.sentences[0])
            for ref in (block.lead, block.heading):
                if ref is not None:
                    found.append(Span(self.blocks[ref].start, self.blocks[ref].end))
            spans = self._context[key] = tuple(found)
        return spans

    def denies(self, sentence: Span, start: int, end: int | None = None) -> bool:
        """:func:`negated` for a match in one of this document's sentences, with whether the
        sentence has a denial word at all kept per sentence (most have none; each of their
        matches then costs one dictionary lookup instead of a slice of the sentence)."""
        may = self._may_deny.get(sentence)
        if may is None:
            may = self._may_deny[sentence] = _may_deny(self.text[sentence.start:sentence.end], self.lang)
        return may and _denied(self.text, sentence, start, self.lang, end)

    def quote(self, span: Span) -> str:
        return self.text[span.start:span.end]


@lru_cache(maxsize=64)
def _lexicon_lang(lang: str) -> str:
    """:attr:`Document.lexicon_lang`, memoised: asked tens of thousands of times per
    policy, and the profiles are read once per process."""
    return lang if lang in languages.codes() else "en"


def sentence_cue(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """``pattern.search(sentence) is not None``, memoised on the sentence's words.

    Extractors test their cues on every sentence, and policies written from the same
    templates share most of their sentences; the answer depends on the words alone.
    """

    fast = led(pattern)  # the same matches, most positions dismissed on one character

    @lru_cache(maxsize=4096)
    def found(sentence: str) -> bool:
        return fast.search(sentence) is not None

    return found


# --- negation ---------------------------------------------------------------

def _lang_words(key: str) -> dict[str, frozenset[str]]:
    return {code: languages.words(key, code) for code in languages.codes()}


_NEG = _lang_words("negation")
_NOT_A_DENIAL = languages.words("not_a_denial")
_CONDITIONAL = re.compile(r"^\W*" + languages.phrase_pattern("conditional"), re.I)
# Commas do not end a denial's scope: "we do not sell, rent or trade your data",
# "vi samlar inte in ditt namn, telefonnummer eller ...".
# (A line break is no clause break: inside a sentence it is where a line was wrapped.)
# A colon inside a word is a case ending, no break: Swedish "EU:s", Finnish "EU:n ulkopuolelle".
_CLAUSE_BREAK = re.compile(r"[;()\u2013\u2014]|(?<!\w):|:(?![a-zäöåæøü]{1,3}\b)|"
                           + languages.phrase_pattern("clause_breaks"), re.I)


_WORD_BEFORE = re.compile(r"\w")
_WORD_AFTER = re.compile(r"[\w/]")


def reached_by(pattern: re.Pattern[str], text: str) -> Callable[[Span], bool]:
    """Whether ``pattern`` can match inside a sentence of ``text``, from one scan of the whole
    text: a per-sentence pattern that finds nothing in most sentences need not run on each. A
    match inside a sentence, searched on the sentence alone, is also found or overlapped by
    the scan of the whole text, which reads the same characters; only the assertions at the
    sentence's edges read differently, so a sentence with a word character right before it
    (or a word character or "/" right after it) is always reached. The caller still searches
    the sentences reached."""
    starts, ends = [], []
    for m in pattern.finditer(text):
        starts.append(m.start())
        ends.append(m.end())

    def may(s: Span) -> bool:
        i = bisect_right(ends, s.start)  # the first match that ends after the sentence starts
        return (i < len(starts) and starts[i] < s.end) or _WORD_AFTER.match(text, s.end) is not None \
            or (s.start > 0 and _WORD_BEFORE.match(text, s.start - 1) is not None)

    return may


def negated(text: str, sentence: Span, start: int, lang: str, end: int | None = None) -> bool:
    """True when the words before ``start`` in its clause deny the statement.

    "We do not sell your data" and "vi säljer inte" are denials; "if you do not
    consent" is a condition and "not only" / "not limited to" are not denials.
    """
    return _may_deny(text[sentence.start:sentence.end], lang) and _denied(text, sentence, start, lang, end)


def _denied(text: str, sentence: Span, start: int, lang: str, end: int | None) -> bool:
    """:func:`negated` in a sentence known to hold a denial word."""
    before = text[sentence.start:start]
    breaks = [b for b in _CLAUSE_BREAK.finditer(before)
              if not (b.group() == "(" and _EXAMPLES.match(before, b.end()))]  # "(e.g. …)" keeps the clause
    clause = before[breaks[-1].end():] if breaks else before
    if _CONDITIONAL.search(clause):
        return False
    cues = _CUES.get(lang, _NEG.get("en", frozenset()))
    if _has_denial(_words(clause), cues) and not _denial_in_opening_purpose(clause, cues, lang):
        return True
    if end is None:
        return False
    # the denial may follow the subject: "your e-mail address is not shared",
    # "dina uppgifter delas inte"
    after = text[end:sentence.end]
    m = _CLAUSE_BREAK.search(after)
    tail = _words(after[:m.start()] if m else after)
    if lang in _DENIAL_AT_CLAUSE_END and tail and tail[-1] in cues and not _CONDITIONAL.search(before):
        return True  # "Analyse-Tools verwenden wir auf dieser Website nicht": the verb's denial closes the clause
    return _tail_denial(tail[:5], cues, tail[5:7])


_EXAMPLES = re.compile(r"\s*" + languages.phrase_pattern("example_markers"), re.I)
# languages whose denial may close the clause after the verb, however far from what it denies
# (profile key denial_at_clause_end; German: "Analyse-Tools verwenden wir auf dieser Website nicht")
_DENIAL_AT_CLAUSE_END = frozenset(code for code, p in languages.profiles().items() if p.get("denial_at_clause_end"))
_CONJUNCTIONS = languages.words("conjunctions")
_WORD_RUN = re.compile(r"\w+")
_JOINED_BEFORE = re.compile(r"(\w+)\s+[\w-]+\s+(\w+)\s+$")
_FIRST_PERSON = languages.words("first_person")


@lru_cache(maxsize=16)
def _opening_purpose(lang: str) -> re.Pattern[str]:
    return re.compile(r"^\W*(?:" + languages.own_and_english_phrases("purpose_markers", lang).pattern + r")\b",
                      re.I)


def _denial_in_opening_purpose(clause: str, cues: frozenset[str], lang: str) -> bool:
    """The denial belongs to a purpose clause that opens the sentence, and the main clause
    follows with its own subject: "To make sure we do not send duplicates, we store your
    e-mail address", "För att vi inte ska lämna ut uppgifter till fel person kan vi ...",
    "Damit wir Ihnen keine Nachricht doppelt senden, speichern wir ..." deny nothing we do."""
    if not _opening_purpose(lang).match(clause):
        return False
    words = _words(clause)
    last = max((i for i, w in enumerate(words) if w in cues or w.endswith("n't")), default=-1)
    return last >= 0 and any(w in _FIRST_PERSON for w in words[last + 1:])


def _tail_denial(words: list[str], cues: frozenset[str], more: list[str]) -> bool:
    """A denial after the match denies it ("your e-mail address is not shared"), unless
    it opens a new predicate ("hashed and never stored in plain text") or hands the
    practice to another ("handled by our provider, not by us")."""
    following = words + more
    for i, w in enumerate(words):
        if w in cues or w.endswith("n't"):
            nxt = following[i + 1] if i + 1 < len(following) else ""
            if nxt in _NOT_A_DENIAL:
                continue
            if i and words[i - 1] in _CONJUNCTIONS:
                return False
            if any(words[j] in _CONJUNCTIONS and words[j + 1] in _PREDICATE_OPENERS for j in range(i - 1)):
                return False  # "activated anonymizeIP and can therefore not see your IP address"
            after = following[i + 1:i + 3]
            if after[:1] and (after[0] in _FIRST_PERSON or (after[0] in _AGENT and after[1:2]
                                                             and after[1] in _FIRST_PERSON)):
                return False  # "not us", "not by us", "inte av oss"
            return True
    return False


_AGENT = frozenset({"by", "av", "von", "from", "fra", "af", "från"})
# after "and", a modal or "we" opens a new predicate ("and can therefore not"); a noun
# joins subjects ("your e-mail and phone number are not shared": both denied)
_PREDICATE_OPENERS = _FIRST_PERSON | frozenset({
    "can", "cannot", "will", "may", "could", "would", "should", "therefore", "thus",
    "kan", "kommer", "ska", "skall", "därför", "kann", "wird", "werden", "daher", "vil", "skal", "derfor"})


_CUES = {lang: words | _NEG.get("en", frozenset()) for lang, words in _NEG.items()}
_WORD = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?!\w)|[\w'’]+")
"""A word, or a web domain as one word: "acme.no" holds no denial "no"."""


@lru_cache(maxsize=4096)
@lru_cache(maxsize=4096)
def _may_deny(sentence: str, lang: str) -> bool:
    """Whether the sentence has a denial word at all: most have none, and then no
    match in it is denied (matches start and end on word boundaries, so the words
    around a match are words of its sentence). Memoised on the sentence, as the other
    sentence cues (:func:`sentence_cue`): every match of every vocabulary in a sentence
    asks again, and policies written from one template share most sentences."""
    cues = _CUES.get(lang, _NEG.get("en", frozenset()))
    return any(w in cues or w.endswith("n't") for w in _words(sentence))


def _words(s: str) -> list[str]:
    words = _WORD.findall(s)
    if not words:
        return []
    # one casefold for the clause, not one per word (casefold maps character by character)
    return "\x00".join(words).casefold().replace("’", "'").split("\x00")


def _has_denial(words: list[str], cues: frozenset[str]) -> bool:
    for i, w in enumerate(words):
        if w in cues or w.endswith("n't"):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt not in _NOT_A_DENIAL:
                return True
    return False
