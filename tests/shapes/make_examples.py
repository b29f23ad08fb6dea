"""Regenerate tests/shapes/{valid,invalid}/<ShapeLocalName>-NNN.ttl from base.ttl.

Each invalid example is the base graph with one SPARQL Update that breaks the
rule of the named shape; each valid example is the base graph with an edit
that stays within the rule. Run: python tests/shapes/make_examples.py
"""

from pathlib import Path

from rdflib import Graph

HERE = Path(__file__).parent
PRE = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX org: <https://w3id.org/policykg/org/>
PREFIX ex: <https://w3id.org/policykg/id/> PREFIX loc: <https://w3id.org/dpv/loc#>
PREFIX pkg: <https://w3id.org/policykg#>
"""
INVALID = {
    "NoticeIdentifierShape": 'DELETE WHERE { ex:notice-acme dct:identifier ?x }',
    "NoticeLanguageShape": 'DELETE { ex:notice-acme dct:language "en" } INSERT { ex:notice-acme dct:language "English" } WHERE {}',
    "NoticeModifiedShape": 'DELETE WHERE { ex:notice-acme dct:modified ?x } ; INSERT DATA { ex:notice-acme dct:modified "last spring" }',
    "NoticePublisherShape": 'INSERT DATA { ex:notice-acme dct:publisher "Acme" }',
    "OrganisationShape": 'INSERT DATA { [] a dpv:Organisation ; rdfs:label "Nameless partner" }',
    "OrganisationLabelShape": 'DELETE WHERE { org:mailchimp rdfs:label ?x }',
    "HandlingNoticeShape": 'DELETE WHERE { ex:h1 dpv:hasNotice ?x }',
    "HandlingControllerShape": 'DELETE WHERE { ex:h1 dpv:hasDataController ?x }',
    "HandlingPurposeCountShape": 'DELETE WHERE { ex:h1 dpv:hasPurpose ?x }',
    "HandlingPurposeValueShape": 'INSERT DATA { ex:h1 dpv:hasPurpose "newsletters" }',
    "HandlingPersonalDataValueShape": 'INSERT DATA { ex:h1 dpv:hasPersonalData "e-mail address" }',
    "HandlingDataSubjectValueShape": 'INSERT DATA { ex:h1 dpv:hasDataSubject "customers" }',
    "HandlingLegalBasisValueShape": 'INSERT DATA { ex:h1 dpv:hasLegalBasis "consent" }',
    "HandlingRightValueShape": 'INSERT DATA { ex:h1 dpv:hasRight "right to object" }',
    "HandlingMeasureValueShape": 'INSERT DATA { ex:h1 dpv:hasTechnicalOrganisationalMeasure <http://example.org/Encryption> }',
    "HandlingLocationValueShape": 'INSERT DATA { ex:h1 dpv:hasLocation "Sweden" }',
    "HandlingThirdCountryValueShape": 'INSERT DATA { ex:h2 dpv:hasThirdCountry "USA" }',
    "HandlingProcessingValueShape": 'INSERT DATA { ex:h2 dpv:hasProcessing "transfer" }',
    "DurationValueShape": 'DELETE { ?d rdf:value ?v } INSERT { ?d rdf:value "6 months"^^xsd:duration } WHERE { ?d a dpv:Duration ; rdf:value ?v }',
    "HandlingAnnotationShape": 'DELETE WHERE { ex:a2 ?p ?o }',
    "AnnotationTargetShape": 'DELETE { ?sel oa:exact ?q } WHERE { ex:a1 oa:hasTarget/oa:hasSelector ?sel . ?sel oa:exact ?q }',
}
VALID = {
    "NoticeIdentifierShape": 'DELETE WHERE { ex:notice-acme dct:identifier ?x } ; INSERT DATA { ex:notice-acme dct:identifier "acme-2024" }',
    "NoticeLanguageShape": 'DELETE { ex:notice-acme dct:language "en" } INSERT { ex:notice-acme dct:language "sv" } WHERE {}',
    "NoticeModifiedShape": 'DELETE WHERE { ex:notice-acme dct:modified ?x }',
    "NoticePublisherShape": 'DELETE WHERE { ex:notice-acme dct:publisher ?x }',
    "OrganisationShape": 'INSERT DATA { org:isstech a dpv:Organisation ; rdfs:label "IssTech AB" }',
    "OrganisationLabelShape": 'INSERT DATA { org:mailchimp rdfs:label "Intuit Mailchimp" }',
    "HandlingNoticeShape": 'INSERT DATA { ex:notice-b a dpv:PrivacyNotice ; dct:identifier "b" ; dct:language "en" . ex:h1 dpv:hasNotice ex:notice-b }',
    "HandlingControllerShape": 'INSERT DATA { ex:h1 dpv:hasDataController org:mailchimp }',
    "HandlingPurposeCountShape": 'DELETE WHERE { ex:h1 dpv:hasPurpose ?x } ; INSERT DATA { ex:h1 dpv:hasPurpose pkg:UnstatedPurpose }',
    "HandlingPurposeValueShape": 'INSERT DATA { ex:h1 dpv:hasPurpose dpv:Marketing }',
    "HandlingPersonalDataValueShape": 'INSERT DATA { ex:h1 dpv:hasPersonalData pd:Name }',
    "HandlingDataSubjectValueShape": 'INSERT DATA { ex:h1 dpv:hasDataSubject dpv:Visitor }',
    "HandlingLegalBasisValueShape": 'INSERT DATA { ex:h1 dpv:hasLegalBasis dpv:LegitimateInterest }',
    "HandlingRightValueShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A15> }',
    "HandlingMeasureValueShape": 'INSERT DATA { ex:h1 dpv:hasTechnicalOrganisationalMeasure dpv:AccessControlMethod }',
    "HandlingLocationValueShape": 'INSERT DATA { ex:h1 dpv:hasLocation loc:SE }',
    "HandlingThirdCountryValueShape": 'INSERT DATA { ex:h2 dpv:hasThirdCountry loc:GB }',
    "HandlingProcessingValueShape": 'INSERT DATA { ex:h2 dpv:hasProcessing dpv:Store }',
    "DurationValueShape": 'DELETE { ?d rdf:value ?v } INSERT { ?d rdf:value "PT12H"^^xsd:duration } WHERE { ?d a dpv:Duration ; rdf:value ?v }',
    "HandlingAnnotationShape": 'INSERT DATA { ex:a3 a oa:Annotation ; oa:hasBody ex:h2 ; oa:hasTarget [ oa:hasSource ex:notice-acme ; oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 ] , [ a oa:TextQuoteSelector ; oa:exact "Data" ] ] }',
    "AnnotationTargetShape": 'DELETE WHERE { ex:a1 ?p ?o }  ; INSERT DATA { ex:a1 a oa:Annotation ; oa:hasBody ex:h1 ; oa:hasTarget [ oa:hasSource ex:notice-acme ; oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 2 ] , [ a oa:TextQuoteSelector ; oa:exact "We" ] ] }',
}


def main() -> None:
    for folder, edits in (("invalid", INVALID), ("valid", VALID)):
        for shape, update in edits.items():
            g = Graph()
            g.parse(HERE / "base.ttl", format="turtle")
            g.update(PRE + update)
            header = f"# {folder} example for pks:{shape} (generated by make_examples.py)\n"
            body = g.serialize(format="turtle")
            (HERE / folder / f"{shape}-001.ttl").write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    main()
