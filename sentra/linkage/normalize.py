"""Indonesian and Balinese normalisation for record linkage.

Every function takes raw text as people type it (any case, punctuation, spacing) and
returns the form the matching engine compares. Nothing here touches the database.

- `business_name(text)` → `NameParts(core, legal_forms)`: legal-form words (PT, CV, UD,
  Toko, Koperasi, Kop., Usaha Dagang, …) are removed from the core and reported, so
  "UD. Sari Mekar" and "Sari Mekar" compare equal while the form is still evidence.
- `person_name(text)` → `PersonParts(strong, weak)`: Balinese name parts (I, Ni, Gede,
  Putu, Wayan, Made, Kadek, Nyoman, Komang, Ketut, Ida Bagus, Anak Agung, …) and titles
  (Bapak, Ibu, Hj., Drs., …) are *weak* tokens: they say little about who someone is,
  because half of Bali is called Wayan, Made, Nyoman or Ketut.
- `address(text)` → "jl gatot subroto no 12 gg 3 rt 1 rw 2": `Jl.`/`Jln`/`Jalan`,
  `Gg.`/`Gang`, `No.`/`Nomor`, `RT 001/RW 002`, `Br.`/`Banjar` written one way.
- `phone(text)` → "+62812…": `0812…`, `62812…`, `+62 812-…`, `(0361) …` alike; "" when
  the text holds no plausible Indonesian number.
- `clean(text)`: lower case, accents and punctuation removed, spacing collapsed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from sentra.lib.text import fold as _fold_unicode

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\D+")


_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """`sentra.lib.text.fold` with a fast path for plain ASCII (most of the registry)."""
    if not text:
        return ""
    text = str(text)
    if text.isascii():
        return _SPACES.sub(" ", text).strip().lower()
    return _fold_unicode(text)


def clean(text: str | None) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    folded = fold(text)
    if not folded:
        return ""
    # "Kop." and "P.T." lose their dots; "a.a." joins to "aa" before splitting below.
    return _NON_WORD.sub(" ", folded.replace(".", " ").replace("'", "")).strip()


def _tokens(text: str | None) -> list[str]:
    return clean(text).split()


# --- business names ---------------------------------------------------------------------

# Multi-word legal forms first (matched on token sequences), value = Sentra LegalForm.
_LEGAL_PHRASES: list[tuple[tuple[str, ...], str]] = [
    (("perseroan", "terbatas"), "pt"),
    (("usaha", "dagang"), "ud"),
    (("perusahaan", "dagang"), "ud"),
    (("commanditaire", "vennootschap"), "cv"),
    (("persekutuan", "komanditer"), "cv"),
    (("koperasi", "serba", "usaha"), "koperasi"),
    (("koperasi", "unit", "desa"), "koperasi"),
    (("industri", "rumah", "tangga"), "irt"),
    (("home", "industry"), "irt"),
    (("home", "industri"), "irt"),
    (("p", "t"), "pt"),
    (("c", "v"), "cv"),
    (("u", "d"), "ud"),
]
_PHRASE_STARTS = frozenset(phrase[0] for phrase, _ in _LEGAL_PHRASES)
_LEGAL_WORDS: dict[str, str] = {
    "pt": "pt",
    "cv": "cv",
    "ud": "ud",
    "pd": "ud",
    "fa": "firma",
    "firma": "firma",
    "toko": "toko",
    "tk": "toko",
    "koperasi": "koperasi",
    "kop": "koperasi",
    "ksu": "koperasi",
    "kud": "koperasi",
    "ksp": "koperasi",
    "irt": "irt",
    "tbk": "pt",
    "persero": "pt",
}


@dataclass(frozen=True)
class NameParts:
    core: str
    legal_forms: tuple[str, ...]

    @property
    def tokens(self) -> list[str]:
        return self.core.split()


def business_name(text: str | None) -> NameParts:
    """The name without its legal-form words, and the forms that were found."""
    tokens = _tokens(text)
    kept: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase, form in _LEGAL_PHRASES if tokens[i] in _PHRASE_STARTS else ():
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                forms.append(form)
                i += len(phrase)
                break
        else:
            token = tokens[i]
            if token in _LEGAL_WORDS:
                forms.append(_LEGAL_WORDS[token])
            else:
                kept.append(token)
            i += 1
    # A name that is only a legal form ("Toko") keeps its word rather than vanish.
    if not kept and tokens:
        kept = tokens
    return NameParts(" ".join(kept), tuple(dict.fromkeys(forms)))


# --- person names -----------------------------------------------------------------------

# Balinese caste titles, birth-order names and gender markers, with their abbreviations,
# and common honorifics/titles. Each is a weak token.
BALINESE_PARTS = frozenset(
    """
    i ni luh gede gde putu wayan wyn wy made md kadek kd dek nengah ngh nyoman nym
    komang kmg mang ketut ktut kt ida bagus ayu ib ia anak agung aa cokorda cok
    tjokorda tjok istri desak dsk dewa dw gusti gst sang ngurah ngakan sayu jero mangku
    pande
    """.split()  # noqa: SIM905
)
TITLES = frozenset(
    """
    bapak bpk pak ibu bu sdr sdri hj h haji hajjah drs dra dr ir prof se sh spd mpd
    st mm mba mbak mas bli mbok
    """.split()  # noqa: SIM905
)
WEAK_NAME_TOKENS = BALINESE_PARTS | TITLES
# "Anak Agung", "Ida Bagus", "Ida Ayu", "Cokorda" are written with or without a space
# or as initials; these joins make "A.A. Gede" and "Anak Agung Gede" both weak.
_JOINED = {"anakagung": "aa", "idabagus": "ib", "idaayu": "ia"}


# Long Balinese parts are mistyped too ("Nengaah", "Nyomn"); one keystroke from one of
# these is that part. Short parts are left alone: "Dewi" is a given name, not "Dewa".
_LONG_PARTS = tuple(
    p for p in BALINESE_PARTS if len(p) >= 5 and p not in ("agung", "istri", "pande")
)


@functools.cache
def _weak_part(token: str) -> str:
    if len(token) < 5 or token in WEAK_NAME_TOKENS:
        return token
    return next((p for p in _LONG_PARTS if OSA.distance(token, p, score_cutoff=1) <= 1), token)


@dataclass(frozen=True)
class PersonParts:
    strong: tuple[str, ...]
    weak: tuple[str, ...]

    @property
    def core(self) -> str:
        """The distinguishing part of the name, e.g. "sukarta" for "I Wayan Sukarta"."""
        return " ".join(self.strong) if self.strong else " ".join(self.weak)


def person_name(text: str | None) -> PersonParts:
    """Split a person's name into strong tokens and weak (Balinese/title) tokens."""
    # Academic titles after a comma ("Made Oka, S.Pd.") say nothing about the person.
    raw = fold(text).split(",", 1)[0] if text else ""
    tokens = _tokens(raw)
    strong: list[str] = []
    weak: list[str] = []
    for token in tokens:
        token = _JOINED.get(token, token)
        # Initials ("A.A.", "I G. N.") are weak too: they abbreviate the parts above.
        token = _weak_part(token)
        (weak if token in WEAK_NAME_TOKENS or len(token) == 1 else strong).append(token)
    return PersonParts(tuple(strong), tuple(weak))


# --- addresses --------------------------------------------------------------------------

_ADDRESS_WORDS = {
    "jl": "jl",
    "jln": "jl",
    "jalan": "jl",
    "jlm": "jl",
    "gg": "gg",
    "gang": "gg",
    "no": "no",
    "nomor": "no",
    "nmr": "no",
    "nomer": "no",
    "br": "br",
    "banjar": "br",
    "bjr": "br",
    "lingk": "lingk",
    "lingkungan": "lingk",
    "link": "lingk",
    "kel": "kel",
    "kelurahan": "kel",
    "ds": "desa",
    "kec": "kec",
    "kecamatan": "kec",
    "perum": "perum",
    "perumahan": "perum",
    "blk": "blok",
    "blok": "blok",
}
# RT 001 / RW 02, RT.1/RW.2, RT/RW 001/002 — written "rt 1 rw 2".
_RT_RW_PAIR = re.compile(r"\brt\s*/\s*rw\s*(\d{1,3})\s*/\s*(\d{1,3})\b")
_RT = re.compile(r"\brt\s*(\d{1,3})\b")
_RW = re.compile(r"\brw\s*(\d{1,3})\b")
_NUM_AFTER_NO = re.compile(r"\bno(\d+)")
_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def address(text: str | None) -> str:
    """An address with street words, numbers and RT/RW written one way."""
    folded = fold(text)
    if not folded:
        return ""
    folded = folded.replace("/", " / ")
    folded = re.sub(r"[^0-9a-z/ ]+", " ", folded.replace(".", " "))
    folded = re.sub(r"\s+", " ", folded).strip()
    folded = _RT_RW_PAIR.sub(lambda m: f"rt {int(m[1])} rw {int(m[2])}", folded)
    folded = _RT.sub(lambda m: f"rt {int(m[1])}", folded)
    folded = _RW.sub(lambda m: f"rw {int(m[1])}", folded)
    folded = _NUM_AFTER_NO.sub(r"no \1", folded)
    folded = folded.replace("/", " ")
    out = [_ADDRESS_WORDS.get(token, token) for token in folded.split()]
    return _LEADING_ZEROS.sub(r"\1", " ".join(out))


def street(text: str | None, *, normalised: str | None = None) -> str:
    """The street part of an address: the words after "jl"/"gg" up to "no"."""
    tokens = (normalised if normalised is not None else address(text)).split()
    words: list[str] = []
    for token in tokens:
        if token in ("no", "rt", "rw", "br", "kel", "kec", "desa", "lingk", "blok"):
            break
        if token in ("jl", "gg", "perum") or token.isdigit():
            continue
        words.append(token)
    return " ".join(words)


# --- phone numbers ----------------------------------------------------------------------


def phone(text: str | None) -> str:
    """'+62' and the national number without its leading 0, or '' if implausible."""
    if not text:
        return ""
    digits = _DIGITS.sub("", str(text))
    if digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    digits = digits.lstrip("0")
    # Mobile numbers are 9–12 digits after the country code, landlines (0361 …) 8–11.
    if not 8 <= len(digits) <= 12:
        return ""
    return "+62" + digits


# --- identity evidence from names and numbers -------------------------------------------

# Parts that say the person's sex. "I"/"Ni" are the Balinese markers; Luh, Ayu, Istri,
# Sayu, Desak are women's parts, Bagus, Dewa, Ngurah men's; honorifics likewise.
_MALE_PARTS = frozenset("i bagus ib dewa dw ngurah bapak bpk pak sdr haji h bli mas".split())  # noqa: SIM905
_FEMALE_PARTS = frozenset(
    "ni luh ayu ia istri sayu desak dsk ibu bu sdri hj hajjah mba mbak mbok".split()  # noqa: SIM905
)
# Birth-order names: 1 Wayan/Putu/Gede/Luh, 2 Made/Kadek/Nengah, 3 Nyoman/Komang,
# 4 Ketut, with their abbreviations. Weak evidence: siblings share a house, not an order.
BIRTH_ORDER = {
    **dict.fromkeys("wayan wyn wy putu gede gde luh".split(), 1),  # noqa: SIM905
    **dict.fromkeys("made md kadek kd dek nengah ngh".split(), 2),  # noqa: SIM905
    **dict.fromkeys("nyoman nym komang kmg mang".split(), 3),  # noqa: SIM905
    **dict.fromkeys("ketut ktut kt".split(), 4),  # noqa: SIM905
}


def sex_from_name(parts: PersonParts) -> str:
    """ "L", "P" or "" from the name's markers; "" when they disagree or are absent."""
    male = any(t in _MALE_PARTS for t in parts.weak)
    female = any(t in _FEMALE_PARTS for t in parts.weak)
    return "L" if male and not female else "P" if female and not male else ""


def birth_order(parts: PersonParts) -> int:
    """1–4 from the first birth-order name, 0 when there is none."""
    return next((BIRTH_ORDER[t] for t in parts.weak if t in BIRTH_ORDER), 0)


def sex_code(text: str | None) -> str:
    """A sex field as people fill it ("L", "Laki-laki", "P", "Perempuan", "M", "F",
    "Pria", "Wanita") written "L"/"P"; "" for anything else."""
    value = clean(text)
    if not value:
        return ""
    if value in ("l", "m", "male", "pria", "laki", "laki laki", "lk", "lakilaki", "1"):
        return "L"
    if value in ("p", "f", "female", "wanita", "perempuan", "pr", "w", "2"):
        return "P"
    return ""


_PHONETIC = str.maketrans(
    {"c": "k", "q": "k", "b": "p", "d": "t", "v": "f", "z": "s", "x": "s", "m": "n"}
)
_VOWELS = re.compile(r"[aeiouhwy]+")
_REPEATS = re.compile(r"(.)\1+")
# Old (pre-1972) spellings still common in Balinese names: Tjokorda, Djaja, Soekarta.
_OLD_SPELLING = (("tj", "c"), ("dj", "j"), ("oe", "u"), ("ph", "f"))


def phonetic(text: str) -> str:
    """A crude sound key per word: first letter kept, then vowels, h, w, y dropped,
    similar consonants (c/k/q, b/p, d/t, f/v, s/z/x, m/n) merged, doubles collapsed.
    Survives most single typos and the spelling variants of Indonesian names
    (Suartini/Swartini, Dharma/Darma, Tjok/Cok), so it serves as a blocking key."""
    if not text:
        return ""
    for old, new in _OLD_SPELLING:
        if old in text:
            text = text.replace(old, new)
    out = []
    for word in text.split():
        rest = _VOWELS.sub("", word[1:].translate(_PHONETIC))
        out.append(_REPEATS.sub(r"\1", word[0].translate(_PHONETIC) + rest))
    return " ".join(out)


def identifier(text: str | None) -> str:
    """The digits of an identity number, or "" for fillers ("0000…", "-", "1234…",
    fewer than 6 digits) that clerks type when the real number is unknown."""
    digits = _DIGITS.sub("", str(text or ""))
    if len(digits) < 6 or len(set(digits)) <= 2 or digits in "01234567890123456789":
        return ""
    return digits
