"""Spoken forms (kiosk/core/narration/spoken.py): numbers, phone numbers, the plus sign, QR and the
Uzbek apostrophe as people say them, per language; and what espeak-ng makes of them."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.narration.spoken import (
    UZ_ONES,
    UZ_TENS,
    kk_ordinal,
    number_words,
    oddities,
    phone_words,
    spoken_form,
    uz_cardinal,
    uz_ordinal,
)
from tests.support import need_tool

# -- Uzbek numbers, written here (num2words has no Uzbek) ------------------------------------------
UZ = {
    0: "nol", 1: "bir", 7: "yetti", 10: "oʻn", 11: "oʻn bir", 18: "oʻn sakkiz", 20: "yigirma", 45: "qirq besh",
    52: "ellik ikki", 61: "oltmish bir", 99: "toʻqson toʻqqiz", 100: "yuz", 102: "yuz ikki",
    111: "yuz oʻn bir", 200: "ikki yuz", 999: "toʻqqiz yuz toʻqson toʻqqiz", 1000: "ming",
    1001: "ming bir", 2002: "ikki ming ikki", 7252: "yetti ming ikki yuz ellik ikki", 11000: "oʻn bir ming",
    100_000: "yuz ming", 999_999: "toʻqqiz yuz toʻqson toʻqqiz ming toʻqqiz yuz toʻqson toʻqqiz",
    1_000_000: "bir million", 2_001_000: "ikki million bir ming",
}


@pytest.mark.parametrize(("n", "words"), sorted(UZ.items()))
def test_uzbek_cardinals(n: int, words: str) -> None:
    assert uz_cardinal(n) == words


def _uz_parse(words: str) -> int:
    """Reads an Uzbek cardinal back (the test's own, independent way of counting)."""
    values = {w: i for i, w in enumerate(UZ_ONES)} | {w: 10 * i for i, w in enumerate(UZ_TENS) if w}
    total = current = 0
    for word in words.split():
        if word == "yuz":
            current = (current or 1) * 100
        elif word in ("ming", "million"):
            total += (current or 1) * (1000 if word == "ming" else 1_000_000)
            current = 0
        else:
            current += values[word]
    return total + current


@given(st.integers(min_value=0, max_value=999_999))
@settings(max_examples=3000, deadline=None)
def test_every_uzbek_cardinal_up_to_999999_reads_back_as_its_number(n: int) -> None:
    assert _uz_parse(uz_cardinal(n)) == n


def test_uzbek_round_trip_all_of_0_to_999999_in_steps() -> None:
    for n in range(0, 1_000_000, 997):
        assert _uz_parse(uz_cardinal(n)) == n


@pytest.mark.parametrize(("n", "words"), [(1, "birinchi"), (2, "ikkinchi"), (3, "uchinchi"), (6, "oltinchi"),
                                          (20, "yigirmanchi"), (40, "qirqinchi"), (2002, "ikki ming ikkinchi"),
                                          (2023, "ikki ming yigirma uchinchi"), (1999, "ming toʻqqiz yuz toʻqson toʻqqizinchi")])
def test_uzbek_ordinals(n: int, words: str) -> None:
    assert uz_ordinal(n) == words


@pytest.mark.parametrize(("n", "words"), [(1, "бірінші"), (2, "екінші"), (5, "бесінші"), (6, "алтыншы"),
                                          (9, "тоғызыншы"), (10, "оныншы"), (20, "жиырмасыншы"), (40, "қырқыншы"),
                                          (50, "елуінші"), (90, "тоқсаныншы"), (2002, "екі мың екінші"),
                                          (2023, "екі мың жиырма үшінші")])
def test_kazakh_ordinals(n: int, words: str) -> None:
    assert kk_ordinal(n) == words


@pytest.mark.parametrize(("lang", "n", "words"), [
    ("kk", 0, "нөл"), ("kk", 18, "он сегіз"), ("kk", 45, "қырық бес"), ("kk", 1000, "мың"),
    ("kk", 2002, "екі мың екі"), ("kk", 999_999, "тоғыз жүз тоқсан тоғыз мың тоғыз жүз тоқсан тоғыз"),
    ("ru", 0, "ноль"), ("ru", 18, "восемнадцать"), ("ru", 1000, "тысяча"), ("ru", 1200, "тысяча двести"),
    ("ru", 2002, "две тысячи два"), ("ru", 999_999, "девятьсот девяносто девять тысяч девятьсот девяносто девять"),
    ("en", 0, "zero"), ("en", 21, "twenty-one"), ("en", 7252, "seven thousand two hundred and fifty-two"),
    ("en", 999_999, "nine hundred and ninety-nine thousand nine hundred and ninety-nine"),
    ("uz", 18, "oʻn sakkiz"),
])
def test_cardinals_per_language(lang: str, n: int, words: str) -> None:
    assert number_words(n, lang) == words


# -- numbers in the visitor's texts ----------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "said"), [
    # ages and ranges
    ("kk", "18 бен 45 жас аралығындағы", "он сегіз бен қырық бес жас аралығындағы"),
    ("ru", "Многие люди от 18 до 45 лет", "Многие люди от восемнадцати до сорока пяти лет"),
    ("uz", "18 yoshdan 45 yoshgacha", "oʻn sakkiz yoshdan qirq besh yoshgacha"),
    ("en", "aged 18 to 45", "aged eighteen to forty-five"),
    # a Kazakh ending after a hyphen is glued to the number; another word makes it an ordinal
    ("kk", "Төтенше жағдайда 112-ге де қоңырау шалыңыз.", "Төтенше жағдайда жүз он екіге де қоңырау шалыңыз."),
    ("kk", "5-сынып", "бесінші сынып"),
    ("uz", "5-sinf", "beshinchi sinf"),
    # years
    ("ru", "в 2002 году", "в две тысячи втором году"),
    ("ru", "2002 год", "две тысячи второй год"),
    ("kk", "2002 жылы", "екі мың екінші жылы"),
    ("uz", "2002-yilda", "ikki ming ikkinchi yilda"),
    ("en", "in 1999", "in nineteen ninety-nine"),
    ("en", "in 2002", "in two thousand and two"),
    # thousands written apart
    ("kk", "10 000 теңге", "он мың теңге"),
    ("ru", "1 000 000 человек", "один миллион человек"),
    # Russian cases after a preposition
    ("ru", "к 5 часам", "к пяти часам"),
    # what is left alone: a Russian ordinal ending decides its own form
    ("ru", "5-й", "5-й"),
    ("en", "no numbers here", "no numbers here"),
])
def test_numbers_in_texts(lang: str, text: str, said: str) -> None:
    assert spoken_form(text, lang) == said


PHONES = {
    "kk": "жиырма бір, алпыс бір, елу екі",
    "ru": "двадцать один, шестьдесят один, пятьдесят два",
    "uz": "yigirma bir, oltmish bir, ellik ikki",
    "en": "twenty-one, sixty-one, fifty-two",
}


@pytest.mark.parametrize("lang", sorted(PHONES))
def test_a_phone_number_in_the_groups_people_say(lang: str) -> None:
    assert spoken_form("21-61-52", lang) == PHONES[lang]
    assert spoken_form("21 61 52", lang) == PHONES[lang]
    national = spoken_form("8 (7252) 21-61-52", lang)
    assert national.endswith(PHONES[lang]) and national.count(", ") == 5  # 8, 72, 52, 21, 61, 52


@pytest.mark.parametrize(("lang", "said"), [
    ("kk", "плюс жеті, жетпіс екі, елу екі, жиырма бір, алпыс бір, елу екі"),
    ("ru", "плюс семь, семьдесят два, пятьдесят два, двадцать один, шестьдесят один, пятьдесят два"),
    ("uz", "plyus yetti, yetmish ikki, ellik ikki, yigirma bir, oltmish bir, ellik ikki"),
    ("en", "plus seven, seventy-two, fifty-two, twenty-one, sixty-one, fifty-two"),
])
def test_plus_is_said_in_the_language(lang: str, said: str) -> None:
    assert spoken_form("+7 7252 21 61 52", lang) == said


def test_phone_groups_of_odd_length_and_leading_zeros() -> None:
    assert phone_words("116 16", "ru") == "сто шестнадцать, шестнадцать"
    assert phone_words("1234567", "en") == "one hundred and twenty-three, forty-five, sixty-seven"
    assert phone_words("05-12", "en") == "zero five, twelve"
    assert spoken_form("116 16", "kk") == "жүз он алты, он алты"


@pytest.mark.parametrize(("lang", "text", "said"), [
    ("kk", "QR кодты суретке түсіріңіз", "кюар кодты суретке түсіріңіз"),
    ("ru", "сфотографируйте QR-код телефоном", "сфотографируйте кьюар-код телефоном"),
    ("uz", "QR kodni suratga oling", "kyuar kodni suratga oling"),
    ("en", "photograph the QR code", "photograph the Q R code"),
])
def test_qr(lang: str, text: str, said: str) -> None:
    assert spoken_form(text, lang) == said


def test_the_uzbek_apostrophe_becomes_what_espeak_reads_as_a_glottal_stop() -> None:
    assert spoken_form("vaʼda", "uz") == "vaʻda"
    assert spoken_form("maʼlumot", "uz") == "maʻlumot"
    # after o or g it would make the letters oʻ, gʻ: a hyphen keeps the vowel
    assert spoken_form("moʼjiza", "uz") == "mo-jiza"
    assert spoken_form("oʻzbek", "uz") == "oʻzbek"  # oʻ is a letter, left as it is
    assert spoken_form("vaʼda", "kk") == "vaʼda"  # only in Uzbek


def test_oddities_name_what_is_still_read_oddly() -> None:
    assert oddities(spoken_form("в 5-й раз, 50% и № 3", "ru"), "ru") == ["5", "%", "№"]
    assert oddities("Call SOS now, bring your ID", "en") == []  # the English voice spells them
    assert oddities("SOS deb qoʻngʻiroq qiling", "uz") == ["SOS"]
    assert oddities("ООН көмектеседі", "kk") == ["ООН"]
    assert oddities("звоните WhatsApp", "ru") == ["WhatsApp"]
    assert oddities(spoken_form("Полиция (102), 8 (7252) 21-61-52", "ru"), "ru") == []


# -- what espeak-ng makes of them (its phonemes, -x) ---------------------------------------------------
def phonemes(lang: str, text: str) -> str:
    return subprocess.run(["espeak-ng", "-v", lang, "-q", "-x", text], capture_output=True, text=True,
                          check=True, timeout=30).stdout


def test_espeak_reads_the_spoken_forms_without_switching_to_english() -> None:
    need_tool("espeak-ng", "espeak-ng")
    # before: "vaʼda" is v, a, the English word "adjective", d, a; after: one word with a glottal stop
    assert "(en)" in phonemes("uz", "vaʼda")
    after = phonemes("uz", spoken_form("vaʼda", "uz"))
    assert "(en)" not in after and "?" in after and len(after.split()) == 1
    # "+7": English "plus" in kk and uz before, the language's own word after
    for lang in ("kk", "uz"):
        assert "(en)" in phonemes(lang, "+7")
        assert "(en)" not in phonemes(lang, spoken_form("+7", lang))
    # QR: English "kyoo ar" in kk and ru before
    for lang, text in (("kk", "QR кодты"), ("ru", "QR-код")):
        assert "(en)" in phonemes(lang, text)
        assert "(en)" not in phonemes(lang, spoken_form(text, lang))
    # Uzbek numbers: digit by digit before (seven words for 21-61-52 and more), three groups after
    assert "(en)" not in phonemes("uz", spoken_form("21-61-52", "uz"))
    assert phonemes("uz", "18").split() != phonemes("uz", spoken_form("18", "uz")).split()
