from policykg.language import detect


def test_english_and_swedish() -> None:
    assert detect("We process your personal data for the purposes that are described in this policy.")[0] == "en"
    assert detect("Vi behandlar dina personuppgifter för att kunna leverera tjänsten till dig och för att vi har ett avtal.")[0] == "sv"


def test_other_languages_are_recognised_not_guessed() -> None:
    assert detect("Wir verarbeiten Ihre personenbezogenen Daten und die Daten werden bei uns gespeichert.")[0] == "de"


def test_gibberish_is_undetermined() -> None:
    assert detect("xqz plorf wibble snark 12345 qwerty zxcv blorp")[0] == "und"


def test_finnish_is_recognised() -> None:
    """A Finnish policy is named as such (a warning, not an error that stops a batch)."""
    text = ("Tämä tietosuojaseloste kertoo, miten käsittelemme henkilötietoja. Tiedot säilytetään "
            "kaksi vuotta, ja voit pyytää tietojen poistamista. Emme luovuta tietoja kolmansille "
            "osapuolille, ellei laki sitä vaadi, ja kaikki tiedot poistetaan jäsenyyden päätyttyä.")
    assert detect(text)[0] == "fi"
