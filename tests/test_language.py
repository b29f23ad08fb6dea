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


def test_scandinavian_languages_and_finnish_are_told_apart() -> None:
    nb = "Vi behandler personopplysningene dine for å levere tjenesten, og du har rett til innsyn og sletting."
    nn = ("Vi handsamar personopplysningane dine for å kunne levere tenesta. Du har rett til innsyn, retting og "
          "sletting av opplysningane som vi har om deg. Vi lagrar ikkje opplysningane lenger enn det som er "
          "naudsynt, og vi deler dei ikkje med andre utan at du har samtykt til det.")
    da = "Vi behandler dine personoplysninger for at levere tjenesten, og du har ret til indsigt og sletning."
    fi = "Käsittelemme henkilötietojasi palvelun tarjoamiseksi, ja sinulla on oikeus tarkastaa tietosi."
    assert [detect(t)[0] for t in (nb, nn, da, fi)] == ["nb", "nn", "da", "fi"]


def test_control_characters_do_not_hide_the_language() -> None:
    text = "We process your personal data\x00 to provide the service\x07 and we keep it for six months."
    assert detect(text)[0] == "en"
