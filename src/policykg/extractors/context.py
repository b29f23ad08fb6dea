"""What kind of passage a sentence is: the company's practice, or words about the law.

Privacy policies quote the GDPR, define its terms and explain the reader's
rights. Those passages name purposes ("for direct marketing purposes"), legal
bases ("a legal obligation", "the public interest"), data ("e.g. a telephone
number") and measures ("pseudonymisation") that the company does not state as
its own practice: "you have the right to object to processing for direct
marketing" says nothing about whether the company markets. A passage is read as
about the law when

* it states or explains a right of the reader ("you have the right to …", an
  item of "You have the following rights:", a section headed by a right);
* it defines a term ("'Personal data' means …", a "Definitions" section);
* its only actors are the Regulation's ("the data subject", "the controller"),
  with no word of the company speaking of itself ("we", "our");
* it is a hypothesis ("if we introduce payments in the future, …").

Such passages yield rights (and organisations, e.g. the authority), not practices.
The cue phrases come from the language profiles (``rights_context_re``,
``definition_re``, ``definition_headings``, ``law_subjects``, ``first_person``).
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import TYPE_CHECKING

from policykg import languages
from policykg.segmenting import Span
from policykg.trie import led

if TYPE_CHECKING:
    from policykg.extractors.base import Document

ABOUT_THE_LAW = frozenset({"purposes", "personal_data", "data_subjects", "legal_bases", "measures",
                           "recipient_categories", "data_sources", "safeguards", "transfer"})
"""Aspects a passage about the law does not state (rights, organisations, dates do)."""


_KEYS = (("rights_context_re", True), ("definition_re", True), ("definition_headings", False),
         ("law_subjects", False), ("first_person", False), ("hypothetical_re", True))
"""The profile keys of the patterns about the law (with whether their entries are regexes)."""


@lru_cache(maxsize=16)
def _raw_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """The patterns about the law as written: rights, definitions, definition headings, the
    Regulation's actors, first person, hypotheses."""
    return tuple(languages.plain_own_and_english_phrases(key, lang, regex) for key, regex in _KEYS)


@lru_cache(maxsize=16)
def _patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """:func:`_raw_patterns` as searched, behind lookaheads on their first characters
    (:func:`languages.own_and_english_phrases`)."""
    return tuple(languages.own_and_english_phrases(key, lang, regex) for key, regex in _KEYS)


class PassageKinds:
    """Which sentences and blocks of a document speak about the law, computed once."""

    def __init__(self, doc: Document) -> None:
        # a proxy, not the document: the document keeps this object (``Document.passages``),
        # and a reference back would make every document, with its tokens and matches,
        # garbage that only the cyclic collector frees (~1,300 objects a policy)
        self.doc = weakref.proxy(doc)
        self._rights, definition = _patterns(doc.lang)[:2]
        text = doc.flat
        self.rights_blocks: set[int] = set()
        self.definition_blocks: set[int] = set()
        for i, b in enumerate(doc.blocks):
            if b.kind not in ("heading", "paragraph"):
                continue
            passage = text[b.start:b.end]
            if b.kind == "heading" and _names_definitions(doc.lang, passage):
                self.definition_blocks.add(i)
            elif (b.kind == "heading" or passage.rstrip().endswith(":")) and _names_rights(doc.lang, passage):
                self.rights_blocks.add(i)  # "Your rights", "You have the following rights:"
        self.mention_blocks = _contents_items(doc) | _definition_titles(doc, definition)
        self._cache: dict[tuple[int, int], bool] = {}

    def states_a_right(self, sentence: Span) -> bool:
        """Whether the sentence itself names the reader's right ("you have the right not to
        be subject to automated decisions" is a right, whatever its "not")."""
        return bool(self._rights.search(self.doc.flat, sentence.start, sentence.end))

    def about_the_law(self, block_index: int, sentence: Span) -> bool:
        """True when the sentence explains a right, defines a term or quotes the Regulation."""
        key = (block_index, sentence.start)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._about_the_law(block_index, sentence)
        return hit

    def in_rights_section(self, block_index: int) -> bool:
        """Whether the block is a rights section, its lead-in or a passage under its heading."""
        block = self.doc.blocks[block_index]
        return block_index in self.rights_blocks or block.heading in self.rights_blocks \
            or block.lead in self.rights_blocks

    def _about_the_law(self, block_index: int, sentence: Span) -> bool:
        block = self.doc.blocks[block_index]
        if block_index in self.mention_blocks:
            return True
        if block.heading in self.definition_blocks or block.heading in self.rights_blocks \
                or block.lead in self.rights_blocks or block_index in self.rights_blocks:
            return True
        return _speaks_of_the_law(self.doc.lang, self.doc.flat[sentence.start:sentence.end])


_KEY_LEAD = re.compile(r"\W*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?")


def _key(text: str) -> str:
    """A heading or list item's words, without bullet, number and closing punctuation."""
    words = text[_KEY_LEAD.match(text).end():].casefold().split()  # type: ignore[union-attr]
    while words:  # the closing punctuation: what split() left of a trailing run of spaces and .:;
        words[-1] = words[-1].rstrip(".:;")
        if words[-1]:
            break
        words.pop()
    return " ".join(words)


def _contents_items(doc: Document) -> set[int]:
    """The items of a table of contents: list items that repeat the title of a later heading,
    when at least three do. They name the sections, not what the company does."""
    text = doc.flat
    headings: dict[str, int] = {}
    for i, b in enumerate(doc.blocks):
        if b.kind == "heading":
            headings.setdefault(_key(text[b.start:b.end]), i)
    if not headings:
        return set()
    items = {i for i, b in enumerate(doc.blocks) if b.kind == "item" and b.end - b.start <= 120
             and headings.get(_key(text[b.start:b.end]), -1) > i}
    return items if len(items) >= 3 else set()


def _definition_titles(doc: Document, definition: re.Pattern[str]) -> set[int]:
    """Headings that title the definition right below them ("Pseudonymisation" above
    '"Pseudonymisation" means …'): part of the definition, not a practice."""
    out: set[int] = set()
    text = doc.flat
    blocks = doc.blocks
    for i, b in enumerate(blocks[:-1]):
        if b.kind != "heading":
            continue
        nxt = blocks[i + 1]
        if nxt.kind == "paragraph" and definition.match(text[nxt.start:min(nxt.end, nxt.start + 300)]) \
                and _key(text[b.start:b.end]) in _key(text[nxt.start:nxt.start + 200]):
            out.add(i)
    return out


@lru_cache(maxsize=4096)
def _names_definitions(lang: str, passage: str) -> bool:
    """A heading of definitions ("Definitions", "Begrepp"); memoised on its words."""
    return _patterns(lang)[2].search(passage) is not None


@lru_cache(maxsize=4096)
def _names_rights(lang: str, passage: str) -> bool:
    """A passage that names the reader's rights; memoised on its words."""
    return _patterns(lang)[0].search(passage) is not None


@lru_cache(maxsize=8192)
def _speaks_of_the_law(lang: str, text: str) -> bool:
    """Whether a sentence's own words state a right, define a term, make a hypothesis,
    or name only the Regulation's actors. A pure function of the words: memoised, for
    policies written from the same templates repeat their sentences."""
    _, _, _, law_subject, first_person, _ = _patterns(lang)
    if _law_any(lang).search(text):
        return True
    return bool(law_subject.search(text)) and not first_person.search(text)


@lru_cache(maxsize=16)
def _law_any(lang: str) -> re.Pattern[str]:
    """The right, definition and hypothesis cues in one scan (most sentences match none)."""
    rights, definition, _, _, _, hypothetical = _raw_patterns(lang)
    return led(re.compile("|".join(f"(?:{p.pattern})" for p in (rights, definition, hypothetical)), re.I))
