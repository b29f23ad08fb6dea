"""Rights cited by their GDPR article: "Art. 15 GDPR", "art. 15 & 20", "Artikel 15–22 DSGVO".

Policies often name a right only by its article, alone or in lists and ranges.
An article of Chapter III (15–22), 7(3), 77 or 79 cited where the passage speaks
of rights is that right. The numbers are the Regulation's, the same in every
language; the words around them ("Art.", "artikel", "Artikel", "artiklarna",
Finnish "15 artiklan") are few and listed here.
"""

from __future__ import annotations

import re

from policykg.extractors.base import Document, Finding, negated

GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
RIGHTS = {15: "A15", 16: "A16", 17: "A17", 18: "A18", 19: "A19", 20: "A20", 21: "A21", 22: "A22",
          77: "A77", 79: "A79"}

_NUM = r"\d{1,2}(?:\s*\(\d\)|\.\d(?!\d)|\s+Abs\.\s*\d)?(?:\s*(?:\([a-z]\)|lit\.\s*[a-z]|[a-z]\b))?"
_SEP = r"\s*(?:,|&|\+|and|och|und|or|eller|oder|og|ja|–|—|-|to|till|bis)\s*"
_ARTICLE = re.compile(
    r"\b(?:Art(?:icles?|ikel|ikeln|iklarna|ikler|ikkel|iklerne|ikla|iklan|iklat|\.|s\.)?|artt?\.)\s*(?P<list>" + _NUM
    + r"(?:" + _SEP + r"(?:art\.\s*)?" + _NUM + r")*)", re.I)
# Finnish puts the number first: "15–22 artikla", "tietosuoja-asetuksen 15 artiklan mukaan"
_ARTICLE_AFTER = re.compile(r"(?<![\w.,])(?P<list>" + _NUM + r"(?:" + _SEP + _NUM + r")*)\s+artikl(?:a|an|at|oissa|ojen|assa)\b",
                            re.I)
_RANGE = re.compile(r"(\d{1,2})\s*(?:–|—|-|to|till|bis)\s*(\d{1,2})")


def _numbers(listing: str) -> list[tuple[int, str]]:
    """The article numbers of "15 & 20", "15–22" (every number of a range), "7(3)"."""
    out: list[tuple[int, str]] = []
    for a, b in _RANGE.findall(listing):
        if int(a) < int(b) <= int(a) + 10:
            # "Art. 15 to 21" lists the rights; Art. 19 among them is the controller's duty to
            # tell recipients, not a right the reader exercises
            out.extend((n, "") for n in range(int(a), int(b) + 1) if n != 19)
    for m in re.finditer(r"(\d{1,2})(?:\s*\((\d)\)|\.(\d)(?!\d)|\s+Abs\.\s*(\d))?", listing):
        out.append((int(m.group(1)), m.group(2) or m.group(3) or m.group(4) or ""))
    return out


def rights_by_article(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    text = doc.flat
    for bi, s in doc.sentence_index:
        sentence = text[s.start:s.end]
        if "rt" not in sentence and "RT" not in sentence:
            continue
        for m in (*_ARTICLE.finditer(text, s.start, s.end), *_ARTICLE_AFTER.finditer(text, s.start, s.end)):
            context = doc.context_spans(bi, s)
            if not any(doc.cue_in("rights", span) for span in context):
                continue
            if negated(doc.text, s, m.start(), doc.lang, m.end()):
                continue
            for number, paragraph in _numbers(m.group("list")):
                concept = "A7-3" if (number, paragraph) == (7, "3") else RIGHTS.get(number)
                if concept:
                    out.append(Finding("rights", GDPR + concept, m.start(), m.end(), s, bi, label=m.group()))
    return out
