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
PREFIX pkg: <https://w3id.org/policykg#> PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#>
"""


def quoted(subject: str, prop: str, value: str, n: int) -> str:
    """INSERT DATA body: a fact and the annotation that quotes it (a valid fact has both)."""
    about = "pkg:aboutNotice ex:notice-acme" if subject == "ex:notice-acme" else f"oa:hasBody {subject}"
    return (f"{subject} {prop} {value} . ex:q{n} a oa:Annotation ; {about} ; pkg:aboutProperty {prop} ; "
            f"pkg:aboutValue {value} ; oa:hasTarget [ oa:hasSource ex:notice-acme ; oa:hasSelector "
            f"[ a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 ] , [ a oa:TextQuoteSelector ; oa:exact \"Acme\" ] ] .")
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
    "HandlingAnnotationShape": 'INSERT DATA { ex:h3 a dpv:PersonalDataHandling ; dpv:hasNotice ex:notice-acme ; dpv:hasDataController org:acme }',
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
    # evidence per fact: a fact that no annotation names, or an annotation that names none
    "HandlingPurposeEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasPurpose dpv:Marketing }',
    "HandlingPersonalDataEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasPersonalData pd:Name }',
    "HandlingDataSubjectEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasDataSubject dpv:Visitor }',
    "HandlingLegalBasisEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasLegalBasis dpv:Contract }',
    "HandlingRightEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasRight eu-gdpr:A15 }',
    "HandlingMeasureEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasTechnicalOrganisationalMeasure dpv:AccessControlMethod }',
    "HandlingLocationEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasLocation loc:SE }',
    "HandlingRecipientEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasRecipient dpv:ServiceProvider }',
    "HandlingDataProcessorEvidenceShape": 'INSERT DATA { org:fortnox a dpv:Organisation ; rdfs:label "Fortnox" . ex:h1 dpv:hasDataProcessor org:fortnox }',
    "HandlingRecipientThirdPartyEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasRecipientThirdParty org:mailchimp }',
    "HandlingDataSourceEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasDataSource dpv:ThirdPartyDataSource }',
    "HandlingStorageConditionEvidenceShape": 'INSERT DATA { ex:h2 dpv:hasStorageCondition [ a pkg:RetentionAsLongAsNecessary ] }',
    "HandlingThirdCountryEvidenceShape": 'INSERT DATA { ex:h2 dpv:hasThirdCountry loc:GB }',
    "HandlingProcessingEvidenceShape": 'INSERT DATA { ex:h2 dpv:hasProcessing dpv:Store }',
    "HandlingDataControllerEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasDataController org:mailchimp }',
    "NoticePublisherEvidenceShape": 'DELETE WHERE { ex:a1 ?p ?o }',
    "NoticeAuthorityEvidenceShape": 'DELETE WHERE { ex:a23 ?p ?o }',
    "NoticeDataProtectionOfficerEvidenceShape": 'DELETE WHERE { ex:a5 ?p ?o }',
    "NoticeRightEvidenceShape": 'DELETE WHERE { ex:a22 ?p ?o }',
    "NoticeModifiedEvidenceShape": 'DELETE WHERE { ex:a3 ?p ?o }',
    "NoticeContactEmailEvidenceShape": 'DELETE WHERE { ex:a4 ?p ?o }',
    "AnnotationFactShape": 'INSERT DATA { ex:a6 pkg:aboutProperty dpv:hasPersonalData }',
}
VALID = {
    "NoticeIdentifierShape": 'DELETE WHERE { ex:notice-acme dct:identifier ?x } ; INSERT DATA { ex:notice-acme dct:identifier "acme-2024" }',
    "NoticeLanguageShape": 'DELETE { ex:notice-acme dct:language "en" } INSERT { ex:notice-acme dct:language "sv" } WHERE {}',
    "NoticeModifiedShape": 'DELETE WHERE { ex:notice-acme dct:modified ?x }',
    "NoticePublisherShape": 'DELETE WHERE { ex:notice-acme dct:publisher ?x }',
    "OrganisationShape": 'INSERT DATA { org:isstech a dpv:Organisation ; rdfs:label "IssTech AB" }',
    "OrganisationLabelShape": 'INSERT DATA { org:mailchimp rdfs:label "Intuit Mailchimp" }',
    "HandlingNoticeShape": 'INSERT DATA { ex:notice-b a dpv:PrivacyNotice ; dct:identifier "b" ; dct:language "en" . ex:h1 dpv:hasNotice ex:notice-b }',
    "HandlingControllerShape": f'INSERT DATA {{ {quoted("ex:notice-acme", "dpv:hasDataController", "org:mailchimp", 1)} ex:h1 dpv:hasDataController org:mailchimp }}',
    "HandlingPurposeValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasPurpose", "dpv:Marketing", 1)} }}',
    "HandlingPersonalDataValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasPersonalData", "pd:Name", 1)} }}',
    "HandlingDataSubjectValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasDataSubject", "dpv:Visitor", 1)} }}',
    "HandlingLegalBasisValueShape": 'INSERT DATA { ex:h1 dpv:hasLegalBasis dpv:LegitimateInterest }',
    "HandlingRightValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A15", 1)} }}',
    "HandlingMeasureValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasTechnicalOrganisationalMeasure", "dpv:AccessControlMethod", 1)} }}',
    "HandlingLocationValueShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasLocation", "loc:SE", 1)} }}',
    "HandlingThirdCountryValueShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasThirdCountry", "loc:GB", 1)} }}',
    "HandlingProcessingValueShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasProcessing", "dpv:Store", 1)} }}',
    "DurationValueShape": 'DELETE { ?d rdf:value ?v } INSERT { ?d rdf:value "PT12H"^^xsd:duration } WHERE { ?d a dpv:Duration ; rdf:value ?v }',
    "HandlingAnnotationShape": 'INSERT DATA { ex:a99 a oa:Annotation ; oa:hasBody ex:h2 ; oa:hasTarget [ oa:hasSource ex:notice-acme ; oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 ] , [ a oa:TextQuoteSelector ; oa:exact "Data" ] ] }',
    "ControllerIdentityShape": 'INSERT DATA { org:acme rdfs:label "Acme" }',
    "ControllerContactShape": f'INSERT DATA {{ {quoted("ex:notice-acme", "pkg:contactEmail", chr(34) + "dpo@acme.example" + chr(34), 1)} }}',
    "DataProtectionOfficerShape": 'INSERT DATA { ex:dpo-acme pkg:contactEmail "dpo@acme.example" }',
    "PurposeShape": 'DELETE WHERE { ex:h2 dpv:hasPurpose ?p }',
    "LegalBasisShape": 'DELETE DATA { ex:h1 dpv:hasLegalBasis dpv:Consent }',
    "LegitimateInterestShape": 'DELETE DATA { ex:h1 dpv:hasLegalBasis dpv:LegitimateInterest }',
    "RecipientsShape": f'DELETE WHERE {{ ex:h1 dpv:hasDataProcessor ?x }} ; INSERT DATA {{ {quoted("ex:h1", "dpv:hasRecipient", "dpv:ServiceProvider", 1)} }}',
    "TransferSafeguardShape": 'DELETE WHERE { ex:h2 dpv:hasLegalBasis ?x } ; DELETE DATA { ex:h2 dpv:hasProcessing dpv:Transfer }',
    "RetentionShape": f'INSERT DATA {{ _:c2 a pkg:RetentionAsLongAsNecessary . {quoted("ex:h2", "dpv:hasStorageCondition", "_:c2", 1)} }}',
    "RightOfAccessShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A15", 1)} }}',
    "RightToRectificationShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A16", 1)} }}',
    "RightToErasureShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A17", 1)} }}',
    "RightToRestrictionShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A18", 1)} }}',
    "RightToObjectShape": 'DELETE DATA { ex:h1 dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A21> }',
    "RightToPortabilityShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A20", 1)} }}',
    "WithdrawConsentShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A7-3> . ex:h1 dpv:hasLegalBasis dpv:Consent }',
    "ComplaintShape": 'DELETE DATA { ex:notice-acme dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A77> }',
    "AutomatedDecisionShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRight", "eu-gdpr:A22", 1)} }}',
    "DataSourceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasDataSource", "dpv:ThirdPartyDataSource", 1)} }}',
    "AnnotationTargetShape": 'DELETE WHERE { ex:a6 oa:hasTarget ?t } ; INSERT DATA { ex:a6 oa:hasTarget [ oa:hasSource ex:notice-acme ; oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 2 ] , [ a oa:TextQuoteSelector ; oa:exact "We" ] ] }',
    # evidence per fact: each new fact with its annotation (or taken from one it shares)
    "HandlingPurposeEvidenceShape": 'INSERT DATA { ex:h2 dpv:hasPurpose dpv:DirectMarketing . ex:a6 oa:hasBody ex:h2 }',
    "HandlingPersonalDataEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasPersonalData", "pd:Name", 1)} }}',
    "HandlingDataSubjectEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasDataSubject", "dpv:Visitor", 1)} }}',
    "HandlingLegalBasisEvidenceShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasLegalBasis", "dpv:Contract", 1)} }}',
    "HandlingRightEvidenceShape": 'INSERT DATA { ex:h1 dpv:hasRight eu-gdpr:A15 . ex:a21 oa:hasBody ex:h1 }',
    "HandlingMeasureEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasTechnicalOrganisationalMeasure", "dpv:Encryption", 1)} }}',
    "HandlingLocationEvidenceShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasLocation", "loc:SE", 1)} }}',
    "HandlingRecipientEvidenceShape": f'INSERT DATA {{ {quoted("ex:h1", "dpv:hasRecipient", "dpv:ServiceProvider", 1)} }}',
    "HandlingDataProcessorEvidenceShape": f'INSERT DATA {{ org:fortnox a dpv:Organisation ; rdfs:label "Fortnox" . {quoted("ex:h2", "dpv:hasDataProcessor", "org:fortnox", 1)} }}',
    "HandlingRecipientThirdPartyEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasRecipientThirdParty", "org:mailchimp", 1)} }}',
    "HandlingDataSourceEvidenceShape": 'DELETE WHERE { ex:h1 dpv:hasDataSource ?s }',
    "HandlingStorageConditionEvidenceShape": f'INSERT DATA {{ _:c2 a pkg:RetentionAsLongAsNecessary . {quoted("ex:h2", "dpv:hasStorageCondition", "_:c2", 1)} }}',
    "HandlingThirdCountryEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasThirdCountry", "loc:GB", 1)} }}',
    "HandlingProcessingEvidenceShape": f'INSERT DATA {{ {quoted("ex:h2", "dpv:hasProcessing", "dpv:Store", 1)} }}',
    "HandlingDataControllerEvidenceShape": f'INSERT DATA {{ {quoted("ex:notice-acme", "dpv:hasDataController", "org:mailchimp", 1)} ex:h1 dpv:hasDataController org:mailchimp }}',
    "NoticePublisherEvidenceShape": 'DELETE WHERE { ex:notice-acme dct:publisher ?x }',
    "NoticeAuthorityEvidenceShape": f'INSERT DATA {{ org:datainspektionen a dpv:Organisation, dpv:DataProtectionAuthority ; rdfs:label "Datainspektionen" . {quoted("ex:notice-acme", "dpv:hasAuthority", "org:datainspektionen", 1)} }}',
    "NoticeDataProtectionOfficerEvidenceShape": 'DELETE WHERE { ex:notice-acme dpv:hasDataProtectionOfficer ?x }',
    "NoticeRightEvidenceShape": 'DELETE WHERE { ex:a22 ?p ?o } ; DELETE DATA { ex:notice-acme dpv:hasRight eu-gdpr:A7-3, eu-gdpr:A77 }',
    "NoticeModifiedEvidenceShape": f'DELETE WHERE {{ ex:a3 ?p ?o }} ; DELETE WHERE {{ ex:notice-acme dct:modified ?d }} ; INSERT DATA {{ {quoted("ex:notice-acme", "dct:modified", chr(34) + "2024-03-01" + chr(34) + "^^xsd:date", 1)} }}',
    "NoticeContactEmailEvidenceShape": f'INSERT DATA {{ {quoted("ex:notice-acme", "pkg:contactEmail", chr(34) + "dpo@acme.example" + chr(34), 1)} }}',
    "AnnotationFactShape": 'INSERT { ex:a98 a oa:Annotation ; oa:hasBody ex:h1 ; oa:hasTarget ?t } WHERE { ex:a6 oa:hasTarget ?t }',
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
