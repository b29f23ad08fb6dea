"""The embedded store: a persistent Oxigraph database holding many policies.

rdflib keeps every triple as Python objects (~1.1 KB each): 10,000 policies
need 7 GB and 100,000 do not fit (RDF-STACK.md). A pyoxigraph store on disk
holds them in RocksDB and answers the same SPARQL 1.1 text, so corpora of any
size go here, and rdflib stays for small in-memory work and pyshacl.

Layout, one named graph each:

* ``…/id/graph/<policy>`` — what a policy states (as in N-Quads exports);
* ``…/id/graph/<policy>/derived`` — what was derived for it;
* ``…/id/graph/<policy>/versions`` — its versions (PROV-O records) and the
  change set from each version to the next (:mod:`policykg.versions`); the
  graphs of superseded versions and every version's file are in the archive
  beside the database, ``versions.sqlite``;
* ``…/id/graph/ontology`` and ``…/id/graph/knowledge-base`` — the project
  ontology with its DPV terms, and the bundled organisations;
* ``…/id/graph/build`` — bookkeeping: per policy its source file, the SHA-256
  of its bytes and the extractor fingerprint that produced it, its current
  version and a write token that changes with every write of the policy; and
  the store's state, a token that every write replaces (answers kept for one
  state are not used for another, see :mod:`policykg.answers`), and its format.

Every change to one policy (its graphs, its new version record and its
bookkeeping) is one SPARQL update, which Oxigraph applies in one transaction: a
policy in the store is always either entirely the old extraction or entirely
the new one, versions included, even when the process is killed half-way
through a build.

A store written before versions were kept (no format mark) opens as before;
the next ``build`` upgrades it (:func:`policykg.versions.upgrade`).
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from policykg import __version__
from policykg.errors import InputError, PolicyKGError, QueryError
from policykg.iris import ID, ONTOLOGY_GRAPH, derived_graph_iri, graph_iri
from policykg.namespaces import PKG
from policykg.rdfdata import to_rdflib
from policykg.resources import ontology_dir

BUILD_GRAPH = ID["graph/build"]
KB_GRAPH = ID["graph/knowledge-base"]
DEFAULT_DIR = "policykg-store"
ENV_VAR = "POLICYKG_STORE"
BULK_POLICIES = 5_000
"""Policies per bulk load in a first build (see :meth:`Store.bulk_write`)."""

_HASH, _SOURCE, _FINGERPRINT, _IDENT = PKG.contentHash, PKG.sourceFile, PKG.extractorFingerprint, PKG.policyIdentifier
_STORE, _STATE, _FORMAT = ID["store"], PKG.storeState, PKG.storeFormat
_VERSION, _NUMBER, _SHA, _TOKEN = PKG.currentVersion, PKG.versionNumber, PKG.sha256, PKG.writeToken
FORMAT = "2"
"""The store's layout: "2" keeps versions; a store without a format mark is from before."""


def default_path() -> Path:
    """``$POLICYKG_STORE`` if set, else ``./policykg-store``."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What a stored extraction depends on besides the policy text: the policykg version, the
    graph model (graph.GRAPH_MODEL) and the data that drives extraction. A change re-extracts
    every policy on the next build."""
    from policykg import graph  # not at the top: the store opens without the extractors

    return data_fingerprint(ontology_dir(), str(graph.GRAPH_MODEL))


def extraction_data(root: Path) -> list[Path]:
    """The files under ``root`` (the ontology folder) that extraction reads: the language
    profiles and every vocabulary, those of the language subfolders included."""
    return sorted([*(root / "languages").glob("*.yaml"), *(root / "vocab").rglob("*.ttl")])


def data_fingerprint(root: Path, graph_model: str) -> str:
    """:func:`fingerprint` for the data under ``root``: each file by its path below ``root``
    and its bytes, so that an edited, added, removed or moved file changes it."""
    h = hashlib.sha256(f"{__version__}\0{graph_model}\0".encode())
    for f in extraction_data(root):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def content_hash(data: bytes, lang: str = "auto") -> str:
    return hashlib.sha256(lang.encode() + b"\0" + data).hexdigest()


@dataclass(frozen=True)
class StoredPolicy:
    identifier: str
    source: str
    content_hash: str
    fingerprint: str
    version: int | None = None  # None: a store from before versions, not upgraded yet
    sha256: str | None = None  # of the file's bytes (None: not known since an upgrade)
    token: str | None = None  # changes with every write of this policy


@dataclass
class Extracted:
    """One policy ready to be written: its N-Triples and bookkeeping.

    ``version`` is the number of the version the graphs are, ``history`` what to
    add to the policy's graph of versions (a new record, the previous one's end,
    the change set), ``text`` the file's bytes for the archive (format, zlib) and
    ``superseded`` the previous version's graph to archive (version IRI,
    N-Triples, fingerprint).
    """

    identifier: str
    source: str
    content_hash: str
    stated: str
    derived: str
    version: int = 1
    sha256: str | None = None
    history: str = ""
    text: tuple[str, bytes] | None = None
    superseded: tuple[str, str, str] | None = None
    notes: list[str] = field(default_factory=list)
    hashed: object | None = None
    """The file as the worker read it (:class:`policykg.buildindex.Hashed`): the next
    build need not read it again while it stays the same."""


class Store:
    """A policykg store on disk (``Store(path)``) or in memory (``Store(None)``).

    Oxigraph locks an on-disk store for one process at a time; a second one gets
    a clear error instead of waiting. ``read_only`` opens it without the lock
    being needed for writing (queries while nothing writes).
    """

    def __init__(self, path: str | Path | None, create: bool = True, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._ox = ox.Store()
        else:
            if not create and not self.exists(self.path):
                raise InputError("is not a policykg store (build one with `policykg build DIR --store PATH`)",
                                 str(self.path))
            if self.path.exists() and not self.path.is_dir():
                raise InputError("is a file, not a store directory", str(self.path))
            try:
                self._ox = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
            except OSError as exc:
                msg = str(exc)
                if "lock" in msg.lower():
                    raise PolicyKGError("is in use by another policykg process (a build or a server); "
                                        "wait for it to finish", str(self.path)) from None
                raise PolicyKGError(f"cannot be opened ({msg.splitlines()[0][:200]})", str(self.path)) from None
        self.read_only = read_only
        self._archive = None
        self._policies: dict[str, StoredPolicy] | None = None
        if not read_only and not self._ox.contains_named_graph(ox.NamedNode(str(ONTOLOGY_GRAPH))):
            self._load_reference_graphs()

    @property
    def archive(self):  # type: ignore[no-untyped-def]
        """The archive of versions beside the database (:class:`policykg.versions.Archive`)."""
        if self._archive is None:
            from policykg.versions import Archive

            self._archive = Archive(self.path, self.read_only)
        return self._archive

    def close_archive(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    @staticmethod
    def exists(path: str | Path) -> bool:
        p = Path(path)
        return p.is_dir() and (p / "CURRENT").exists()

    # --- reference graphs -------------------------------------------------------

    def _load_reference_graphs(self) -> None:
        from policykg.export import load_ontology
        from policykg.knowledge import kb_graph

        onto, kb = load_ontology(), kb_graph()
        # a store without its reference graphs is new: it is written in this layout from the start
        update = (f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {onto.serialize(format='nt')} }} "
                  f"GRAPH <{KB_GRAPH}> {{ {kb.serialize(format='nt')} }} "
                  f"GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_FORMAT}> \"{FORMAT}\" }} }}")
        self._ox.update(" ;\n".join([update, *_state_ops()]))

    # --- state ------------------------------------------------------------------

    def state(self) -> str | None:
        """A token that changes with every write to the store (None: a store written by a
        policykg without it). Anything computed from the store's contents and filed
        under this token is valid as long as the token is the same."""
        for row in self._ox.query(f"SELECT ?s WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_STATE}> ?s }} }}"):
            return str(row["s"].value)
        return None

    def renew_state(self) -> str:
        """Give the store a new state token (after writes that did not set one)."""
        self._ox.update(" ;\n".join(_state_ops()))
        return self.state() or ""

    def format(self) -> str | None:
        """The store's layout ("2": keeps versions); None: from before versions were kept."""
        for row in self._ox.query(f"SELECT ?f WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_FORMAT}> ?f }} }}"):
            return str(row["f"].value)
        return None

    def set_format(self) -> None:
        self._ox.update(f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_FORMAT}> ?f }} }} ;\n"
                        f"INSERT DATA {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_FORMAT}> \"{FORMAT}\" }} }}")

    # --- policies ---------------------------------------------------------------

    def policies(self, identifier: str | None = None) -> dict[str, StoredPolicy]:
        """Every policy in the store (or the one given), by identifier.

        Read with one scan of the build graph (a SPARQL join with the optional
        version bookkeeping took three times as long: 1.6 s at 10,000 policies), and
        kept: this process's own writes update it, so a build reads it once."""
        if identifier is not None:
            g = ox.NamedNode(str(graph_iri(identifier)))
            quads = self._ox.quads_for_pattern(g, None, None, ox.NamedNode(str(BUILD_GRAPH)))
            return _assemble((q.subject, q.predicate, q.object) for q in quads)
        if self._policies is None:
            quads = self._ox.quads_for_pattern(None, None, None, ox.NamedNode(str(BUILD_GRAPH)))
            self._policies = _assemble((q.subject, q.predicate, q.object) for q in quads)
        return dict(self._policies)

    def know(self, policies: dict[str, StoredPolicy]) -> None:
        """Take the bookkeeping of every policy as read before for the store's present
        state (:mod:`policykg.buildindex`) instead of reading it from the store."""
        self._policies = dict(policies)

    def _known(self, entries: Iterable[StoredPolicy], gone: Iterable[str] = ()) -> None:
        """Keep the policies read by :meth:`policies` up to date with a write."""
        if self._policies is not None:
            for ident in gone:
                self._policies.pop(ident, None)
            for e in entries:
                self._policies[e.identifier] = e

    def write(self, batch: Iterable[Extracted], remove: Iterable[str] = ()) -> int:
        """Replace the given policies and delete ``remove``, all in one transaction.

        Returns the number of policies written. Blank-node labels are made
        unique per policy so that one request can carry many policies.
        """
        ops: list[str] = []
        inserts: list[str] = []
        n = 0
        remove = list(remove)
        for ident in remove:
            ops.extend(_drop_ops(ident))
            ops.append(f"DROP SILENT GRAPH <{_versions_graph(ident)}>")
        fp = fingerprint()
        written = []
        for e in batch:
            n += 1
            token = uuid.uuid4().hex
            written.append(StoredPolicy(e.identifier, e.source, e.content_hash, fp, e.version, e.sha256, token))
            ops.extend(_drop_ops(e.identifier))
            g, d = graph_iri(e.identifier), derived_graph_iri(e.identifier)
            inserts.append(f"GRAPH <{g}> {{\n{e.stated}}}")
            if e.derived:
                inserts.append(f"GRAPH <{d}> {{\n{e.derived}}}")
            if e.history:
                inserts.append(f"GRAPH <{_versions_graph(e.identifier)}> {{\n{e.history}}}")
            inserts.append(f"GRAPH <{BUILD_GRAPH}> {{ {_record(e, fp, token)} }}")
        if inserts:
            ops.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        if ops:
            self._ox.update(" ;\n".join(ops + _state_ops()))
            self._known(written, remove)
        return n

    def add_history(self, items: Iterable[tuple[str, int, str, str | None]]) -> None:
        """Add to policies' graphs of versions and set their current version, in one
        transaction: (identifier, current version number, N-Triples, file checksum)."""
        ops, inserts, changed = [], [], []
        for ident, number, nt, sha in items:
            g = graph_iri(ident)
            token = uuid.uuid4().hex
            changed.append((ident, number, sha, token))
            for p in (_NUMBER, _VERSION, _TOKEN) + ((_SHA,) if sha else ()):
                ops.append(f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{g}> <{p}> ?o }} }}")
            inserts.append(f"GRAPH <{_versions_graph(ident)}> {{\n{nt}}}")
            inserts.append(f"GRAPH <{BUILD_GRAPH}> {{ <{g}> <{_NUMBER}> {number} ; "
                           f"<{_VERSION}> <{_version_iri(ident, number)}> ; <{_TOKEN}> {_lit(token)}"
                           + (f" ; <{_SHA}> {_lit(sha)}" if sha else "") + " }")
        if inserts:
            ops.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
            self._ox.update(" ;\n".join(ops + _state_ops()))
            if self._policies is not None:
                self._known(replace(self._policies[i], version=n, sha256=sha or self._policies[i].sha256, token=t)
                            for i, n, sha, t in changed if i in self._policies)

    def update(self, ops: list[str], touched: Iterable[str] = ()) -> None:
        """Run SPARQL updates as one transaction, renewing the write token of the
        ``touched`` policies and the store's state."""
        tokens = {ident: uuid.uuid4().hex for ident in touched}
        for ident, token in tokens.items():
            g = graph_iri(ident)
            ops = ops + [f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{g}> <{_TOKEN}> ?t }} }}",
                         f"INSERT DATA {{ GRAPH <{BUILD_GRAPH}> {{ <{g}> <{_TOKEN}> {_lit(token)} }} }}"]
        if ops:
            self._ox.update(" ;\n".join(ops + _state_ops()))
            if self._policies is not None:
                self._known(replace(self._policies[i], token=t) for i, t in tokens.items() if i in self._policies)

    def bulk_write(self, batches: Iterable[list[Extracted]], per_load: int | None = None) -> int:
        """Stream many policies into the store with Oxigraph's bulk loader.

        Several times faster than :meth:`write` but not transactional: only for a
        store that nobody sees yet (a fresh build into a temporary directory that
        is renamed into place when complete). Returns the number of policies.

        The policies go in ``per_load`` at a time, one bulk load each: a bulk
        load keeps every blank-node label it has read (to give each its node),
        ~220 bytes a label, so one load of 100,000 policies (~15 million labels)
        would hold ~3 GB for labels alone (measured: 5 million distinct labels
        took 1.1 GB more than 5 million repeated ones).
        """
        per_load = per_load or BULK_POLICIES
        count = 0
        fp = fingerprint()
        it = iter(batches)
        first: list[list[Extracted]] = []

        def chunks() -> Iterator[bytes]:
            nonlocal count
            loaded = 0
            while loaded < per_load:
                batch = first.pop() if first else next(it, None)
                if batch is None:
                    return
                parts: list[str] = []
                for e in batch:
                    parts.append(_as_quads(e.stated, graph_iri(e.identifier)))
                    if e.derived:
                        parts.append(_as_quads(e.derived, derived_graph_iri(e.identifier)))
                    if e.history:
                        parts.append(_as_quads(e.history, URIRef(_versions_graph(e.identifier))))
                    parts.append(_as_quads(_record(e, fp, uuid.uuid4().hex), BUILD_GRAPH))
                count += len(batch)
                loaded += len(batch)
                yield "".join(parts).encode("utf-8")

        self._policies = None  # read again when asked
        while (batch := next(it, None)) is not None:
            first.append(batch)
            self._ox.bulk_load(_ChunkReader(chunks()), ox.RdfFormat.N_QUADS)
        self.renew_state()
        return count

    def remove(self, identifiers: Iterable[str]) -> None:
        self.write([], identifiers)

    def flush(self) -> None:
        if self.path is not None:
            self._ox.flush()

    def optimize(self) -> None:
        """Compact the database (RocksDB full compaction).

        A bulk load leaves many overlapping files, and every index probe and
        every decoding of an IRI or long literal then looks in each of them:
        measured at 10,000 policies, compaction made probes and decodes about
        three times faster (a canned query 11 s -> 3.7 s) for ~45 s of work.
        """
        if self.path is not None:
            self._ox.optimize()

    # --- reading ----------------------------------------------------------------

    def policy_graph(self, identifier: str) -> Graph:
        """One policy's stated triples as an rdflib graph (small: pyshacl's input)."""
        g = Graph()
        for t in self.policy_triples(identifier):
            g.add(t)
        return g

    def policy_triples(self, identifier: str) -> Iterator[tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]]:
        """One policy's stated triples as rdflib terms (the native validator's input).

        Read with one SELECT rather than ``quads_for_pattern``: unpacking a
        solution is cheaper than a quad's three attribute lookups (~10% of the
        read, and the read is most of validating a policy from the store)."""
        conv = _CONVERT
        for s, p, o in self._ox.query(f"SELECT ?s ?p ?o {{ GRAPH <{graph_iri(identifier)}> {{ ?s ?p ?o }} }}"):
            yield conv(s), conv(p), conv(o)  # type: ignore[misc]

    def policy_ntriples(self, identifier: str) -> str:
        return self._ntriples(ox.NamedNode(str(graph_iri(identifier))))

    def graph_ntriples(self, graph: str) -> str:
        """One named graph as N-Triples."""
        return self._ntriples(ox.NamedNode(graph))

    def graphs_ntriples(self, with_reference: bool = True) -> Iterator[tuple[str, str]]:
        """(graph IRI, N-Triples) for every named graph but the build bookkeeping."""
        skip = {str(BUILD_GRAPH)} | (set() if with_reference else {str(ONTOLOGY_GRAPH), str(KB_GRAPH)})
        for g in sorted(self._ox.named_graphs(), key=lambda n: n.value):
            if isinstance(g, ox.NamedNode) and g.value not in skip:
                yield g.value, self._ntriples(g)

    def _ntriples(self, graph: ox.NamedNode) -> str:
        buf = io.BytesIO()
        self._ox.dump(buf, ox.RdfFormat.N_TRIPLES, from_graph=graph)
        return buf.getvalue().decode("utf-8")

    def query(self, text: str, union: bool = True) -> Result:
        """A SELECT/ASK/CONSTRUCT over the union of all graphs, as an rdflib Result.

        A SELECT answer comes in canonical order (:mod:`policykg.ordering`): rows
        that ORDER BY ranks equal and the values of a GROUP_CONCAT sorted, so that
        a live answer is byte-identical to the one the build kept."""
        data = self.query_tsv(text) if union else None
        if data is None:
            return to_result(self.solutions(text, union))
        return to_result(ox.parse_query_results(data, ox.QueryResultsFormat.TSV))

    def query_tsv(self, text: str) -> bytes | None:
        """A SELECT's answer over the union as SPARQL TSV in canonical order; None for
        another kind of query. (A SELECT whose rows cannot be put in that order keeps
        the engine's, see :mod:`policykg.ordering`.)"""
        from policykg import ordering

        p = ordering.plan(text)
        if p is None:
            res = self.solutions(text)
            return ordering.serialize(res) if isinstance(res, ox.QuerySolutions) else None
        try:
            return ordering.canonical(p, ordering.serialize(self.solutions(p.text)))
        except ordering.Unorderable:
            return ordering.serialize(self.solutions(text))

    def raw_query(self, text: str) -> object:
        """Oxigraph's solutions over the union, no conversion (for the library's own queries)."""
        return self._ox.query(text, use_default_graph_as_union=True)

    def solutions(self, text: str, union: bool = True) -> object:
        """The same, as Oxigraph gives it (to serialise an answer without converting it)."""
        try:
            return self._ox.query(text, use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0][:200]}") from None
        except OSError as exc:
            raise QueryError(f"the store could not run the query ({exc})") from None

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None) -> None:  # type: ignore[no-untyped-def]
        """Write the store (all graphs as N-Quads/TriG, or one graph) to a binary file object."""
        from policykg.namespaces import PREFIXES

        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        if graph is not None:
            self._ox.dump(output, fmt, from_graph=ox.NamedNode(graph), prefixes=prefixes)
        elif fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self._ox.dump(output, fmt, prefixes=prefixes)
        else:  # a triple format: the union of the policy graphs
            skip = {ox.NamedNode(str(g)) for g in (BUILD_GRAPH, ONTOLOGY_GRAPH, KB_GRAPH)}
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self._ox
                          if q.graph_name not in skip), output, fmt, prefixes=prefixes)


class _ChunkReader(io.RawIOBase):
    """A binary file object over an iterator of byte chunks: lets the bulk
    loader parse N-Quads as the workers produce them, without a temporary file."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        while not len(self._buf):
            nxt = next(self._chunks, None)
            if nxt is None:
                return 0
            self._buf = memoryview(nxt)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _as_quads(ntriples: str, graph: URIRef) -> str:
    """N-Triples -> N-Quads in ``graph`` (every line ends in " .\n")."""
    return ntriples.replace(" .\n", f" <{graph}> .\n")


def _lit(value: str) -> str:
    from policykg.triples import nt

    return nt(Literal(value))


def _state_ops() -> list[str]:
    """SPARQL updates that replace the store's state token (in the same transaction
    as the write they follow)."""

    return [f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_STATE}> ?s }} }}",
            f"INSERT DATA {{ GRAPH <{BUILD_GRAPH}> {{ <{_STORE}> <{_STATE}> \"{uuid.uuid4().hex}\" }} }}"]


def _versions_graph(identifier: str) -> str:
    from policykg.versions import versions_graph

    return versions_graph(identifier)


def _version_iri(identifier: str, n: int) -> str:
    from policykg.versions import version_iri

    return version_iri(identifier, n)


def _record(e: Extracted, fp: str, token: str) -> str:
    """The bookkeeping of one written policy (N-Triples, in the build graph)."""
    g = f"<{graph_iri(e.identifier)}>"
    out = (f"{g} <{_IDENT}> {_lit(e.identifier)} .\n{g} <{_SOURCE}> {_lit(e.source)} .\n"
           f"{g} <{_HASH}> {_lit(e.content_hash)} .\n{g} <{_FINGERPRINT}> {_lit(fp)} .\n"
           f"{g} <{_NUMBER}> \"{e.version}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
           f"{g} <{_VERSION}> <{_version_iri(e.identifier, e.version)}> .\n"
           f"{g} <{_TOKEN}> \"{token}\" .\n")
    if e.sha256:
        out += f"{g} <{_SHA}> {_lit(e.sha256)} .\n"
    return out


def _assemble(quads: Iterable[tuple[object, object, object]]) -> dict[str, StoredPolicy]:
    """The build graph's bookkeeping -> StoredPolicy by identifier."""
    fields: dict[object, dict[str, object]] = {}
    names = {str(_IDENT): "identifier", str(_SOURCE): "source", str(_HASH): "content_hash",
             str(_FINGERPRINT): "fingerprint", str(_NUMBER): "version", str(_SHA): "sha256",
             str(_TOKEN): "token"}
    for s, p, o in quads:
        name = names.get(p.value)  # type: ignore[attr-defined]
        if name is not None:
            fields.setdefault(s, {})[name] = o.value  # type: ignore[attr-defined]
    out = {}
    for f in fields.values():
        if {"identifier", "source", "content_hash", "fingerprint"} <= f.keys():
            v = f.get("version")
            out[str(f["identifier"])] = StoredPolicy(
                str(f["identifier"]), str(f["source"]), str(f["content_hash"]), str(f["fingerprint"]),
                None if v is None else int(str(v)), f.get("sha256"), f.get("token"))  # type: ignore[arg-type]
    return out


def _drop_ops(identifier: str) -> list[str]:
    g = graph_iri(identifier)
    return [f"DROP SILENT GRAPH <{g}>", f"DROP SILENT GRAPH <{derived_graph_iri(identifier)}>",
            f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{g}> ?p ?o }} }}"]


# --- term conversion ---------------------------------------------------------------

class _Converter:
    """to_rdflib with a cache shared across policies: predicates, classes, concepts,
    organisations and offsets repeat on every line and in every policy."""

    def __init__(self) -> None:
        self._cache: dict[object, URIRef | BNode | Literal] = {}

    def __call__(self, term: object) -> URIRef | BNode | Literal:
        hit = self._cache.get(term)
        if hit is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            hit = self._cache[term] = to_rdflib(term)
        return hit

    def row(self, names: list, solution: object) -> dict:  # type: ignore[type-arg]
        """One answer row as {variable: rdflib term}, unbound variables left out. The
        cache is read inline: a call per term cost ~0.3 s of a 90,000-row answer."""
        get = self._cache.get
        out = {}
        for n, t in zip(names, solution, strict=False):  # type: ignore[call-overload]
            if t is not None:
                v = get(t)
                out[n] = v if v is not None else self(t)
        return out


_CONVERT = _Converter()


def to_result(res: object) -> Result:
    """pyoxigraph query results -> an rdflib Result, so every output format works unchanged."""
    if isinstance(res, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(res)
        return r
    if isinstance(res, ox.QuerySolutions):
        from rdflib import Variable

        r = Result("SELECT")
        r.vars = [Variable(v.value) for v in res.variables]
        # terms repeat row after row (vendors, concepts, organisations): converting each
        # once matters, it was most of the time of a 90,000-row answer
        row = _CONVERT.row
        r.bindings = [row(r.vars, sol) for sol in res]
        return r
    g = Graph()  # CONSTRUCT / DESCRIBE
    for t in res:  # type: ignore[attr-defined]
        g.add((_CONVERT(t.subject), _CONVERT(t.predicate), _CONVERT(t.object)))
    r = Result("CONSTRUCT")
    r.graph = g
    return r
