"""Notice metadata: when the policy was last updated, and its contact e-mails."""

from __future__ import annotations

import re

from policykg import languages
from policykg.durations import find_dates
from policykg.extractors.base import Document, Finding, sentence_cue
from policykg.trie import first_chars

_UPDATED_CUES = languages.fragments("updated_re")
# the lookahead on the cues' first letters dismisses most word starts before any alternative is tried
_UPDATED = re.compile(r"\b(?=" + first_chars(_UPDATED_CUES) + ")(?:" + "|".join(_UPDATED_CUES) + r")\b", re.I)
_STATES_UPDATE = sentence_cue(_UPDATED)
_FRONT_MATTER_DATE = re.compile(r"^(?:date|lastmod|updated|last_updated)\s*:\s*[\"']?(\d{4}-\d{2}-\d{2})",
                                re.I | re.M)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")


def metadata(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    found_date = False
    for bi, s in doc.sentence_index:
        sentence = doc.quote(s)
        if not found_date and _STATES_UPDATE(sentence):
            dates = find_dates(doc.text, s.start, s.end)
            if dates:
                start, end, iso = dates[0]
                out.append(Finding("modified", iso, start, end, s, bi))
                found_date = True
        if "@" not in sentence:
            continue  # the e-mail pattern backtracks over every word; most sentences have none
        for m in EMAIL.finditer(doc.text, s.start, s.end):
            out.append(Finding("email", m.group(), m.start(), m.end(), s, bi))
    if not found_date:
        m = _FRONT_MATTER_DATE.search(doc.text[:3000])
        if m:
            from policykg.segmenting import Span
            line = Span(m.start(), m.end())
            bi = next((i for i, s in doc.sentence_index if s.start <= m.start() < s.end), 0)
            out.append(Finding("modified", m.group(1), m.start(1), m.end(1), line, bi))
    return out
