"""Bytes on disk -> the plain text that evidence offsets index.

CONTRACT §4: for ``.txt`` the text is the file decoded as UTF-8 with no other
change; for ``.md`` and ``.html`` it is derived deterministically here and
printed by ``policykg text``. Anything that cannot be read as a policy
(empty, binary, not UTF-8, too large) raises :class:`InputError` naming the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
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


def decode(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode policy bytes, rejecting what is not a readable text policy."""
    if len(data) > max_bytes:
        raise InputError(f"file is {len(data):,} bytes, more than the {max_bytes:,} a policy "
                         "may have (split it, or pass --max-bytes)", name)
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not a policy text", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8", name) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("is empty: there is no policy text to read", name)
    return text


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
    text = to_plain(decode(data, str(path), max_bytes), fmt)
    if not text.strip():
        raise InputError("has no text once its markup is removed", str(path))
    return Source(identifier or p.stem, str(path), fmt, text)


def read_bytes_source(data: bytes, identifier: str, fmt: str = "text",
                      name: str = "<stdin>", max_bytes: int = MAX_BYTES) -> Source:
    """Read a policy given as bytes (standard input)."""
    text = to_plain(decode(data, name, max_bytes), fmt)
    return Source(identifier, name, fmt, text)


# --- HTML -------------------------------------------------------------------

_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
          "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "br",
          "dt", "dd", "blockquote", "pre", "hr", "title", "td", "th"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag.startswith("h") or tag == "p" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK and tag not in ("td", "th", "li"):
            self.parts.append("\n\n" if tag.startswith("h") or tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """HTML -> text: block elements become line breaks, list items '- ' lines."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.parts))


# --- Markdown ---------------------------------------------------------------

_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</?[a-zA-Z][^>\n]*>"), ""),
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"^[ \t]*[*+][ \t]+", re.M), "- "),
    (re.compile(r"^[ \t]*>[ \t]?", re.M), ""),
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.M), ""),
    (re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M), ""),
]


def markdown_to_text(markup: str) -> str:
    """Markdown -> text: markup characters dropped, list items kept as '- ' lines."""
    text = markup
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    text = re.sub(r"^[ \t]*\|(.*)\|[ \t]*$", lambda m: " ".join(c.strip() for c in m.group(1).split("|")),
                  text, flags=re.M)
    return _tidy(html.unescape(text))


def _tidy(text: str) -> str:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip() + "\n"
