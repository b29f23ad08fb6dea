"""Plain text -> blocks (headings, paragraphs, list items, table rows) and sentences.

Every unit keeps code-point offsets into the text, so evidence can always be
quoted exactly. Structure matters for extraction: a heading governs the blocks
under it, a lead-in ending in ':' governs the list items after it ("We use your
data for the following purposes: - ..."), and a table row is read with its
column headers.

Policies arrive in many layouts, and the same words must give the same blocks
whatever the layout (issue 15). This module recovers the structure from the
text alone:

* **hard-wrapped prose** — a document whose lines stop at a fixed width is
  recognised by its line lengths, and a line that was broken because the next
  word did not fit continues on the next line, heading-like or not;
* **bare lists** — a run of short lines after a ':' lead-in (HTML ``<li>``
  rendered without markers) are items of that lead-in, not headings;
* **tables** — Markdown/pipe rows, and tables flattened to one cell per line (a
  header run followed by rows that repeat its period), become ``row`` blocks
  whose cells are read with their column headers;
* **front matter and code** — YAML front matter (``title: …``, ``date: …``) is
  metadata, not policy text; lines of JavaScript/JSX or leftover markup are
  skipped; icon ligatures of web pages ("gavel", "cloud_sync") are dropped.

Nothing is removed from the text: skipped lines simply belong to no block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import NamedTuple

from policykg import languages

_BULLET = re.compile(r"^(?:[-•*·▪‣◦–—+]|\d{1,2}[.)]|[a-zA-Z][.)]|\([a-zA-Z0-9]{1,3}\))\s+")
_MARKER_BULLET = re.compile(r"^[-•*·▪‣◦–—+]\s+")
# section numbers: "3. Rights", "4.1 To provide …", "II. Transfers", "§ 3 Zweck"
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|[IVX]{1,4}\.|§\s*\d+[a-z]?)\s+(?=\S)")
_TERMINAL = (".", ";", ",", "!")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|incl|inc|ltd|co|corp|art|no|nr|vs|mr|ms|dr|st|jr|ca|resp|"
    r"t\.ex|bl\.a|d\.v\.s|dvs|s\.k|m\.m|o\.s\.v|osv|jfr|p\.g\.a|enl|kap|st|f\.d|ev|mfl|m\.fl|"
    r"z\.b|u\.a|bzw|ggf|abs|lit|ziff|vgl|gem|s|www|f\.eks|bl\.a|mv|m\.v|jf|esim|mm|ns|ym|stk|para|pkt|mom|kohta|bokst|litra|sek|sec|"
    # academic titles before a name: "Prof. Dr.", "Dipl.-Ing." ("Dr. med." below: "med." alone ends
    # many a Swedish sentence, "... som vi samarbetar med.")
    r"prof|dipl)\.)$",
    re.I,
)
_DOCTOR = re.compile(r"\b(?:Dr|Prof)\.\s+(?:med|dent|vet|jur|phil|rer\.\s?nat)\.$")  # "Dr. med. Katrin Albers"
_DOCTOR_ENDS = ("med.", "dent.", "vet.", "jur.", "phil.", "nat.")  # how a _DOCTOR match ends: tested first
_BR = re.compile(r"<br\s*/?>", re.I)
# a line that is only tags, comments or template shortcodes ("<br/><br/>", "{{< ingress >}}")
_MARKUP_ONLY = re.compile(r"(?:\s*(?:<!--[^>]*-->|</?[A-Za-z][^<>]*>|\{\{[<%][^{}]*[>%]\}\}))+\s*")
# a line of JavaScript/JSX/CSS left in text derived from a web component
_CODE = re.compile(
    r"(?:import\s+(?:[\w*{][^;]*\sfrom\s+['\"]|['\"])|export\s+(?:default|const|let|function|class|type|interface|\{)\b|"
    r"(?:const|let|var)\s+[\w${}\[\], ]+\s*=(?!=)|function\s*\*?\s*\w*\s*\(|return\s*\(?\s*$|<script\b|"
    r"</?(?:template|style)\b|module\.exports\b|require\(|@(?:import|media|tailwind)\b)")
_CODE_FIRST = "iecvlfr<m@"
"""The characters _CODE's alternatives start with (tests/test_segmenting.py checks them)."""
_PUNCTUATION = "{}()[];,<>/"
_PUNCTUATION_ONLY = re.compile(r"[{}()\[\];,<>/]+")
_ICON = re.compile(r"[a-z]+(?:_[a-z]+)*")
_FM_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_FM_KEYS = {"title", "date", "layout", "lastmod", "updated", "last_updated", "draft", "description",
            "lang", "language", "slug", "permalink", "author", "tags", "categories", "aliases", "weight",
            "type", "robots", "translationkey", "intro", "summary", "url", "template", "sidebar", "toc",
            "menu", "published", "modified", "version", "locale", "keywords", "nav_order", "parent"}
_PIPE_SEPARATOR = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


class Span(NamedTuple):
    """Offsets of a sentence or passage (a named tuple: a policy has hundreds)."""

    start: int
    end: int


@dataclass
class Block:
    """A heading, paragraph, list item, table row or table header, with its sentences.

    ``heading`` is the governing heading; ``lead`` the lead-in paragraph of a list
    item, or the header row of a table row. ``cells`` are the cells of a row or a
    header (by position, so a cell is read with the header above it).
    """

    kind: str  # "heading" | "paragraph" | "item" | "row" | "header"
    start: int
    end: int
    heading: int | None = None
    lead: int | None = None
    sentences: list[Span] = field(default_factory=list)
    cells: list[Span] = field(default_factory=list)


# --- lines ------------------------------------------------------------------

def _physical_lines(text: str) -> list[Span]:
    """Every line, split also at ``<br>`` tags, trimmed; a blank line is an empty span."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if "<" not in line:  # the common case: the line is one piece
            stripped = line.strip()
            if not stripped or _skipped(stripped):
                spans.append(Span(start, start))
            else:
                lead = len(line) - len(line.lstrip())
                spans.append(Span(start + lead, start + lead + len(stripped)))
            continue
        pieces = [(0, len(line))]
        if not line.lstrip().startswith("|"):  # a <br> inside a table cell stays
            pieces, last = [], 0
            for m in _BR.finditer(line):
                pieces.append((last, m.start()))
                last = m.end()
            pieces.append((last, len(line)))
        for a, b in pieces:
            piece = line[a:b]
            stripped = piece.strip()
            if not stripped or _skipped(stripped):
                spans.append(Span(start + a, start + a))
                continue
            lead = len(piece) - len(piece.lstrip())
            spans.append(Span(start + a + lead, start + a + lead + len(stripped)))
    return spans


def _skipped(line: str) -> bool:
    """Markup, template shortcodes or code: not policy text."""
    first = line[0]
    if first in "<{" and _MARKUP_ONLY.fullmatch(line):
        return True
    # the patterns only after their first characters (a prose line starts with none of them)
    return bool((first in _CODE_FIRST and _CODE.match(line))
                or (first in _PUNCTUATION and _PUNCTUATION_ONLY.fullmatch(line)))


def front_matter(text: str) -> Span | None:
    """The YAML/TOML front matter at the start of ``text`` (``---`` fenced, or the bare
    ``key: value`` lines a converter leaves behind), or None."""
    # most texts open with prose: decided on their first line, without splitting the text
    first_at = len(text) - len(text.lstrip())
    if first_at == len(text):
        return None
    line_start = text.rfind("\n", 0, first_at) + 1
    if text.count("\n", 0, line_start) >= 200:
        return None
    nl = text.find("\n", first_at)
    first_line = text[line_start:nl if nl >= 0 else len(text)]
    if first_line.strip() not in ("---", "+++") and not (_FM_KEY.match(first_line) and not first_line[0].isspace()):
        return None
    lines: list[Span] = []
    pos = 0
    for line in text.split("\n")[:200]:
        lines.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    while i < len(lines) and not text[lines[i].start:lines[i].end].strip():
        i += 1
    if i == len(lines):
        return None
    first = text[lines[i].start:lines[i].end].strip()
    if first in ("---", "+++"):
        for j in range(i + 1, len(lines)):
            if text[lines[j].start:lines[j].end].strip() in (first, "..."):
                return Span(lines[i].start, lines[j].end)
        return None
    keys, known, last = 0, False, None
    open_value = open_quote = False
    for j in range(i, len(lines)):
        line = text[lines[j].start:lines[j].end]
        if not line.strip():
            break
        m = _FM_KEY.match(line)
        if open_quote:  # a quoted value wrapped onto the next lines
            last = j
            open_quote = line.rstrip().count('"') % 2 == 0
        elif m and not line[0].isspace():
            keys += 1
            known = known or m.group(1).casefold() in _FM_KEYS
            value = line[m.end():].strip()
            open_value = not value
            open_quote = value.startswith('"') and value.count('"') % 2 == 1
            last = j
        elif open_value and (line[0].isspace() or line.lstrip().startswith("- ")):
            last = j
        else:
            return None  # prose before any blank line: not front matter
    if last is None or not (known or keys >= 2):
        return None
    return Span(lines[i].start, lines[last].end)


def _wrap_width(lengths: list[int]) -> int | None:
    """The width a document was hard-wrapped at, or None when its lines run free.

    Wrapped text has most of its lines close to one maximum and (almost) none
    beyond it; text whose lines are paragraphs has lengths all over the place.
    """
    ls = sorted(n for n in lengths if n)
    if len(ls) < 6:
        return None
    width = ls[min(len(ls) - 1, int(len(ls) * 0.97))]
    if not 30 <= width <= 160:
        return None
    width = max(n for n in ls if n <= width + 4)  # the longest line that is not an outlier
    near = sum(1 for n in ls if 0.75 * width <= n <= width)
    over = sum(1 for n in ls if n > width)
    if near >= max(3, 0.15 * len(ls)) and over <= 0.03 * len(ls):
        return width
    return None


def _first_word(s: str) -> str:
    return s.split(maxsplit=1)[0] if s.split() else ""


def _ends_sentence(s: str) -> bool:
    return s.rstrip("\"'”’)»*_").endswith((".", "!", "?"))


def _heading_like(line: str) -> bool:
    if len(line) > 100:
        return False
    words = line.split()
    if not words or len(words) > 14:
        return False
    if line.endswith(_TERMINAL) or line.endswith(":"):
        return False
    if line.endswith("?"):
        return len(words) <= 12
    return True


def _is_pipe_row(line: str) -> bool:
    """A row of a pipe table: "| a | b |", or "a | b" (what a converter makes of a table)."""
    return (line.startswith("|") and line.endswith("|") and len(line) > 2) or \
        (" | " in line and not _BULLET.match(line))


def _continues(a: str, b: str, width: int | None) -> bool:
    """Whether line ``b`` continues the sentence or paragraph of line ``a``."""
    if _is_pipe_row(a) or _is_pipe_row(b) or not b:
        return False
    bullet = _BULLET.match(b)
    if bullet and not (width and _MARKER_BULLET.match(b) and b[bullet.end():][:1].islower()
                       and not _ends_sentence(a) and not a.endswith(":")):
        return False
    if width and len(a) <= width + 2 and len(a) + 1 + len(_first_word(b)) >= width:
        # a was broken because b's first word did not fit: same paragraph, unless a
        # ends a sentence and b is a short line of its own (a heading after a paragraph)
        if _ends_sentence(a) or a.endswith(":"):
            return not (_heading_like(b) and len(b) < 0.6 * width) or b[:1].islower()
        return True
    if _ends_sentence(a) or a.endswith((":", ";")) or not b[:1].islower():
        return False
    if _heading_like(a) and a[:1].isupper() and not _ends_sentence(b) and len(b.split()) <= 8:
        return False  # "Data we collect" / "name" / "e-mail address": a heading and a bare list
    return True


class _Line(NamedTuple):
    start: int
    end: int
    gap: bool  # a blank line before it


def _logical_lines(text: str, lines: list[Span]) -> list[_Line]:
    """Physical lines joined where one continues the other."""
    nonblank = [s for s in lines if s.end > s.start]
    width = _wrap_width([s.end - s.start for s in nonblank])
    out: list[_Line] = []
    gap = True
    for span in lines:
        if span.start == span.end:
            gap = True
            continue
        line = text[span.start:span.end]
        if out and not gap:
            prev = out[-1]
            nl = text.rfind("\n", prev.start, prev.end)  # (from the end: no copy of a long paragraph)
            last_line = text[nl + 1:prev.end].strip() if nl >= 0 else text[prev.start:prev.end]
            if _continues(last_line, line, width):
                out[-1] = _Line(prev.start, span.end, prev.gap)
                continue
        out.append(_Line(span.start, span.end, gap))
        gap = False
    return out


# --- blocks -----------------------------------------------------------------

def _cells(text: str, start: int, end: int) -> list[Span]:
    """The cells of a pipe row, trimmed, as spans."""
    line = text[start:end]
    inner_start = 1 if line.startswith("|") else 0
    inner_end = len(line) - 1 if line.endswith("|") and len(line) > 1 else len(line)
    out, pos = [], inner_start
    bounds = [m.start() for m in _CELL_SPLIT.finditer(line, inner_start, inner_end)] + [inner_end]
    for b in bounds:
        cell = line[pos:b]
        lead = len(cell) - len(cell.lstrip())
        out.append(Span(start + pos + lead, start + pos + lead + len(cell.strip())))
        pos = b + 1
    return out


def _header_cell(line: str) -> bool:
    # the cheap tests first: most lines are prose that ends a sentence
    return not line.endswith(_TERMINAL) and not line.endswith(":") and (line[:1].isupper() or line[:1] == "#") \
        and 0 < len(line.split()) <= 4 and not any(c.isdigit() for c in line) and not _BULLET.match(line)


def _cell_line(line: str) -> bool:
    return len(line.split()) <= 20 and not line.endswith(":") and not _BULLET.match(line) \
        and not _SECTION_NUMBER.match(line) and not _is_pipe_row(line)


def _columns_differ(cols: list[list[str]]) -> float:
    """How much more the cells' lengths differ between columns than within them (the F
    statistic of a one-way analysis of variance): a table's columns hold different
    kinds of content ("Runbox / Norway / Email Communication / Norway / Runbox DPA"),
    a list cut into ``k`` columns does not."""
    k, rows = len(cols), len(cols[0])
    lengths = [[len(x) for x in col] for col in cols]
    means = [sum(c) / rows for c in lengths]
    grand = sum(means) / k
    between = rows * sum((m - grand) ** 2 for m in means) / (k - 1)
    within = sum((x - m) ** 2 for c, m in zip(lengths, means, strict=True) for x in c) / (k * (rows - 1))
    return between / within if within else (float("inf") if between else 0.0)


def _flat_table(lines: list[str], spaced: bool = True, gaps: list[bool] | None = None) -> tuple[int, int] | None:
    """A table flattened to one cell per line at the start of ``lines``: its number of
    columns and how many lines it takes, or None.

    The header is ``k`` short lines with no figures; the rows that follow come in
    groups of ``k`` and carry content the header does not (figures, or longer
    cells, or columns whose cells differ in length more than they do within a column):
    "Datatyp / Lagringstid / Kommentar" then "Fakturor / 7 år / Bokföringslagen".
    A run of single words ("Name / E-mail / Phone / Address") is a list, not a table.
    Cells with no blank line between them (``spaced`` false) count as a table only by
    columns that differ (or that differ less but repeat a value, in whole rows): an
    address or a list follows one another closely too; such a table ends at a blank line
    (``gaps[j]``: a blank line before line ``j``).
    """
    best: tuple[tuple[bool, float, float, float, int], int, int] | None = None
    for k in range(2, 6):
        if len(lines) < 3 * k or not all(_header_cell(h) for h in lines[:k]):
            continue
        n = k
        while n < len(lines) and _cell_line(lines[n]) and (spaced or not gaps or not gaps[n]):
            n += 1  # cells that follow one another closely end at a blank line
        body = lines[k:n]
        rows = len(body) // k
        if rows < 2:
            continue
        cols = [[body[r * k + c] for r in range(rows)] for c in range(k)]
        figures = [sum(any(ch.isdigit() for ch in x) for x in col) / rows for col in cols]
        words = [sum(len(x.split()) for x in col) / rows for col in cols]
        head_words = max(len(h.split()) for h in lines[:k])
        f_stat = _columns_differ(cols) if rows >= 3 else 0.0
        whole = len(body) % k == 0
        # a column that repeats a value ("EU-region", "EU-region") is a column; a list does
        # not repeat its items. Cut at the wrong width, the repeated value changes column.
        purity = max(max(col.count(x) for x in col) / rows for col in cols)
        repeats = whole and purity > 1 / rows
        content = any(f >= 0.5 for f in figures) or any(w >= max(3, 2 * head_words) for w in words)
        # cells that follow closely: whole rows that end at a blank line and carry content
        closed = not spaced and whole and (n == len(lines) or bool(gaps and gaps[n]))
        differ = f_stat >= 4.0 or (repeats and f_stat >= 2.0) or (closed and (content or repeats))
        if not differ and (not spaced or not content):
            continue  # lines that follow one another closely need columns that differ clearly
        # a column keeps its kind of content: figures in all cells or in none
        consistency = sum(max(f, 1 - f) for f in figures) / k
        if consistency < 0.6:
            continue
        # the width whose columns keep their kind best: cut at the wrong width, a repeated
        # value and the lengths of a column's cells spread over several columns
        key = (whole, consistency, purity if repeats else 0.0, min(f_stat, 1e6), rows)
        if best is None or key > best[0]:
            best = (key, k, k + rows * k)
    return (best[1], best[2]) if best else None


def segment(text: str) -> list[Block]:
    """Split ``text`` into blocks with sentence spans (see the module docstring)."""
    lines = _physical_lines(text)
    fm = front_matter(text)
    if fm is not None:
        lines = [s if s.start >= fm.end or s.start == s.end else Span(s.start, s.start) for s in lines]
    lines = _drop_icons(text, lines)
    logical = _logical_lines(text, lines)
    blocks: list[Block] = []
    heading: int | None = None
    lead: int | None = None
    header: int | None = None
    i = 0
    while i < len(logical):
        ln = logical[i]
        line = text[ln.start:ln.end]
        if _PIPE_SEPARATOR.fullmatch(line) and "-" in line:
            if blocks and blocks[-1].kind == "row" and header is None:
                blocks[-1].kind = "header"  # the row above a |---| line is the header
                header = len(blocks) - 1
            i += 1
            continue
        if _is_pipe_row(line) and (line.startswith("|") or _pipe_neighbour(text, logical, i)):
            if not (blocks and blocks[-1].kind in ("row", "header")):
                header = None
            blocks.append(Block("row", ln.start, ln.end, heading, header, cells=_cells(text, ln.start, ln.end)))
            i += 1
            continue
        header = None
        if _header_cell(line):
            table = _flat_table_at(text, logical, i)
            if table:
                k, size = table
                run = logical[i:i + size]
                header = len(blocks)
                blocks.append(Block("header", run[0].start, run[k - 1].end, heading, None,
                                    cells=[Span(x.start, x.end) for x in run[:k]]))
                for r in range(k, size, k):
                    row = run[r:r + k]
                    blocks.append(Block("row", row[0].start, row[-1].end, heading, header,
                                        cells=[Span(x.start, x.end) for x in row]))
                header = None
                lead = None
                i += size
                continue
        if _heading_like(line) and not _BULLET.match(line):
            j = i
            while j < len(logical) and _run_member(text, logical[j], j == i):
                j += 1
                if j < len(logical) and _header_cell(text[logical[j].start:logical[j].end]) and \
                        _flat_table_at(text, logical, j):
                    break  # a table flattened to lines starts here
            run = logical[i:j] if j > i else [ln]
            heading, lead = _place_run(text, run, blocks, heading, lead, logical[j] if j < len(logical) else None)
            i += len(run)
            continue
        kind = "item" if _BULLET.match(line) else "paragraph"
        if kind == "item" and _SECTION_NUMBER.match(line) and _heading_like(line) and \
                not _in_numbered_run(text, logical, i):
            kind = "heading"
        block = Block(kind, ln.start, ln.end)
        if kind == "heading":
            heading, lead = len(blocks), None
        else:
            block.heading = heading
            if kind == "item":
                block.lead = lead
            else:
                lead = len(blocks) if line.rstrip().endswith(":") else None
        blocks.append(block)
        i += 1
    _infer_headers(text, blocks)
    for block in blocks:
        if block.kind == "header":
            block.cells = block.cells or _cells(text, block.start, block.end)
            continue  # a header names columns; it states nothing itself
        if block.cells:
            block.sentences = [s for c in block.cells for s in sentences(text, c.start, c.end)]
        else:
            block.sentences = sentences(text, block.start, block.end)
    return blocks


def _infer_headers(text: str, blocks: list[Block]) -> None:
    """A pipe table without a ``|---|`` line (what a converter leaves of one): its first
    row is the header when its cells name columns (short, no figures) and rows follow."""
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "row" or blocks[i].lead is not None:
            i += 1
            continue
        j = i + 1
        width = len(blocks[i].cells)
        while j < len(blocks) and blocks[j].kind == "row" and blocks[j].lead is None and len(blocks[j].cells) == width:
            j += 1
        first = blocks[i]
        if j - i >= 2 and width >= 2 and all(
                len(text[c.start:c.end].split()) <= 6 and not any(ch.isdigit() for ch in text[c.start:c.end])
                for c in first.cells if c.end > c.start):
            first.kind = "header"
            for k in range(i + 1, j):
                blocks[k].lead = i
        i = j


def _flat_table_at(text: str, logical: list[_Line], i: int) -> tuple[int, int] | None:
    """:func:`_flat_table` on the (at most 200) logical lines from ``i`` on. Every width
    it tries (2 to 5) needs the first two lines to be header cells: when the second is
    not, the answer is None without cutting 200 lines out of the text (most lines that
    look like a header cell are a heading or a list item followed by prose)."""
    if i + 1 >= len(logical) or not _header_cell(text[logical[i + 1].start:logical[i + 1].end]):
        return None
    run = logical[i:i + 200]
    return _flat_table([text[x.start:x.end] for x in run], _spaced(logical, i), [bool(x.gap) for x in run])


def _spaced(logical: list[_Line], i: int) -> bool:
    """Whether the lines from ``i`` on stand apart, a blank line between each, as a table's
    cells do when a page is flattened; lines that follow one another closely are an
    address or a list ("Acme AG / Main Street 1 / 12345 Cologne"), not a table."""
    following = logical[i + 1:i + 7]
    return bool(following) and sum(ln.gap for ln in following) >= 0.8 * len(following)


def _drop_icons(text: str, lines: list[Span]) -> list[Span]:
    """A lone lowercase word above a capitalised line is the icon ligature of a web page
    ("gavel" above "3. Legal basis", "cloud_sync" above "5. Sub-processors"), not text."""
    out = list(lines)
    filled = [i for i, s in enumerate(lines) if s.end > s.start]
    for k, i in enumerate(filled[:-1]):
        s, nxt = lines[i], lines[filled[k + 1]]
        if not _ICON.fullmatch(text, s.start, s.end):  # (on the text: no copy of each line)
            continue
        word = text[s.start:s.end]
        first = text[nxt.start:nxt.start + 1]
        prev = text[lines[filled[k - 1]].start:lines[filled[k - 1]].end] if k else ""
        if (first.isupper() or first.isdigit()) and ("_" in word or not _ICON.fullmatch(prev)):
            out[i] = Span(s.start, s.start)
    return out


def _run_member(text: str, ln: _Line, first: bool) -> bool:
    line = text[ln.start:ln.end]
    if not _heading_like(line) or _is_pipe_row(line) or _BULLET.match(line):
        return False
    return first or not _SECTION_NUMBER.match(line)  # "4.1 …" opens a section of its own


def _pipe_neighbour(text: str, logical: list[_Line], i: int) -> bool:
    """A line with " | " is a table row only beside another such line (a title
    "Privacy policy | Acme" is not a table)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(logical) and _is_pipe_row(text[logical[j].start:logical[j].end]):
            return True
    return False


def _in_numbered_run(text: str, logical: list[_Line], i: int) -> bool:
    """A numbered line next to another numbered line is an item of a list (a table of
    contents, numbered steps), not a section heading."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(logical):
            other = text[logical[j].start:logical[j].end]
            if _SECTION_NUMBER.match(other) and _BULLET.match(other) and _heading_like(other):
                return True
    return False


def _place_run(text: str, run: list[_Line], blocks: list[Block], heading: int | None, lead: int | None,
               after: _Line | None) -> tuple[int | None, int | None]:
    """Decide what a run of short, unpunctuated lines is: headings, the items of a bare
    list, or a table flattened to one cell per line; append its blocks."""
    lines = [text[ln.start:ln.end] for ln in run]
    prev_is_lead = lead is not None and blocks and len(blocks) - 1 == lead
    items = list(range(len(run)))
    new_heading = None
    if prev_is_lead or (len(run) >= 3 and blocks and blocks[-1].kind == "heading"):
        # the items of a list; its last line may be the heading of what follows
        if len(run) >= 2 and after is not None and _is_heading_after_list(lines):
            items = items[:-1]
            new_heading = len(run) - 1
        list_lead = lead if prev_is_lead else None
        for k in items:
            blocks.append(Block("item", run[k].start, run[k].end, heading, list_lead))
        if new_heading is not None:
            heading, lead = len(blocks), None
            blocks.append(Block("heading", run[new_heading].start, run[new_heading].end))
        return heading, lead
    if len(run) >= 3:
        # a heading followed by a bare list: "What we collect" / "Name" / "E-mail" / "Phone"
        heading, lead = len(blocks), None
        blocks.append(Block("heading", run[0].start, run[0].end))
        rest = lines[1:]
        last_is_heading = after is not None and _is_heading_after_list(rest)
        for k in range(1, len(run) - (1 if last_is_heading else 0)):
            blocks.append(Block("item", run[k].start, run[k].end, heading, None))
        if last_is_heading:
            heading = len(blocks)
            blocks.append(Block("heading", run[-1].start, run[-1].end))
        return heading, lead
    for ln in run:  # one or two short lines: a heading (and a sub-heading)
        heading, lead = len(blocks), None
        blocks.append(Block("heading", ln.start, ln.end))
    return heading, lead


_BARE_NUMBER = re.compile(r"\d{1,2}\s+[A-ZÅÄÖÆØÜ]")


def _is_heading_after_list(lines: list[str]) -> bool:
    """The last of a run of short lines opens a new section when it is numbered or
    clearly longer than the list's items."""
    last, items = lines[-1], lines[:-1]
    if _SECTION_NUMBER.match(last):
        return True
    if _BARE_NUMBER.match(last) and not any(_BARE_NUMBER.match(x) for x in items):
        return True  # "8 Dina rättigheter" after items with no numbers: a section number without its point
    if not items:
        return False
    typical = median(len(x.split()) for x in items)
    return len(last.split()) >= 2 * typical + 2


_SENT_END = re.compile(r"[.!?](?:[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-ZÅÄÖÆØÜ0-9•\-])")


_MONTH_AFTER = re.compile(r"(?:" + "|".join(sorted(languages.mapping("months"), key=len, reverse=True))
                          + r")\b", re.I)


_INITIAL = re.compile(r"\W*[^\W\d_]\.")
_DAY = re.compile(r"\W*[0-3]?\d\.")
_SECTION_FIGURE = re.compile(r"\W*\d{1,3}(?:\.\d{1,3})*\.?")


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside ``text[start:end]`` (abbreviations do not end a sentence;
    a ``<br>`` does)."""
    out: list[Span] = []
    chunk = text[start:end]
    if "<" in chunk and _BR.search(chunk):
        pos = 0
        for m in _BR.finditer(chunk):
            out.extend(sentences(text, start + pos, start + m.start()))
            pos = m.end()
        out.extend(sentences(text, start + pos, end))
        return out
    pos = 0
    for m in _SENT_END.finditer(chunk):
        candidate = chunk[pos:m.start() + 1]
        words = candidate.rsplit(maxsplit=1)  # the last word, split once
        tail = words[-1] if words else ""
        if _ABBREV.search(tail) or _INITIAL.fullmatch(tail) or (
                tail.endswith(_DOCTOR_ENDS) and _DOCTOR.search(candidate)):  # "(z. B.", "J. Smith", "Dr. med."
            continue
        if _DAY.fullmatch(tail) and _MONTH_AFTER.match(chunk, m.end()):
            continue  # "14. März 2025", "5. maj": a day of the month
        if not chunk[pos:m.start()].strip(" \t-–—•*(").rstrip(".").replace(".", "").isalpha() and \
                _SECTION_FIGURE.fullmatch(candidate.strip()):
            continue  # "1. Service providers: …", "4.1 Purposes": a number, not a sentence
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
