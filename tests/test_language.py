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


# --- the shortcut by function words (language._unmistakable) -------------------------

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from policykg import language  # noqa: E402
from policykg.segmenting import segment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_FR = ("Nous traitons vos données personnelles afin de fournir nos services, de gérer votre compte et de "
       "répondre à vos questions. Les données sont conservées pendant la durée nécessaire, puis supprimées. "
       "Vous avez le droit d'accéder à vos données, de les rectifier et de vous opposer au traitement. Nous "
       "partageons certaines données avec nos prestataires, qui agissent en tant que sous-traitants. ")
_NL = ("Wij verwerken uw persoonsgegevens om onze diensten te leveren en uw vragen te beantwoorden. De data "
       "worden bewaard zolang dat nodig is en daarna verwijderd. U heeft het recht om uw gegevens in te zien. "
       "We delen sommige data met onze leveranciers, die als verwerker optreden; de data is in het systeem "
       "veilig en wij gebruiken cookies om het gebruik van de website te meten. ")
_ET = ("Me töötleme teie isikuandmeid, et pakkuda oma teenuseid ja vastata teie küsimustele. Andmeid "
       "säilitatakse nii kaua, kui see on vajalik, ja seejärel need kustutatakse. Teil on õigus tutvuda oma "
       "andmetega ja neid parandada. Me ei jaga andmeid, kui see ei ole vajalik, ja see on nii. ")


@pytest.mark.parametrize(("text", "code"), [(_FR * 4, "fr"), (_NL * 4, "nl"), (_ET * 4, "et")])
def test_a_language_policykg_does_not_read_goes_to_the_model(text: str, code: str) -> None:
    """Dutch borrows "we", "is", "in", "data" and Estonian "ja", "ei": a few function words
    of a profiled language must not make a long text English or Finnish."""
    words = language._WORD.findall(language._sample(text))
    assert len(words) >= 150
    assert language._unmistakable(words) is None
    assert detect(text)[0] == code


def test_short_texts_and_close_languages_are_left_to_the_model() -> None:
    short = "We process your personal data for the purposes that are described in this policy."
    assert language._unmistakable(language._WORD.findall(short)) is None
    bokmal = (ROOT / "tests" / "policies" / "nb-fjellvind.txt").read_text(encoding="utf-8")
    assert language._unmistakable(language._WORD.findall(language._sample(bokmal))) is None


def _policies() -> list[Path]:
    found = sorted((ROOT / "data" / "policies").glob("*.txt")) + sorted((ROOT / "tests" / "policies").glob("*.txt"))
    devset = ROOT.parent / "shared" / "devset" / "texts"
    return found + (sorted(devset.glob("*.txt")) if devset.is_dir() else [])


@pytest.mark.parametrize("path", _policies(), ids=lambda p: p.stem)
def test_the_shortcut_gives_the_models_answer(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    prose = "\n".join(text[b.start:b.end] for b in segment(text))
    with_shortcut = detect(prose)[0]
    monkeypatch.setattr(language, "_unmistakable", lambda words: None)
    assert with_shortcut == detect(prose)[0]


def test_the_shortcut_is_taken_on_clear_policies() -> None:
    """Otherwise the test above compares the model with itself (the bundled Swedish
    isopartner quotes English terms, and goes to the model)."""
    taken = {p.stem: language._unmistakable(language._WORD.findall(language._sample(p.read_text(encoding="utf-8"))))
             for p in (ROOT / "data" / "policies").glob("*.txt")}
    assert {k: v[0] for k, v in taken.items() if v} == {"infobric": "en", "ipdots": "en", "iptor": "en", "ip1": "sv"}
