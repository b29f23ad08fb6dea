"""A remote SPARQL 1.1 server: push graphs (Graph Store Protocol), run queries (SPARQLWrapper).

Works with any SPARQL 1.1 server — Oxigraph (`oxigraph serve --union-default-graph`,
store at /store, queries at /query), Jena Fuseki (/ds/data and /ds/query, with
`tdb2:unionDefaultGraph true`), GraphDB, Virtuoso. Each policy is its own named
graph, so canned queries (which use no GRAPH clause) need the server to query the
union of its graphs by default. Credentials come from POLICYKG_USER and
POLICYKG_PASSWORD, never from flags. Every failure is an EndpointError (exit 2).
"""

from __future__ import annotations

import base64
import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from rdflib import XSD, Dataset, Graph, Literal
from rdflib.query import Result

from policykg.errors import EndpointError, InputError

TIMEOUT = 60.0


def _auth_header() -> dict[str, str]:
    user, password = os.environ.get("POLICYKG_USER"), os.environ.get("POLICYKG_PASSWORD")
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _request(url: str, data: bytes | None, method: str, headers: dict[str, str],
             timeout: float) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers={**headers, **_auth_header()})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (user-given URL)
            return resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(f"answered HTTP {exc.code} {exc.reason}" + (f": {body[0][:200]}" if body else ""),
                            url) from None
    except (urllib.error.URLError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"cannot be reached ({reason}); is the server running?", url) from None
    except TimeoutError:
        raise EndpointError(f"did not answer within {timeout:.0f} s", url) from None


DAYS = "https://w3id.org/policykg#days"
_DURATION_RE = re.compile(r'^(\S+) <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#value> '
                          r'"(P[^"]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#duration> \.$', re.M)


def duration_days(lexical: str) -> int | None:
    """Approximate days of an xsd:duration (year 365, month 30, week 7, hours / 24), months
    carried into years first, so "P24M" and "P2Y" (the same XSD value, which rdflib and
    the store may write either way) are both 730; None when ``lexical`` is no duration.
    The pkg:days graph.py writes beside each duration, and diff's old/new days."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
                     lexical)
    if not m or lexical in ("P", "PT") or lexical.endswith("T"):
        return None
    y, mo, w, d, h = (int(x or 0) for x in m.groups()[:5])
    months = y * 12 + mo
    return months // 12 * 365 + months % 12 * 30 + w * 7 + d + h // 24


def with_day_counts(nt: str) -> str:
    """N-Triples with ``?d pkg:days N`` (xsd:integer) beside every ``?d rdf:value "…"^^xsd:duration``.

    Virtuoso 7 keeps an xsd:duration as a number of months or seconds ("P2Y" is
    answered "24", "P10D" "864000.0"), so no query can read days from its text
    there; the day count travels with the duration so every server can order and
    compare it (retention-periods.rq orders by pkg:days). graph.py writes it since graph
    model 4; this adds it to graphs extracted before (a day count already there is kept).
    """
    counted = {line.split(" ", 1)[0] for line in nt.splitlines() if f" <{DAYS}> " in line}
    extra = []
    for m in _DURATION_RE.finditer(nt):
        days = duration_days(m.group(2))
        if days is not None and m.group(1) not in counted:
            extra.append(f'{m.group(1)} <{DAYS}> "{days}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    if not extra:
        return nt
    added = list(dict.fromkeys(extra))
    return nt + ("" if nt.endswith("\n") else "\n") + "".join(x + "\n" for x in added)


def split_policies(ds: Dataset, default_graph: str | None = None) -> tuple[dict[str, Graph], Graph]:
    """The graphs to push: ``({graph IRI: triples}, triples of no policy)``.

    Named graphs of ``ds`` keep their names. Its default graph (a Turtle file of
    several policies) is split into one named graph per policy, named as the
    store names them (graph/ID, and graph/ID/derived for derived facts): each
    policy gets its notice, handlings, annotations and derived facts
    (``pkg:derivedFor``), and what they reach through blank nodes and project
    IRIs (an organisation is copied into every policy that names it, as in the
    store; a merged file no longer says which policy gave it which role class,
    so each copy has them all). With ``default_graph`` the default graph goes
    there whole.
    """
    named: dict[str, Graph] = {}
    default = ds.default_graph
    for g in ds.graphs():
        if g.identifier != default.identifier and len(g):
            named.setdefault(str(g.identifier), Graph()).__iadd__(g)
    if default_graph is not None:
        if len(default):
            named.setdefault(default_graph, Graph()).__iadd__(default)
        return named, Graph()
    owned: set[object] = set()
    for graph_name, members in _policy_members(default).items():
        out = named.setdefault(graph_name, Graph())
        for node in members:
            owned.add(node)
            for p, o in default.predicate_objects(node):
                out.add((node, p, o))
    rest = Graph()
    for t in default:
        if t[0] not in owned:
            rest.add(t)
    return named, rest


def _policy_members(g: Graph) -> dict[str, set[object]]:
    """Per policy graph, the subjects whose triples belong to it (see split_policies)."""
    from rdflib import RDF, BNode, URIRef
    from rdflib.namespace import DCTERMS

    from policykg.iris import BASE, derived_graph_iri, graph_iri
    from policykg.namespaces import DPV, OA, PKG

    roots: dict[str, set[object]] = {}
    for notice in g.subjects(RDF.type, DPV.PrivacyNotice):
        ident = g.value(notice, DCTERMS.identifier)
        if ident is None:
            continue
        stated = {notice, *g.subjects(DPV.hasNotice, notice), *g.subjects(PKG.aboutNotice, notice)}
        for h in list(stated):
            stated.update(g.subjects(OA.hasBody, h))
        for target in g.subjects(OA.hasSource, notice):
            stated.update(g.subjects(OA.hasTarget, target))
        roots[str(graph_iri(str(ident)))] = stated
        derived = set(g.subjects(PKG.derivedFor, notice))
        if derived:
            roots[str(derived_graph_iri(str(ident)))] = derived
    every_root: set[object] = set().union(*roots.values()) if roots else set()
    members: dict[str, set[object]] = {}
    for name, start in roots.items():
        seen, todo = set(start), list(start)
        # derived facts name organisations the policy's own graph describes
        iris = not name.endswith("/derived")
        while todo:
            for o in g.objects(todo.pop()):
                follow = isinstance(o, BNode) or (iris and isinstance(o, URIRef) and str(o).startswith(BASE))
                if follow and o not in seen and o not in every_root and (o, None, None) in g:
                    seen.add(o)
                    todo.append(o)
        members[name] = seen
    return members


def push_ntriples(nt: str, graph: str | None, store_url: str, replace: bool = True,
                  timeout: float = TIMEOUT) -> int:
    """Send one graph given as N-Triples text (None: the server's default graph);
    returns the triples sent. ``replace`` uses PUT (the graph is replaced, so
    pushing it again changes nothing), otherwise POST (triples are added, and
    blank nodes are new nodes on every POST)."""
    nt = with_day_counts(nt)
    query = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
    _request(url, nt.encode("utf-8"), "PUT" if replace else "POST", {"Content-Type": "application/n-triples"},
             timeout)
    return sum(1 for line in nt.splitlines() if line.strip() and not line.startswith("#"))


def push(ds: Dataset, store_url: str, replace: bool = False, default_graph: str | None = None,
         timeout: float = TIMEOUT, source: str | None = None) -> int:
    """Push ``ds`` one named graph per policy (split_policies); returns triples sent.

    Every named graph is replaced whole (PUT), so pushing the same file again
    leaves the server as it was. Triples of no policy go to the server's default
    graph, added (POST) unless ``replace``. Nothing to push, or triples but no
    policy to name a graph after, is an InputError (exit 2).
    """
    named, rest = split_policies(ds, default_graph)
    if not named and not len(rest):
        raise InputError("holds no triples: nothing to push", source)
    if not named:
        raise InputError("holds no policy (no dpv:PrivacyNotice with a dct:identifier) to name a graph "
                         "after; give --graph IRI to push it as one named graph", source)
    sent = 0
    for name in sorted(named):
        sent += push_ntriples(named[name].serialize(format="nt", encoding="utf-8").decode("utf-8"), name,
                              store_url, True, timeout)
    if len(rest):
        sent += push_ntriples(rest.serialize(format="nt", encoding="utf-8").decode("utf-8"), None, store_url,
                              replace, timeout)
    return sent


def policy_graphs(endpoint: str, timeout: float = TIMEOUT) -> list[str]:
    """The named graphs on the endpoint that hold a policy (a dpv:PrivacyNotice)."""
    res = query(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?n a <https://w3id.org/dpv#PrivacyNotice> } } "
                          "ORDER BY ?g", timeout)
    return [str(row[0]) for row in res]


def fetch_graph(endpoint: str, graph: str, timeout: float = TIMEOUT) -> Graph:
    """One named graph from the endpoint (a CONSTRUCT, Turtle/N-Triples back)."""
    return _graph(_sparql(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                          "n3", timeout), endpoint)


def _graph(raw: bytes, endpoint: str) -> Graph:
    """The Turtle or N-Triples a server answered a CONSTRUCT or DESCRIBE with."""
    try:
        return Graph().parse(data=raw, format="turtle")
    except Exception as exc:
        raise EndpointError(f"did not answer with RDF ({str(exc)[:200]})", endpoint) from None


def query(endpoint: str, text: str, timeout: float = TIMEOUT, graph: bool = False) -> Result:
    """Run a query remotely (POST) as an rdflib Result; the text is sent as written.

    SELECT/ASK (SPARQL JSON results): the answer is parsed by Oxigraph and converted
    like the store's answers, each distinct term once: rdflib's JSON results parser
    took 10 s for a 90,000-row answer (47 MB), this 2 s. rdflib's parser stays as the
    fallback for answers Oxigraph's stricter parser refuses. ``graph`` (CONSTRUCT,
    DESCRIBE): Turtle or N-Triples back, as a Result holding the graph."""
    import pyoxigraph as ox

    from policykg.store import to_result

    if graph:
        res = Result("CONSTRUCT")
        res.graph = _graph(_sparql(endpoint, text, "n3", timeout), endpoint)
        return res
    raw = _sparql(endpoint, text, "json", timeout)
    try:
        return canonical(to_result(ox.parse_query_results(io.BytesIO(raw), ox.QueryResultsFormat.JSON)))
    except (SyntaxError, ValueError, OSError):
        pass
    try:
        return canonical(Result.parse(io.BytesIO(raw), format="json"))
    except Exception as exc:
        raise EndpointError(f"did not answer with SPARQL JSON results ({exc})", endpoint) from None


def canonical(res: Result) -> Result:
    """Typed literals a server wrote in a non-canonical form, written as every other engine does.

    Virtuoso 7 answers an xsd:boolean as "1"/"0" (valid XSD, but not what rdflib and
    Oxigraph write) and an xsd:duration as its number of months ("P2Y" -> "24") or
    seconds ("P10D" -> "864000.0"); both are the same values, written back as
    "true"/"false" and as an ISO 8601 duration ("P2Y", "P10D")."""
    if res.type != "SELECT" or not res.bindings:
        return res
    fixed = {}
    for row in res.bindings:
        for v in row.values():
            if isinstance(v, Literal) and v.datatype in (XSD.boolean, XSD.duration) and v not in fixed:
                fixed[v] = _canonical_literal(v)
    if any(a is not b for a, b in fixed.items()):
        res.bindings = [{k: fixed.get(v, v) if isinstance(v, Literal) else v for k, v in row.items()}
                        for row in res.bindings]
    return res


def _canonical_literal(v: Literal) -> Literal:
    text = str(v)
    if v.datatype == XSD.boolean and text in ("1", "0"):
        return Literal(text == "1", datatype=XSD.boolean)
    if v.datatype == XSD.duration and re.fullmatch(r"-?\d+", text):
        months = int(text)
        y, m = divmod(abs(months), 12)
        body = (f"{y}Y" if y else "") + (f"{m}M" if m or not y else "")
        return Literal(("-" if months < 0 else "") + "P" + body, datatype=XSD.duration)
    if v.datatype == XSD.duration and re.fullmatch(r"-?\d+\.\d*", text):
        seconds = float(text)
        d, rest = divmod(abs(seconds), 86400)
        h, rest = divmod(rest, 3600)
        mi, sec = divmod(rest, 60)
        time = (f"{int(h)}H" if h else "") + (f"{int(mi)}M" if mi else "") + (f"{sec:g}S" if sec else "")
        body = (f"{int(d)}D" if d or not time else "") + (f"T{time}" if time else "")
        return Literal(("-" if seconds < 0 else "") + "P" + body, datatype=XSD.duration)
    return v


def _sparql(endpoint: str, text: str, return_format: str, timeout: float) -> bytes:
    """POST a query with SPARQLWrapper (credentials from the environment); every
    failure becomes one EndpointError."""
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setReturnFormat(return_format)
    sw.setTimeout(int(timeout))
    sw.setQuery(text)
    user = os.environ.get("POLICYKG_USER")
    if user:
        sw.setCredentials(user, os.environ.get("POLICYKG_PASSWORD", ""))
    try:
        return sw.query().response.read()
    except SPARQLWrapperException as exc:
        raise EndpointError(f"rejected the query ({str(exc).splitlines()[0][:200]})", endpoint) from None
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"answered HTTP {exc.code} {exc.reason}", endpoint) from None
    except (urllib.error.URLError, ConnectionError) as exc:
        raise EndpointError(f"cannot be reached ({getattr(exc, 'reason', exc)}); is the server running?",
                            endpoint) from None
    except TimeoutError:
        raise EndpointError(f"did not answer within {timeout:.0f} s", endpoint) from None
