"""English is the second language: every Dutch string has an English translation."""

import re
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        text = "\n".join(lines)
        if 'msgid ""\nmsgstr ""\n"Project-Id' in text or "msgid" not in text:
            continue
        yield text


def _strings(text, key):
    match = re.search(rf'^{key} ((?:".*"\n?)+)', text + "\n", re.MULTILINE)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for text in _entries():
        msgid = _strings(text, "msgid")
        if "#, fuzzy" in text:
            fuzzy.append(msgid)
        keys = ["msgstr[0]", "msgstr[1]"] if "msgid_plural" in text else ["msgstr"]
        if any(not _strings(text, re.escape(key)) for key in keys):
            untranslated.append(msgid)
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_compiled_catalog_matches_the_source():
    import gettext

    with open(CATALOG.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    missing = []
    for text in _entries():
        msgid, msgstr = (
            _unescape(_strings(text, "msgid")),
            _unescape(_strings(text, "msgstr") or _strings(text, re.escape("msgstr[0]"))),
        )
        if "msgid_plural" in text:
            got = compiled.ngettext(msgid, _unescape(_strings(text, "msgid_plural")), 1)
        else:
            got = compiled.gettext(msgid)
        if got != msgstr:
            missing.append(msgid)
    assert not missing, f"run `make messages`: {missing[:5]}"


def _unescape(value):
    return value.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
