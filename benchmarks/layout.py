"""Layout-invariance harness (issue 15): the same policy, five layouts, the same facts?

Run on demand, never in CI (about two minutes for the 19 policies):

    python benchmarks/layout.py [--policies] [--devset] [--only SLUG,SLUG]
                                [--renderings wrapped html ...] [--work DIR] [--json OUT]

Every bundled policy (``data/policies/*.txt``, gold ``../shared/gold``) and every
devset policy (``../shared/devset/texts``, gold ``../shared/devset/gold``) is
rendered five ways:

* ``plain``: the text as is (``.txt``);
* ``wrapped``: hard-wrapped at 72 columns as ``fold -s -w 72`` does (breaks at
  spaces, a word longer than a line is cut), every line of the original re-flowed
  on its own, blank lines kept;
* ``html``: a page (``.html``) with ``<h2>``/``<p>`` for headings and paragraphs,
  ``<ul>``/``<ol>`` for lists and ``<table>`` for tables, text HTML-escaped;
* ``markdown``: the same structure as Markdown (``.md``): ATX headings, ``-``
  lists, pipe tables, every character that CommonMark would read as markup
  backslash-escaped, so the rendered page shows the policy's own words;
* ``flattened``: the text of that HTML page as a browser's ``innerText`` or a naive
  crawler gives it: one line per block element, list items as bare lines without
  markers, table cells one per line.

Each rendering of a corpus is its own folder of ``<slug><ext>`` files (the file
stem is the policy identifier the gold is keyed on), extracted with
``policykg extract DIR -o graph.ttl``; the derived texts that evidence offsets
index come from ``policykg text FILE``; the graph is scored with
``../shared/tools/evaluate.py GRAPH --gold DIR --texts DERIVED --json``. A policy
that ``extract`` refuses (a language without vocabularies) is set aside, named
in the report, and the batch is run again without it; it scores zero.

How the structure of the plain source is recognised (``parse_blocks``), one line
of the source being one block (the corpora hold one paragraph per line):

* table: a run of rows with pipes (``| a | b |``; a single blank line between
  rows is allowed, the ``| --- |`` line is dropped), with tabs, or with columns
  set apart by two or more spaces; at least two rows of the same width; the first
  row is the header;
* list: a run of lines with a bullet (``- * • · ▪ – — +``) or with numbers or
  lower-case letters (``1.``, ``2)``, ``a)``; ``A. Personal data`` is a heading;
  a numbered run needs two lines, else ``1. Who we are`` is a numbered heading),
  blank lines between items allowed (a numbered line that looks like a heading,
  after a blank line, and does not continue the numbering ends the run);
  numbered or lettered runs become ``<ol>`` and lose their numbers as a browser
  shows them, mixed runs are ``<ul>`` items that keep the number in their text;
  and a run of two or more short parallel lines (at most 160 characters, none
  ending in ':', none a numbered section heading) after a lead-in line ending
  in ':', which stays a paragraph of its own (the run ends at a line more than
  twice as long as every item before it, plus 20 characters);
* heading: a line of at most 14 words and 100 characters that does not end in
  ``. , ; : !`` (a question of up to 12 words is a heading too); its level is
  2 plus the depth of a leading section number (``3.1 ...`` is ``<h3>``);
* paragraph: everything else.

A flattened table whose source already has one cell per line (sv-norrplex) is not
recognised: it stays paragraphs, as in the plain text.

Reported per corpus and rendering: micro-F1, precision, recall and evidence
spans wrong; per policy, F1 per rendering and its change from plain; and, read
from the graphs with rdflib, the transfers (``dpv:hasThirdCountry`` values and
whether a Transfer handling exists), rights (``dpv:hasRight``) and retention
durations that the plain rendering has and another lost. Then whether the
issue's bars hold: every rendering within 1 point (0.01 micro-F1, either way)
of plain on each corpus, no policy dropping more than 3 points in any
rendering, and the wrapped rendering losing no transfer, right or retention
period. Exit 0 when all bars hold, 1 when one does not, 2 when the harness
cannot run (missing gold, a failing command).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
PK = shutil.which("policykg", path=str(Path(sys.executable).parent)) or shutil.which("policykg") or "policykg"

WIDTH = 72
RENDERINGS = ("plain", "wrapped", "html", "markdown", "flattened")
SUFFIX = {"plain": ".txt", "wrapped": ".txt", "html": ".html", "markdown": ".md", "flattened": ".txt"}
CORPORA = {
    "bundled": (ROOT / "data" / "policies", SHARED / "gold"),
    "devset": (SHARED / "devset" / "texts", SHARED / "devset" / "gold"),
}
BAR_MICRO = 0.01   # every rendering within 1 point of plain, per corpus
BAR_POLICY = 0.03  # no policy dropping more than 3 points
EPS = 1e-9


class HarnessError(Exception):
    """The harness cannot measure (missing inputs, a command that failed)."""


# --- structure of the plain source ------------------------------------------

@dataclass(frozen=True)
class Block:
    """One block of the document: a heading, a paragraph, a list or a table."""

    kind: str  # "heading" | "para" | "list" | "table"
    text: str = ""
    level: int = 2
    items: tuple[str, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()


_BULLET = re.compile(r"^[-*•·▪–—+]\s+(?=\S)")
_NUMBER = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+(?=\S)")
_SECTION = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=\S)")
_PIPE_SEPARATOR = re.compile(r"^\|?(?:\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_GAP = re.compile(r" {2,}")
_TERMINAL = (".", ",", ";", ":", "!")
LEAD_ITEM_MAX = 160


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and len(_UNESCAPED_PIPE.findall(s)) >= 2


def _pipe_cells(line: str) -> tuple[str, ...]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return tuple(c.strip() for c in _UNESCAPED_PIPE.split(s))


def _split_cells(line: str) -> tuple[str, ...] | None:
    """Cells of a tab- or space-aligned row, or None when the line is not one."""
    s = line.strip()
    if "\t" in s:
        cells = tuple(c.strip() for c in s.split("\t") if c.strip())
    else:
        cells = tuple(c for c in _GAP.split(s) if c)
        if any(len(c) > 60 for c in cells):
            return None
    return cells if len(cells) >= 2 else None


def _next_nonblank(lines: list[str], i: int, max_blanks: int | None = None) -> int | None:
    j, blanks = i, 0
    while j < len(lines) and not lines[j].strip():
        j, blanks = j + 1, blanks + 1
    if j == len(lines) or (max_blanks is not None and blanks > max_blanks):
        return None
    return j


def _table_at(lines: list[str], i: int) -> tuple[Block, int] | None:
    """A table starting at line ``i`` and the index after it."""
    if _is_pipe_row(lines[i]):
        rows, j, end = [], i, i
        while j is not None and _is_pipe_row(lines[j]):
            if not _PIPE_SEPARATOR.match(lines[j].strip()):
                rows.append(_pipe_cells(lines[j]))
            end = j + 1
            j = _next_nonblank(lines, j + 1, max_blanks=1)
        if len(rows) < 2:
            return None
    else:
        first = _split_cells(lines[i])
        if first is None:
            return None
        rows, j = [first], i + 1
        while j < len(lines) and (row := _split_cells(lines[j])) is not None and len(row) == len(first):
            rows.append(row)
            j += 1
        if len(rows) < 2:
            return None
        end = j
    width = max(len(r) for r in rows)
    return Block("table", rows=tuple(r + ("",) * (width - len(r)) for r in rows)), end


def _marker_list_at(lines: list[str], i: int) -> tuple[Block, int] | None:
    """A run of lines with bullets or numbers (blank lines between them allowed)."""
    run, j, end = [], i, i
    while j is not None and (_BULLET.match(lines[j].strip()) or _NUMBER.match(lines[j].strip())):
        if run and j > end and _next_section(run[-1], lines[j].strip()):
            break  # "3. How we use your data" after a blank line: the next section
        if run and j > end and _ordinal(run[-1]) is not None and is_heading(run[-1]) and _BULLET.match(
                lines[j].strip()):
            break  # "2. What we collect", a blank line, then its bullets: a heading, then a list
        run.append(lines[j].strip())
        end = j + 1
        j = _next_nonblank(lines, j + 1)
    if not run:
        return None
    ordered = all(_NUMBER.match(x) for x in run)
    if ordered and len(run) < 2:
        return None  # "1. Who we are": a numbered heading or paragraph
    items = tuple((_NUMBER if ordered else _BULLET).sub("", x, count=1) for x in run)
    return Block("list", items=items, ordered=ordered), end


def _ordinal(line: str) -> int | None:
    m = _NUMBER.match(line)
    if not m:
        return None
    mark = m.group(0).strip()[:-1]
    return int(mark) if mark.isdigit() else ord(mark) - ord("a") + 1


def _next_section(previous: str, line: str) -> bool:
    """A numbered heading-like line that does not continue the numbering of the item
    before it (a bullet, or another number) starts a new section, not an item."""
    n = _ordinal(line)
    return n is not None and is_heading(line) and _ordinal(previous) != n - 1


def _lead_list_at(lines: list[str], i: int) -> tuple[Block, int] | None:
    """Short parallel lines after a lead-in ending in ':' (``i`` is the first one)."""
    run, j, end = [], i, i
    while j is not None:
        s = lines[j].strip()
        if (len(s) > LEAD_ITEM_MAX or s.endswith(":") or _SECTION.match(s) or _BULLET.match(s)
                or _NUMBER.match(s) or _table_at(lines, j)):
            break
        if run and len(s) > 2 * max(map(len, run)) + 20:
            break  # much longer than every item so far: the text goes on after the list
        run.append(s)
        end = j + 1
        j = _next_nonblank(lines, j + 1)
    if len(run) < 2:
        return None
    return Block("list", items=tuple(run)), end


def is_heading(line: str) -> bool:
    """A short line without closing punctuation (as most converters leave headings)."""
    words = line.split()
    if not words or len(words) > 14 or len(line) > 100 or line.endswith(_TERMINAL):
        return False
    return not line.endswith("?") or len(words) <= 12


def heading_level(line: str) -> int:
    """2, or deeper for a numbered sub-section ("3.1 ..." is level 3)."""
    m = _SECTION.match(line)
    return min(6, 2 + m.group(1).count(".")) if m else 2


def parse_blocks(text: str) -> list[Block]:
    """The structure of a plain policy text (heuristics in the module docstring)."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[Block] = []
    i = _next_nonblank(lines, 0)
    while i is not None:
        line = lines[i].strip()
        found = _table_at(lines, i) or _marker_list_at(lines, i)
        if found is None and line.endswith(":") and (j := _next_nonblank(lines, i + 1)) is not None:
            lead = _lead_list_at(lines, j)
            if lead is not None:
                blocks.append(Block("para", line))
                found = lead
        if found is not None:
            blocks.append(found[0])
            i = _next_nonblank(lines, found[1])
            continue
        blocks.append(Block("heading", line, heading_level(line)) if is_heading(line) else Block("para", line))
        i = _next_nonblank(lines, i + 1)
    return blocks


def block_texts(blocks: list[Block]) -> list[str]:
    """The text of every heading, paragraph, item and cell: what every rendering must show."""
    out: list[str] = []
    for b in blocks:
        out.extend(b.items if b.kind == "list" else [c for r in b.rows for c in r] if b.kind == "table"
                   else [b.text])
    return out


# --- renderers --------------------------------------------------------------

def render_wrapped(text: str, width: int = WIDTH) -> str:
    """Every line re-flowed to at most ``width`` columns at spaces (``fold -s``)."""
    wrapper = textwrap.TextWrapper(width=width, break_on_hyphens=False, break_long_words=True,
                                   expand_tabs=False, replace_whitespace=False)
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        out.extend(wrapper.wrap(line) if line.strip() else [""])
    return "\n".join(out)


def _h(s: str) -> str:
    return html.escape(s, quote=False)


def render_html(blocks: list[Block]) -> str:
    """A page with one element per block; text escaped, nothing else added."""
    out = ["<!DOCTYPE html>", "<html>", "<head><meta charset=\"utf-8\"></head>", "<body>"]
    for b in blocks:
        if b.kind == "heading":
            out.append(f"<h{b.level}>{_h(b.text)}</h{b.level}>")
        elif b.kind == "para":
            out.append(f"<p>{_h(b.text)}</p>")
        elif b.kind == "list":
            tag = "ol" if b.ordered else "ul"
            out.append(f"<{tag}>")
            out.extend(f"<li>{_h(x)}</li>" for x in b.items)
            out.append(f"</{tag}>")
        else:
            head, *body = b.rows
            out.append("<table>")
            out.append("<thead><tr>" + "".join(f"<th>{_h(c)}</th>" for c in head) + "</tr></thead>")
            out.append("<tbody>")
            out.extend("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in r) + "</tr>" for r in body)
            out.append("</tbody>")
            out.append("</table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def md_escape(s: str) -> str:
    """Text that CommonMark (with GFM tables) renders as exactly ``s``, on one line."""
    s = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", " ".join(s.split())))
    m = _MD_LINE_START.match(s)
    if m:  # "- x", "+ x", "1. x", "---", "===" would open a list, a break or a heading
        s = s[: m.end()] + "\\" + s[m.end():] if m.group(1)[0].isdigit() else "\\" + s
    return s


def render_markdown(blocks: list[Block]) -> str:
    """ATX headings, '-' (or '1.') lists and pipe tables, blocks apart by blank lines."""
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append("#" * b.level + " " + md_escape(b.text))
        elif b.kind == "para":
            out.append(md_escape(b.text))
        elif b.kind == "list":
            out.append("\n".join(f"{n}. {md_escape(x)}" if b.ordered else f"- {md_escape(x)}"
                                 for n, x in enumerate(b.items, 1)))
        else:
            head, *body = b.rows
            lines = ["| " + " | ".join(md_escape(c) for c in head) + " |", "|" + " --- |" * len(head)]
            lines += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in body]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


class _Flattener(HTMLParser):
    """innerText as a crawler takes it: one line per block element, no list markers."""

    LINE = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "td", "div", "dt", "dd"}
    PARAGRAPH = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "dl"}
    SKIP = {"head", "script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _end_line(self, blank: bool) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.LINE or tag in self.PARAGRAPH or tag == "br":
            self._end_line(False)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping -= 1
        elif tag in self.LINE or tag in self.PARAGRAPH:
            self._end_line(tag in self.PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def render_flattened(page: str) -> str:
    """The text of an HTML page, one line per block element, blank lines after
    paragraphs, headings, lists and tables (as innerText puts them)."""
    p = _Flattener()
    p.feed(page)
    p.close()
    p._end_line(False)
    return "\n".join(p.lines).strip("\n") + "\n"


def render_all(text: str) -> dict[str, str]:
    """The five renderings of one policy text, by name."""
    blocks = parse_blocks(text)
    page = render_html(blocks)
    return {"plain": text, "wrapped": render_wrapped(text), "html": page,
            "markdown": render_markdown(blocks), "flattened": render_flattened(page)}


# --- facts the wrapped text must not lose -----------------------------------

DPV = "https://w3id.org/dpv#"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"


def policy_facts(graph, slug: str) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    """Transfers, rights and retention durations a graph states for one policy, read
    on its notice and handlings (following blank nodes, as ``policykg evaluate``
    reads them), or None without a notice."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF

    from policykg.evaluation import _closure  # the contract's walk: notice, handlings, blank nodes

    notice = URIRef(DPV + "PrivacyNotice")
    doc = next((d for d in graph.subjects(DCTERMS.identifier, Literal(slug)) if (d, RDF.type, notice) in graph),
               None)
    if doc is None:
        return None
    triples = _closure(graph, [doc, *graph.subjects(URIRef(DPV + "hasNotice"), doc)])
    countries = {_short(o) for _, p, o in triples if p == URIRef(DPV + "hasThirdCountry")}
    transfer = bool(countries) or any(p == URIRef(DPV + "hasProcessing") and o == URIRef(DPV + "Transfer")
                                      for _, p, o in triples)
    rights = {_short(o) for _, p, o in triples if p == URIRef(DPV + "hasRight")}
    retention = {str(o) for _, p, o in triples
                 if p == RDF.value and isinstance(o, Literal) and str(o.datatype) == XSD_DURATION}
    return {"third_countries": sorted(countries), "transfer": transfer, "rights": sorted(rights),
            "retention": sorted(retention)}


def _short(iri: object) -> str:
    s = str(iri)
    for prefix, ns in (("loc:", "https://w3id.org/dpv/loc#"), ("eu-gdpr:", "https://w3id.org/dpv/legal/eu/gdpr#"),
                       ("dpv:", DPV)):
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s


def lost_facts(plain: dict[str, object] | None, other: dict[str, object] | None) -> dict[str, object]:
    """What ``plain`` states and ``other`` does not (empty when nothing is lost)."""
    if plain is None:
        return {}
    other = other or {"third_countries": [], "transfer": False, "rights": [], "retention": []}
    lost: dict[str, object] = {}
    for key in ("third_countries", "rights", "retention"):
        gone = sorted(set(plain[key]) - set(other[key]))  # type: ignore[call-overload]
        if gone:
            lost[key] = gone
    if plain["transfer"] and not other["transfer"]:
        lost["transfer"] = True
    return lost


# --- scoring ----------------------------------------------------------------

def f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def policy_f1(aspects: dict[str, dict[str, int]]) -> float:
    """Micro-F1 over the aspects of one policy, as evaluate.py sums them for a corpus."""
    gold = sum(a["gold"] for a in aspects.values())
    found = sum(a["found"] for a in aspects.values())
    pred = sum(a["pred"] for a in aspects.values())
    correct = sum(a["correct"] for a in aspects.values())
    return f1(correct / pred if pred else 0.0, found / gold if gold else 0.0)


def _run(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"{what} failed (exit {done.returncode}): {tail[0]}")
    return done


def extract(src: Path, graph: Path, refused_dir: Path) -> dict[str, str]:
    """``policykg extract src -o graph``; a file it refuses is moved to ``refused_dir``
    and the batch run again. Returns the refused stems with the reason."""
    refused: dict[str, str] = {}
    for _ in range(len(list(src.iterdir())) + 1):
        done = subprocess.run([PK, "-q", "extract", str(src), "-o", str(graph)], capture_output=True, text=True)
        if done.returncode == 0:
            return refused
        err = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        m = re.match(r"Error: (.+?): (.*)$", err)
        bad = Path(m.group(1)) if m else None
        if bad is None or bad.parent.resolve() != src.resolve() or not bad.exists():
            raise HarnessError(f"policykg extract {src} failed (exit {done.returncode}): {err or 'no output'}")
        refused_dir.mkdir(parents=True, exist_ok=True)
        refused[bad.stem] = m.group(2)  # type: ignore[union-attr]
        bad.rename(refused_dir / bad.name)
    raise HarnessError(f"policykg extract {src} kept failing")


def derived_texts(files: list[Path], out: Path) -> None:
    """``policykg text FILE`` for every rendering, as ``out/<slug>.txt``."""
    out.mkdir(parents=True, exist_ok=True)
    for f in files:
        done = _run([PK, "text", str(f)], f"policykg text {f}")
        (out / f"{f.stem}.txt").write_text(done.stdout, encoding="utf-8", newline="")


def evaluate(graph: Path, gold: Path, texts: Path, out: Path, only: list[str]) -> dict[str, object]:
    tool = SHARED / "tools" / "evaluate.py"
    cmd = [sys.executable, str(tool), str(graph), "--gold", str(gold), "--texts", str(texts),
           "--json", str(out), "--quiet"]
    if only:
        cmd += ["--only", ",".join(only)]
    _run(cmd, f"evaluate.py {graph}")
    return json.loads(out.read_text(encoding="utf-8"))


@dataclass
class RenderingResult:
    micro_f1: float
    precision: float
    recall: float
    spans_bad: int
    spans_checked: int
    refused: dict[str, str]
    per_policy: dict[str, float]
    facts: dict[str, dict[str, object] | None] = field(default_factory=dict)


def measure(corpus: str, texts: Path, gold: Path, renderings: list[str], work: Path,
            only: list[str]) -> dict[str, RenderingResult]:
    """Render, extract, derive and score one corpus in every rendering."""
    from rdflib import Graph

    slugs = sorted(p.stem for p in gold.glob("*.yaml"))
    if only:
        slugs = [s for s in slugs if s in only]
    sources = {s: texts / f"{s}.txt" for s in slugs}
    missing = [str(p) for p in sources.values() if not p.exists()]
    if missing:
        raise HarnessError(f"no text for gold: {', '.join(missing)}")
    rendered = {s: render_all(p.read_text(encoding="utf-8")) for s, p in sources.items()}
    results: dict[str, RenderingResult] = {}
    for r in renderings:
        base = work / corpus / r
        if base.exists():
            shutil.rmtree(base)
        src = base / "src"
        src.mkdir(parents=True)
        files = []
        for s in slugs:
            f = src / f"{s}{SUFFIX[r]}"
            f.write_text(rendered[s][r], encoding="utf-8", newline="")
            files.append(f)
        print(f"  {corpus}/{r}: text, extract, evaluate", file=sys.stderr)
        derived_texts(files, base / "derived")
        refused = extract(src, base / "graph.ttl", base / "refused")
        ev = evaluate(base / "graph.ttl", gold, base / "derived", base / "eval.json", slugs)
        per = ev["per_policy"]
        g = Graph()
        g.parse(base / "graph.ttl")
        evid = ev["evidence"]
        results[r] = RenderingResult(
            micro_f1=ev["micro_f1"], precision=ev["precision"], recall=ev["recall"],
            spans_bad=evid.get("bad", 0), spans_checked=evid.get("checked", 0), refused=refused,
            per_policy={s: round(policy_f1(per[s]["aspects"]), 4) if s in per else 0.0 for s in slugs},
            facts={s: policy_facts(g, s) for s in slugs})
    return results


# --- bars and report ----------------------------------------------------------

def check_bars(all_results: dict[str, dict[str, RenderingResult]]) -> list[tuple[str, bool, list[str]]]:
    """The issue's three bars: (name, holds, what breaks it)."""
    micro, policy, wrapped = [], [], []
    for corpus, res in all_results.items():
        plain = res["plain"]
        for r, x in res.items():
            if r == "plain":
                continue
            d = x.micro_f1 - plain.micro_f1
            if abs(d) > BAR_MICRO + EPS:
                micro.append(f"{corpus} {r} {100 * d:+.1f}")
            for s, v in x.per_policy.items():
                drop = plain.per_policy[s] - v
                if drop > BAR_POLICY + EPS:
                    policy.append(f"{s} {r} {-100 * drop:+.1f}")
        if "wrapped" in res:
            wrapped += [f"{s}: {_fmt_lost(lost)}" for s, lost in _losses(plain, res["wrapped"]).items()]
    return [("every rendering within 1 point of plain (micro-F1, per corpus)", not micro, micro),
            ("no policy drops more than 3 points in any rendering", not policy, policy),
            ("wrapped loses no transfer, right or retention period", not wrapped, wrapped)]


def _fmt_lost(lost: dict[str, object]) -> str:
    parts = []
    if lost.get("transfer"):
        parts.append("transfer stated")
    for key, name in (("third_countries", "countries"), ("rights", "rights"), ("retention", "retention")):
        if key in lost:
            parts.append(f"{name} " + ", ".join(lost[key]))  # type: ignore[arg-type]
    return "; ".join(parts)


def report(all_results: dict[str, dict[str, RenderingResult]], bars: list[tuple[str, bool, list[str]]]) -> str:
    """The readable tables (Markdown, so docs/layout.md can hold them as printed)."""
    out: list[str] = []
    for corpus, res in all_results.items():
        plain = res["plain"]
        n = len(plain.per_policy)
        out += [f"### {corpus} ({n} policies)", "",
                "| rendering | micro-F1 | vs plain | P | R | spans wrong | refused |",
                "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for r, x in res.items():
            delta = "" if r == "plain" else f"{100 * (x.micro_f1 - plain.micro_f1):+.1f}"
            out.append(f"| {r} | {x.micro_f1:.3f} | {delta} | {x.precision:.3f} | {x.recall:.3f} | "
                       f"{x.spans_bad}/{x.spans_checked} | {', '.join(sorted(x.refused)) or '-'} |")
        others = [r for r in res if r != "plain"]
        out += ["", "F1 per policy (change from plain in points):", "",
                "| policy | plain | " + " | ".join(others) + " |",
                "| --- | ---: | " + " | ".join("---:" for _ in others) + " |"]
        for s in plain.per_policy:
            cells = [f"{res[r].per_policy[s]:.3f} ({100 * (res[r].per_policy[s] - plain.per_policy[s]):+.1f})"
                     for r in others]
            out.append(f"| {s} | {plain.per_policy[s]:.3f} | " + " | ".join(cells) + " |")
        out += ["", "Lost against plain (transfers, rights, retention periods read from the graphs):", ""]
        lost = [f"- {r} / {s}: {_fmt_lost(x)}" for r in others for s, x in _losses(plain, res[r]).items()]
        out += lost or ["- nothing"]
        out.append("")
    out += ["### Bars (issue 15)", ""]
    for name, ok, why in bars:
        out.append(f"- {'HOLDS' if ok else 'FAILS'}: {name}" + (f" — {len(why)}: " + "; ".join(why) if why else ""))
    return "\n".join(out) + "\n"


def _losses(plain: RenderingResult, other: RenderingResult) -> dict[str, dict[str, object]]:
    """Per policy, what ``other`` lost against ``plain`` (policies that lost nothing left out)."""
    out = {s: lost_facts(f, other.facts.get(s)) for s, f in plain.facts.items()}
    return {s: lost for s, lost in out.items() if lost}


def to_json(all_results: dict[str, dict[str, RenderingResult]], bars: list[tuple[str, bool, list[str]]],
            command: str) -> dict[str, object]:
    return {
        "date": dt.date.today().isoformat(), "command": command,
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip(),
        "corpora": {c: {r: {"micro_f1": x.micro_f1, "precision": x.precision, "recall": x.recall,
                            "spans_wrong": x.spans_bad, "spans_checked": x.spans_checked, "refused": x.refused,
                            "per_policy_f1": x.per_policy, "facts": x.facts,
                            "lost_vs_plain": _losses(res["plain"], x)}
                        for r, x in res.items()} for c, res in all_results.items()},
        "bars": [{"bar": n, "holds": ok, "failures": why} for n, ok, why in bars],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policies", action="store_true", help="the bundled policies (default: both corpora)")
    ap.add_argument("--devset", action="store_true", help="the devset policies (default: both corpora)")
    ap.add_argument("--only", help="comma-separated slugs to keep")
    ap.add_argument("--renderings", nargs="+", choices=RENDERINGS[1:], default=list(RENDERINGS[1:]),
                    help="renderings besides plain (default: all four)")
    ap.add_argument("--work", type=Path, help="keep renderings, graphs and scores here (default: a temp dir)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    a = ap.parse_args(argv)
    corpora = [c for c, on in (("bundled", a.policies), ("devset", a.devset)) if on] or list(CORPORA)
    only = [s for s in (a.only or "").split(",") if s]
    renderings = ["plain", *[r for r in RENDERINGS[1:] if r in a.renderings]]
    work = a.work or Path(tempfile.mkdtemp(prefix="policykg-layout-"))
    command = "python benchmarks/layout.py " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        if not (SHARED / "tools" / "evaluate.py").exists():
            raise HarnessError(f"{SHARED / 'tools' / 'evaluate.py'} is not there")
        results = {}
        for c in corpora:
            texts, gold = CORPORA[c]
            if not gold.is_dir() or not texts.is_dir():
                raise HarnessError(f"{c}: {texts} or {gold} is missing")
            results[c] = measure(c, texts, gold, renderings, work, only)
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    bars = check_bars(results)
    sys.stdout.write(report(results, bars))
    if a.json:
        a.json.write_text(json.dumps(to_json(results, bars, command), indent=1) + "\n", encoding="utf-8")
    return 0 if all(ok for _, ok, _ in bars) else 1


if __name__ == "__main__":
    sys.exit(main())
