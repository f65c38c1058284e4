"""Match area names as people write them to Kemendagri codes.

"Dauh Puri Klod" = "Dauh Puri Kelod", "Kec. Denpasar Barat", "Densel", "PADANG SAMBIAN"
= "Padangsambian", "51.71.03.1005" or "5171031005". Reusable: the importer and the
deduplication both use it. Build one `AreaMatcher` per job (two queries), then match
in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA

from sentra.lib.text import fold

_PREFIX = re.compile(
    r"^(?:kelurahan|kel|desa|ds|kecamatan|kec|kabupaten|kab|kota|kodya|provinsi|prov|"
    r"propinsi)\b[.\s]*"
)
_PUNCT = re.compile(r"[^a-z0-9 ]+")
# Balinese direction words and their common spellings.
_WORDS = {
    "klod": "kelod",
    "kelod": "kelod",
    "kaje": "kaja",
    "kaja": "kaja",
    "kanginan": "kangin",
    "kauhan": "kauh",
    "dps": "denpasar",
    "selatan": "selatan",
    "sel": "selatan",
    "sltn": "selatan",
    "slt": "selatan",
    "tim": "timur",
    "tmr": "timur",
    "bar": "barat",
    "brt": "barat",
    "ut": "utara",
    "utr": "utara",
}
# Short forms used in Denpasar for its kecamatan.
_SHORT = {
    "densel": "denpasarselatan",
    "dentim": "denpasartimur",
    "denbar": "denpasarbarat",
    "denut": "denpasarutara",
    "denpasarsel": "denpasarselatan",
}
_CODE = re.compile(r"^\d{2}\.?\d{2}(?:\.?\d{2}(?:\.?\d{4})?)?$")


def area_key(text: str) -> str:
    """The comparison form of an area name: folded, prefixes and spaces removed."""
    text = fold(text)
    text = _PUNCT.sub(" ", text.replace(".", ". "))
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text.strip())
    words = [_WORDS.get(w, w) for w in text.split()]
    key = "".join(words)
    return _SHORT.get(key, key)


def _code_from(text: str) -> str | None:
    raw = text.strip().replace(" ", "")
    if not _CODE.match(raw):
        return None
    digits = raw.replace(".", "")
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


@dataclass(frozen=True)
class AreaMatch:
    code: str | None
    error: str = ""


class AreaMatcher:
    """Desa/kelurahan and kecamatan of one city, matched by name or code."""

    def __init__(self, city_code: str | None = None) -> None:
        from sentra.areas.models import Area, Level

        self.city_code = city_code or settings.SENTRA_CITY_CODE
        rows = list(
            Area.objects.filter(code__startswith=self.city_code).values_list(
                "code", "name", "level", "parent_id"
            )
        )
        city = Area.objects.filter(code=self.city_code).values_list("name", flat=True).first()
        self.city_name = city or self.city_code
        self.names = {code: name for code, name, _, _ in rows}
        self.kecamatan: dict[str, str] = {}
        self.desa: dict[str, list[str]] = {}
        self.desa_codes: set[str] = set()
        for code, name, level, _parent in rows:
            if level == Level.DISTRICT:
                self.kecamatan[area_key(name)] = code
            elif level == Level.VILLAGE:
                self.desa.setdefault(area_key(name), []).append(code)
                self.desa_codes.add(code)
        self._city_keys = {area_key(self.city_name), area_key(self.city_name.split()[-1])}

    def _one_typo_from(self, key: str) -> str:
        """The one area name a keystroke away from `key` ("Sesetn" → Sesetan), when no
        other name is within two: Denpasar's names differ by a word (Dangin Puri Kaja /
        Kauh), so a single slip is safe to read and two are not. "" when none or unsure."""
        if len(key) < 5:
            return ""
        names = [*self.desa, *self.kecamatan]
        distances = [(OSA.distance(key, name, score_cutoff=2), name) for name in names]
        near = [name for d, name in distances if d <= 2]
        close = [name for d, name in distances if d <= 1]
        return close[0] if len(close) == 1 and len(near) == 1 else ""

    def is_city(self, text: str) -> bool:
        if not text or not text.strip():
            return True
        code = _code_from(text)
        if code:
            return code == self.city_code
        return area_key(text) in self._city_keys

    def match_kecamatan(self, text: str) -> AreaMatch:
        code = _code_from(text)
        if code:
            if code in self.kecamatan.values():
                return AreaMatch(code)
            return AreaMatch(
                None,
                _("Kode kecamatan %(code)s tidak ada di %(city)s.")
                % {"code": text.strip(), "city": self.city_name},
            )
        key = area_key(text)
        found = self.kecamatan.get(key) or self.kecamatan.get(self._one_typo_from(key))
        if found:
            return AreaMatch(found)
        return AreaMatch(
            None,
            _("Kecamatan '%(name)s' tidak ada di %(city)s.")
            % {"name": text.strip(), "city": self.city_name},
        )

    def match_desa(self, text: str, *, kecamatan: str | None = None) -> AreaMatch:
        """A desa/kelurahan by name or code; `kecamatan` (a code) narrows and checks it."""
        code = _code_from(text)
        if code:
            if code in self.desa_codes:
                candidates = [code]
            else:
                return AreaMatch(
                    None,
                    _("Kode desa/kelurahan %(code)s tidak ada di %(city)s.")
                    % {"code": text.strip(), "city": self.city_name},
                )
        else:
            key = area_key(text)
            candidates = self.desa.get(key) or self.desa.get(self._one_typo_from(key), [])
        if not candidates:
            return AreaMatch(
                None,
                _("Desa/kelurahan '%(name)s' tidak ada di %(city)s.")
                % {"name": text.strip(), "city": self.city_name},
            )
        if kecamatan:
            inside = [c for c in candidates if c.rsplit(".", 1)[0] == kecamatan]
            if not inside:
                return AreaMatch(
                    None,
                    _("Desa/kelurahan '%(name)s' tidak terletak di Kecamatan %(kecamatan)s.")
                    % {"name": text.strip(), "kecamatan": self.names.get(kecamatan, kecamatan)},
                )
            candidates = inside
        if len(candidates) > 1:
            return AreaMatch(
                None,
                _(
                    "Nama desa/kelurahan '%(name)s' ada di lebih dari satu kecamatan; isi juga "
                    "kolom kecamatan."
                )
                % {"name": text.strip()},
            )
        return AreaMatch(candidates[0])
