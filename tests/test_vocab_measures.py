"""The leaves of DPV's technical and organisational measures (issue 16, breadth), in seven languages.

Sentences of our own making. A policy that names a specific measure ("penetration tests", "DPIA",
"locked cabinets") gets that DPV 2.2 leaf, not its broader concept (most specific concept wins),
while the broader concepts keep their own phrases; everyday words stay no measure.
"""

from __future__ import annotations

import pytest

from policykg.pipeline import extract_source
from policykg.reading import Source

D = "https://w3id.org/dpv#"
MEASURE_PROPS = {"hasTechnicalOrganisationalMeasure", "hasTechnicalMeasure", "hasOrganisationalMeasure",
                 "hasPhysicalMeasure", "hasLegalMeasure"}
INTRO = {"en": "Acme Widgets AB is the controller of your personal data. ",
         "sv": "Acme Widgets AB är personuppgiftsansvarig för dina personuppgifter. ",
         "da": "Acme Widgets ApS er dataansvarlig for dine personoplysninger. ",
         "de": "Die Acme Widgets GmbH ist Verantwortlicher für Ihre personenbezogenen Daten. ",
         "fi": "Acme Widgets Oy on henkilötietojesi rekisterinpitäjä. ",
         "nb": "Acme Widgets AS er behandlingsansvarlig for personopplysningene dine. ",
         "nn": "Acme Widgets AS er behandlingsansvarleg for personopplysningane dine. "}


def measures(sentence: str, lang: str) -> set[str]:
    """The local names of the measures the graph states for a policy of one sentence."""
    g = extract_source(Source("t", "t.txt", "text", INTRO[lang] + sentence), lang).graph
    return {str(o).split("#")[-1] for _s, p, o in g if str(p).split("#")[-1] in MEASURE_PROPS}


# (language, sentence, the leaf it states, a broader concept that must not take its place)
LEAVES = [
    # English
    ("en", "We run penetration tests on our platform every year.", "PenetrationTestingMethods", "SecurityAudit"),
    ("en", "Our servers are scanned weekly by vulnerability scanning tools.", "VulnerabilityTestingMethods", None),
    ("en", "Our network is monitored by an intrusion detection system.", "IntrusionDetectionSystem",
     "NetworkSecurityProtocols"),
    ("en", "Chat messages are end-to-end encrypted.", "EndToEndEncryption", "Encryption"),
    ("en", "Backups are protected with symmetric encryption.", "SymmetricEncryption", "Encryption"),
    ("en", "Files are shared using public-key encryption.", "AsymmetricEncryption", "Encryption"),
    ("en", "Staff sign in through single sign-on.", "SingleSignOn", "AuthenticationProtocols"),
    ("en", "The app supports biometric authentication.", "BiometricAuthentication", None),
    ("en", "Encryption key management is handled by hardware security modules.", "CryptographicKeyManagement", None),
    ("en", "Encryption key management is handled by hardware security modules.", "HardwareSecurityProtocols", None),
    ("en", "Software updates are digitally signed so that their integrity can be verified.", "DigitalSignatures", None),
    ("en", "Usage statistics are published with differential privacy.", "DifferentialPrivacy", None),
    ("en", "Keys are kept inside a trusted execution environment.", "TrustedExecutionEnvironment", None),
    ("en", "Log files are sanitised before they are shared with support.", "DataSanitisationTechnique", None),
    ("en", "We test new features on synthetic data only.", "UseSyntheticData", None),
    ("en", "Data loss prevention stops customer files from leaving our network.", "InformationFlowControl", None),
    ("en", "Company phones are enrolled in mobile device management.", "MobilePlatformSecurity", None),
    ("en", "We carry out a data protection impact assessment before we start new processing.", "DPIA",
     "RiskAssessment"),
    ("en", "Before each transfer we complete a transfer impact assessment.", "DataTransferImpactAssessment", None),
    ("en", "We have documented a legitimate interest assessment for direct marketing.",
     "LegitimateInterestAssessment", None),
    ("en", "An external firm performs a data protection audit each year.", "LegalComplianceAudit", "SecurityAudit"),
    ("en", "We follow an approved code of conduct for cloud providers.", "CodeOfConduct", None),
    ("en", "We apply privacy by default to every new feature.", "PrivacyByDefault", "PrivacyByDesign"),
    ("en", "We keep records of consent for every newsletter subscriber.", "ConsentRecord", None),
    ("en", "We keep a register of personal data breaches.", "DataBreachRecord", "DataBreachNotification"),
    ("en", "Our information security policy is reviewed every year.", "InformationSecurityPolicy", None),
    ("en", "We operate an information security management system (ISMS).", "DataSecurityManagement", None),
    ("en", "Our data retention policy sets how long each record is kept.", "DataStoragePolicy", None),
    ("en", "All employees pass background checks before they start.", "BackgroundChecks", None),
    ("en", "Our password policy requires long passphrases for staff accounts.", "CredentialManagement", None),
    ("en", "We impose security requirements on our suppliers.", "ThirdPartySecurityProcedures", None),
    ("en", "All employees complete data protection training every year.", "DataProtectionTraining", "StaffTraining"),
    ("en", "All employees complete security awareness training every year.", "SecurityKnowledgeTraining",
     "StaffTraining"),
    ("en", "Paper records are kept in locked cabinets.", "PhysicalSecureStorage", None),
    ("en", "We have documented security procedures for handling customer data.", "SecurityProcedure", None),
    ("en", "Contractors sign non-disclosure agreements.", "NDA", "ConfidentialityAgreement"),
    # Swedish
    ("sv", "Vi genomför penetrationstester av plattformen varje år.", "PenetrationTestingMethods", "SecurityAudit"),
    ("sv", "Våra system övervakas med intrångsdetektering.", "IntrusionDetectionSystem",
     "NetworkSecurityProtocols"),
    ("sv", "Alla meddelanden är end-to-end-krypterade.", "EndToEndEncryption", "Encryption"),
    ("sv", "Inför nya behandlingar gör vi en konsekvensbedömning avseende dataskydd.", "DPIA", "RiskAssessment"),
    ("sv", "All personal genomgår dataskyddsutbildning varje år.", "DataProtectionTraining", "StaffTraining"),
    ("sv", "Pappersdokument förvaras i låsta skåp.", "PhysicalSecureStorage", None),
    ("sv", "Vi har en informationssäkerhetspolicy som ses över årligen.", "InformationSecurityPolicy", None),
    ("sv", "Vi tillämpar inbyggt dataskydd och dataskydd som standard.", "PrivacyByDefault", None),
    ("sv", "Vi följer en godkänd uppförandekod.", "CodeOfConduct", None),
    ("sv", "Vi ställer säkerhetskrav på våra leverantörer.", "ThirdPartySecurityProcedures", None),
    ("sv", "Våra anställda genomgår bakgrundskontroller.", "BackgroundChecks", None),
    ("sv", "Vi har dokumenterade säkerhetsrutiner för hantering av kunddata.", "SecurityProcedure", None),
    # Danish
    ("da", "Netværket overvåges med indtrængningsdetektering døgnet rundt.",
     "IntrusionDetectionSystem", "NetworkSecurityProtocols"),
    ("da", "Vi foretager løbende sårbarhedsvurderinger af vores systemer.", "VulnerabilityTestingMethods",
     "SecurityAssessment"),
    ("da", "Vi gennemfører en konsekvensanalyse vedrørende databeskyttelse, før vi tager nye systemer i brug.",
     "DPIA", "RiskAssessment"),
    ("da", "Alle medarbejdere modtager undervisning i databeskyttelse.", "DataProtectionTraining", "StaffTraining"),
    ("da", "Papirdokumenter opbevares i aflåste skabe.", "PhysicalSecureStorage", None),
    ("da", "Vi anvender databeskyttelse gennem standardindstillinger.", "PrivacyByDefault", "PrivacyByDesign"),
    ("da", "Vi følger et godkendt adfærdskodeks.", "CodeOfConduct", None),
    # German
    ("de", "Wir führen regelmäßig Penetrationstests durch.", "PenetrationTestingMethods", "SecurityAudit"),
    ("de", "Vor Beginn der Verarbeitung führen wir eine Datenschutz-Folgenabschätzung durch.", "DPIA",
     "RiskAssessment"),
    ("de", "Unsere Systeme sind durch Systeme zur Angriffserkennung geschützt.", "IntrusionDetectionSystem", None),
    ("de", "Alle Mitarbeiter nehmen jährlich an Datenschutzschulungen teil.", "DataProtectionTraining",
     "StaffTraining"),
    ("de", "Papierunterlagen werden in verschlossenen Schränken aufbewahrt.", "PhysicalSecureStorage", None),
    ("de", "Wir setzen auf datenschutzfreundliche Voreinstellungen.", "PrivacyByDefault", "PrivacyByDesign"),
    ("de", "Wir speichern den Nachweis Ihrer Einwilligung.", "ConsentRecord", None),
    ("de", "Der Zutritt zu unseren Büros ist durch eine Zutrittskontrolle gesichert.", "PhysicalAccessControlMethod",
     "AccessControlMethod"),
    ("de", "Mit allen Dienstleistern bestehen Geheimhaltungsvereinbarungen.", "NDA", "ConfidentialityAgreement"),
    # Finnish
    ("fi", "Teemme penetraatiotestausta säännöllisesti.", "PenetrationTestingMethods", "SecurityAudit"),
    ("fi", "Teemme tietosuojaa koskevan vaikutustenarvioinnin ennen uutta käsittelyä.", "DPIA", "RiskAssessment"),
    ("fi", "Kaikki työntekijät saavat tietosuojakoulutusta vuosittain.", "DataProtectionTraining", "StaffTraining"),
    ("fi", "Paperiset asiakirjat säilytetään lukituissa kaapeissa.", "PhysicalSecureStorage", None),
    ("fi", "Palveluun kirjaudutaan kertakirjautumisen avulla.", "SingleSignOn", "AuthenticationProtocols"),
    ("fi", "Viestit ovat päästä päähän salattuja.", "EndToEndEncryption", None),
    # a single word that is also two words joined ("vaikutustenarvioinnin") is the DPIA, never a tie with a
    # broader label of the same letters
    ("fi", "Teemme vaikutustenarvioinnin ennen uutta käsittelyä.", "DPIA", "ImpactAssessment"),
    ("fi", "Teemme yksityisyyden vaikutustenarvioinnin ennen uutta käsittelyä.", "PIA", "DPIA"),
    ("fi", "Sivustomme käyttää Content Security Policy -otsaketta.", "WebSecurityProtocols", None),
    # Norwegian Bokmål
    ("nb", "Vi gjennomfører penetrasjonstester hvert år.", "PenetrationTestingMethods", "SecurityAudit"),
    ("nb", "Vi gjennomfører en vurdering av personvernkonsekvenser før ny behandling.", "DPIA", "RiskAssessment"),
    ("nb", "Alle ansatte får personvernopplæring hvert år.", "DataProtectionTraining", "StaffTraining"),
    ("nb", "Vi legger vekt på personvern som standardinnstilling.", "PrivacyByDefault", "PrivacyByDesign"),
    ("nb", "Du logger inn med single sign-on.", "SingleSignOn", "AuthenticationProtocols"),
    ("nb", "Vi har faste sikkerhetsrutiner for håndtering av kundedata.", "SecurityProcedure", None),
    ("nb", "Nettsiden bruker Content Security Policy og HSTS.", "WebSecurityProtocols", None),
    ("nb", "Vi har gjennomført en konsekvensvurdering før vi tok i bruk systemet.", "DPIA", "RiskAssessment"),
    # Norwegian Nynorsk
    ("nn", "Vi gjennomfører penetrasjonstestar kvart år.", "PenetrationTestingMethods", "SecurityAudit"),
    ("nn", "Systema våre er verna av inntrengingsdeteksjon.", "IntrusionDetectionSystem", "NetworkSecurityProtocols"),
    ("nn", "Vi gjennomfører ei vurdering av personvernkonsekvensar før ny behandling.", "DPIA", "RiskAssessment"),
    ("nn", "Alle tilsette får personvernopplæring kvart år.", "DataProtectionTraining", "StaffTraining"),
    ("nn", "Papirdokument blir oppbevarte i låste skap.", "PhysicalSecureStorage", None),
]


@pytest.mark.parametrize("lang,sentence,leaf,broader", LEAVES)
def test_a_named_measure_is_its_dpv_leaf(lang: str, sentence: str, leaf: str, broader: str | None) -> None:
    found = measures(sentence, lang)
    assert leaf in found, (sentence, found)
    if broader is not None:
        assert broader not in found, (sentence, found)


@pytest.mark.parametrize("lang,sentence,concept", [
    # the broader concepts keep their own phrases
    ("en", "We carry out a risk assessment of every new supplier.", "RiskAssessment"),
    ("en", "Regular security audits check our systems.", "SecurityAudit"),
    ("en", "All staff receive training in handling customer data.", "StaffTraining"),
    ("sv", "Personalen får regelbunden utbildning i hur personuppgifter ska hanteras.", "StaffTraining"),
])
def test_the_broader_concept_keeps_its_phrases(lang: str, sentence: str, concept: str) -> None:
    assert concept in measures(sentence, lang)


@pytest.mark.parametrize("lang,sentence,concept", [
    # everyday words and phrases that only look like a measure
    ("en", "The tax authority may audit our accounts.", "LegalComplianceAudit"),
    ("en", "You can read our privacy policy at any time.", "InformationSecurityPolicy"),
    ("en", "Our website sets a Content Security Policy header.", "InformationSecurityPolicy"),
    ("en", "Our key management team decides on the strategy of the company.", "CryptographicKeyManagement"),
    ("en", "We process your data to ensure compliance with internal policies.", "Policy"),
    ("en", "You can sign the rental agreement with a digital signature.", "DigitalSignatures"),
    ("en", "If you apply for a job, we may run a background check with your consent.", "BackgroundChecks"),
    ("en", "We sell MDM solutions to small businesses.", "MobilePlatformSecurity"),
    ("sv", "Du kan signera avtalet med en digital signatur.", "DigitalSignatures"),
    ("sv", "Behandlingen grundar sig på en intresseavvägning.", "LegitimateInterestAssessment"),
    ("sv", "Läs vår integritetspolicy för mer information.", "InformationSecurityPolicy"),
    ("de", "Sie können den Vertrag mit einer digitalen Signatur unterschreiben.", "DigitalSignatures"),
    ("de", "Bitte beachten Sie die Verhaltensregeln in unserem Forum.", "CodeOfConduct"),
    ("nb", "Utleier har ansvar for nøkkelhåndtering når hytta leies ut.", "CryptographicKeyManagement"),
])
def test_an_everyday_word_is_no_measure(lang: str, sentence: str, concept: str) -> None:
    assert concept not in measures(sentence, lang)
