from __future__ import annotations

from edition.wordforms import word_forms


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
