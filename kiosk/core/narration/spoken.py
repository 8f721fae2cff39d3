"""Spoken forms: a text as the voice must read it, per language. Qt-free.

The voice (espeak-ng) reads what it is given. Some written forms come out wrong:

- Uzbek numbers are read digit by digit ("18" as "bir sakkiz"), and a phone number anywhere
  is read as one long number or as "twenty one dash sixty one" in English;
- "+" switches the Kazakh and Uzbek voices to English ("plus"), "QR" is English "kyoo ar";
- the Uzbek tutuq belgisi ʼ (U+02BC) breaks a word ("vaʼda": "v", "a", "adjective", "d", "a").

`spoken_form(text, lang)` rewrites these, and only these, as people say them: numbers as
words (with the case a Russian preposition asks for, the year as an ordinal where "год",
"жыл" or "yil" follows, an English year as "nineteen ninety-nine"), phone numbers in the
groups people say them ("21-61-52": "twenty-one, sixty-one, fifty-two"), the plus sign, the
abbreviations of ABBREVIATIONS, and ʼ as the glottal stop espeak-ng reads for ʻ. A text
without any of these comes back unchanged (and keeps its recording's file name).

Numbers in words come from num2words (ru, kk as "kz", en); it has no Uzbek and no Kazakh
ordinals, which are written here (`uz_cardinal`, `uz_ordinal`, `kk_ordinal`).

`oddities(spoken, lang)` lists what is still likely to be read oddly: `kiosk check` warns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# The word each language uses for "+" in a phone number.
PLUS = {"kk": "плюс", "ru": "плюс", "uz": "plyus", "en": "plus"}
# Abbreviations read letter by letter, as people there say them. "QR" in the visitor's texts is
# always "QR code" ("QR-код", "QR кодты", "QR kodni"); Russian and Kazakh speakers say it
# "кьюар-код" / "кюар код" (the English letter names, run together as one word: espeak-ng's
# Kazakh voice adds a glottal stop after "кь", hence "кю"); Uzbek speakers the same, "kyuar".
ABBREVIATIONS: dict[str, dict[str, str]] = {
    "QR": {"kk": "кюар", "ru": "кьюар", "uz": "kyuar", "en": "Q R"},
}
# The separator between the groups of a phone number: a comma gives the voice a short pause.
GROUP_SEPARATOR = ", "

_SPACE = "[ \u00a0\u202f]"  # a space, a no-break space, a narrow no-break space
# A phone number: groups of digits joined by spaces, hyphens or parentheses, perhaps after "+".
_PHONE = re.compile(r"(?<![\w+])(\+\s?)?\(?\d+\)?(?:(?:[ \u00a0\u202f]+|[ \u00a0\u202f]*-[ \u00a0\u202f]*)\(?\d+\)?)+(?![\w])")
# A number, with thousands perhaps set apart by spaces ("10 000"), and a hyphen that joins it to
# an ending or a word ("112-ге", "5-сынып", "2002-yil").
_NUMBER = re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?![\d])(-(?=[^\W\d_]))?")
_UZ_TUTUQ_AFTER_O_G = re.compile(r"(?<=[oOgG])\u02bc")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)

MAX_NUMBER = 999_999_999


# -- numbers in words -------------------------------------------------------------------------
UZ_ONES = ["nol", "bir", "ikki", "uch", "toʻrt", "besh", "olti", "yetti", "sakkiz", "toʻqqiz"]
UZ_TENS = ["", "oʻn", "yigirma", "oʻttiz", "qirq", "ellik", "oltmish", "yetmish", "sakson", "toʻqson"]


def uz_cardinal(n: int) -> str:
    """An Uzbek cardinal, 0 to 999 999 999, as people say it ("yuz", "ming", not "bir yuz")."""
    if n < 0 or n > MAX_NUMBER:
        raise ValueError(n)
    if n == 0:
        return UZ_ONES[0]
    words: list[str] = []
    millions, rest = divmod(n, 1_000_000)
    thousands, rest = divmod(rest, 1000)
    if millions:
        words += [*_uz_below_thousand(millions, say_one=True), "million"]
    if thousands:
        words += [*_uz_below_thousand(thousands, say_one=bool(millions)), "ming"]
    words += _uz_below_thousand(rest, say_one=True)
    return " ".join(words)


def _uz_below_thousand(n: int, say_one: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if hundreds:
        words += ["yuz"] if hundreds == 1 else [UZ_ONES[hundreds], "yuz"]
    if tens:
        words.append(UZ_TENS[tens])
    if ones and (ones != 1 or say_one or hundreds or tens):
        words.append(UZ_ONES[ones])
    return words


def uz_ordinal(n: int) -> str:
    """"ikki ming ikkinchi": -nchi after a vowel, -inchi after a consonant."""
    words = uz_cardinal(n)
    return words + ("nchi" if words[-1] in "aeiou" else "inchi")


# Kazakh ordinals: -ншы/-нші after a vowel, -ыншы/-інші after a consonant, by the vowel harmony
# of the last word; three change their stem.
_KK_ORDINAL_STEMS = {"жиырма": "жиырмасыншы", "қырық": "қырқыншы", "елу": "елуінші"}
_KK_BACK_VOWELS = set("аоұыя")
_KK_VOWELS = set("аәеиоөуұүыіэюя")


def kk_ordinal(n: int) -> str:
    words = _cardinal(n, "kk").split(" ")
    last = words[-1]
    if last in _KK_ORDINAL_STEMS:
        words[-1] = _KK_ORDINAL_STEMS[last]
    else:
        vowels = [c for c in last if c in _KK_VOWELS]
        back = bool(vowels) and vowels[-1] in _KK_BACK_VOWELS
        if last[-1] in _KK_VOWELS:
            words[-1] = last + ("ншы" if back else "нші")
        else:
            words[-1] = last + ("ыншы" if back else "інші")
    return " ".join(words)


@lru_cache(maxsize=2048)
def _cardinal(n: int, lang: str, case: str = "nominative") -> str:
    if lang == "uz":
        return uz_cardinal(n)
    from num2words import num2words  # imported only when a text has a number

    if lang == "ru":
        words = str(num2words(n, lang="ru", case=case))
        # "одна тысяча двести": people say "тысяча двести"
        return re.sub(r"^одн(а|ой|у|ою) тысяч", "тысяч", words)
    if lang == "kk":
        words = str(num2words(n, lang="kz"))
        return re.sub(r"^бір мың", "мың", words)
    return str(num2words(n, lang="en")).replace(",", "")


def number_words(n: int, lang: str, case: str = "nominative") -> str:
    """A cardinal in words, in `lang` (kk ru uz en); other languages keep the digits."""
    if lang not in PLUS or n > MAX_NUMBER:
        return str(n)
    return _cardinal(n, lang, case)


def year_words(n: int, lang: str, case: str = "nominative") -> str:
    """A year as it is said before "год"/"жылы"/"yil" (an ordinal), or in English."""
    if lang == "ru":
        from num2words import num2words

        return str(num2words(n, lang="ru", to="ordinal", case=case))
    if lang == "kk":
        return kk_ordinal(n)
    if lang == "uz":
        return uz_ordinal(n)
    if lang == "en":
        from num2words import num2words

        return str(num2words(n, lang="en", to="year"))
    return str(n)


# -- phone numbers ------------------------------------------------------------------------------
def phone_words(number: str, lang: str) -> str:
    """"8 (7252) 21-61-52" as people say it: each written group, a group of four or more in
    pairs (a group of odd length starts with three digits), a group with a leading zero digit
    by digit."""
    words: list[str] = []
    plus = number.lstrip().startswith("+")
    if plus:
        words.append(PLUS[lang])
    for group in re.findall(r"\d+", number):
        words += [_group_words(part, lang) for part in _split_group(group)]
    head = words.pop(0) + " " if plus and len(words) > 1 else ""
    return head + GROUP_SEPARATOR.join(words)


def _split_group(group: str) -> list[str]:
    if len(group) <= 3:
        return [group]
    parts: list[str] = []
    if len(group) % 2:
        parts.append(group[:3])
        group = group[3:]
    parts += [group[i:i + 2] for i in range(0, len(group), 2)]
    return parts


def _group_words(group: str, lang: str) -> str:
    if len(group) > 1 and group.startswith("0"):
        return " ".join(number_words(int(d), lang) for d in group)
    return number_words(int(group), lang)


def _is_phone(match: re.Match[str]) -> bool:
    """Groups of digits that are a phone number, not a number written with thousands separated
    ("10 000") nor a range ("18-45")."""
    text = match.group(0)
    if text.lstrip().startswith("+") or "(" in text:
        return True
    groups = re.findall(r"\d+", text)
    if "-" in text:
        return len(groups) >= 3
    # joined by spaces: "10 000" and "1 000 000" are numbers, "116 16" and "21 61 52" phones
    return not (len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))


# -- the whole text -------------------------------------------------------------------------------
# Russian: the case a number takes after a preposition ("от восемнадцати до сорока пяти лет").
_RU_CASES = {
    **dict.fromkeys(("от", "до", "с", "со", "около", "из", "более", "менее", "старше", "младше", "после",
                     "кроме", "для", "без", "у"), "genitive"),
    **dict.fromkeys(("к", "по"), "dative"),
    **dict.fromkeys(("о", "об", "при"), "prepositional"),
}
_RU_YEAR_CASES = {"год": "nominative", "года": "genitive", "году": "prepositional", "годом": "instrumental"}
# Kazakh case and plural endings written after a number with a hyphen ("112-ге"): glued to the
# word. Any other word after a hyphen makes the number an ordinal ("5-сынып": бесінші сынып).
_KK_ENDINGS = frozenset(
    "ге ке ға қа не на ні ны ді ты ті ды де те да та ден тен нен дан тан нан мен бен пен "
    "дің тің нің дың тың ның і ы сі сы лер лар дер дар тер тар".split())


def spoken_form(text: str, lang: str) -> str:
    """`text` as the voice of `lang` must read it (see the module's documentation)."""
    if lang == "uz" and "\u02bc" in text:
        # ʼ after o or g would make the letter oʻ/gʻ: a hyphen keeps the vowel and the syllable
        text = _UZ_TUTUQ_AFTER_O_G.sub("-", text).replace("\u02bc", "\u02bb")
    for abbreviation, forms in ABBREVIATIONS.items():
        if abbreviation in text and lang in forms:
            text = re.sub(rf"(?<![^\W\d_]){abbreviation}(?![^\W\d_])", forms[lang], text)
    if not any(c.isdigit() for c in text) or lang not in PLUS:
        return text
    text = _PHONE.sub(lambda m: phone_words(m.group(0), lang) if _is_phone(m) else m.group(0), text)
    text = re.sub(r"(?<![\w+])\+\s?(?=\d)", PLUS[lang] + " ", text)  # "+7" on its own
    return _NUMBER.sub(_number_replacer(text, lang), text)


def _number_replacer(text: str, lang: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        n = int(re.sub(r"\D", "", match.group(1)))
        hyphen = bool(match.group(2))
        if n > MAX_NUMBER:
            return match.group(0)
        previous = re.search(r"([^\W\d_]+)\W*$", text[:match.start()])
        following = re.match(r"[ \u00a0]*([^\W\d_]+)", text[match.end():])
        word = following.group(1).lower() if following else ""
        if lang == "ru":
            if hyphen:  # "5-й", "18-летний": the ending decides the form; left for the author
                return match.group(0)
            if word in _RU_YEAR_CASES:
                return year_words(n, lang, _RU_YEAR_CASES[word])
            case = _RU_CASES.get(previous.group(1).lower(), "nominative") if previous else "nominative"
            return number_words(n, lang, case)
        if lang == "kk":
            if hyphen:  # "112-ге" is glued: "жүз он екіге"; "5-сынып" is an ordinal: "бесінші сынып"
                return number_words(n, lang) if word in _KK_ENDINGS else kk_ordinal(n) + " "
            return year_words(n, lang) if word.startswith("жыл") else number_words(n, lang)
        if lang == "uz":
            if word.startswith("yil") or hyphen:  # "2002-yil", "5-sinf": ordinals
                return uz_ordinal(n) + (" " if hyphen else "")
            return number_words(n, lang)
        if len(match.group(1)) == 4 and 1100 <= n <= 2099:
            return year_words(n, lang) + ("-" if hyphen else "")
        return number_words(n, lang) + ("-" if hyphen else "")

    return replace


# -- what is still read oddly ---------------------------------------------------------------------
_ODD_SYMBOLS = "%№#&@/\\*_=<>|~^$€£₸§"


def oddities(spoken: str, lang: str) -> list[str]:
    """What in a spoken form is still likely to be read oddly (digits, symbols, Latin letters in
    a Cyrillic text, a word in capitals outside English), each once, in order."""
    found: list[str] = []

    def add(thing: str) -> None:
        if thing not in found:
            found.append(thing)

    for match in re.finditer(r"\d+", spoken):
        add(match.group(0))
    for c in spoken:
        if c in _ODD_SYMBOLS:
            add(c)
    if lang in ("kk", "ru"):
        for match in re.finditer(r"[A-Za-z]+", spoken):
            add(match.group(0))
    if lang == "en":  # espeak-ng's English voice spells "ID", "SOS", "NGO" as people do
        return found
    for match in re.finditer(r"\b[^\W\d_]{2,}\b", spoken):
        word = match.group(0)
        if word.isupper() and _LETTERS.match(word):
            add(word)
    return found
