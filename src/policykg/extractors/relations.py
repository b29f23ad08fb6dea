"""How a word stands to its sentence: the relation that makes an everyday word a fact.

"Offer", "support" or "search" are purposes only as purposes: after a purpose
marker ("to support you", "för att erbjuda"), or as an item of a list or a cell
of a column of purposes ("We use your data for: - support"). "Name" or "logs"
are data only as data: the object of a verb of collecting, using or sharing, or
an item of a list or column of data. Labels marked ``pkg:contextLabel`` in the
vocabularies count only in such a relation; the words that make one (markers,
verbs, the nouns of a list's lead-in) come from the language profiles
(``purpose_markers``, ``data_verbs``, ``purpose_nouns``, ``data_nouns``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from policykg import languages
from policykg.segmenting import Span

if TYPE_CHECKING:
    from policykg.extractors.base import Document

_WINDOW_WORDS = 10
"""How far back a purpose marker may stand: "to ensure the technical functionality and
security of our websites, such as errors"."""
_CLAUSE_END = re.compile(r"[.;:!?()\[\]\u2013\u2014]")


@lru_cache(maxsize=32)
def _pattern(key: str, lang: str) -> re.Pattern[str]:
    return languages.own_and_english_phrases(key, lang)


def _list_context(doc: Document, block_index: int, start: int, key: str) -> bool:
    """An item of a list whose lead-in or heading names the aspect, or a table cell whose
    column header does ("Purposes: - support", "Data | Retention")."""
    block = doc.blocks[block_index]
    if block.kind not in ("item", "row"):
        return False
    nouns = _pattern(key, doc.lang)
    refs = [block.lead, block.heading]
    for ref in refs:
        if ref is None:
            continue
        ref_block = doc.blocks[ref]
        if ref_block.kind == "header" and block.cells:
            col = next((i for i, c in enumerate(block.cells) if c.start <= start < c.end + 1), None)
            if col is not None and col < len(ref_block.cells):
                cell = ref_block.cells[col]
                if nouns.search(doc.flat, cell.start, cell.end):
                    return True
            continue
        if nouns.search(doc.flat, ref_block.start, ref_block.end):
            return True
    return False


def purpose_relation(doc: Document, block_index: int, sentence: Span, start: int, end: int) -> bool:
    """A purpose marker within the few words before the match, in the same clause; or a
    list or column of purposes."""
    before = doc.flat[sentence.start:start]
    cut = list(_CLAUSE_END.finditer(before))
    clause = before[cut[-1].end():] if cut else before
    words = clause.split()
    window = " ".join(words[-_WINDOW_WORDS:]) if words else ""
    if window and _marker_in(window, doc.lang):
        return True
    return _list_context(doc, block_index, start, "purpose_nouns")


def _marker_in(window: str, lang: str) -> bool:
    """A purpose marker in ``window``; "to" only as an infinitive marker ("to support
    you"), not as a preposition ("applies to our offer")."""
    infinitive = languages.words("infinitive_markers")
    determiners = languages.words("determiners")
    for m in _pattern("purpose_markers", lang).finditer(" " + window + " "):
        if m.group().casefold() in infinitive:
            following = window[m.end() - 1:].split()[:1]
            if following and following[0].casefold().strip(",.") in determiners:
                continue
        return True
    return False


def data_relation(doc: Document, block_index: int, sentence: Span, start: int, end: int) -> bool:
    """A verb of collecting, using, keeping or sharing in the sentence; or a list or
    column of data."""
    if _pattern("data_verbs", doc.lang).search(doc.flat, sentence.start, sentence.end):
        return True
    return _list_context(doc, block_index, start, "data_nouns")


def basis_relation(doc: Document, block_index: int, sentence: Span, start: int, end: int) -> bool:
    """A cell of a column of legal bases, or an item of a list of them ("| Purpose | Data |
    Legal basis |" and a row's "Contract, so that we can ...")."""
    return _list_context(doc, block_index, start, "basis_nouns")


RELATIONS = {"purposes": purpose_relation, "personal_data": data_relation, "legal_bases": basis_relation}


def related(doc: Document, scheme: str, block_index: int, sentence: Span, start: int, end: int) -> bool:
    """Whether a match of a ``pkg:contextLabel`` stands in the relation of its aspect
    (aspects without a relation of their own need their scheme's cue in the sentence)."""
    fn = RELATIONS.get(scheme)
    if fn is not None:
        return fn(doc, block_index, sentence, start, end)
    return doc.cue_in(scheme, sentence)
