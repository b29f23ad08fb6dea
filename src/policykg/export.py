"""Serialising graphs, and writing files so that a failure leaves nothing behind.

Output files are written to a temporary file in the same folder and renamed
into place only when complete (``click.File(atomic=True)`` still replaces the
target after an error, see STYLE.md).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph

from policykg.errors import PolicyKGError

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


def serialize(data: Dataset | Graph, fmt: str) -> bytes:
    """Quads keep one named graph per policy; triple formats get the union."""
    if isinstance(data, Dataset) and fmt not in QUAD_FORMATS:
        union = Graph()
        for prefix, ns in data.namespaces():
            union.bind(prefix, ns, override=True)
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    out = data.serialize(format=fmt, encoding="utf-8")
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


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
