"""Language profiles (ontology/languages/*.yaml) load, and YAML's traps are caught."""

from pathlib import Path

import pytest

from policykg import languages
from policykg.lexicon import morphology, stem


def test_profiles_give_words_per_language_and_for_all() -> None:
    assert "not" in languages.words("negation", "en") and "inte" not in languages.words("negation", "en")
    assert {"not", "inte"} <= languages.words("negation")
    assert languages.mapping("number_words")["sju"] == 7
    assert "M" in languages.mapping("units_re") and "månad" in languages.mapping("units_re")["M"]


def test_an_unquoted_yaml_boolean_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "xx.yaml").write_text("negation: [not, no, never]\n", encoding="utf-8")
    with pytest.raises(languages.ProfileError, match="quote it"):
        languages.profiles(str(tmp_path))


def test_a_bad_regular_expression_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "xx.yaml").write_text("controller_re: ['data (controller']\n", encoding="utf-8")
    with pytest.raises(languages.ProfileError, match="not a regular expression"):
        languages.profiles(str(tmp_path))


def test_morphology_comes_from_the_profile() -> None:
    assert morphology("sv").compounds and not morphology("en").compounds
    assert "av" in morphology("sv").reversing
    assert stem("analyses", "en") == "analys" and stem("kunderna", "sv") == "kund"
    assert morphology("xx") == morphology("en")  # a language without a profile inflects like English
