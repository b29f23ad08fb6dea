"""Vocabulary-driven aspects: purposes, personal data, data subjects, legal
bases, rights, measures and transfer safeguards.

All of them work the same way — SKOS labels matched sentence by sentence — so
one function serves them, parameterised by data: the scheme name, whether a
denial cancels the match, and (declared in the vocabulary) which cue words must
be nearby. Rights are not cancelled by negation because "the right *not* to be
subject to automated decisions" is still a right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from policykg import languages
from policykg.extractors.base import Document, Finding
from policykg.extractors.context import ABOUT_THE_LAW
from policykg.extractors.organisations import company_names
from policykg.extractors.relations import related
from policykg.segmenting import Span

NEGATABLE = {"purposes": True, "personal_data": True, "data_subjects": True,
             "legal_bases": True, "rights": False, "measures": True, "safeguards": True,
             "recipient_categories": True, "data_sources": True, "dpo": True}


_CONTACT_LINE = re.compile(r"^\s*(?:[-•*]\s*)?(?P<label>[^\W\d][\w .()/-]{1,40}?)\s*:\s*(?P<value>.+)$")


def _in_contact_line(doc: Document, sentence, start: int) -> bool:  # type: ignore[no-untyped-def]
    """"Address: Storgatan 1", "Telefon: 08-123", "Registration number: 5566": the
    publisher's own contact details, not data it collects."""
    lines = doc.memo.setdefault("contact_lines", {})  # sentence -> end of its contact label, or -1
    label_end = lines.get(sentence)
    if label_end is None:
        m = _CONTACT_LINE.match(doc.flat[sentence.start:sentence.end])
        label_end = lines[sentence] = m.end("label") if m and _CONTACT_VALUE.search(m.group("value")) else -1
    return label_end >= 0 and start - sentence.start <= label_end


_CONTACT_VALUE = re.compile(r"\d|@|www\.|https?:")


_SEAT = re.compile("|".join(languages.fragments("seat_words_re")) or "(?!)", re.I)


def _under_seat_column(doc: Document, block_index: int, start: int) -> bool:
    """A country in a table column of where companies sit ("Corporate Location", "Sitz"),
    not of where data is processed."""
    block = doc.blocks[block_index]
    if block.kind != "row" or block.lead is None or not block.cells:
        return False
    header = doc.blocks[block.lead]
    col = next((i for i, c in enumerate(block.cells) if c.start <= start < c.end + 1), None)
    if col is None or col >= len(header.cells):
        return False
    cell = header.cells[col]
    return bool(_SEAT.search(doc.flat, cell.start, cell.end))


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether the words sit inside an e-mail address or a web address."""
    before, after = text[max(0, start - 1):start], text[end:end + 1]
    if after == "@" or before == "@":
        return True
    if (before in "./" and before) or (after in "./" and after and text[end + 1:end + 2].isalnum()):
        left = text.rfind(" ", 0, start) + 1
        token = text[left:text.find(" ", end) if text.find(" ", end) != -1 else len(text)]
        return "@" in token or "://" in token or token.startswith("www.")
    return False


_CONTACT_AFTER = re.compile(r"\s*[:\-–]?\s*(?:(?:us|oss|uns)\b|[\w.+-]+@[\w-]+\.|https?://|www\.|\+?\d[\d\s()/-]{6,}\d)",
                            re.I)


_REGISTERED_IN = re.compile(
    r"(?:\b(?:AB|GmbH|Ltd\.?|Inc\.?|LLC|AS|ASA|Oy|A/S|ApS|BV|SA|AG)\s*,?\s*(?:in|i)\s*"
    r"|\b(?:" + "|".join(languages.fragments("registered_in_re")) + r")\s+(?:in|i)\s*(?:the\s+)?)$")


_AGENT_BEFORE = re.compile(r"\b(?:" + "|".join(languages.fragments("agent_before_re"))
                           + r")\s+(?:the\s+|der\s+|die\s+)?$", re.I)
_INSTITUTION_AFTER = re.compile(
    r"^(?:\s|-)*(?:" + "|".join(languages.fragments("institution_after_re")) + r")\b", re.I)


_SCOPE_BEFORE = re.compile(r"\b(?:" + "|".join(languages.fragments("scope_persons_re")) + r")\s+(?:in|of|from|within|i|från|inom|in der|aus der)\s+(?:the\s+|der\s+|dem\s+)?$", re.I)


# "EEA and UK end users", "EU, UK, and Swiss individuals": a place that qualifies persons is whom a
# passage is for, not where data is processed
_SCOPE_AFTER = re.compile(r"(?:\s*(?:,\s*)?(?:(?:" + "|".join(map(re.escape, languages.fragments("conjunctions")))
                          + r")\s+)?(?:the\s+)?[A-ZÅÄÖÆØÜ][\w.\-]*)*\s+(?i:(?:end\s+|based\s+)?(?:"
                          + "|".join(languages.fragments("scope_persons_re")) + r"))\b")


def _not_a_place_of_processing(text: str, start: int, end: int) -> bool:
    """"Acme AB in Sweden", "headquartered in Germany", "Directive 2010/87/EU":
    where a company is registered, or a legal citation, is not where data is processed;
    nor is an institution or its law ("approved by the European Commission",
    "recognised by the EU", "EU law")."""
    before = text[max(0, start - 40):start]
    token = text[start:end]
    # "EU-kommissionen": the compound's head says what the acronym belongs to
    after = token.split("-", 1)[1] + text[end:end + 40] if "-" in token else text[end:end + 40]
    return bool(_REGISTERED_IN.search(before) or re.search(r"\d/$", before)
                or _AGENT_BEFORE.search(before) or _INSTITUTION_AFTER.match(after)
                or _SCOPE_BEFORE.search(before)  # "individuals in the EU": whom a law protects
                or _SCOPE_AFTER.match(text, end, min(len(text), end + 60)))


_ASKED_OF_WHO_EXERCISES_A_RIGHT = frozenset({"https://w3id.org/dpv#IdentityVerification"})
"""Purposes a rights section states as the company's own (gold conventions: verifying the
identity of a person who exercises a right is a purpose)."""

_CITES_A_BASIS = re.compile(r"\s*[(,–-]?\s*(?:art(?:icle|ikel|\.)?\s*6\s*[.(]\s*1|Art\.\s*6\s+Abs\.\s*1|"
                            r"GDPR\s+art(?:icle|ikel|\.)?\s*6)", re.I)


def extract_scheme(doc: Document, scheme: str) -> list[Finding]:
    """Every vocabulary match of ``scheme`` that is not denied and has its cue."""
    out: list[Finding] = []
    check_negation = NEGATABLE.get(scheme, True)
    about_the_law = scheme in ABOUT_THE_LAW
    for block_index, sentence, matches in doc.matches_by_sentence(scheme):
        if about_the_law and doc.passages.about_the_law(block_index, sentence):
            # a right explained, a term defined, the Regulation quoted: no practice; except that
            # checking who asks is what the company does with a request ("to confirm your identity")
            matches = [m for m in matches if str(m.concept) in _ASKED_OF_WHO_EXERCISES_A_RIGHT] \
                if scheme == "purposes" and doc.passages.in_rights_section(block_index) else []
            if not matches:
                continue
        context = doc.context_spans(block_index, sentence)
        if not any(doc.cue_in(scheme, span) for span in context):
            continue
        if scheme in _NOT_FROM_HEADINGS and _numbered_title(doc, block_index, sentence):
            continue  # "8. Cookies and Similar Technologies", "3. Arkivering og sletting": a section's topic
        if scheme in ("purposes", "legal_bases") and \
                _retention_criteria(doc.lang).search(doc.flat, sentence.start, sentence.end):
            continue  # "retention periods depend on ... our contractual obligations": criteria, not purposes
        inside = _longer_readings(doc, scheme, sentence)
        weak = doc.vocab[scheme].context_labels.get(doc.lexicon_lang, frozenset())
        for m in matches:
            if _in_address(doc.text, m.start, m.end):
                continue  # "support@acme.example", "www.acme.example/security": an address, not a word
            if m.label in weak and not related(doc, scheme, block_index, sentence, m.start, m.end):
                continue  # an everyday word ("offer", "support") outside a relation of its aspect
            if not doc.concept_cue_in(scheme, m.concept, [sentence, *context[2:]]) or \
                    doc.concept_excluded(scheme, m.concept, sentence):
                continue
            if any(m.start < b and a < m.end <= b and (b - a) > (m.end - m.start) for a, b in inside):
                continue  # "Standard Contractual Clauses" is a safeguard, not a contract basis; "the EU"
                # ends inside "EU Standard Contractual Clauses"
            if (check_negation or (scheme == "rights" and not doc.passages.states_a_right(sentence)))\
                    and doc.denies(sentence, m.start, m.end):
                continue  # a right is not cancelled by its limits, but "we do no profiling" is no right
            if doc.after_excluded_word(scheme, m.start, m.concept):
                continue
            if scheme in ("personal_data", "purposes") and _in_contact_line(doc, sentence, m.start):
                continue
            if scheme == "personal_data" and _CONTACT_AFTER.match(doc.text, m.end):
                continue  # "e-mail privacy@acme.example": how to reach the company, not data it collects
            if scheme == "recipient_categories" and _approves(doc, sentence, m.start):
                continue  # "clauses approved by the Commission and other relevant authorities"
            if scheme == "purposes" and _CITES_A_BASIS.match(doc.text, m.end):
                continue  # "Fullgörande av avtal (art. 6.1.b)": the legal basis, named as such
            if scheme == "locations" and (_not_a_place_of_processing(doc.text, m.start, m.end)
                                          or _under_seat_column(doc, block_index, m.start)
                                          or _inside_a_name(doc, sentence, m.start, m.end)):
                continue
            out.append(Finding(scheme, str(m.concept), m.start, m.end, sentence, block_index,
                               label=m.label))
    return out



@lru_cache(maxsize=16)
def _retention_criteria(lang: str) -> re.Pattern[str]:
    """A sentence stating what retention periods depend on (profile key ``retention_criteria_re``)."""
    return languages.own_and_english_phrases("retention_criteria_re", lang, regex=True)


_NOT_FROM_HEADINGS = frozenset({"personal_data", "measures"})
"""Aspects a numbered section heading names as its topic; the sentences under it state them
(an unnumbered heading-like line may be a list item: "Financial information such as ...")."""
_NUMBERED = re.compile(r"\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|§\s*\d+)\s+\S")


@lru_cache(maxsize=16)
def _approved_by(lang: str) -> re.Pattern[str]:
    words = languages.own_and_english_phrases("approved_by", lang).pattern
    glue = "|".join(re.escape(w) for w in sorted(languages.own_and_english_words("determiners", "conjunctions",
                                                                                lang=lang), key=len, reverse=True))
    return re.compile(r"(?i:" + words + r")\s+(?:(?:(?i:" + glue
                      + r"|relevant|competent|other|andra|andere[nr]?)|[A-ZÅÄÖÆØÜ][\w.\-]*)\s+){0,6}$")


def _approves(doc: Document, sentence: Span, start: int) -> bool:
    """A kind of recipient after "approved by" and only names, determiners and adjectives:
    the body that approves something, not one that receives data."""
    return bool(_approved_by(doc.lexicon_lang).search(doc.text, sentence.start, start))


def _inside_a_name(doc: Document, sentence: Span, start: int, end: int) -> bool:
    """A country inside a company's name ("Posten Norge AS", "Microsoft Ireland Operations
    Ltd") names the company, not a place of processing."""
    return any(a <= start and end <= b and (a, b) != (start, end) for a, b in company_names(doc, sentence))


def _numbered_title(doc: Document, block_index: int, sentence: Span) -> bool:
    """A numbered section heading, or a numbered title that leads in a list ("2. Network
    Health Data:" with nothing after its colon)."""
    if not _NUMBERED.match(doc.text, sentence.start):
        return False
    block = doc.blocks[block_index]
    if block.kind == "heading":
        return True
    line = doc.text[sentence.start:sentence.end].strip()
    return line.endswith(":") and len(line.split()) <= 6


_READ_INSIDE = {"legal_bases": ("safeguards", "measures"), "data_subjects": ("personal_data",),
                "locations": ("safeguards",)}
"""Schemes whose matches give way to a longer match of another scheme around them:
"contractual" in "Standard Contractual Clauses", "consent" in "cookie consent banner",
"client" in "e-mail client"."""


def _longer_readings(doc: Document, scheme: str, sentence) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [(m.start, m.end) for other in _READ_INSIDE.get(scheme, ()) for m in doc.matches(other, sentence)]


GENERIC_MEASURES = frozenset(f"https://w3id.org/dpv#{c}" for c in (
    "TechnicalMeasure", "OrganisationalMeasure", "PhysicalMeasure", "TechnicalOrganisationalMeasure"))
"""DPV's top measure classes: what "technical and organisational measures" names."""


def _specific_measures_win(doc: Document, findings: list[Finding]) -> list[Finding]:
    """"We protect your data with technical and organisational measures, including:" and
    then a list of the measures: the list states them, the lead-in only announces them
    (the generic concepts stay where no specific measure follows)."""
    specific_under: set[int] = set()
    for f in findings:
        if f.value not in GENERIC_MEASURES:
            lead = doc.blocks[f.block].lead
            if lead is not None:
                specific_under.add(lead)
    return [f for f in findings if not (f.value in GENERIC_MEASURES and f.block in specific_under)]


def scheme_extractor(scheme: str) -> Callable[[Document], list[Finding]]:
    """An extractor for one vocabulary: the aspects below differ only by their data."""

    def extract(doc: Document) -> list[Finding]:
        found = extract_scheme(doc, scheme)
        return _specific_measures_win(doc, found) if scheme == "measures" else found

    extract.__name__ = scheme
    extract.__doc__ = f"Findings of the {scheme!r} vocabulary."
    return extract


# Unnamed categories of recipients ("service providers", "myndigheter") become DPV
# concepts as values of dpv:hasRecipient, never nodes typed dpv:Organisation.
SCHEMES = ("purposes", "personal_data", "data_subjects", "legal_bases", "rights", "measures",
           "recipient_categories", "data_sources", "dpo")
