"""Where data is stored, and transfers outside the EU/EEA with their safeguards.

A transfer is stated by a cue ("outside the EU/EEA", "tredjeland", "worldwide")
or implied by a safeguard (standard contractual clauses, adequacy decision,
Data Privacy Framework, BCR). A country outside the EU/EEA named in such a
sentence, or as a place of storage, is a destination (``dpv:hasThirdCountry``).
EU/EEA membership comes from ``pkg:withinEEA`` in the locations vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Literal, URIRef

from policykg import languages
from policykg.extractors.base import Document, Finding
from policykg.extractors.concepts import extract_scheme
from policykg.lexicon import PKG
from policykg.rdfdata import read_turtle
from policykg.resources import vocab_dir
from policykg.segmenting import Span

TRANSFER = "https://w3id.org/dpv#Transfer"


@lru_cache(maxsize=1)
def within_eea() -> frozenset[str]:
    g = read_turtle([vocab_dir() / "locations.ttl"])
    return frozenset(str(s) for s, o in g.subject_objects(PKG.withinEEA)
                     if isinstance(s, URIRef) and o == Literal(True))


def transfers(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    safeguards = extract_scheme(doc, "safeguards")
    out.extend(safeguards)
    transfer_sentences = {(f.block, f.sentence.start) for f in safeguards}
    for bi, s, cues in doc.matches_by_sentence("transfer_cues"):  # the sentences with a cue, in order
        for m in cues:
            if doc.denies(s, m.start, m.end) or doc.passages.about_the_law(bi, s):
                continue
            out.append(Finding("transfer", TRANSFER, m.start, m.end, s, bi, label=m.label))
            transfer_sentences.add((bi, s.start))
            break
    eea = within_eea()
    for f in extract_scheme(doc, "locations"):
        if f.value in eea:
            if (f.block, f.sentence.start) in transfer_sentences and _is_origin(doc, f):
                continue
            out.append(f)
        elif _comes_from(doc, f):
            continue  # "received from Switzerland": where data comes from, not where it goes
        elif (f.block, f.sentence.start) in transfer_sentences or _storage_cue(doc, f) or _sent_there(doc, f):
            out.append(Finding("third_country", f.value, f.start, f.end, f.sentence, f.block,
                               label=f.label))
            if (f.block, f.sentence.start) not in transfer_sentences:
                out.append(Finding("transfer", TRANSFER, f.start, f.end, f.sentence, f.block))
                transfer_sentences.add((f.block, f.sentence.start))
    return out


_ORIGIN = languages.words("origin_words")


def _is_origin(doc: Document, f: Finding) -> bool:
    """In "transferred outside the EU", the EU is where data comes from, not where it is stored."""
    before = doc.text[max(f.sentence.start, f.start - 50):f.start].casefold()
    return any(w in before for w in _ORIGIN)


@lru_cache(maxsize=16)
def _source_patterns(lang: str) -> tuple[re.Pattern[str], frozenset[str]]:
    """The words after which places are a source (the policy's language and English), and
    the words a list of places may hold besides the places (determiners, conjunctions)."""
    return (languages.own_and_english_phrases("source_words", lang),
            languages.own_and_english_words("determiners", "conjunctions", lang=lang))


@lru_cache(maxsize=16)
def _access_words(lang: str) -> tuple[str, ...]:
    return tuple(sorted(languages.own_and_english_words("access_words", lang=lang)))


def _comes_from(doc: Document, f: Finding) -> bool:
    """Whether the place is one the data comes from: after a source word ("from"), with only
    other places, determiners, conjunctions and punctuation in between ("from the European
    Union, the United Kingdom, and Switzerland to countries without an adequacy decision";
    "received from Switzerland"). "From the EU to the United States": the United States
    comes after "to", a destination."""
    source, glue = _source_patterns(doc.lexicon_lang)
    text = doc.text
    last = None
    for m in source.finditer(text, max(f.sentence.start, f.start - 150), f.start):
        last = m
    if last is None:
        return False
    before = re.findall(r"\w+", text[max(f.sentence.start, last.start() - 40):last.start()].casefold())
    if before and before[-1].endswith(_access_words(doc.lexicon_lang)):
        return False  # "Möjlig supportåtkomst från USA": accessed from there, a transfer to it
    words = re.findall(r"\w+", doc.without_matches("locations", Span(last.end(), f.start)).casefold())
    return all(w in glue for w in words)


def _sent_there(doc: Document, f: Finding) -> bool:
    """"We transfer your data to GitHub Inc. in the USA": a verb of transfer before the
    country in its sentence (denials are read with the location itself)."""
    return bool(languages.own_and_english_phrases("transfer_verbs_re", doc.lexicon_lang, regex=True)
                .search(doc.text, f.sentence.start, f.start))


def _storage_cue(doc: Document, f: Finding) -> bool:
    return bool(doc.matches("storage_cues", f.sentence))
