"""Property test (Hypothesis): every generated parameter value comes back unchanged,
through the store (a VALUES block), rdflib (term bindings) and the text sent to an
endpoint (a VALUES block read back by Oxigraph's SPARQL parser). Issue 22."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policykg.queries import CannedQuery, Param, evaluate  # noqa: E402

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
LANG = st.from_regex(r"[a-z]{2,3}(-[A-Z]{2})?|[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}", fullmatch=True)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _query(kind: str, projected: bool) -> CannedQuery:
    text = "SELECT ?v WHERE { }" if projected else "SELECT ?out WHERE { BIND(?v AS ?out) }"
    return CannedQuery("echo", "Echo", "echo", text, Path("echo.rq"), [Param("v", kind, required=True)])


def _all_ways(q: CannedQuery, raw: str) -> list[ox.Literal | ox.NamedNode]:
    got = [row[0] for row in evaluate(ox.Store(), q, {"v": raw})]
    sent = [row[0] for row in ox.Store().query(q.bind({"v": raw}))]
    return [*(ox.Literal(str(t), language=t.language) if getattr(t, "language", None)
              else ox.Literal(str(t)) for t in got), *sent]


@SETTINGS
@given(raw=TEXT, projected=st.booleans())
def test_every_string_comes_back_unchanged(raw: str, projected: bool) -> None:
    got = _all_ways(_query("string", projected), raw)
    assert [t.value for t in got] == [raw, raw]


@SETTINGS
@given(text=TEXT, lang=LANG, projected=st.booleans())
def test_every_language_tagged_text_comes_back_unchanged(text: str, lang: str, projected: bool) -> None:
    from policykg.errors import QueryError

    try:
        got = _all_ways(_query("lang-string", projected), f"{text}@{lang}")
    except QueryError as exc:  # not a BCP 47 tag (e.g. one letter): refused, never altered
        assert "must be" in exc.format_message()
        with pytest.raises(ValueError):
            ox.Literal(text, language=lang)
        return
    assert [(t.value, t.language) for t in got] == [(text, lang.lower())] * 2


@SETTINGS
@given(n=st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_every_integer_comes_back_unchanged(n: int) -> None:
    q = _query("integer", True)
    rows = [int(str(row[0])) for row in evaluate(ox.Store(), q, {"v": str(n)})]
    sent = [int(row[0].value) for row in ox.Store().query(q.bind({"v": str(n)}))]
    assert rows == sent == [n]


@SETTINGS
@given(path=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FFF,
                                  blacklist_characters='<>"{}|^`\\'), max_size=30))
def test_every_iri_comes_back_unchanged_or_is_refused(path: str) -> None:
    from policykg.errors import QueryError

    raw = "https://example.org/" + path
    q = _query("iri", True)
    try:
        got = [str(row[0]) for row in evaluate(ox.Store(), q, {"v": raw})]
    except QueryError:
        return  # not an IRI by RFC 3987: refused, never altered
    sent = [row[0].value for row in ox.Store().query(q.bind({"v": raw}))]
    assert got == sent == [raw]
