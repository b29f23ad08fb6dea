"""Vocabulary-driven aspects: purposes, personal data, data subjects, legal
bases, rights, measures and transfer safeguards.

All of them work the same way — SKOS labels matched sentence by sentence — so
one function serves them, parameterised by data: the scheme name, whether a
denial cancels the match, and (declared in the vocabulary) which cue words must
be nearby. Rights are not cancelled by negation because "the right *not* to be
subject to automated decisions" is still a right.
"""

from __future__ import annotations

from policykg.extractors.base import Document, Finding, negated

NEGATABLE = {"purposes": True, "personal_data": True, "data_subjects": True,
             "legal_bases": True, "rights": False, "measures": True, "safeguards": True}


def extract_scheme(doc: Document, scheme: str) -> list[Finding]:
    """Every vocabulary match of ``scheme`` that is not denied and has its cue."""
    out: list[Finding] = []
    check_negation = NEGATABLE.get(scheme, True)
    for block_index, sentence in doc.sentence_index:
        matches = doc.matches(scheme, sentence)
        if not matches:
            continue
        if not any(doc.cue_in(scheme, span) for span in doc.context_spans(block_index, sentence)):
            continue
        for m in matches:
            if check_negation and negated(doc.text, sentence, m.start, doc.lang, m.end):
                continue
            out.append(Finding(scheme, str(m.concept), m.start, m.end, sentence, block_index,
                               label=m.label))
    return out


def purposes(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "purposes")


def personal_data(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "personal_data")


def data_subjects(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "data_subjects")


def legal_bases(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "legal_bases")


def rights(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "rights")


def measures(doc: Document) -> list[Finding]:
    return extract_scheme(doc, "measures")
