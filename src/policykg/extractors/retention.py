"""Retention: storage periods (``xsd:duration``) and "as long as necessary".

A duration counts as a storage period only in a sentence (or under a heading)
that speaks of keeping, storing or deleting data — "we reply within 30 days"
is not a retention period.
"""

from __future__ import annotations

import re

from policykg.durations import find_durations
from policykg.extractors.base import Document, Finding
from policykg.segmenting import Span

NECESSARY = "https://w3id.org/policykg#RetentionAsLongAsNecessary"


_AGE_BEFORE = re.compile(r"\b(?:age|aged|ages|under|over|older|younger|ålder|åldern|äldre|yngre|fyllt|"
                         r"minst|children|minors|barn|alter)\b[^.]{0,12}$", re.I)
_AGE_AFTER = re.compile(r"^\s*(?:old|of age|gammal|gamla|alt)\b", re.I)


def _is_age(text: str, start: int, end: int) -> bool:
    """"under 18 years", "13 år gammal": an age limit, not a storage period."""
    return bool(_AGE_BEFORE.search(text[max(0, start - 30):start]) or _AGE_AFTER.match(text[end:end + 12]))


def retention(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    for bi, s in doc.sentence_index:
        durations = find_durations(doc.text, s.start, s.end)
        necessary = doc.matches("retention_necessary", s)
        if not durations and not necessary:
            continue
        cued = bool(doc.matches("retention_cues", s))
        if not cued:
            block = doc.blocks[bi]
            for ref in (block.heading, block.lead):
                if ref is not None:
                    b = doc.blocks[ref]
                    if doc.matches("retention_cues", Span(b.start, b.end)):
                        cued = True
        if not cued:
            continue
        for start, end, iso in durations:
            if _is_age(doc.text, start, end):
                continue
            out.append(Finding("retention", iso, start, end, s, bi))
        if not durations:
            m = necessary[0]
            out.append(Finding("retention", NECESSARY, m.start, m.end, s, bi))
    return out
