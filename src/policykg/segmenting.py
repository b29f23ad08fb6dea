"""Plain text -> blocks (headings, paragraphs, list items) and sentences.

Every unit keeps code-point offsets into the text, so evidence can always be
quoted exactly. Structure matters for extraction: a heading governs the
blocks under it, and a lead-in sentence ending in ':' governs the list items
that follow it ("We use your data for the following purposes: - ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

_BULLET = re.compile(r"^(?:[-•*·▪‣◦–—]|\d{1,2}[.)]|[a-zA-Z][.)]|\([a-zA-Z0-9]{1,3}\))\s+")
_TERMINAL = (".", ";", ",", "!")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|incl|inc|ltd|co|corp|art|no|nr|vs|mr|ms|dr|st|jr|ca|resp|"
    r"t\.ex|bl\.a|d\.v\.s|dvs|s\.k|m\.m|o\.s\.v|osv|jfr|p\.g\.a|enl|kap|st|f\.d|ev|mfl|m\.fl|"
    r"z\.b|u\.a|bzw|ggf|abs|lit|ziff|vgl|gem|s|www)\.)$",
    re.I,
)


class Span(NamedTuple):
    """Offsets of a sentence or passage (a named tuple: a policy has hundreds)."""

    start: int
    end: int


@dataclass
class Block:
    """A heading, paragraph or list item, with its sentences."""

    kind: str  # "heading" | "paragraph" | "item"
    start: int
    end: int
    heading: int | None = None  # index of the governing heading block
    lead: int | None = None  # index of the lead-in paragraph of a list item
    sentences: list[Span] = field(default_factory=list)


def _lines(text: str) -> list[Span]:
    spans, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append(Span(start + lead, start + lead + len(stripped)))
        else:
            spans.append(Span(start, start))  # blank marker
    return spans


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 100 or len(words) > 14:
        return False
    if line.endswith(_TERMINAL) or line.endswith(":"):
        return False
    if line.endswith("?"):
        return len(words) <= 12
    return True


def segment(text: str) -> list[Block]:
    """Split ``text`` into blocks with sentence spans."""
    blocks: list[Block] = []
    prev_blank = True
    heading: int | None = None
    lead: int | None = None
    for span in _lines(text):
        if span.start == span.end:
            prev_blank = True
            continue
        line = text[span.start:span.end]
        bullet = bool(_BULLET.match(line))
        if blocks and not prev_blank and not bullet:
            last = blocks[-1]
            prev_text = text[last.start:last.end]
            # a wrapped line continues the previous paragraph or item
            if last.kind != "heading" and not prev_text.endswith((".", ":", "!", "?")) \
                    and line[:1].islower():
                last.end = span.end
                continue
        if bullet:
            kind = "item"
        elif _is_heading(line) and not (blocks and blocks[-1].kind == "item" and not prev_blank
                                        and line[:1].islower()):
            kind = "heading"
        else:
            kind = "paragraph"
        block = Block(kind, span.start, span.end)
        if kind == "heading":
            heading = len(blocks)
            lead = None
        else:
            block.heading = heading
            if kind == "item":
                block.lead = lead
            else:
                lead = len(blocks) if line.rstrip().endswith(":") else None
        blocks.append(block)
        prev_blank = False
    for block in blocks:
        block.sentences = sentences(text, block.start, block.end)
    # a lead-in that is a heading-like line ending with ':' also governs its items
    return blocks


_SENT_END = re.compile(r"[.!?](?:[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-ZÅÄÖÆØÜ0-9•\-])")


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside ``text[start:end]`` (abbreviations do not end a sentence)."""
    out: list[Span] = []
    chunk = text[start:end]
    pos = 0
    for m in _SENT_END.finditer(chunk):
        candidate = chunk[pos:m.start() + 1]
        tail = candidate.split()[-1] if candidate.split() else ""
        if _ABBREV.search(tail) or re.fullmatch(r"[A-Z]\.", tail):
            continue
        s = chunk[pos:m.end()].rstrip()
        if s.strip():
            lead = len(s) - len(s.lstrip())
            out.append(Span(start + pos + lead, start + pos + len(s)))
        pos = m.end()
    rest = chunk[pos:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        out.append(Span(start + pos + lead, start + pos + len(rest.rstrip())))
    return out
