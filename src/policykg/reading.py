"""Bytes on disk -> the plain text that evidence offsets index.

CONTRACT §4: for ``.txt`` the text is the file decoded as UTF-8 with no other
change; for ``.md`` and ``.html`` it is derived deterministically here and
printed by ``policykg text``. Anything that cannot be read as a policy
(empty, binary, too large) raises :class:`InputError` naming the file. Text that is
not UTF-8 is read with its byte-order mark, its declared HTML charset, or as
Windows-1252 (:func:`decode`); offsets then index the decoded text, which
``policykg text`` prints.

The derived text keeps the document's structure in a form the segmenter reads
back (:mod:`policykg.segmenting`): headings and paragraphs as lines between blank
lines, list items as ``- `` lines, tables as pipe rows with a ``| --- |`` line
under the header, YAML front matter of Markdown kept verbatim at the top.
Markdown is parsed by markdown-it-py (CommonMark, with GFM tables) and HTML by
the Lexbor HTML5 parser (selectolax), so what a browser would show is what is
read: escapes, entities, autolinks, links whose URL has parentheses, setext
headings and fenced code (left out: code is not policy text) all come out right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
"""Policies are a few tens of kilobytes; 5 MiB means something else was passed."""

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Source:
    """A policy read into memory: its identifier, format and derived plain text."""

    identifier: str
    path: str
    format: str
    text: str
    encoding: str = "utf-8"  # what the bytes were read as (see :func:`decode`)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def decode(data: bytes, name: str, max_bytes: int = MAX_BYTES, fmt: str = "text") -> str:
    """Decode policy bytes, rejecting what is not a readable text policy.

    UTF-8 unless a byte-order mark says UTF-16/32 or an HTML page declares its charset
    (``<meta charset>``); bytes that are not UTF-8 otherwise are read as Windows-1252,
    the legacy encoding of the Western European languages policykg reads. (A detector
    was measured and not used: charset-normalizer named the wrong encoding for 6 of the
    19 bundled and devset policies saved as Windows-1252.) :func:`encoding_of` says which
    encoding was used, so that a command can warn; offsets index the decoded text.
    """
    return _decode(data, name, max_bytes, fmt)[0]


def encoding_of(data: bytes, fmt: str = "text") -> str:
    """The encoding :func:`decode` reads ``data`` with."""
    return _decode(data, "", None, fmt)[1]


def _decode(data: bytes, name: str, max_bytes: int | None, fmt: str) -> tuple[str, str]:
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"file is {len(data):,} bytes, more than the {max_bytes:,} a policy "
                         "may have (split it, or pass --max-bytes)", name)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        bom = next(b for b, e in _BOMS if e == encoding)
        try:
            text = data[len(bom):].decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"is not valid {encoding.upper()} although it starts with its byte-order mark "
                             f"(byte {exc.start + len(bom)})", name) from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError("looks like a binary file, not a policy text", name)
        text, encoding = _decode_unmarked(data, fmt)
    if not text.strip():
        raise InputError("is empty: there is no policy text to read", name)
    return text, encoding


def _decode_unmarked(data: bytes, fmt: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if fmt == "html":
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            try:
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass  # an unknown or wrong declaration: read it as below
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1"), "iso-8859-1"


def format_of(path: str | Path) -> str:
    """The input format from the extension; unknown extensions are read as text."""
    return SUFFIXES.get(Path(path).suffix.lower(), "text")


def to_plain(text: str, fmt: str) -> str:
    """Derive the plain text for a format (identity for plain text)."""
    if fmt == "html":
        return html_to_text(text)
    if fmt == "markdown":
        return markdown_to_text(text)
    return text


def read_source(path: str | Path, identifier: str | None = None,
                max_bytes: int = MAX_BYTES) -> Source:
    """Read one policy file; ``identifier`` defaults to the file stem."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", str(path))
    if p.is_dir():
        raise InputError("is a folder, expected a policy file", str(path))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", str(path)) from None
    fmt = format_of(p)
    raw, encoding = _decode(data, str(path), max_bytes, fmt)
    text = to_plain(raw, fmt)
    if not text.strip():
        raise InputError("has no text once its markup is removed", str(path))
    return Source(identifier or p.stem, str(path), fmt, text, encoding)


def read_bytes_source(data: bytes, identifier: str, fmt: str = "text",
                      name: str = "<stdin>", max_bytes: int = MAX_BYTES) -> Source:
    """Read a policy given as bytes (standard input)."""
    raw, encoding = _decode(data, name, max_bytes, fmt)
    return Source(identifier, name, fmt, to_plain(raw, fmt), encoding)


# --- HTML -------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
         "select", "option", "datalist", "nav", "math", "-comment", "audio", "video"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3", "h4",
          "h5", "h6", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "address", "figure",
          "figcaption", "form", "fieldset", "details", "summary", "body", "html", "center", "caption",
          "legend"}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table",
              "section", "article", "address", "figure", "details", "hr"}


def _hidden(node) -> bool:  # type: ignore[no-untyped-def]
    """Elements a browser does not show (icon ligatures are ``aria-hidden``)."""
    attrs = node.attributes
    if not attrs:
        return False
    style = (attrs.get("style") or "").replace(" ", "").casefold()
    return "hidden" in attrs or attrs.get("aria-hidden") == "true" or "display:none" in style


class _Out:
    """The derived text being written: words, line breaks and blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.trailing = 2  # newlines at the end of what is written (the start counts as a blank line)
        self.fresh_item = False  # just wrote a "- " marker: the item's first block joins it

    def text(self, s: str) -> None:
        if s:
            self.parts.append(s)
            stripped = s.rstrip("\n")
            self.trailing = len(s) - len(stripped) if stripped.strip(" ") else self.trailing + len(s) - len(stripped)
            self.fresh_item = False

    def item(self) -> None:
        self.breaks(1)
        self.text("- ")
        self.fresh_item = True

    def breaks(self, n: int) -> None:
        """End the current line; ``n == 2`` leaves a blank line (never more than asked)."""
        if self.fresh_item:
            return
        if n > self.trailing:
            self.parts.append("\n" * (n - self.trailing))
            self.trailing = n

    def value(self) -> str:
        return _tidy("".join(self.parts))


def _inline_text(node, sep: str = "; ") -> str:  # type: ignore[no-untyped-def]
    """The visible text under ``node`` on one line (a table cell): block boundaries and
    ``<br>`` become ``sep``."""
    out: list[str] = []
    stack = [node]
    first = True
    while stack:
        n = stack.pop()
        if n is None:
            out.append(sep)
            continue
        tag = n.tag
        if tag == "-text":
            out.append(n.text(deep=False))
            continue
        if tag in _SKIP or _hidden(n):
            continue
        if tag == "br" or (not first and (tag in _BLOCK or tag == "li")):
            out.append(sep)
        first = False
        children = list(_children(n))
        if tag in _BLOCK or tag == "li":
            stack.append(None)
        stack.extend(reversed(children))
    text = re.sub(r"\s+", " ", "".join(out))
    parts = [p.strip() for p in text.split(sep.strip()) if p.strip()] if sep.strip() else [text.strip()]
    return (sep.strip() + " ").join(parts).replace("|", "\\|")


def _children(node):  # type: ignore[no-untyped-def]
    c = node.child
    while c is not None:
        yield c
        c = c.next


def _table(node, out: _Out) -> None:  # type: ignore[no-untyped-def]
    """A table as pipe rows (a ``| --- |`` line under a header row of ``<th>``), or, for a
    layout table of one column, as paragraphs."""
    rows = []
    stack = list(reversed(list(_children(node))))
    while stack:  # rows are children of the table or of its thead/tbody/tfoot, not of nested tables
        n = stack.pop()
        if n.tag == "tr":
            rows.append(n)
        elif n.tag in ("thead", "tbody", "tfoot"):
            stack.extend(reversed(list(_children(n))))
    cells = [[c for c in _children(r) if c.tag in ("td", "th") and not _hidden(c)] for r in rows]
    width = max((len(r) for r in cells), default=0)
    out.breaks(2)
    if width <= 1:
        for r in cells:
            for c in r:
                out.text(_inline_text(c))
                out.breaks(2)
        return
    for i, r in enumerate(cells):
        texts = [_inline_text(c) for c in r] + [""] * (width - len(r))
        out.text("| " + " | ".join(texts) + " |")
        out.breaks(1)
        if i == 0 and all(c.tag == "th" for c in r):
            out.text("|" + " --- |" * width)
            out.breaks(1)
    out.breaks(2)


def html_to_text(markup: str) -> str:
    """HTML -> text: blocks become lines, list items '- ' lines, tables pipe rows."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    root = tree.body or tree.root
    out = _Out()
    if root is None:
        return _tidy("")
    stack: list = [root]  # iterative: a page nested ten thousand deep must not exhaust the stack
    items = 0  # open list items: a list inside an item is not a paragraph of its own
    while stack:
        n = stack.pop()
        if isinstance(n, str):  # a closing mark
            items -= n == "li"
            out.breaks(2 if n in _PARAGRAPH and not (items and n in ("ul", "ol")) else 1)
            continue
        tag = n.tag
        if tag == "-text":
            out.text(re.sub(r"\s+", " ", n.text(deep=False)))
            continue
        if tag in _SKIP or _hidden(n):
            continue
        if tag == "br":
            out.breaks(1)
            continue
        if tag == "table":
            _table(n, out)
            continue
        if tag == "pre":
            code = n.css_first("code")
            if code is not None:
                continue  # a code listing: not policy text
            out.breaks(2)
            out.text(n.text(deep=True))
            out.breaks(2)
            continue
        if tag == "li":
            out.item()
            items += 1
            stack.append("li")
        elif tag in _BLOCK:
            out.breaks(2 if tag in _PARAGRAPH and not (items and tag in ("ul", "ol")) else 1)
            stack.append(tag)
        stack.extend(reversed(list(_children(n))))
    return out.value()


# --- Markdown ---------------------------------------------------------------

def _markdown_parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough") \
        .use(front_matter_plugin)


def _md_inline(children) -> str:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for c in children or []:
        t = c.type
        if t in ("text", "code_inline"):
            out.append(c.content)
        elif t == "softbreak":
            out.append(" ")  # a line break inside a paragraph is a space (wrapped Markdown)
        elif t == "hardbreak":
            out.append("\n")
        elif t == "image":
            out.append(_md_inline(c.children) or c.content)
        elif t == "html_inline":
            if re.match(r"<br\s*/?>", c.content, re.I):
                out.append("\n")
    return "".join(out)


# kramdown's (Jekyll's, GitHub Pages') attribute lists and extensions: "{: #cookies }",
# "{: datetime="2026-02-10" }", "{:toc}", "{::nomarkdown}" on a block's last line or after
# a span. Markup, not text: left in, "{: #cookies }" would be a mention of cookies.
_KRAMDOWN = re.compile(r"[ \t]*\{::?(?:[^{}\n\"']|\"[^\"\n]*\"|'[^'\n]*')*\}")


def markdown_to_text(markup: str) -> str:
    """Markdown -> text (CommonMark + tables): markup characters dropped, list items
    kept as '- ' lines, tables as pipe rows, code blocks left out, front matter kept."""
    tokens = _markdown_parser().parse(markup)
    out = _Out()
    row: list[str] | None = None
    in_head = False
    cell = False
    depth = 0  # open lists
    for t in tokens:
        kind = t.type
        if kind == "front_matter":
            out.text("---\n" + t.content.strip("\n") + "\n---")
            out.breaks(2)
        elif kind in ("paragraph_open", "paragraph_close") and t.hidden:
            continue  # the paragraph of a tight list item is the item itself
        elif kind in ("bullet_list_open", "ordered_list_open", "bullet_list_close", "ordered_list_close"):
            opening = kind.endswith("open")
            depth += 1 if opening else -1
            if opening and depth > 1:
                out.fresh_item = False
            out.breaks(1 if (depth > 1 if opening else depth >= 1) else 2)
        elif kind in ("heading_open", "paragraph_open", "blockquote_open", "table_open", "hr",
                      "heading_close", "paragraph_close", "blockquote_close"):
            out.breaks(2)
        elif kind == "list_item_open":
            out.item()
        elif kind == "list_item_close":
            out.fresh_item = False
            out.breaks(1)
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            cell = True
        elif kind in ("th_close", "td_close"):
            cell = False
        elif kind == "tr_close" and row is not None:
            out.text("| " + " | ".join(row) + " |")
            out.breaks(1)
            if in_head:
                out.text("|" + " --- |" * len(row))
                out.breaks(1)
            row = None
        elif kind == "table_close":
            out.breaks(2)
        elif kind == "inline":
            text = _md_inline(t.children)
            if "{:" in text:
                text = _KRAMDOWN.sub("", text).rstrip()
            if cell and row is not None:
                row.append(" ".join(text.split()).replace("|", "\\|"))
            else:
                out.text(text)
        elif kind == "html_block":
            out.breaks(2)
            out.text(html_to_text(t.content).strip())
            out.breaks(2)
        # fence / code_block: code is not policy text
    return out.value()


def _tidy(text: str) -> str:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip() + "\n"
