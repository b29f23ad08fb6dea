"""Retention: storage periods (``xsd:duration``) and "as long as necessary".

A duration counts as a storage period only in a sentence (or under a heading)
that speaks of keeping, storing or deleting data — "we reply within 30 days"
is not a retention period.
"""

from __future__ import annotations

import re

from policykg import languages
from policykg.durations import find_durations
from policykg.extractors.base import Document, Finding
from policykg.segmenting import Span

NECESSARY = "https://w3id.org/policykg#RetentionAsLongAsNecessary"


_AGE_BEFORE = re.compile(r"\b(?:" + "|".join(languages.fragments("age_before_re")) + r")\b[^.]{0,12}$", re.I)
_AGE_AFTER = re.compile(r"^\s*(?:" + "|".join(languages.fragments("age_after_re")) + r")\b", re.I)


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
        if not cued and _bare_duration(doc, s, durations):
            cued = _cue_shortly_before(doc, bi)
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


TABLE_LOOKBACK = 10
"""Blocks looked back from a bare duration for the retention cue of its table."""


def _bare_duration(doc: Document, s: Span, durations: list[tuple[int, int, str]]) -> bool:
    """A block that is one duration and nothing else ("7 år", "12 months"): a cell of a
    table flattened to lines, whose header ("Lagringstid", "How long we keep it") is a
    few lines up rather than its heading."""
    if len(durations) != 1:
        return False
    start, end, _ = durations[0]
    return not doc.text[s.start:start].strip() and not doc.text[end:s.end].strip(" .\t")


def _cue_shortly_before(doc: Document, bi: int) -> bool:
    for ref in range(bi - 1, max(-1, bi - 1 - TABLE_LOOKBACK), -1):
        b = doc.blocks[ref]
        if doc.matches("retention_cues", Span(b.start, b.end)):
            return True
    return False
