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
    "ControllerIdentityShape": 'DELETE WHERE { ex:notice-acme dct:publisher ?x }',
    "ControllerContactShape": 'DELETE WHERE { ex:notice-acme pkg:contactEmail ?x }',
    "DataProtectionOfficerShape": 'DELETE WHERE { ex:notice-acme dpv:hasDataProtectionOfficer ?x }',
    "PurposeShape": 'DELETE WHERE { ?h dpv:hasPurpose ?p }',
    "LegalBasisShape": 'DELETE { ?h dpv:hasLegalBasis ?b } WHERE { ?h dpv:hasLegalBasis ?b FILTER (?b IN (dpv:Consent, dpv:LegitimateInterest)) }',
    "LegitimateInterestShape": 'DELETE WHERE { ex:h1 dpv:hasPurpose ?p }',
    "RecipientsShape": 'DELETE WHERE { ex:h1 dpv:hasDataProcessor ?x }',
    "TransferSafeguardShape": 'DELETE WHERE { ex:h2 dpv:hasLegalBasis ?x }',
    "RetentionShape": 'DELETE WHERE { ex:h1 dpv:hasStorageCondition ?c . ?c ?p ?o . ?o ?p2 ?o2 }',
    "RightOfAccessShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A15> }',
    "RightToRectificationShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A16> }',
    "RightToErasureShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A17> }',
    "RightToRestrictionShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A18> }',
    "RightToObjectShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A21> }',
    "RightToPortabilityShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A20> }',
    "WithdrawConsentShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A7-3> }',
    "ComplaintShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A77> } ; DELETE WHERE { ex:notice-acme dpv:hasAuthority ?a }',
    "AutomatedDecisionShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A22> }',
    "DataSourceShape": 'DELETE WHERE { ?h dpv:hasDataSource ?s }',
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
    "ControllerIdentityShape": 'INSERT DATA { org:acme rdfs:label "Acme" }',
    "ControllerContactShape": 'INSERT DATA { ex:notice-acme pkg:contactEmail "dpo@acme.example" }',
    "DataProtectionOfficerShape": 'INSERT DATA { ex:dpo-acme pkg:contactEmail "dpo@acme.example" }',
    "PurposeShape": 'DELETE WHERE { ex:h2 dpv:hasPurpose ?p }',
    "LegalBasisShape": 'DELETE DATA { ex:h1 dpv:hasLegalBasis dpv:Consent }',
    "LegitimateInterestShape": 'DELETE DATA { ex:h1 dpv:hasLegalBasis dpv:LegitimateInterest }',
    "RecipientsShape": 'DELETE WHERE { ex:h1 dpv:hasDataProcessor ?x } ; INSERT DATA { ex:h1 dpv:hasRecipient dpv:ServiceProvider }',
    "TransferSafeguardShape": 'DELETE WHERE { ex:h2 dpv:hasLegalBasis ?x } ; DELETE DATA { ex:h2 dpv:hasProcessing dpv:Transfer }',
    "RetentionShape": 'INSERT DATA { ex:h2 dpv:hasStorageCondition [ a pkg:RetentionAsLongAsNecessary ] }',
    "RightOfAccessShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A15> }',
    "RightToRectificationShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A16> }',
    "RightToErasureShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A17> }',
    "RightToRestrictionShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A18> }',
    "RightToObjectShape": 'DELETE DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A21> }',
    "RightToPortabilityShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A20> }',
    "WithdrawConsentShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A7-3> . ex:h1 dpv:hasLegalBasis dpv:Consent }',
    "ComplaintShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A77> }',
    "AutomatedDecisionShape": 'INSERT DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A22> }',
    "DataSourceShape": 'INSERT DATA { ex:h2 dpv:hasDataSource dpv:ThirdPartyDataSource }',
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
