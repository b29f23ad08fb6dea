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
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Dataset, Graph
from rdflib.query import Result

from policykg.errors import EndpointError

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


def push(ds: Dataset, store_url: str, replace: bool = False, default_graph: str | None = None,
         timeout: float = TIMEOUT) -> int:
    """Send every graph of ``ds`` to a Graph Store Protocol endpoint; returns triples sent.

    Named graphs keep their names (one per policy); the default graph goes to
    ``default_graph`` if given, else to the server's default graph. ``replace``
    uses PUT (the graph is replaced), otherwise POST (triples are added).
    """
    sent = 0
    for g in ds.graphs():
        if not len(g):
            continue
        is_default = g.identifier == ds.default_graph.identifier
        target = default_graph if is_default else str(g.identifier)
        query = "default" if target is None else "graph=" + urllib.parse.quote(target, safe="")
        url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
        data = Graph()
        for t in g:
            data.add(t)
        body = data.serialize(format="nt", encoding="utf-8")
        _request(url, body, "PUT" if replace else "POST", {"Content-Type": "application/n-triples"}, timeout)
        sent += len(g)
    return sent


def push_ntriples(nt: str, graph: str, store_url: str, replace: bool = False, timeout: float = TIMEOUT) -> int:
    """Send one named graph given as N-Triples text; returns the triples sent."""
    url = f"{store_url}{'&' if '?' in store_url else '?'}graph=" + urllib.parse.quote(graph, safe="")
    _request(url, nt.encode("utf-8"), "PUT" if replace else "POST", {"Content-Type": "application/n-triples"},
             timeout)
    return nt.count("\n")


def policy_graphs(endpoint: str, timeout: float = TIMEOUT) -> list[str]:
    """The named graphs on the endpoint that hold a policy (a dpv:PrivacyNotice)."""
    res = query(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?n a <https://w3id.org/dpv#PrivacyNotice> } } "
                          "ORDER BY ?g", timeout)
    return [str(row[0]) for row in res]


def fetch_graph(endpoint: str, graph: str, timeout: float = TIMEOUT) -> Graph:
    """One named graph from the endpoint (a CONSTRUCT, Turtle/N-Triples back)."""
    raw = _sparql(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "n3", timeout)
    try:
        return Graph().parse(data=raw, format="turtle")
    except Exception as exc:
        raise EndpointError(f"did not answer with RDF ({str(exc)[:200]})", endpoint) from None


def query(endpoint: str, text: str, timeout: float = TIMEOUT) -> Result:
    """Run a SELECT/ASK query remotely (POST, SPARQL JSON results) as an rdflib Result.

    The answer is parsed by Oxigraph and converted like the store's answers, each
    distinct term once: rdflib's JSON results parser took 10 s for a 90,000-row
    answer (47 MB), this 2 s. rdflib's parser stays as the fallback for answers
    Oxigraph's stricter parser refuses."""
    import pyoxigraph as ox

    from policykg.store import to_result

    raw = _sparql(endpoint, text, "json", timeout)
    try:
        return to_result(ox.parse_query_results(io.BytesIO(raw), ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError, OSError):
        pass
    try:
        return Result.parse(io.BytesIO(raw), format="json")
    except Exception as exc:
        raise EndpointError(f"did not answer with SPARQL JSON results ({exc})", endpoint) from None


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
