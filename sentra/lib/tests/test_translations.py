"""The English catalog must translate every string marked for translation.

Source strings (msgids) are Bahasa Indonesia; English lives in locale/en/LC_MESSAGES.
After adding or changing any gettext()/_()/{% translate %}/{% blocktranslate %} string:

    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=bench \
        --ignore=staticfiles --ignore=var --no-obsolete
    # fill every empty msgstr in locale/en/LC_MESSAGES/django.po, delete "#, fuzzy" lines
    .venv/bin/python manage.py compilemessages -l en --ignore=.venv

and commit both django.po and django.mo.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
HOW_TO_FIX = (
    "run `manage.py makemessages -l en --ignore=.venv --ignore=bench --ignore=staticfiles "
    "--ignore=var --no-obsolete`, translate the new entries in locale/en/LC_MESSAGES/django.po "
    "(no empty msgstr, no '#, fuzzy'), then `manage.py compilemessages -l en --ignore=.venv`"
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete #~ skipped)."""
    entries: list[Entry] = []
    current = Entry()
    last: tuple[str, int] | None = None  # which field a continuation line extends
    started = False

    def finish() -> None:
        nonlocal current, last, started
        if started:
            entries.append(current)
        current, last, started = Entry(), None, False

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started and last is not None and last[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            current.line = current.line or number
            continue
        match = keyword.match(line)
        if match:
            name, index, literal = match.group(1), int(match.group(2) or 0), match.group(3)
            if name in ("msgid", "msgctxt") and last is not None and last[0] == "msgstr":
                finish()
            started = True
            current.line = current.line or number
            value = ast.literal_eval(literal)
            if name == "msgstr":
                current.msgstr[index] = value
            else:
                setattr(current, name, value)
            last = (name, index)
            continue
        if line.startswith('"') and last is not None:
            value = ast.literal_eval(line)
            name, index = last
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        raise AssertionError(f"{path}:{number}: cannot read line {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: {HOW_TO_FIX}"
    return parse_po(PO)


def test_the_english_catalog_exists_and_is_compiled():
    assert ("en", "English") in [(code, str(name)) for code, name in settings.LANGUAGES]
    assert PO.exists(), f"{PO} is missing: {HOW_TO_FIX}"
    assert MO.exists(), f"{MO} is missing: run `manage.py compilemessages -l en --ignore=.venv`"


@pytest.mark.parametrize(
    ("source", "english"),
    [
        ("Daftar IKM", "IKM list"),
        ("Kecamatan", "Kecamatan"),  # a domain word kept as it is, but it must be in the catalog
        ("Kata sandi", "Password"),
        ("Nilai tidak boleh negatif.", "The value cannot be negative."),
    ],
)
def test_foundation_strings_are_translated(entries, source, english):
    catalog = {entry.key: entry for entry in entries}
    assert (None, source) in catalog, f"{source!r} is not in {PO}: {HOW_TO_FIX}"
    with translation.override("en"):
        assert translation.gettext(source) == english
    with translation.override("id"):
        assert translation.gettext(source) == source


@pytest.mark.django_db
def test_the_ikm_list_is_shown_in_english_after_choosing_english(client, viewer):
    client.force_login(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/ikm/"})
    content = client.get("/ikm/").content.decode()
    assert "IKM list" in content
    assert "Daftar IKM" not in content


def test_nik_message_is_translated(entries):
    source = "NIK harus terdiri atas 16 angka."
    assert (None, source) in {entry.key for entry in entries}, HOW_TO_FIX
    with translation.override("en"):
        assert translation.gettext(source) == "The NIK must consist of 16 digits."


def test_every_entry_is_translated_and_not_fuzzy(entries):
    problems = []
    for entry in entries:
        where = f"django.po:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy (check the translation, then delete the flag)")
        if entry.msgid == "":
            continue  # the header
        forms = [0, 1] if entry.msgid_plural is not None else [0]
        if any(not entry.msgstr.get(index, "").strip() for index in forms):
            problems.append(f"{where}: empty msgstr")
    assert not problems, f"{len(problems)} untranslated entries ({HOW_TO_FIX}):\n" + "\n".join(
        problems
    )


def test_placeholders_are_kept(entries):
    placeholder = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
    problems = []
    for entry in entries:
        if entry.msgid == "" or "python-format" not in entry.flags:
            continue
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            expected = sorted(set(placeholder.findall(source)))
            if sorted(set(placeholder.findall(text))) != expected:
                problems.append(f"django.po:{entry.line} msgstr[{index}] {text!r}")
    assert not problems, "placeholders differ from the msgid:\n" + "\n".join(problems)


def test_the_compiled_catalog_matches_the_po(entries):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid == "" or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural is not None:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            want = [entry.msgstr.get(0), entry.msgstr.get(1)]
        elif entry.msgctxt is not None:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr.get(0)
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr.get(0)
        if got != want:
            stale.append(entry.msgid)
    assert not stale, (
        f"django.mo is older than django.po for {len(stale)} entries, e.g. {stale[:3]}: "
        "run `manage.py compilemessages -l en --ignore=.venv`"
    )


# Strings marked in the source but missing from the catalog (makemessages was not run).
# Only plain literals are checked; blocktranslate blocks are left to makemessages.
SKIP_DIRS = {".venv", "bench", "staticfiles", "var", "node_modules", "__pycache__"}
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
TEMPLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')([^%]*)%\}"""
)
TEMPLATE_FILTER_ARG = re.compile(r"""\b_\(("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\)""")


def _source_files(suffixes: tuple[str, ...]):
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in suffixes:
                yield path, path.relative_to(ROOT)


def _marked_strings():
    for path, relative in _source_files((".py",)):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            literal = first.value if isinstance(first, ast.Constant) else None
            if name in GETTEXT_NAMES and isinstance(literal, str) and literal:
                yield literal, f"{relative}:{node.lineno}"
    for path, relative in _source_files((".html", ".txt")):
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_TAG.finditer(text):
            if "context" in match.group(2).split():
                continue
            line = text.count("\n", 0, match.start()) + 1
            # The template engine doubles single "%" in msgids, as makemessages does.
            msgid = re.sub(r"(?<!%)%(?!%)", "%%", match.group(1)[1:-1])
            yield msgid, f"{relative}:{line}"
        for match in TEMPLATE_FILTER_ARG.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            yield match.group(1)[1:-1], f"{relative}:{line}"


def test_every_marked_string_is_in_the_catalog(entries):
    known = {entry.msgid for entry in entries}
    missing = sorted(
        {f"{where} {msgid!r}" for msgid, where in _marked_strings() if msgid not in known}
    )
    assert not missing, (
        f"{len(missing)} marked strings are not in {PO} ({HOW_TO_FIX}):\n" + "\n".join(missing)
    )
