from __future__ import annotations

from edition.wordforms import SURNAME_MODELS, word_forms


def test_nouns_and_adjectives_are_inflected_word_by_word() -> None:
    forms = word_forms(["языковые патрули", "language patrols"])
    assert {"патрулей", "патрулям", "патруль", "языковых", "языковой"} <= set(forms)
    assert "патрули" not in forms and "языковые" not in forms  # already written
    assert forms == sorted(forms) and all(form == form.lower() for form in forms)


def test_no_short_forms_comparatives_or_latin() -> None:
    forms = word_forms(["следственный изолятор", "pre-trial detention"])
    assert "изолятора" in forms and "следственного" in forms
    assert not {"следствен", "следственна", "следственнее"} & set(forms)
    assert all(not set(form) & set("abcdefghijklmnopqrstuvwxyz") for form in forms)


def test_abbreviations_are_left_alone() -> None:
    # «СИЗО» read as a word would be the short form of «сизый» (сизая, сизого…).
    assert word_forms(["СИЗО", "КНБ", "ЧВК"]) == []


def test_explanations_in_parentheses_are_left_out() -> None:
    forms = word_forms(["Голодомор", "Голодомор (голод 1932–1933 годов на Украине)"])
    assert "голодомора" in forms
    assert not {"год", "лет", "голода", "украины"} & set(forms)


def test_surnames_the_dictionary_does_not_know_are_inflected_as_surnames() -> None:
    # The dictionary reads «Толегенов» as a genitive plural (of «толеген»): its surname forms
    # come from a surname it knows with the same ending (Иванов).
    forms = word_forms(["Аслан Толегенов", "Тулегенов"])
    assert {"толегенова", "толегенову", "толегеновым", "толегеновых", "тулегенова"} <= set(forms)
    # A surname the dictionary reads as one keeps its own forms, without a second set.
    assert {"юрицына", "юрицыным"} <= set(word_forms(["Юрицын"]))
    # Lower case words are not names: «пушкин» in «пушкинский» would not be inflected so.
    assert "толегенова" not in word_forms(["толегенов"])


def test_every_model_surname_is_known_as_one() -> None:
    for ending, model in SURNAME_MODELS.items():
        assert model.endswith(ending)
        forms = word_forms([model.capitalize()])
        assert model + "а" in forms or model.replace("ё", "е") + "а" in forms
