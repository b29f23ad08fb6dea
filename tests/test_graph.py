"""The graph of the bundled policies follows CONTRACT.md."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF

from policykg.namespaces import DPV, LOC, OA, ORG, PD, PKG
from policykg.reading import read_source
from tests.conftest import POLICIES


def test_one_notice_per_policy(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    ids = {str(o) for n in bundled_graph.subjects(RDF.type, DPV.PrivacyNotice)
           for o in bundled_graph.objects(n, DCTERMS.identifier)}
    assert ids == {p.stem for p in POLICIES.glob("*.txt")}


def test_every_handling_has_evidence_that_quotes_the_text(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    texts = {p.stem: read_source(p).text for p in POLICIES.glob("*.txt")}
    handlings = set(g.subjects(RDF.type, DPV.PersonalDataHandling))
    assert handlings
    for h in handlings:
        anns = list(g.subjects(OA.hasBody, h))
        assert anns, h
    checked = 0
    for a in g.subjects(RDF.type, OA.Annotation):
        target = g.value(a, OA.hasTarget)
        ident = str(g.value(g.value(target, OA.hasSource), DCTERMS.identifier))
        start = end = exact = None
        for sel in g.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
            else:
                exact = str(g.value(sel, OA.exact))
        assert texts[ident][start:end] == exact
        checked += 1
    assert checked >= len(handlings)


def test_every_handling_has_notice_and_controller(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    for h in g.subjects(RDF.type, DPV.PersonalDataHandling):
        assert g.value(h, DPV.hasNotice) is not None
        assert g.value(h, DPV.hasDataController) is not None
    # purposes are DPV concepts the policy states, never a stand-in for an unstated one
    purposes = set(g.objects(None, DPV.hasPurpose))
    assert purposes and all(str(p).startswith("https://w3id.org/dpv#") for p in purposes)


def test_a_passage_without_a_purpose_gets_none() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import Source

    text = ("Privacy policy\n\nWe use your e-mail address to send our newsletter.\n\n"
            "Rights\n\nYou may ask for a copy of your personal data.\n")
    g = extract_source(Source("t", "t.txt", "text", text), "en").graph
    by_text = {}
    for a in g.subjects(RDF.type, OA.Annotation):
        h = g.value(a, OA.hasBody)
        if (h, RDF.type, DPV.PersonalDataHandling) in g:
            for t in g.objects(a, OA.hasTarget):
                for sel in g.objects(t, OA.hasSelector):
                    exact = g.value(sel, OA.exact)
                    if exact is not None:
                        by_text[str(exact)] = set(g.objects(h, DPV.hasPurpose))
    assert by_text["We use your e-mail address to send our newsletter."] == {DPV.DirectMarketing}
    assert by_text["You may ask for a copy of your personal data."] == set()


def test_values_are_iris_not_strings(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    for p in (DPV.hasPurpose, DPV.hasPersonalData, DPV.hasDataSubject, DPV.hasLegalBasis, DPV.hasRight):
        assert not any(isinstance(o, Literal) for o in bundled_graph.objects(None, p))


def test_same_organisation_same_iri_across_policies(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    ga = [o for o in g.subjects(RDF.type, DPV.Organisation) if str(o).endswith("/google-analytics")]
    assert len(ga) == 1
    notices = {g.value(h, DPV.hasNotice) for h in g.subjects(None, ga[0]) if (h, RDF.type, DPV.PersonalDataHandling) in g}
    assert len(notices) >= 2


# --- evidence per fact (issue 17) -------------------------------------------------------

HANDLING_FACTS = (DPV.hasPurpose, DPV.hasPersonalData, DPV.hasDataSubject, DPV.hasLegalBasis, DPV.hasRight,
                  DPV.hasTechnicalOrganisationalMeasure, DPV.hasLocation, DPV.hasRecipient, DPV.hasDataProcessor,
                  DPV.hasRecipientThirdParty, DPV.hasDataSource, DPV.hasStorageCondition, DPV.hasThirdCountry,
                  DPV.hasProcessing)
NOTICE_FACTS = (DCTERMS.publisher, DPV.hasAuthority, DPV.hasDataProtectionOfficer, DPV.hasRight, DCTERMS.modified,
                PKG.contactEmail)


def quotes_of(g, subject, prop, value, on=OA.hasBody):  # type: ignore[no-untyped-def]
    """The (start, end, exact) of every annotation that names this fact."""
    out = []
    for a in g.subjects(on, subject):
        if (a, PKG.aboutProperty, prop) in g and (a, PKG.aboutValue, value) in g:
            for t in g.objects(a, OA.hasTarget):
                sels = list(g.objects(t, OA.hasSelector))
                pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in g)
                quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in g)
                out.append((int(g.value(pos, OA.start)), int(g.value(pos, OA.end)), str(g.value(quote, OA.exact))))
    return out


def test_every_fact_has_an_annotation_of_its_own(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    texts = {p.stem: read_source(p).text for p in POLICIES.glob("*.txt")}
    checked = 0
    for n in g.subjects(RDF.type, DPV.PrivacyNotice):
        text = texts[str(g.value(n, DCTERMS.identifier))]
        facts = [(n, p, v, PKG.aboutNotice) for p in NOTICE_FACTS for v in g.objects(n, p)]
        for h in g.subjects(DPV.hasNotice, n):
            facts += [(h, p, v, OA.hasBody) for p in HANDLING_FACTS for v in g.objects(h, p)]
            # the controller is named once for the policy: its annotation names the notice
            facts += [(n, DPV.hasDataController, c, PKG.aboutNotice) for c in g.objects(h, DPV.hasDataController)]
        for subject, prop, value, on in facts:
            found = quotes_of(g, subject, prop, value, on)
            assert len(found) == 1, (subject, prop, value)  # one quote per fact
            start, end, exact = found[0]
            assert text[start:end] == exact
            checked += 1
    assert checked > 1000  # 1,394 facts on 2026-12-05


def test_a_span_has_one_target_shared_by_its_facts(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    seen: dict[tuple, object] = {}
    for t in set(g.objects(None, OA.hasTarget)):
        pos = next(s for s in g.objects(t, OA.hasSelector) if g.value(s, OA.start) is not None)
        key = (g.value(t, OA.hasSource), int(g.value(pos, OA.start)), int(g.value(pos, OA.end)))
        assert key not in seen, key
        seen[key] = t
    # and an annotation names one property
    for a in g.subjects(RDF.type, OA.Annotation):
        assert len(list(g.objects(a, PKG.aboutProperty))) <= 1


def _retention_rows(text: str, name: str = "t") -> list[dict[str, str]]:
    from policykg.pipeline import extract_source
    from policykg.queries import find_query, prepare
    from policykg.reading import Source

    suffix = ".md" if text.lstrip().startswith("#") else ".txt"
    g = extract_source(Source(name, name + suffix, "markdown" if suffix == ".md" else "text", text), "en").graph
    res = g.query(prepare(find_query("retention-periods").bind({})))
    names = [str(v) for v in res.vars]
    return [{n: ("" if row[i] is None else str(row[i])) for i, n in enumerate(names)} for row in res]


THREE = ("Privacy policy of Acme AB\n\nHow long we keep your data\n\n"
         "Your account data, such as your name and e-mail address, are kept for 24 months after your last "
         "login. Accounting records such as invoices and payment details are kept for 7 years under "
         "bookkeeping law. Your phone number for marketing is kept until you withdraw your consent.\n")


def test_each_retention_statement_keeps_its_period_data_and_quote() -> None:
    rows = {(r["duration"] or r["criterion"].rsplit("#", 1)[-1]): r for r in _retention_rows(THREE)}
    assert set(rows) == {"P24M", "P7Y", "RetentionUntilWithdrawal"}
    assert rows["P24M"]["quote"].startswith("Your account data") and "24 months" in rows["P24M"]["quote"]
    # its own data ('after your last login' may add the login history), and none of the others'
    account = set(rows["P24M"]["personalData"].split())
    assert {str(PD.Name), str(PD.EmailAddress)} <= account
    assert not account & {str(PD.Financial), str(PD.TelephoneNumber)}
    assert rows["P7Y"]["quote"].startswith("Accounting records") and rows["P7Y"]["personalData"] == str(PD.Financial)
    assert rows["RetentionUntilWithdrawal"]["quote"].startswith("Your phone number")
    assert rows["RetentionUntilWithdrawal"]["personalData"] == str(PD.TelephoneNumber)
    for r in rows.values():
        assert THREE[int(r["start"]):int(r["end"])] == r["quote"]


def test_the_issues_own_wording_gives_three_rows_each_with_its_sentence() -> None:
    text = ("Privacy policy of Acme AB\n\nHow long we keep your data\n\nAccount data are kept for 24 months. "
            "Accounting records are kept for 7 years. Marketing data are kept until you withdraw your consent.\n")
    rows = _retention_rows(text)
    assert sorted(r["quote"] for r in rows) == ["Account data are kept for 24 months.",
                                                 "Accounting records are kept for 7 years.",
                                                 "Marketing data are kept until you withdraw your consent."]


def test_a_table_row_is_one_statement_quoted_whole() -> None:
    text = ("# Privacy policy of Acme AB\n\n## Retention\n\n| Data | Retention |\n|---|---|\n"
            "| Support tickets | 12 months |\n| Invoices | 7 years |\n")
    rows = {r["duration"]: r for r in _retention_rows(text)}
    assert rows["P12M"]["quote"] == "| Support tickets | 12 months |"
    assert rows["P12M"]["personalData"] == str(PD.Communication)
    assert rows["P7Y"]["quote"] == "| Invoices | 7 years |"


def test_sentences_that_do_not_restate_a_qualifier_stay_one_handling() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import Source

    text = ("Newsletter\n\nWe use your e-mail address to send you our newsletter. The legal basis is your consent. "
            "We keep it for 24 months.\n")
    g = extract_source(Source("t", "t.txt", "text", text), "en").graph
    # the heading states a purpose of its own too; the paragraph is one handling
    hs = [h for h in g.subjects(RDF.type, DPV.PersonalDataHandling) if (h, DPV.hasPersonalData, None) in g]
    assert len(hs) == 1
    h = hs[0]
    assert (h, DPV.hasPurpose, DPV.DirectMarketing) in g and (h, DPV.hasLegalBasis, DPV.Consent) in g
    assert (h, DPV.hasStorageCondition, None) in g
    # ... and each of its facts quotes its own sentence
    assert quotes_of(g, h, DPV.hasLegalBasis, DPV.Consent)[0][2] == "The legal basis is your consent."


def test_split_passage_starts_a_statement_where_a_qualifier_is_restated() -> None:
    from policykg.extractors.base import Finding
    from policykg.graph import split_passage
    from policykg.segmenting import Span

    s1, s2, s3 = Span(0, 10), Span(11, 20), Span(21, 30)
    data = Finding("personal_data", "pd:Name", 0, 4, s1, 0)
    p24 = Finding("retention", "P24M", 5, 9, s1, 0)
    basis = Finding("legal_bases", "dpv:Consent", 12, 19, s2, 0)  # a new qualifier: same statement
    p7 = Finding("retention", "P7Y", 22, 29, s3, 0)  # another period: a statement of its own
    assert split_passage([data, p24, basis, p7], table_row=False) == [[data, p24, basis], [p7]]
    again = Finding("retention", "P24M", 22, 29, s3, 0)  # the same period again: no new statement
    assert split_passage([data, p24, again], table_row=False) == [[data, p24, again]]
    phone = Finding("personal_data", "pd:TelephoneNumber", 21, 26, s3, 0)  # ... but for other data: new
    assert split_passage([data, p24, phone, again], table_row=False) == [[data, p24], [phone, again]]
    assert split_passage([data, p24, basis, p7], table_row=True) == [[data, p24, basis, p7]]


def test_purposes_with_their_bases_and_recipients_with_their_places_keep_apart() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import Source

    text = ("Privacy policy of Acme AB\n\nHow we use your data\n\nWe process your name to deliver your orders, "
            "as this is necessary for our contract with you. We send you newsletters by e-mail on the basis of "
            "your consent. Our servers are run by Microsoft Azure in Sweden. Backups are stored by Amazon Web "
            "Services in Ireland.\n")
    g = extract_source(Source("t", "t.txt", "text", text), "en").graph

    def handling(prop, value):  # type: ignore[no-untyped-def]
        (h,) = set(g.subjects(prop, value))
        return h
    assert (handling(DPV.hasPurpose, DPV.DeliveryOfGoods), DPV.hasLegalBasis, DPV.Contract) in g
    assert (handling(DPV.hasPurpose, DPV.DirectMarketing), DPV.hasLegalBasis, DPV.Consent) in g
    assert (handling(DPV.hasPurpose, DPV.DirectMarketing), DPV.hasLegalBasis, DPV.Contract) not in g
    azure, aws = ORG["microsoft-azure"], ORG["amazon-web-services"]
    assert (handling(DPV.hasDataProcessor, azure), DPV.hasLocation, LOC.SE) in g
    assert (handling(DPV.hasDataProcessor, aws), DPV.hasLocation, LOC.IE) in g
    assert (handling(DPV.hasDataProcessor, aws), DPV.hasLocation, LOC.SE) not in g
