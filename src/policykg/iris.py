"""Deterministic IRIs: the same organisation or policy gets the same IRI in every run.

Organisations are keyed by their normalised name (case-folded, punctuation and
legal-entity suffixes removed), so "Mailchimp", "MailChimp" and "Mailchimp Inc."
in three policies are one node that cross-vendor queries can join on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rdflib import Namespace, URIRef

BASE = "https://w3id.org/policykg/"
PKG = Namespace("https://w3id.org/policykg#")
ORG = Namespace(BASE + "org/")
ID = Namespace(BASE + "id/")

LEGAL_SUFFIXES = {"ab", "aktiebolag", "inc", "llc", "ltd", "gmbh", "limited", "corp", "corporation",
                  "co", "plc", "sa", "sas", "sarl", "as", "asa", "oy", "oyj", "bv", "nv", "aps", "ag",
                  "srl", "sl", "publ", "pfa", "pbc", "pty", "kg", "hb", "se", "ehf", "ug"}


_POSSESSIVE = re.compile(r"['’`´]s\b")
_SLASH_FORMS = re.compile(r"(?<!\w)[aikp]/s(?!\w)")  # the Danish A/S, ApS's siblings I/S, K/S, P/S
_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=16384)
def norm_name(name: str) -> str:
    """Case-folded words of a name without punctuation or legal-entity suffixes (memoised:
    organisations normalise the same few names many times per policy)."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = _POSSESSIVE.sub("", s)
    s = _SLASH_FORMS.sub(" ", s)
    s = _PUNCTUATION.sub(" ", s)
    words = [w for w in s.split() if w not in LEGAL_SUFFIXES]
    return " ".join(words)


def slug(text: str) -> str:
    """The IRI segment of a name or identifier: ASCII letters, digits and '-'.

    Every script is transliterated (anyascii: "Ærø" -> "aero", "Ørsted" -> "orsted",
    "Яндекс" -> "yandeks"); a text that was not ASCII also gets a short hash of itself,
    for transliteration merges names ("Müller" and "Muller", two scripts' homographs)
    and different organisations must never share a node."""
    text = unicodedata.normalize("NFC", text)
    s = re.sub(r"[^a-z0-9]+", "-", anyascii(text).casefold()).strip("-")
    if text.isascii():
        return s or "x"
    digest = hashlib.sha256(text.casefold().encode()).hexdigest()[:6]
    return f"{s}-{digest}" if s else digest


def org_iri(name: str) -> URIRef:
    """IRI for an organisation that is not in the bundled knowledge base."""
    return ORG[slug(norm_name(name) or name)]


ONTOLOGY_GRAPH = ID["graph/ontology"]
"""Named graph of the ontology and the DPV terms it declares (exports, pushes, the store)."""


def notice_iri(identifier: str) -> URIRef:
    return ID[f"notice/{slug(identifier)}"]


def graph_iri(identifier: str) -> URIRef:
    """Named graph that holds one policy (N-Quads/TriG)."""
    return ID[f"graph/{slug(identifier)}"]


def derived_graph_iri(identifier: str) -> URIRef:
    """Named graph that holds what was derived (not stated) for one policy."""
    return ID[f"graph/{slug(identifier)}/derived"]


def handling_iri(identifier: str, n: int) -> URIRef:
    return ID[f"handling/{slug(identifier)}/{n}"]


def annotation_iri(identifier: str, n: int) -> URIRef:
    return ID[f"annotation/{slug(identifier)}/{n}"]


MAX_IDENTIFIER = 200
"""Policy identifiers are file stems or short names; a longer one is a mistake."""


def check_identifier(identifier: str, source: str | None = None) -> str:
    """A policy identifier (``--id`` or a file stem) fit for IRIs and graph names.

    It becomes the last segment of the policy's IRIs and its ``dct:identifier``,
    so it must not look like a path (``/``, ``\\``, ``..``) nor hold control
    characters or bytes that are not text; anything else is kept as given."""
    from policykg.errors import InputError

    where = source or f"identifier {identifier!r}"
    if not identifier.strip():
        raise InputError("the policy identifier is empty", source)
    problem = None
    if "/" in identifier or "\\" in identifier:
        problem = "contains a path separator ('/' or '\\')"
    elif ".." in identifier:
        problem = "contains '..'"
    elif any(unicodedata.category(c) in ("Cc", "Cs", "Cf", "Zl", "Zp") for c in identifier):
        problem = "contains a control or invisible formatting character, or bytes that are not UTF-8"
    elif len(identifier) > MAX_IDENTIFIER:
        problem = f"is longer than {MAX_IDENTIFIER} characters"
    if problem:
        raise InputError(f"the policy identifier {identifier!r} {problem}; use letters, digits, '-', '_' "
                         "or '.'", where if source else None)
    return identifier
