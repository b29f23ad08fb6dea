"""Serialising graphs, and writing files so that a failure leaves nothing behind.

Output files are written to a temporary file in the same folder and renamed
into place only when complete (``click.File(atomic=True)`` still replaces the
target after an error, see STYLE.md).
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from policykg.errors import PolicyKGError, one_line

FORMATS = {
    "turtle": ("turtle", ".ttl"), "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"), "ntriples": ("nt", ".nt"), "n-triples": ("nt", ".nt"),
    "nquads": ("nquads", ".nq"), "nq": ("nquads", ".nq"), "n-quads": ("nquads", ".nq"),
    "trig": ("trig", ".trig"),
    "json-ld": ("json-ld", ".jsonld"), "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"), "rdfxml": ("xml", ".rdf"),
}
EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
              ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
QUAD_FORMATS = {"nquads", "trig"}
"""Formats that keep named graphs (JSON-LD can too: :func:`serialize` keeps them)."""


def rdf_format(fmt: str | None, output: str | None, default: str = "turtle") -> str:
    """rdflib format name from ``-f`` or else from the extension of ``-o``."""
    if fmt:
        key = fmt.casefold()
        if key not in FORMATS:
            raise PolicyKGError(f"unknown RDF format {fmt!r} (use one of: turtle, nt, nquads, trig, "
                                "json-ld, xml)")
        return FORMATS[key][0]
    if output and output != "-":
        ext = Path(output).suffix.casefold()
        if ext in EXTENSIONS:
            return EXTENSIONS[ext]
    return default


def input_format(path: str) -> str:
    """rdflib parser name from a file extension (Turtle when unknown)."""
    return EXTENSIONS.get(Path(path).suffix.casefold(), "turtle")


NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold, not even as character references (NUL, most C0
controls, U+FFFE/U+FFFF): a literal with one cannot be written as RDF/XML."""
NOT_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def not_xml_error(value: str, where: str) -> PolicyKGError:
    ch = NOT_XML.search(value)
    code = f"U+{ord(ch.group()):04X}" if ch else "a character"
    return PolicyKGError(f"cannot be written as RDF/XML: {where} holds {code}, a character XML 1.0 "
                         "cannot hold; use Turtle, N-Triples, N-Quads, TriG or JSON-LD")


def _check_xml_terms(data: Dataset | Graph) -> None:
    for triple in data.triples((None, None, None)):
        for t in triple:
            if NOT_XML.search(t):
                raise not_xml_error(str(t), f"the term {str(t)[:60]!r} (of <{triple[0]}>)")


def _well_formed(out: bytes) -> None:
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(out, True)
    except expat.ExpatError as exc:
        raise PolicyKGError(f"cannot be written as RDF/XML ({expat.ErrorString(exc.code)} at line "
                            f"{exc.lineno}, column {exc.offset + 1} of the output)") from None


def serialize(data: Dataset | Graph, fmt: str) -> bytes:
    """Quads keep one named graph per policy (N-Quads, TriG, JSON-LD); triple
    formats get the union. Turtle, TriG and JSON-LD use the project's prefixes.

    RDF/XML is checked before (no character XML 1.0 cannot hold) and after (the
    output is well-formed XML): what cannot be written is one clear error, never a
    file an XML parser refuses."""
    from policykg.namespaces import bind, prefix_map

    if isinstance(data, Dataset) and fmt not in QUAD_FORMATS | {"json-ld"}:
        union = Graph()
        for prefix, ns in data.namespaces():
            union.bind(prefix, ns, override=True)
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    bind(data)  # the project's prefixes, whatever the graph was built or read with
    if fmt == "xml":
        _check_xml_terms(data)
    # JSON-LD: compacted with the project's prefixes as its @context (inline, so that it
    # reads offline; ontology/context.jsonld is the same context as a file), named
    # graphs kept as in N-Quads and TriG
    options = {"context": prefix_map(), "auto_compact": True} if fmt == "json-ld" else {}
    try:
        out = data.serialize(format=fmt, encoding="utf-8", **options)
    except Exception as exc:  # rdflib's serialisers raise plain Exception/ValueError
        raise PolicyKGError(f"cannot be written as {fmt} ({one_line(exc)})") from None
    out = out if isinstance(out, bytes) else str(out).encode("utf-8")
    if fmt == "xml":
        _well_formed(out)
    return out


def _graph_key(name: object) -> str:
    return "" if isinstance(name, ox.DefaultGraph) else str(getattr(name, "value", name))


def union_triples(store: ox.Store, skip: Iterable[ox.NamedNode] = ()) -> Iterator[ox.Triple]:
    """Every triple of the store's graphs but ``skip``, each once: a triple in two
    graphs (an organisation's type and label in each policy that names it) is
    written by the first graph, in IRI order, that holds it.

    One index look-up per triple instead of a set of every triple written, so the
    memory needed does not grow with the store."""
    skipped = set(skip)
    for q in store:
        g = q.graph_name
        if g in skipped:
            continue
        key = None
        for other in store.quads_for_pattern(q.subject, q.predicate, q.object):
            o = other.graph_name
            if o != g and o not in skipped:
                key = key if key is not None else _graph_key(g)
                if _graph_key(o) < key:
                    break
        else:
            yield ox.Triple(q.subject, q.predicate, q.object)


def store_to_dataset(store: ox.Store) -> Dataset:
    """Every graph of an Oxigraph store as an rdflib Dataset (what JSON-LD needs)."""
    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format="nquads")
    return ds


STREAMED = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
            "trig": ox.RdfFormat.TRIG}
"""Formats written policy by policy (:class:`PolicyWriter`); JSON-LD and RDF/XML are one
document, serialised whole."""

SHARED_SUBJECTS = ("<https://w3id.org/policykg/id/", "_:")
"""N-Triples subjects that belong to one policy (its notice, handlings, annotations,
blank nodes); a triple about any other subject (an organisation's type and label)
may be stated by many policies."""


class PolicyWriter:
    """Writes the graphs of policies one by one, as they are extracted, so that a
    batch never holds more than one policy's graph (``extract`` of thousands of policies).

    Each policy's triples are serialised by Oxigraph from their N-Triples, sorted so
    that a subject's statements come together. Turtle and TriG share one header of
    the project's prefixes; N-Quads and TriG put each policy in its named graph (and
    what was derived in its own); the triple formats give their union, a triple about
    a shared subject (an organisation) written once. Nothing is written before the
    first policy, so a batch in which every policy fails writes nothing."""

    def __init__(self, out: IO[bytes], fmt: str) -> None:
        from policykg.namespaces import prefix_map

        self.out = out
        self.fmt = fmt
        self.prefixes = prefix_map()
        self.started = False
        self.seen: set[str] = set()  # triples about shared subjects already written (a few per organisation)

    def add(self, triples: Iterable[str] | str, graph: str) -> None:
        """Write one graph, given as N-Triples (a text or its lines), named ``graph`` in quad formats."""
        lines = triples.splitlines(keepends=True) if isinstance(triples, str) else list(triples)
        if self.fmt not in QUAD_FORMATS:
            lines = [line for line in lines if self._new(line)]
        if not lines:
            return
        lines.sort()
        data = "".join(lines).encode("utf-8")
        if not self.started:
            self.started = True
            if self.fmt in ("turtle", "trig"):
                self.out.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in self.prefixes.items()).encode())
        if self.fmt == "nt":
            self.out.write(data)
            return
        parsed = ox.parse(data, ox.RdfFormat.N_TRIPLES)
        if self.fmt in QUAD_FORMATS:
            name = ox.NamedNode(graph)
            parsed = (ox.Quad(q.subject, q.predicate, q.object, name) for q in parsed)
        chunk = ox.serialize(parsed, None, STREAMED[self.fmt], prefixes=self.prefixes)
        if self.fmt in ("turtle", "trig"):  # the prefixes are in the header already
            lines_out = chunk.splitlines(keepends=True)
            n = 0
            while n < len(lines_out) and lines_out[n].startswith(b"@prefix "):
                n += 1
            chunk = b"\n" + b"".join(lines_out[n:])
        self.out.write(chunk)

    def _new(self, line: str) -> bool:
        if line.startswith(SHARED_SUBJECTS):
            return True
        if line in self.seen:
            return False
        self.seen.add(line)
        return True


class XmlGuard(io.RawIOBase):
    """A binary writer in front of Oxigraph's RDF/XML serialiser: it writes a carriage
    return as ``&#13;`` (raw, an XML parser reads it as a line feed) and refuses a
    character XML 1.0 cannot hold (Oxigraph writes it raw)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.tail = b""

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        chunk = bytes(b)
        if NOT_XML_BYTES.search(self.tail + chunk):
            raise not_xml_error((self.tail + chunk).decode("utf-8", "replace"), "a literal")
        self.tail = chunk[-2:]
        self.out.write(chunk.replace(b"\r", b"&#13;"))
        return len(chunk)


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb",  # type: ignore[type-arg]
                encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file next to ``path``; rename it over ``path`` only on success."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise PolicyKGError("the folder for this output does not exist", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    # mkstemp makes the file private (0600); give it the mode a plain open() would have
    os.chmod(tmp, (target.stat().st_mode & 0o777) if target.exists() else 0o666 & ~umask)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_output(data: bytes, output: str | None) -> None:
    """Write to ``output`` atomically, or to stdout when it is None or '-'."""
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with atomic_open(output) as fh:
        fh.write(data)


def write_text_output(write: Callable[[IO[str]], None], output: str | None) -> None:
    """Let ``write`` stream UTF-8 text to ``output`` (atomically) or to stdout, so
    that a large report is never held as one string."""
    if output is None or output == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            write(out)
            out.flush()
        finally:
            out.detach()
        return
    with atomic_open(output, "w", encoding="utf-8") as fh:
        write(fh)


def load_ontology() -> Graph:
    """The project ontology and the DPV 2.2 terms it declares (class hierarchy and labels)."""
    from policykg.namespaces import bind
    from policykg.resources import ontology_dir

    g = Graph()
    bind(g)
    for name in ("policykg.ttl", "dpv-terms.ttl"):
        g.parse(ontology_dir() / name, format="turtle")
    return g
