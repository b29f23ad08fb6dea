"""Rights and legal bases cited by their GDPR article: "Art. 15 GDPR", "art. 15 & 20",
"Artikel 15–22 DSGVO"; "Art. 6(1)(f)", "Art. 6 Abs. 1 lit. b", "art. 6, stk. 1, litra a",
"artikel 6.1 c", "art. 6 nr. 1 bokstav e", "6 artiklan 1 kohdan a alakohta", "Art. 9(2)(h)".

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
    for (bi, s), sentence in zip(doc.sentence_index, doc.sentence_texts, strict=True):
        if "rt" not in sentence and "RT" not in sentence:
            continue
        after = _ARTICLE_AFTER.finditer(text, s.start, s.end) if "rtikl" in sentence.lower() else ()
        for m in (*_ARTICLE.finditer(text, s.start, s.end), *after):  # (the Finnish order needs "artikl")
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


# --- legal bases by article ----------------------------------------------------

DPV = "https://w3id.org/dpv#"
ART6 = {"a": DPV + "Consent", "b": DPV + "Contract", "c": DPV + "LegalObligation", "d": DPV + "VitalInterest",
        "e": DPV + "PublicInterest", "f": DPV + "LegitimateInterest"}
"""Art. 6(1)(a)-(f): the six legal bases, as the vocabulary names them."""

_LETTERS = r"(?P<letters>[a-j](?:\s*\)?\s*(?:,|&|\+|and|or|und|oder|och|eller|og|ja|tai)\s*(?:\(\s*)?[a-j](?![\w]))*)"
_PARAGRAPH = (r"(?:\s*\(\s*(?P<p1>[12])\s*\)|\.(?P<p2>[12])\.?"
              r"|\s*,?\s*(?:para(?:graph)?\.?|Abs(?:atz|\.)?|stk\.?|nr\.?|punkt|mom\.?|§)\s*(?P<p3>[12])\.?)")
_LETTER_MARK = (r"(?:\s*(?:S(?:atz|\.)\s*\d\s*)?,?\s*(?:\(\s*|(?:lit(?:tera|ra)?\.?|letters?|bokstav|litra|"
                r"point|punkt)\s*\(?\s*|\.?\s*(?=[a-j]\b)))")
_BASIS_ARTICLE = re.compile(r"\b(?:Art(?:icle|ikel|ikkel|\.)?|artt?\.)\s*(?P<art>[69])" + _PARAGRAPH
                            + _LETTER_MARK + _LETTERS, re.I)
_BASIS_ARTICLE_FI = re.compile(r"(?<![\w.])(?P<art>[69])\s+artiklan\s+(?P<p1>[12])\s+kohdan\s+" + _LETTERS
                               + r"\s+alakohd", re.I)


def legal_bases_by_article(doc: Document) -> list[Finding]:
    """A legal basis cited by its article and letter, in any language's way of writing it.

    The vocabularies' labels cannot hold these (a label is words, the citation is
    punctuation around a number and a letter); a citation in a passage about the law
    (a right explained, a definition) is no practice, like a label there."""
    out: list[Finding] = []
    text = doc.flat
    for (bi, s), chunk in zip(doc.sentence_index, doc.sentence_texts, strict=True):
        if "6" not in chunk and "9" not in chunk:
            continue
        finnish = _BASIS_ARTICLE_FI.finditer(text, s.start, s.end) if "rtiklan" in chunk.lower() else ()
        for m in (*_BASIS_ARTICLE.finditer(text, s.start, s.end), *finnish):
            paragraph = next(g for g in (m.groupdict().get(k) for k in ("p1", "p2", "p3")) if g)
            article = m.group("art")
            if (article, paragraph) not in (("6", "1"), ("9", "2")):
                continue
            if doc.passages.about_the_law(bi, s) or negated(doc.text, s, m.start(), doc.lang, m.end()):
                continue
            for letter in dict.fromkeys(re.findall(r"(?<![a-z])[a-j](?![a-z])", m.group("letters").casefold())):
                iri = ART6.get(letter) if article == "6" else f"{GDPR}A9-2-{letter}"
                if iri:
                    out.append(Finding("legal_bases", iri, m.start(), m.end(), s, bi, label=m.group()))
    return out
