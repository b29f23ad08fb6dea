"""Organisations: publisher, controllers, named recipients and the supervisory authority.

Names are found in general, not from a list of vendors:

* legal-entity suffixes (AB, GmbH, Ltd, Inc., LLC, Oy, A/S, AS ...) mark a
  company name, read backwards over its capitalised words;
* "provided by X", "hosted by X", "levereras av X" mark a service provider;
* a bundled knowledge base (``ontology/vocab/organisations.ttl``) of widely used
  service providers and the EU/EEA data protection authorities gives names
  without suffix ("Mailchimp", "Google Analytics", "IMY") and their aliases.

The controller is the company named next to a controller cue
("data controller", "personuppgiftsansvarig"); failing that, the publisher.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from policykg import languages
from policykg.extractors.base import Document, Finding, negated, sentence_cue
from policykg.iris import ORG, norm_name, org_iri, slug
from policykg.rdfdata import read_turtle
from policykg.resources import vocab_dir
from policykg.segmenting import Span
from policykg.trie import alternation, first_chars, led

DPV_AUTHORITY = URIRef("https://w3id.org/dpv#DataProtectionAuthority")
DPV_COUNTRY = URIRef("https://w3id.org/dpv#hasCountry")
PKG_LEGAL_ENTITY = URIRef("https://w3id.org/policykg#legalEntity")
DPV_ORGANISATION = URIRef("https://w3id.org/dpv#Organisation")

_SUFFIXES = languages.fragments("legal_forms_re")
"""Legal forms of every language with a profile (a Swedish policy names US and German companies)."""
_SUFFIX = "(?:" + "|".join(_SUFFIXES) + ")"
# (?=[...]): the suffixes' first letters, so that most word ends are dismissed at once
# instead of trying thirty-odd alternatives
_SUFFIX_FIRST = first_chars(_SUFFIXES)
# The space before the legal form comes first, consumed, and what precedes it is looked back
# at from behind it ("Acme AB", "Npm, Inc."): a pattern that starts with a character class is
# scanned for by re at C speed, one that starts with a lookbehind is tried at every position
# (the same matches, half the time on real policies)
_SUFFIX_RE = re.compile(r"\s(?:(?<=[\w.)]\s)|(?<=\w,\s))\s*(?=" + _SUFFIX_FIRST + ")" + _SUFFIX
                        + r"(?:\s*\(publ\))?(?![\w/])")
# legal forms written after a comma ("Npm, Inc.", "Kelpstone, LLC"); elsewhere a comma ends the name
_COMMA_FORMS = frozenset({"Inc", "Inc.", "LLC", "L.L.C.", "Ltd", "Ltd.", "Limited", "Corp", "Corp.",
                          "Co.", "L.P.", "LP", "LLP", "PBC", "PLC", "plc"})
_CONNECT = languages.words("name_connectors")
_AND = languages.words("conjunctions")
_GENERIC = languages.words("not_a_name")
_PROVIDED_BY = re.compile(r"\b(?:" + "|".join(
    "(?:" + "|".join(map(re.escape, sorted(p.get("provided_by", {}).get("verbs") or [], key=len, reverse=True)))
    + r")\s+" + re.escape(p["provided_by"]["by"]) + r"\s+"
    for p in languages.profiles().values() if (p.get("provided_by") or {}).get("verbs")) + ")")
_ON_BEHALF_OF = re.compile(languages.phrase_pattern("on_behalf_of") + r"\s+(?P<n>(?:[A-ZÅÄÖÆØÜ][\w.\-]*[\w]|[A-Z])"
                           r"(?:\s+(?:[A-ZÅÄÖÆØÜ0-9][\w.\-]*[\w]|&))*)")
_PROPER = re.compile(r"(?:[A-ZÅÄÖÆØÜ][\w.\-]*[\w]|[A-Z])(?:\s+(?:[A-ZÅÄÖÆØÜ0-9][\w.\-]*[\w]|&))*")
_CONTROLLER_CUES = languages.fragments("controller_re")
_CONTROLLER_CUE = re.compile(r"\b(?=" + first_chars(_CONTROLLER_CUES) + ")(?:" + "|".join(_CONTROLLER_CUES) + ")",
                             re.I)
_NAMES_CONTROLLER = sentence_cue(_CONTROLLER_CUE)
# "Vipps MobilePay AS ... er selvstendig behandlingsansvarlig for denne behandlingen": a controller of
# its own processing, a third party to this policy (profile key own_controller)
_OWN_CONTROLLER = re.compile(r"(?i:\b(?:" + "|".join(re.escape(w) for w in languages.fragments("own_controller"))
                             + r")\s+)(?:(?i:data|personal data)\s+)?(?=" + first_chars(_CONTROLLER_CUES) + ")(?i:"
                             + "|".join(_CONTROLLER_CUES) + ")")
_THIRD_PARTY_CUE = re.compile(r"\b(?:" + "|".join(languages.fragments("third_party_re")) + ")", re.I)
_PROCESSOR_CUE = re.compile(r"\b(?:" + "|".join(languages.fragments("processor_re")) + ")", re.I)
_POLICY_NAMES = "|".join(re.escape(n) for n in languages.fragments("policy_names"))
_TITLE = re.compile(
    r"^(?:the\s+)?(?P<n>.{2,60}?)(?:['’]s)?\s*[-–:|]?\s*(?:" + _POLICY_NAMES + r")\s*$"
    r"|^(?:" + _POLICY_NAMES + r")\s+(?:" + "|".join(map(re.escape, languages.fragments("policy_of")))
    + r")\s+(?P<m>.{2,60}?)\s*$", re.I)
_TITLE_PREFIX = re.compile(r"(?:" + _POLICY_NAMES + r")\s+(?:" + "|".join(map(re.escape, languages.fragments("policy_of")))
                           + r")\s+", re.I)
_SELF = re.compile(r"^(?P<n>[A-ZÅÄÖa-zåäö][\w.\-]*(?:\s+[A-ZÅÄÖ0-9][\w.\-]*){0,3})\s+(?:"
                   + "|".join(map(re.escape, languages.fragments("self_verbs"))) + r")\b")
_GROUP = re.compile(r"\b(?P<n>[A-ZÅÄÖ][\w.\-]+(?:\s+[A-ZÅÄÖ][\w.\-]+)?\s+group)\b"
                    r"|\b(?P<m>[A-ZÅÄÖ][\w.]+)\s*-?(?:gruppen|koncernen)\b")
_GROUP_WORDS = ("group", "gruppen", "koncernen")
_DETERMINERS = languages.words("determiners")
_ORG_WORDS = "|".join(re.escape(w) for w in languages.fragments("org_words"))
# "University Medicine Greifswald", "Institute for Community Medicine", "Stiftelsen Kulturarv": an
# organisation by its kind, with no legal form
_ORG_NAME = re.compile(r"(?<![\w.])(?:[A-ZÅÄÖÆØÜ][\w.\-]*\s+){0,3}(?:" + _ORG_WORDS + r")(?:\s+(?:(?:for|of|für|för|i|in|&|and|och|und)\s+)?"
                       r"[A-ZÅÄÖÆØÜ][\w.\-]*){0,4}(?![\w])")
# "Acme is the data controller", "Klerk är personuppgiftsansvarig": the subject is the controller
# a name starts with a capital even though the rest of the pattern ignores case ("Fagforbundet sentralt er
# behandlingsansvarlig"); a name holds no determiner ("Då är det kunden som är personuppgiftsansvarig")
_IS_CONTROLLER = re.compile(r"^\W*(?P<n>(?-i:[A-ZÅÄÖÆØÜ])[\w.&\-]*(?:\s+[A-ZÅÄÖÆØÜ0-9][\w.&\-]*){0,4})\s*"
                            r"(?:\([^)]{0,80}\)\s*)?,?\s+"
                            r"(?:is|are|acts as|är|er|ist|on|fungerar som)\s+(?:the\s+|a\s+|den\s+|der\s+|die\s+)?"
                            r"(?:(?:data|personal data)\s+)?(?=" + first_chars(_CONTROLLER_CUES) + ")(?:"
                            + "|".join(_CONTROLLER_CUES) + ")", re.I)
# "Binokel AB är personuppgiftsbiträde": the publisher processes for others; it is no controller here
_IS_PROCESSOR = re.compile(r"^\W*(?P<n>(?-i:[A-ZÅÄÖÆØÜ])[\w.&\-]*(?:\s+(?-i:[A-ZÅÄÖÆØÜ0-9])[\w.&\-]*){0,4})\s+"
                           r"(?:[\w ]{0,30}\s)?"
                           r"(?:is|are|acts as|är|er|ist|on|toimii|fungerar som|opptrer som)\s+(?:[\w ]{0,30}\s)?"
                           r"(?:the\s+|a\s+|an\s+)?(?:data\s+)?(?:processor|personuppgiftsbiträde|databehandler|"
                           r"Auftragsverarbeiter|käsittelijä(?:nä)?)\b", re.I)
_PROFILE_LINK = re.compile(r"\b(?:" + "|".join(languages.fragments("profile_link_re")) + ")", re.I)
_ALIAS_DEF = re.compile(r"[(（]\s*(?:(?:" + "|".join(map(re.escape, languages.fragments("alias_intro")))
                        + r")\s+)?[\"“”'«„]\s*(?P<n>[^\"“”'«»„]{2,40})[\"“”'»]")

# 'Brightleaf ("the Company", "we", "us")', 'Lindwurm Software (im Folgenden „wir“)': the name the
# policy gives the words "we"/"us" is its publisher's
_WE = "|".join(map(re.escape, sorted(languages.fragments("first_person"), key=len, reverse=True)))
_WE_ALIAS = re.compile(r"(?P<n>(?:[A-ZÅÄÖÆØÜ][\w.&\-]*\s+){0,3}[A-ZÅÄÖÆØÜ][\w.&\-]*)\s*[(（](?P<a>[^()]{2,120})[)）]")
# "please contact us (Lumen Software Corporation)": the words "us"/"we" named
_US_NAMED = re.compile(r"(?<!\w)(?:" + _WE + r")\s*[(（]\s*(?P<n>[A-ZÅÄÖÆØÜ][\w.&\-]*(?:,?\s+[\w.&\-]+){0,4}?)\s*[)）]",
                       re.I)
_ANY_AUTHORITY = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, languages.fragments("any_authority_before")))
                           + r")\s+(?:[\w-]+\s+)?$", re.I)
_WE_QUOTED = re.compile(r"[\"“”'«„‚‘’]\s*(?:" + _WE + r")\s*[\"“”'»‘’]", re.I)

# defined terms that name the reader, a law, a document or the product, not the publisher:
# 'SweepTrack Pro ("the App")', 'General Data Protection Regulation ("GDPR")'
_NOT_AN_ORG = languages.words("not_an_org")
_LAW_BEFORE = re.compile(r"\b(?:" + "|".join(languages.fragments("law_re"))
                         + r")[\s,]*(?:\([^)]*\))?[\s,]*$", re.I)


def _not_an_org_alias(alias: str, before: str) -> bool:
    """A defined term that is not the publisher's name: the reader, a law (also by
    what precedes it: '… Protection Regulation ("GDPR")'), the policy or the product."""
    a = alias.strip().casefold()
    if a == alias.strip():  # all lower case: a term ('right to be forgotten'), not a name
        return True
    if all(w in _GENERIC or w in _DETERMINERS for w in a.split()):
        return True  # '(hereinafter "the Company")', '(heretter «Selskapet»)': a word for it, not its name
    return a in _NOT_AN_ORG or bool(_LAW_BEFORE.search(before.rstrip(" (（")))


@dataclass(frozen=True)
class KnownOrg:
    iri: URIRef
    label: str
    names: tuple[str, ...]
    authority: bool
    country: str | None
    legal_entity: str = ""  # pkg:legalEntity, "GitHub, Inc.": whose legal form the name stands for


@lru_cache(maxsize=2)
def knowledge_base(path: str | None = None) -> tuple[KnownOrg, ...]:
    """The bundled organisations (service providers and authorities)."""
    g = read_turtle([Path(path) if path else vocab_dir() / "organisations.ttl"])
    out = []
    for iri in set(g.subjects(RDF.type, DPV_ORGANISATION)):
        if not isinstance(iri, URIRef):
            continue
        label = str(g.value(iri, RDFS.label))
        names = [label, *(str(x) for x in g.objects(iri, SKOS.altLabel) if isinstance(x, Literal))]
        country = g.value(iri, DPV_COUNTRY)
        out.append(KnownOrg(iri, label, tuple(names), (iri, RDF.type, DPV_AUTHORITY) in g,
                            str(country).rsplit("#", 1)[-1] if country else None,
                            str(g.value(iri, PKG_LEGAL_ENTITY) or "")))
    return tuple(sorted(out, key=lambda o: str(o.iri)))


@lru_cache(maxsize=16)
def _kb_index(lang: str = "en") -> tuple[re.Pattern[str], dict[str, KnownOrg], dict[str, KnownOrg]]:
    """The known names as one pattern, with the case endings a name takes in ``lang``
    (profile key ``name_endings``: Finnish "Mailchimpin", "Googlen", "AWS:n")."""
    by_name: dict[str, KnownOrg] = {}
    by_norm: dict[str, KnownOrg] = {}
    home = set(languages.fragments("countries", lang))
    # a name two entries share ("Datatilsynet" in Norway and in Denmark) is the one of a
    # country where the policy's language is spoken, else the first
    for org in sorted(knowledge_base(), key=lambda o: o.country not in home):
        for name in org.names:
            by_name.setdefault(name, org)
            by_norm.setdefault(norm_name(name), org)
    # the names as a prefix tree: same matches as a longest-first alternation, ~5x faster
    endings = "|".join(re.escape(e) for e in languages.fragments("name_endings", lang))
    # (?=[...]): the names' first characters, tested before the lookbehind at each position (written
    # here rather than with trie.led, which would parse the whole prefix tree once more per language)
    first = "[" + "".join(sorted({re.escape(n[0]) for n in by_name})) + "]"
    pattern = re.compile(r"(?=" + first + r")(?<![\w@/.\-])(" + alternation(by_name, space=r"\s+") +
                         r")(?:['’]s|:s|s" + ("|" + endings if endings else "") + r")?(?![\w@]|\.\w|-[A-Z0-9])")
    return pattern, by_name, by_norm


@lru_cache(maxsize=4096)
def lookup(name: str) -> KnownOrg | None:
    """The knowledge-base entry whose label or alias normalises like ``name`` (memoised:
    the bundled knowledge base does not change while the process runs), unless ``name``
    has a legal form that is not the entry's: "GitHub BV" is the Dutch subsidiary, not
    GitHub, Inc. of the entry (nor is it in the United States)."""
    org = _kb_index()[2].get(norm_name(name))
    if org is not None and _another_form(name, org):
        return None
    return org


_FORM_COUNTRIES = {
    "inc": {"US", "CA"}, "llc": {"US"}, "corp": {"US", "CA"}, "corporation": {"US", "CA", "JP"},
    "bv": {"NL", "BE"}, "nv": {"NL", "BE"}, "gmbh": {"DE", "AT", "CH"}, "ug": {"DE"}, "kg": {"DE", "AT"},
    "ab": {"SE", "FI"}, "abpubl": {"SE"}, "as": {"NO", "DK"}, "asa": {"NO"}, "aps": {"DK"},
    "oy": {"FI"}, "oyj": {"FI"}, "sas": {"FR"}, "sarl": {"FR", "LU"}, "ehf": {"IS"}, "pty": {"AU"},
    "ptyltd": {"AU"}, "ulc": {"CA"}, "kft": {"HU"}, "spzoo": {"PL"},
}
"""Legal forms that exist under the law of few countries (case-folded, without punctuation)."""


def _another_form(name: str, org: KnownOrg) -> bool:
    """Whether ``name``'s legal form cannot be that of the known organisation: a form of
    other countries' law than the one the entry is in ("GitHub BV", Dutch, beside GitHub,
    Inc. in the United States; "EVRY AS", Norwegian, beside Tietoevry in Finland). A form
    of its own country written loosely ("Mailchimp Inc.") is the entry."""
    countries = _FORM_COUNTRIES.get(_legal_form(name))
    return bool(countries) and org.country is not None and org.country not in countries


def unknown_org_iri(name: str) -> URIRef:
    """The IRI of an organisation the knowledge base does not know: from its name without
    legal form, or with it when the name without it is a known organisation's ("GitHub BV"
    beside the known GitHub, Inc.): two companies, two nodes."""
    return _entity_iri(name) if _foreign_namesake(name) else org_iri(name)


def _foreign_namesake(name: str) -> bool:
    """A name that normalises like a known organisation's but is not it (:func:`lookup`):
    "GitHub BV" beside GitHub, Inc."""
    return norm_name(name) in _kb_index()[2] and lookup(name) is None


_PARTNERSHIPS = frozenset({"gbr", "ohg", "kg", "partg", "partgmbb", "hb", "kb", "ans", "da", "i/s", "ky", "ay"})
"""Legal forms of partnerships, whose names may join the partners' names with "and"."""


def _suffix_names(text: str, span: Span) -> tuple[tuple[int, int, str], ...]:
    """Company names ending in a legal-entity suffix inside ``span``."""
    return _shifted(_suffix_names_in(text[span.start:span.end]), span.start)


def _shifted(found: tuple[tuple[int, int, str], ...], offset: int) -> tuple[tuple[int, int, str], ...]:
    """Names found in a sentence's own words, with offsets in the text."""
    if not found or not offset:
        return found
    return tuple((offset + a, offset + b, name) for a, b, name in found)


@lru_cache(maxsize=8192)
def _suffix_names_in(chunk: str) -> tuple[tuple[int, int, str], ...]:
    """:func:`_suffix_names` in a sentence's own words, offsets from its start.

    Memoised on the words: the publisher, controller and recipient passes ask for
    the same sentences, and policies written from one template share most of theirs.
    """
    out = []
    for m in _SUFFIX_RE.finditer(chunk):
        words = list(re.finditer(r"[\w.&’'\-]+|&", chunk[:m.start()]))
        kept: list[re.Match[str]] = []
        # a partnership's name joins its partners: "Dr. A. Albers und Dr. J. Weidner GbR"
        partners = m.group().strip().rstrip(".").casefold() in _PARTNERSHIPS
        for w in reversed(words):
            token = w.group()
            if len(kept) >= (12 if partners else 6) or re.fullmatch(_SUFFIX, token):
                break  # the end of the previous company's name
            gap = chunk[w.end():(kept[-1].start() if kept else m.start())]
            if (gap.strip() not in ("", ",") or "," in gap) and not (
                    not kept and gap.strip() == "," and m.group().strip() in _COMMA_FORMS):
                break  # "Brightwave Search, Inc.": US names put a comma before the legal form
            if token.casefold() in _AND and token != "&" and not (partners and kept):
                break  # "Fagforbundet og Hallo Verden AS": "and" joins two organisations, not one name
            if token[:1].isupper() or token[:1].isdigit() or (token in _CONNECT and kept) \
                    or (partners and kept and token.casefold() in _AND) \
                    or re.match(r"^[a-z]{1,3}[A-Z.]", token):
                kept.append(w)
            else:
                break
        while kept and (kept[-1].group().casefold() in _GENERIC or kept[-1].group() in _CONNECT):
            kept.pop()
        while kept and kept[0].group() in _CONNECT:
            kept.pop(0)
        while kept and re.fullmatch(r"[\d.\-]+", kept[-1].group()):
            kept.pop()  # "© 2026 Acme AB": the year is not part of the name
        if not kept:
            continue
        start = kept[-1].start()
        titled = _TITLE_PREFIX.match(chunk, start, m.start())
        if titled:  # "Privacy Policy of Northwind Apps Ltd": the company is after the title
            start = titled.end()
        end = m.end()
        out.append((start, end, chunk[start:end].strip()))
    return tuple(out)


def company_names(doc: Document, s: Span) -> list[tuple[int, int]]:
    """The spans of the company names with a legal form inside sentence ``s`` (for
    other extractors: a place inside a company's name is part of the name)."""
    return [(a, b) for a, b, _ in _suffix_names(doc.flat, s)]


def _provided_by_names(text: str, span: Span) -> list[tuple[int, int, str]]:
    return [(span.start + a, span.start + b, name) for a, b, name in _provided_by_in(text[span.start:span.end])]


@lru_cache(maxsize=8192)
def _provided_by_in(chunk: str) -> tuple[tuple[int, int, str], ...]:
    """The names after "provided by" in a sentence's own words, offsets from its start
    (memoised on the words, as :func:`_suffix_names_in`)."""
    out = []
    for m in _PROVIDED_BY.finditer(chunk):
        p = _PROPER.match(chunk, m.end())
        if p and p.group().casefold() not in _GENERIC and len(p.group()) > 1:
            name = p.group().rstrip(".")
            out.append((p.start(), p.start() + len(name), name))
    return tuple(out)


# a company named by its web domain: "Convert.com", "Fluxx.io", "eBay.com" (a commercial top-level
# domain after one capitalised or camel-case word; not an address: no "www.", "@", "/" around it)
_DOMAIN_NAME = re.compile(r"(?<![\w@/.\-])((?:[A-Z][A-Za-z0-9\-]*|[a-z]{1,3}[A-Z][A-Za-z0-9\-]*)"
                          r"\.(?:com|io|ai|co|app|net))(?![\w/@\-]|\.\w)")


_TLD = re.compile(r"\.(?:com|io|ai|co|app|net)(?![\w/@\-]|\.\w)")


def _domain_hits(text: str) -> tuple[list[int], list[re.Match[str]]]:
    """The names of companies written as their web domain ("Convert.com"), found from each
    top-level domain back to its name: a scan for ".com" is cheap, one for a capitalised
    word before it at every position of the text is not."""
    found = []
    for t in _TLD.finditer(text):
        start = t.start()
        while start and (text[start - 1].isalnum() or text[start - 1] == "-"):
            start -= 1
        m = _DOMAIN_NAME.match(text, start, t.end())
        if m is not None and m.end() == t.end():
            found.append(m)
    return [m.start() for m in found], found


@lru_cache(maxsize=16)
def _agency_pattern(lang: str) -> re.Pattern[str] | None:
    endings = languages.fragments("agency_endings", lang)
    if not endings:
        return None
    return re.compile(r"(?<![\w-])[A-ZÅÄÖÆØÜ][" + _AGENCY_LETTERS + r"]{2,}(?:" + "|".join(map(re.escape, endings))
                      + r")\b")


_AGENCY_LETTERS = "a-zåäöæøüé"
_AGENCY_LOWER = frozenset("abcdefghijklmnopqrstuvwxyzåäöæøüé")


def _agency_hits(lang: str, text: str) -> tuple[list[int], list[re.Match[str]]]:
    """:func:`_agency_pattern`'s matches in ``text``, as its finditer finds them, found from
    each occurrence of an ending back to the capital that starts its word (the pattern itself
    decides there): most texts have none, and a scan of the whole text for a capitalised word
    with an ending backtracks over every capitalised word."""
    pattern = _agency_pattern(lang)
    if pattern is None:
        return [], []
    starts: set[int] = set()
    for ending in languages.fragments("agency_endings", lang):
        at = text.find(ending)
        while at >= 0:
            j = at
            while j > 0 and text[j - 1] in _AGENCY_LOWER:
                j -= 1
            if j > 0:
                starts.add(j - 1)
            at = text.find(ending, at + 1)
    found: list[re.Match[str]] = []
    last = 0
    for p in sorted(starts):
        if p >= last:
            m = pattern.match(text, p)
            if m is not None:
                found.append(m)
                last = m.end()
    return [m.start() for m in found], found


def _is_agency(lang: str, name: str) -> bool:
    pattern = _agency_pattern(lang)
    return pattern is not None and pattern.fullmatch(name) is not None


def _document_hits(pattern: re.Pattern[str] | None, text: str) -> tuple[list[int], list[re.Match[str]]]:
    """:func:`_hits_by_start`, none without a pattern (a language without the profile key)."""
    if pattern is None:
        return [], []
    return _hits_by_start(pattern, text)


@lru_cache(maxsize=16)
def _uses_pattern(lang: str) -> re.Pattern[str] | None:
    """"We use Greenhouse to handle applications": the names between the profile's
    ``uses_named`` lead ("we use") and a purpose marker are services the company uses."""
    lead = languages.phrase_pattern("uses_named", lang)
    if lead == "(?!)":
        return None
    marker = languages.phrase_pattern("purpose_markers", lang)
    name = r"[A-ZÅÄÖÆØÜ][\w.&\-]*(?:\s+[A-ZÅÄÖÆØÜ0-9][\w.&\-]*){0,3}"
    # led: the lead's first letters are tested before anything else at each position
    return led(re.compile(r"(?i:" + lead + r")\s+(?P<names>" + name + r"(?:\s*,\s*" + name + r")*(?:,?\s+(?i:"
                          + "|".join(re.escape(w) for w in languages.fragments("conjunctions", lang)) + r")\s+"
                          + name + r")?)\s*,?\s+(?i:" + marker + r")\b"))


def _used_names(doc: Document, uses: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    """The services named in the "we use <Name> to" matches ``uses`` (profile key ``uses_named``),
    unless a name is a vocabulary term written with capitals ("We use Personal Data to")."""
    out = []
    for m in uses:
        for n in _NAME_IN_LIST.finditer(doc.flat, m.start("names"), m.end("names")):
            name = n.group().strip()
            if name.casefold() in _GENERIC or name.split()[0].casefold() in _DETERMINERS | _AND or name.isupper():
                continue
            inside = Span(n.start(), n.end())
            if any(doc.matches(scheme, inside) for scheme in _TERM_SCHEMES):
                continue
            if name.lower() in doc.flat:
                continue  # the policy writes it in lower case elsewhere: a term ("Personal Data"), not a name
            out.append((n.start(), n.end(), name))
    return out


_NAME_IN_LIST = re.compile(r"[A-ZÅÄÖÆØÜ][\w.&\-]*(?:\s+[A-ZÅÄÖÆØÜ0-9][\w.&\-]*)*")
_TERM_SCHEMES = ("personal_data", "purposes", "measures", "data_subjects", "recipient_categories")


def _genitive_of(name: str, other: str) -> bool:
    """Whether ``name`` is ``other`` with a word in the genitive ("Rudervereins Altmühltal e.V." of
    "Ruderverein Altmühltal e.V.", "Acmes" of "Acme")."""
    a, b = name.split(), other.split()
    return a != b and len(a) == len(b) and all(x == y or x in (y + "s", y + "es", y + "'s", y + "’s")
                                               for x, y in zip(a, b, strict=True))


def _we_alias(doc: Document, head: list[Span]) -> tuple[str, Span] | None:
    """The first name the policy gives the words "we"/"us" ('Brightleaf ("the Company", "we",
    "us")', 'Skovmark ("Virksomheden", "vi", "os")', anywhere: "contact us (Lumen Software
    Corporation)"), with its legal form when it has one."""
    found = _we_defined(doc, head)
    if found:
        return found
    for (_, s), flat in zip(doc.sentence_index, doc.sentence_texts, strict=True):
        if "(" not in flat and "（" not in flat:
            continue  # (tested on the text already sliced: most sentences stop here)
        sentence = doc.quote(s)
        m = _US_NAMED.search(sentence)
        if m and m.group("n")[:1].isupper() and m.group("n").split()[0].casefold() not in _GENERIC | _DETERMINERS \
                and not _not_an_org_alias(m.group("n"), sentence[:m.start()]):
            return m.group("n").strip(), s
    return None


def _we_defined(doc: Document, head: list[Span]) -> tuple[str, Span] | None:
    for s in head:
        sentence = doc.quote(s)
        if "(" not in sentence and "（" not in sentence:
            continue
        for m in _WE_ALIAS.finditer(sentence):
            if not _WE_QUOTED.search(m.group("a")):
                continue
            name = m.group("n")
            for a, b, full in _suffix_names(doc.flat, s):  # "Acme Holding GmbH & Co. KG („wir“)"
                if 0 <= s.start + m.end("n") - b <= 1 or a <= s.start + m.start("n") < b:
                    name = full
            words = name.split()
            while words and (words[0].casefold() in _GENERIC | _DETERMINERS or words[0] in _CONNECT):
                words.pop(0)  # "Die Lindwurm Software": the article is not part of the name
            if words and not _not_an_org_alias(" ".join(words), sentence[:m.start()]):
                return " ".join(words), s
    return None


def _publisher(doc: Document, listed: frozenset[int] = frozenset()) -> tuple[str, Span] | None:
    """The name the policy uses for its own publisher: the best of :func:`_named_publishers`,
    unless that has no legal form and a company "provides" the service near the top (a
    title names the product, "Integritetspolicy för Anamnesportalen"; the company that
    provides it, with its legal form, publishes the policy: "som tillhandahålls av Binokel
    AB"); failing both, a group ("the Acme Group"). Never a company named in a list or
    table of recipients (blocks ``listed``): a subprocessor list opens with one."""
    head = [s for _, s in doc.sentence_index][:40]
    best = next(_named_publishers(doc, head, listed), None)
    if best is not None and not _SUFFIX_RE.search(" " + best[0]):
        for s in head[:10]:
            provider = [n for _, _, n in _provided_by_names(doc.flat, s) if _SUFFIX_RE.search(" " + n)]
            if provider:
                return provider[0], s
    if best is not None:
        return best
    for (_, s), flat in zip(doc.sentence_index[:60], doc.sentence_texts, strict=False):
        if not any(w in flat for w in _GROUP_WORDS):
            continue  # what _GROUP needs, found without its backtracking over every word
        sentence = doc.quote(s)
        m = _GROUP.search(sentence)
        if m:
            return (m.group("n") or m.group("m")).strip(), s
    return None


def _named_publishers(doc: Document, head: list[Span], listed: frozenset[int]) -> Iterator[tuple[str, Span]]:
    """Names for the publisher, best first, found lazily (only the first is used)."""
    we_named = _we_alias(doc, head)
    if we_named:  # the company's own name for "we": before a title, which often names a product
        yield we_named
    headings = [b for b in doc.blocks if b.kind == "heading"][:6]
    for b in headings:
        m = _TITLE.match(doc.flat[b.start:b.end].strip())
        if m:
            name = (m.group("n") or m.group("m") or "").strip(" .:-–")
            if "," in name and not _SUFFIX_RE.search(name):
                continue  # "Websites, Communications & Cookies Privacy Notice": topics, not a name
            if name and name.casefold() not in {"our", "this", "the"}:
                yield name, Span(b.start, b.end)
    for s in head:
        sentence = doc.quote(s)
        m = _ALIAS_DEF.search(sentence)
        if m and not _not_an_org_alias(m.group("n"), sentence[:m.start()]):
            yield m.group("n").strip(), s
    for bi, s in doc.sentence_index[:40]:
        if bi in listed:
            continue
        for _, _, name in _suffix_names(doc.flat, s):
            yield name, s
            break
    for s in head:
        m = _SELF.match(doc.quote(s))
        if m and m.group("n").casefold() not in _GENERIC:
            yield m.group("n"), s
    for s in head:  # "subprocessors authorized to process personal data on behalf of GitHub"
        m = _ON_BEHALF_OF.search(doc.flat, s.start, s.end)
        if m and m.group("n").split()[0].casefold() not in _GENERIC | _DETERMINERS:
            yield m.group("n").rstrip("."), s


def organisations(doc: Document) -> list[Finding]:
    """Publisher, controller, recipients and authority findings."""
    out: list[Finding] = []
    text = doc.flat
    pattern, by_name, _ = _kb_index(doc.lexicon_lang)

    controllers: list[tuple[str, Span, int]] = []
    for (bi, s), sentence in zip(doc.sentence_index, doc.sentence_texts, strict=True):
        if not _NAMES_CONTROLLER(sentence) or doc.passages.about_the_law(bi, s) and \
                not doc.blocks[bi].kind == "heading":
            continue
        if _OWN_CONTROLLER.search(sentence):
            continue  # a third party that controls its own processing
        named = [n for _, _, n in _suffix_names(text, s) if not _is_authority(n)]
        if not named:
            m = _IS_CONTROLLER.match(sentence)
            if m and not any(w.casefold() in _GENERIC | _DETERMINERS for w in m.group("n").split()) \
                    and not _is_authority(m.group("n")):
                named = [m.group("n").strip()]
        if not named:
            named = [n for n in _org_word_names(text, s)]
        if named:
            controllers.extend((n, s, bi) for n in named)
        elif _announces(doc, bi, sentence):
            found = _first_name_below(doc, bi)  # "Controller:" and the company on the lines below
            if found:
                controllers.append(found)
    listed = _listed_providers(doc)
    publisher = _publisher(doc, frozenset(listed))
    pub_name, pub_span = publisher if publisher else (None, None)
    processor_publisher = _states_itself_processor(doc, pub_name)
    if not controllers and pub_name and not processor_publisher:
        bi = next(i for i, s in doc.sentence_index if s.start <= pub_span.start < s.end + 1) \
            if any(s.start <= pub_span.start < s.end + 1 for _, s in doc.sentence_index) else 0
        controllers.append((pub_name, pub_span, bi))
    if controllers and not pub_name:
        pub_name, pub_span = controllers[0][0], controllers[0][1]
    elif controllers and pub_name and _genitive_of(pub_name, controllers[0][0]):
        pub_name = controllers[0][0]  # "Datenschutzhinweise des Rudervereins X e.V.": the Ruderverein X e.V.
    own = {norm_name(n) for n, _, _ in controllers} | ({norm_name(pub_name)} if pub_name else set())
    own_written = [n for n, _, _ in controllers] + ([pub_name] if pub_name else [])
    own_first = {n.split()[0] for n in own if n}
    if pub_name and pub_span is not None:
        bi = next((i for i, s in doc.sentence_index if s.start <= pub_span.start <= s.end), 0)
        out.append(Finding("publisher", _org_value(pub_name), pub_span.start, pub_span.end,
                           pub_span, bi, label=_org_label(pub_name)))
        if processor_publisher is not None:  # it says it processes for its customers
            ps, pbi = processor_publisher
            out.append(Finding("recipients", _org_value(pub_name), ps.start, ps.end, ps, pbi, role="processor",
                               label=_org_label(pub_name)))
    seen_ctrl = set()
    for name, s, bi in controllers:
        if norm_name(name) in seen_ctrl:
            continue
        seen_ctrl.add(norm_name(name))
        out.append(Finding("controller", _org_value(name), s.start, s.end, s, bi,
                           label=_org_label(name)))

    # the known names, found in one pass over the text rather than one per sentence
    known_hits = _hits_by_start(pattern, text)
    # services named by a relation or a domain ("We use Greenhouse to", "Convert.com"): most
    # policies have none, and then no sentence needs asking
    domain_hits = _domain_hits(text)
    uses_hits = _document_hits(_uses_pattern(doc.lang), text)
    agency_hits = _agency_hits(doc.lang, text)
    named_by_use = bool(domain_hits[1] or uses_hits[1] or agency_hits[1])
    by_use = sorted(domain_hits[0] + uses_hits[0] + agency_hits[0])  # where any of them starts
    lower_hits = _lower_hits(text)
    known_starts, lower_starts = known_hits[0], lower_hits[0]
    for (bi, s), sentence in zip(doc.sentence_index, doc.sentence_texts, strict=True):
        suffixed = _shifted(_suffix_names_in(sentence), s.start)
        provided = _shifted(_provided_by_in(sentence), s.start)
        inline = _listed_inline(doc, s)
        if not (suffixed or provided or inline or bi in listed or _any_within(known_starts, s)
                or (lower_starts and _any_within(lower_starts, s)) or (named_by_use and _any_within(by_use, s))):
            continue  # no name of any kind in the sentence (most sentences): nothing below would be found
        found: list[tuple[int, int, str, KnownOrg | None]] = []
        if bi in listed and listed[bi][0] >= s.start and listed[bi][1] <= s.end:
            start, end, name = listed[bi]
            known = lookup(name)
            if known is None:  # "Microsoft Ireland": the known company's arm in a country is the known one
                hit = next((m for m in _within(known_hits, s) if m.start(1) == start and m.end(1) < end
                            and _only_places(doc, m.end(1), end)), None)
                if hit is not None:
                    start, end = hit.start(1), hit.end(1)
                    name = " ".join(hit.group(1).split())
                    known = by_name[name]
            found.append((start, end, name, known))
        for m in _within(known_hits, s):
            name = " ".join(m.group(1).split())  # "Google\n Analytics" is "Google Analytics"
            if not any(a <= m.start(1) < b for a, b, _, _ in found):
                found.append((m.start(1), m.end(1), name, by_name[name]))
        for m in _within(lower_hits, s):  # "google analytics", as some write it
            if not any(a <= m.start(1) < b for a, b, _, _ in found):
                known = lookup(m.group(1))
                if known is not None:
                    found.append((m.start(1), m.end(1), m.group(1), known))
        beside = _listed_beside_known(doc, s, [(a, b) for a, b, _, k in found if k is not None]) if len(found) else []
        used = [(a, b, n) for a, b, n in (*((m.start(1), m.end(1), m.group(1)) for m in _within(domain_hits, s)),
                                          *_used_names(doc, _within(uses_hits, s)),
                                          *((m.start(), m.end(), m.group()) for m in _within(agency_hits, s)))
                if not _own_product(n, own, own_first)] if named_by_use and _any_within(by_use, s) else []
        for start, end, name in (*suffixed, *provided, *inline, *beside, *used):
            namesake = _namesake_of(found, start, end, name)
            if namesake is not None:  # "GitHub BV": not the known GitHub its first word matched
                found[namesake] = (start, end, name, None)
                continue
            if any(a <= start < b or start <= a < end for a, b, _, _ in found):
                continue
            if any(_in_parentheses_after(text, b, start) for _, b, _, _ in found):
                continue  # "Mailchimp (Intuit Inc.)": the legal entity behind the name, not another recipient
            known = lookup(name)
            if known is None and _DOMAIN_NAME.fullmatch(name):
                known = lookup(name.rsplit(".", 1)[0])  # "GitLab.com" is GitLab
            found.append((start, end, name, known))
        if found and _heads_an_address(doc, bi, s):
            found = [f for f in found if f[3] is not None and f[3].authority]  # a contact, not a recipient
        for start, end, name, known in found:
            if known is not None and known.authority and _ANY_AUTHORITY.search(text, max(s.start, start - 40), start):
                continue  # "bei Ihrer zuständigen Datenschutzbehörde": whichever is the reader's
            if known is not None and known.authority:
                out.append(Finding("authority", str(known.iri), start, end, s, bi, label=known.label))
                if _turns_to(doc, sentence) and not doc.passages.about_the_law(bi, s):
                    # "du kan kontakta Integritetsskyddsmyndigheten (IMY)": the right to lodge a complaint
                    out.append(Finding("rights", _A77, start, end, s, bi, label=name))
                continue
            key = norm_name(name)
            sibling = bi in listed and listed[bi][0] == start and _another_legal_entity(name, own_written)
            if sibling:  # "GitHub BV" in GitHub's list of subprocessors: a group company of its own
                known = None
            elif not key or key in own or (known is not None and norm_name(known.label) in own):
                continue
            if negated(text, s, start, doc.lang, end):
                continue
            if _no_recipient_hint(doc.lang).search(text, max(s.start, start - 80), start) and \
                    _not_received_by(doc.lang).search(text, max(s.start, start - 80), start):
                continue  # "from services like Google", "websites like Google Maps": a source, an example
            if _in_a_list_of_sources(doc, s.start, start):
                continue  # "innhentes fra medlemmene selv, ... Det Sentrale Folkeregisteret (Skatteetaten)"
            if _PROFILE_LINK.search(sentence):
                continue  # "follow us on LinkedIn": a link to a profile shares no data
            ctrl = _IS_CONTROLLER.match(sentence)
            ctrl_cue = _NAMES_CONTROLLER(sentence)
            if known is None and key.split()[0] in own_first:
                role = "group-company"
            elif ctrl and norm_name(ctrl.group("n")) in {key, norm_name(known.label) if known else key}:
                role = "third-party"  # "Google LLC is the controller of ...": a controller of its own, not ours
            elif (_THIRD_PARTY_CUE.search(sentence) and not _PROCESSOR_CUE.search(sentence)) \
                    or (ctrl_cue and _OWN_CONTROLLER.search(sentence)):
                role = "third-party"
            else:
                role = "processor"
            if known is None and role == "processor" and _is_agency(doc.lang, name):
                role = "third-party"  # a public agency receives data by law, not on our behalf
            value = str(known.iri) if known else str(_entity_iri(name) if sibling else unknown_org_iri(name))
            label = known.label if known else _org_label(name)
            out.append(Finding("recipients", value, start, end, s, bi, role=role, label=label))
    return out


# the postcode or box line of a postal address
_ADDRESS_LINE = re.compile(
    r"^\W*(?:(?:[A-Z]{1,2}-)?\d{3,5}(?:\s\d{2})?\s+[A-ZÅÄÖÆØÜ]\w+"  # "1050 Brussels", "114 35 Stockholm", "D-50667 Köln"
    r"|.*,\s[A-Z]{2}\s\d{5}\b"  # "San Francisco, CA 94105"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"  # "SW1A 1AA"
    r"|(?:Box|P\.?\s?O\.?\s*Box|Postfach|Postboks|PL)\s+\d+\s*,?\s*$)")  # "Box 1234"
# (a street line alone, "Hauptstraße 5", is not enough: "Google Analytics 4" looks the same)


@lru_cache(maxsize=16)
def _names_list_intro(lang: str) -> re.Pattern[str]:
    """'our email vendors are', 'the following service providers:', 'Våra leverantörer är': a word for
    recipients, then a copula, an example marker or a colon, then the list."""
    langs = languages.with_english(lang)
    nouns = dict.fromkeys(f for code in langs for f in languages.fragments("recipient_list_re", code))
    intro = dict.fromkeys(f for code in langs for key in ("names_follow", "example_markers")
                          for f in languages.fragments(key, code))
    return re.compile(r"\b(?:" + "|".join(nouns) + r")\b(?:\s+(?:" + "|".join(map(re.escape, intro))
                      + r")\b\s*:?|\s*:)\s+", re.I)


_CONJ = "|".join(map(re.escape, languages.fragments("conjunctions")))
_LIST_SPLIT = re.compile(r"\s*,\s*(?:(?:" + _CONJ + r")\s+)?|\s+(?:" + _CONJ + r")\s+")
"""A separator of list items: a comma, maybe with "and"/"or", or "and"/"or" alone."""
_LIST_NAME = re.compile(r"(?:[A-ZÅÄÖÆØÜ]|[a-z]{1,3}(?=[A-Z]))[\w.&\-]*(?:\s+(?:[A-ZÅÄÖÆØÜ0-9][\w.&\-]*|&)){0,3}")
_LIST_TAIL = re.compile(r"\s*(?:\([^)]{0,60}\))?\s*(?:$|\s(?:to|for|which|who|that|att|för|som|für|um|die|der|til|for|at|jotka)\b)")


def _listed_inline(doc: Document, s: Span) -> list[tuple[int, int, str]]:
    """Names listed in a sentence after a word for recipients ('Our email management vendors are
    Salesfleet, Mailchimp and Campaign Monitor'). Every item must be a name and none a place or a
    kind of data, else the list is no list of names ('our vendors are located in Sweden')."""
    text = doc.flat
    starts = _intro_starts(doc)
    if starts is not None and bisect_left(starts, s.start) == bisect_left(starts, s.end):
        return []  # no word for recipients in the sentence: the pattern cannot match
    m = _names_list_intro(doc.lexicon_lang).search(text, s.start, s.end)
    if m:
        return _names_of_list(doc, m.end(), s.end)
    return []


def _intro_starts(doc: Document) -> list[int] | None:
    """Where the words for recipients of :func:`_names_list_intro` occur in the document
    (lower-cased, as plain text), found once: a sentence without one cannot match the
    pattern, which would otherwise be tried on every sentence. None when the words are not
    all plain text, or lower-casing changes the text's length (offsets would shift)."""
    if "intro_starts" not in doc.memo:
        nouns = _intro_nouns(doc.lexicon_lang)
        starts = None
        if nouns is not None:
            low = doc.flat.lower()
            if len(low) == len(doc.flat):
                starts = sorted(i for n in nouns for i in _occurrences(low, n))
        doc.memo["intro_starts"] = starts
    return doc.memo["intro_starts"]


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Every position where ``word`` occurs in ``text``, overlapping ones included."""
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


@lru_cache(maxsize=16)
def _intro_nouns(lang: str) -> tuple[str, ...] | None:
    """The words for recipients that :func:`_names_list_intro` starts with, lower-cased, as
    plain text that each of its matches contains ("leverantör" of "leverantör\\w*"); None
    when one of them is a pattern that is not plain text."""
    out = []
    for code in languages.with_english(lang):
        for f in languages.fragments("recipient_list_re", code):
            word = f[:-3] if f.endswith("\\w*") else f
            if any(c in word for c in ".^$*+?{}[]\\|()"):
                return None
            out.append(word.lower())
    return tuple(dict.fromkeys(out))


def _names_of_list(doc: Document, pos: int, end: int, known: bool = False) -> list[tuple[int, int, str]]:
    """The names of a list that starts at ``pos``: all of its items up to the clause that
    follows it (", and you can unsubscribe …") must be names, and at least two."""
    text = doc.flat
    out: list[tuple[int, int, str]] = []
    chunk = text[pos:end]
    items = []
    last = 0
    for sep in _LIST_SPLIT.finditer(chunk):
        items.append((last, sep.start()))
        last = sep.end()
    items.append((last, len(chunk)))
    for i, (a, b) in enumerate(items):
        item = chunk[a:b].rstrip(" .;")
        n = _LIST_NAME.match(item)
        if not n:
            if len(out) >= 2 and item[:1].islower():
                break  # ", and you can unsubscribe …": the list has ended, a clause begins
            return []
        rest = item[n.end():]
        if rest and not (_LIST_TAIL.match(rest) and (i == len(items) - 1 or rest.lstrip().startswith("("))):
            if len(out) >= 2 and not rest.lstrip().startswith("("):
                break
            return []
        name = n.group().rstrip(".")
        words = name.split()
        if words[0].casefold() in _GENERIC | _DETERMINERS or _RECIPIENT_LIST.search(name):
            return []
        at = pos + a + n.start()
        span = Span(at, at + len(name))
        if any(mm.start <= span.start and span.end <= mm.end + 1 for scheme in ("locations", "personal_data")
               for mm in doc.matches(scheme, span)):
            return []  # "Sweden, Norway and Finland": places, not companies
        out.append((at, at + len(name), name))
    return out if len(out) >= 2 else []


_ENUMERATION = re.compile(r"(?<![\w.])" + _LIST_NAME.pattern + r"(?:(?:" + _LIST_SPLIT.pattern + r")"
                          + _LIST_NAME.pattern + r"){2,}")


def _listed_beside_known(doc: Document, s: Span, known: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """'We use Brazelo, Salesforce, Fundraise Up and Campaign Monitor': the names of an enumeration
    of three or more in which one is a known provider are providers too."""
    out: list[tuple[int, int, str]] = []
    for m in _ENUMERATION.finditer(doc.flat, s.start, s.end):
        if any(m.start() <= a < m.end() for a, _ in known):
            out.extend(_names_of_list(doc, m.start(), m.end()))
    return out if len(out) >= 3 else []


def _heads_an_address(doc: Document, bi: int, s: Span) -> bool:
    """Whether sentence ``s`` is the first line of a postal address (the lines right below it,
    as one block or as the next short blocks, hold a street, box or postcode): a company
    named there is whom to write to (the controller, its DPO or representative), not a recipient."""
    text = doc.flat
    block = doc.blocks[bi]
    rest = text[s.end:block.end]
    if "\n" in rest:
        lines = rest.strip().splitlines()[:3]
    else:
        lines = []
        for nb in doc.blocks[bi + 1:bi + 4]:
            line = text[nb.start:nb.end].strip()
            if nb.kind not in ("item", "paragraph") or len(line) > 60 or "\n" in line:
                break
            lines.append(line)
    return len(text[s.start:s.end].strip()) <= 80 and any(_ADDRESS_LINE.match(line) for line in lines[:3])


_LEADING_NAME = re.compile(r"^\W*(?P<n>(?:[A-ZÅÄÖÆØÜ]|[a-z]{1,3}(?=[A-Z]))[\w.&\-]*(?:\s+(?:[A-ZÅÄÖÆØÜ0-9][\w.&\-]*|&|of|for)){0,3})"
                           r"\s*(?:$|[–—:(,|]|-\s)")
# the whole first cell of a row when it is a name with its legal form, written in any case:
# "Tessellate, Inc.", "npm Inc", "Quillfeather Hosting Inc. (QH)"
_CELL_NAME = re.compile(r"^\s*(?P<n>[\w][\w.&\-]*(?:\s+[\w.&\-]+){0,3}?,?\s+" + _SUFFIX + r")(?![\w/])\.?"
                        r"\s*(?:\([^)]{1,40}\))?\s*$")
_RECIPIENT_LIST = re.compile(r"\b(?:" + "|".join(languages.fragments("processor_re") + languages.fragments("third_party_re")
                                                + languages.fragments("recipient_list_re")) + ")", re.I)

PLAIN_PATTERNS = {"_OWN_CONTROLLER": _OWN_CONTROLLER, "_THIRD_PARTY_CUE": _THIRD_PARTY_CUE,
                  "_PROCESSOR_CUE": _PROCESSOR_CUE, "_PROFILE_LINK": _PROFILE_LINK, "_ALIAS_DEF": _ALIAS_DEF,
                  "_WE_ALIAS": _WE_ALIAS, "_US_NAMED": _US_NAMED, "_ANY_AUTHORITY": _ANY_AUTHORITY,
                  "_RECIPIENT_LIST": _RECIPIENT_LIST, "_ON_BEHALF_OF": _ON_BEHALF_OF, "_PROVIDED_BY": _PROVIDED_BY}
"""Patterns searched in sentence after sentence, as written; the module uses them behind
lookaheads on their first characters (trie.led: the same matches, found faster; a test
compares the two)."""
(_OWN_CONTROLLER, _THIRD_PARTY_CUE, _PROCESSOR_CUE, _PROFILE_LINK, _ALIAS_DEF, _WE_ALIAS, _US_NAMED, _ANY_AUTHORITY,
 _RECIPIENT_LIST, _ON_BEHALF_OF, _PROVIDED_BY) = (led(p) for p in PLAIN_PATTERNS.values())


def _listed_providers(doc: Document) -> dict[int, tuple[int, int, str]]:
    """Organisations named at the head of the items of a list (or the rows of a table)
    of providers, processors or partners, with or without a legal form: "Leverantörer: -
    Fafo", "Supabase — database hosting". The knowledge base normalises these names; it
    does not decide whether they are organisations."""
    out: dict[int, tuple[int, int, str]] = {}
    text = doc.flat
    names_recipients: dict[int, bool] = {}  # lead-in, heading or header -> whether it names recipients

    def about_recipients(ref: int, first_cell: bool = False) -> bool:
        hit = names_recipients.get(ref)
        if hit is None:
            b = doc.blocks[ref]
            span = b.cells[0] if first_cell and b.cells else b
            hit = names_recipients[ref] = bool(_RECIPIENT_LIST.search(text, span.start, span.end))
        return hit

    for bi, block in enumerate(doc.blocks):
        if block.kind not in ("item", "row") or not block.sentences:
            continue
        if block.kind == "row":  # a table whose first column names recipients
            header = doc.blocks[block.lead] if block.lead is not None else None
            if not (header and header.cells and about_recipients(block.lead, True)):
                continue
        else:
            refs = [r for r in (block.lead, block.heading) if r is not None]
            if not any(about_recipients(r) for r in refs):
                continue
        first = block.cells[0] if block.cells else block.sentences[0]
        item = text[first.start:first.end]
        bullet = re.match(r"^\s*(?:[-•*·▪‣◦–—+]|\d{1,2}[.)])\s+", item)
        offset = bullet.end() if bullet else 0
        m = _CELL_NAME.match(item[offset:]) if block.kind == "row" else None
        m = m or _LEADING_NAME.match(item[offset:])
        if not m:
            continue
        name = m.group("n").strip()
        words = name.split()
        if len(words) > 4 or name.casefold() in _GENERIC or words[0].casefold() in _GENERIC | _DETERMINERS:
            continue
        if name.isdigit() or _RECIPIENT_LIST.search(name):
            continue  # "Interne Empfänger": a category of recipients, not a name
        rest = item[offset + m.end("n"):].strip(" .;,")
        alias_only = block.kind == "row" and re.fullmatch(r"\([^()]{1,40}\)", rest)  # "NexMo (aka Vonage)"
        if (len(words) == 1 and rest and not alias_only or rest.startswith(":")) and not lookup(name):
            continue  # a word followed by more text, or a label ("Direct Interactions: …"), may be any noun
        at = first.start + offset + m.start("n")
        span = Span(at, at + len(name))
        if any(mm.start <= span.start and span.end <= mm.end + 1 for scheme in ("locations", "personal_data")
               for mm in doc.matches(scheme, span)):
            continue  # "USA", "IP-Adresse": a place or a kind of data, not a company
        out[bi] = (at, at + len(name), name)
    return out


@lru_cache(maxsize=16)
def _no_recipient_hint(lang: str) -> re.Pattern[str]:
    """A cheap test before :func:`_not_received_by`: one of its source words or other sites."""
    return re.compile(r"(?i:" + languages.phrase_pattern("org_sources", lang) + "|"
                      + languages.phrase_pattern("other_sites", lang) + ")")


@lru_cache(maxsize=16)
def _not_received_by(lang: str) -> re.Pattern[str]:
    """What, right before an organisation's name, makes it no recipient: a word of origin
    after a verb of obtaining or before examples ("we get your details from LinkedIn", "from
    services like Google"; profile keys ``obtain_verbs``, ``org_sources``) or other sites
    of which it is an example ("websites like Google Maps"; ``other_sites``)."""
    examples = languages.phrase_pattern("example_markers", lang)
    nouns = r"(?:[\w-]+\s+){0,2}[\w-]+"
    sources = languages.phrase_pattern("org_sources", lang)
    sites = languages.phrase_pattern("other_sites", lang)
    # "from" alone is no origin: "analytics cookies from Matomo" are Matomo's, set for us; after a
    # verb of obtaining in the clause it is ("we sometimes get the details from LinkedIn";
    # profile key obtain_verbs)
    obtain = languages.phrase_pattern("obtain_verbs", lang)
    return re.compile(r"(?i:(?:" + sources + r")\s+" + nouns + r"\s+(?:" + examples + r")\s+|(?:" + sites
                      + r")\s+(?:" + examples + r")\s+|(?:" + obtain + r")\b[^.;:!?]{0,80}?\b(?:" + sources
                      + r")\s+(?:(?:[\w-]+\s+){0,2}(?:" + examples + r")\s+)?)$")


@lru_cache(maxsize=16)
def _obtained_from(lang: str) -> re.Pattern[str]:
    return re.compile(r"(?i:\b(?:" + languages.phrase_pattern("obtain_verbs", lang) + r")\b[^.;:!?]{0,80}?\b(?:"
                      + languages.phrase_pattern("org_sources", lang) + r"))\s")


@lru_cache(maxsize=16)
def _data_verbs(lang: str) -> re.Pattern[str]:
    return languages.own_and_english_phrases("data_verbs", lang)


def _in_a_list_of_sources(doc: Document, sentence_start: int, start: int) -> bool:
    """The name is an item of the list that follows "we obtain ... from": no verb of handling
    data comes between the list's start and the name ("innhentes fra medlemmene selv,
    arbeidsgiverne, Folkeregisteret (Skatteetaten)"; not "we receive reports from Google and
    share your data with Mailchimp")."""
    window = doc.flat[max(sentence_start, start - 240):start]
    if not _no_recipient_hint(doc.lang).search(window):
        return False
    found = list(_obtained_from(doc.lang).finditer(window))
    if not found:
        return False
    gap = window[found[-1].end():]
    return not _CLAUSE_END.search(gap) and not _data_verbs(doc.lang).search(gap)


_CLAUSE_END = re.compile(r"[.;:!?]\s")


def _own_product(name: str, own: set[str], own_first: set[str]) -> bool:
    """A name of the publisher's own ("Mozilla Glean", "Acme.com"): a first-party service."""
    key = norm_name(name.rsplit(".", 1)[0] if _DOMAIN_NAME.fullmatch(name) else name)
    return not key or key in own or key.split()[0] in own_first


def _only_places(doc: Document, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds places and nothing else ("Ireland", "EMEA"): the
    rest of a name after a known company's."""
    rest = doc.without_matches("locations", Span(start, end), english=True)  # names are often English
    return bool(doc.flat[start:end].strip()) and not re.search(r"\w", rest)


def _namesake_of(found: list[tuple[int, int, str, KnownOrg | None]], start: int, end: int,
                 name: str) -> int | None:
    """The index of the known organisation in ``found`` that ``name`` (a name with its legal
    form, from the same position) extends with a legal form the known one cannot have."""
    for i, (a, b, _, known) in enumerate(found):
        if known is not None and a == start and b < end and _foreign_namesake(name):
            return i
    return None


def _entity_iri(name: str) -> URIRef:
    """A group company named like the policy's own company but for its legal form."""
    return ORG[slug(f"{norm_name(name)} {_legal_form(name)}")]


def _legal_form(name: str) -> str:
    """The legal form a name ends with, normalised ("B.V." and "BV" are one), or ""."""
    found = list(_SUFFIX_RE.finditer(" " + name))
    return re.sub(r"[^\w]", "", found[-1].group()).casefold() if found else ""


def _another_legal_entity(name: str, own: list[str]) -> bool:
    """Whether ``name``, which normalises like the publisher's or controller's name, is
    another company of the group: it has a legal form, and none of the policy's own names
    has that one ("GitHub BV" where the policy's own name is "GitHub" or "GitHub, Inc.")."""
    form = _legal_form(name)
    key = norm_name(name)
    same = [n for n in own if norm_name(n) == key]
    return bool(form) and bool(same) and all(_legal_form(n) != form for n in same)


_A77 = "https://w3id.org/dpv/legal/eu/gdpr#A77"


def _turns_to(doc: Document, sentence: str) -> bool:
    """Whether the sentence tells the reader to turn to someone ("you may contact",
    "du kan kontakta", "können Sie sich wenden"): naming the authority there states
    the right to lodge a complaint (Art. 77) without its words."""
    return bool(languages.own_and_english_phrases("turn_to_authority_re", doc.lexicon_lang, regex=True).search(sentence))


def _is_authority(name: str) -> bool:
    known = lookup(name)
    return bool(known and known.authority)


def _org_word_names(text: str, s: Span) -> list[str]:
    """Organisations named by their kind ("University Medicine Greifswald")."""
    return [" ".join(m.group().split()) for m in _ORG_NAME.finditer(text, s.start, s.end)
            if len(m.group().split()) >= 2]


def _announces(doc: Document, bi: int, sentence: str) -> bool:
    """A heading or lead-in that names a role and leaves the name to the lines below it
    ("Controller:", "Name and contact of the person responsible"); not a table row, whose
    next cell holds the answer."""
    block = doc.blocks[bi]
    end = sentence.rstrip()
    return block.kind == "heading" or (block.kind == "paragraph" and len(block.sentences) == 1
                                       and (end.endswith(":") or not end.endswith((".", "!", "?"))))


def _first_name_below(doc: Document, bi: int) -> tuple[str, Span, int] | None:
    """The first organisation named in the few blocks under a heading or lead-in (a name
    and an address), not in a passage about the law."""
    text = doc.flat
    for j in range(bi + 1, min(len(doc.blocks), bi + 6)):
        block = doc.blocks[j]
        if block.kind in ("heading", "header", "row") and j > bi + 1:
            break
        for s in block.sentences:
            if doc.passages.about_the_law(j, s) or len(text[s.start:s.end].split()) > 12:
                return None  # prose, not a name and an address
            names = [n for _, _, n in _suffix_names(text, s) if not _is_authority(n)] or _org_word_names(text, s)
            if names:
                return names[0], s, j
    return None


def _states_itself_processor(doc: Document, pub_name: str | None) -> tuple[Span, int] | None:
    """The sentence in which the publisher calls itself a processor ("Binokel AB är i denna
    tjänst personuppgiftsbiträde"): it publishes the notice of a service it runs for others."""
    if not pub_name:
        return None
    key = norm_name(pub_name)
    for (bi, s), sentence in zip(doc.sentence_index[:80], doc.sentence_texts, strict=False):
        if _processor_subject(sentence) == key:
            return s, bi
    return None


@lru_cache(maxsize=4096)
def _processor_subject(sentence: str) -> str | None:
    """The name (normalised) of whoever the sentence says is a processor, if it says so
    (memoised on the sentence's words: the first 80 sentences of every policy are read)."""
    m = _IS_PROCESSOR.match(sentence)
    return norm_name(m.group("n")) if m else None


def _in_parentheses_after(text: str, end: int, start: int) -> bool:
    return 0 <= start - end <= 3 and text[end:start].strip() == "("


def _hits_by_start(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[re.Match[str]]]:
    hits = list(pattern.finditer(text))
    return [m.start() for m in hits], hits


def _any_within(starts: list[int], s: Span) -> bool:
    """Whether one of the sorted ``starts`` lies in sentence ``s`` (a match inside it starts there)."""
    i = bisect_left(starts, s.start)
    return i < len(starts) and starts[i] < s.end


def _within(hits: tuple[list[int], list[re.Match[str]]], s: Span) -> list[re.Match[str]]:
    """The matches that lie inside sentence ``s``."""
    starts, matches = hits
    lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
    return [m for m in matches[lo:hi] if m.end() <= s.end]


@lru_cache(maxsize=2)
def _kb_lower(ignore_case: bool = True) -> re.Pattern[str]:
    """Known names of two or more words, in any case ("google analytics"); without
    ``ignore_case``, the names in lower case, for text in lower case (twice as fast)."""
    names = [n if ignore_case else n.lower() for o in knowledge_base() for n in o.names if " " in n.strip()]
    return re.compile(r"(?<![\w@/.\-])(" + alternation(names, space=r"\s+") + r")(?![\w@])",
                      re.I if ignore_case else 0)


def _lower_hits(text: str) -> tuple[list[int], list[re.Match[str]]]:
    """:func:`_kb_lower` over the text; matched in the text lower-cased where that keeps
    every offset (it does but for a few letters such as "İ"), the group read from the text."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return _hits_by_start(_kb_lower(), text)
    starts, hits = [], []
    for m in _kb_lower(False).finditer(lowered):
        real = _kb_lower().match(text, m.start())  # the same span, its match object on the text
        if real is not None:
            starts.append(real.start())
            hits.append(real)
    return starts, hits


def _org_value(name: str) -> str:
    known = lookup(name)
    return str(known.iri) if known else str(unknown_org_iri(name))


def _org_label(name: str) -> str:
    known = lookup(name)
    return known.label if known else " ".join(name.split())


def authority_country(iri: str) -> str | None:
    for org in knowledge_base():
        if str(org.iri) == iri:
            return org.country
    return None
