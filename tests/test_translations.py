"""English is the second language: every Dutch string has an English translation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Not scanned by `make messages` either, or no source of msgids.
NOT_SOURCES = (".git", ".venv", ".ruff_cache", "__pycache__", "static", "staticfiles", "*.sqlite3")


def _entries(catalog=CATALOG):
    for block in catalog.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        text = "\n".join(lines)
        if 'msgid ""\nmsgstr ""\n"Project-Id' in text or "msgid" not in text:
            continue
        yield text


def _strings(text, key):
    match = re.search(rf'^{key} ((?:".*"\n?)+)', text + "\n", re.MULTILINE)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def _problems(catalog):
    untranslated, fuzzy = [], []
    for text in _entries(catalog):
        msgid = _strings(text, "msgid")
        if "#, fuzzy" in text:
            fuzzy.append(msgid)
        keys = ["msgstr[0]", "msgstr[1]"] if "msgid_plural" in text else ["msgstr"]
        if any(not _strings(text, re.escape(key)) for key in keys):
            untranslated.append(msgid)
    return untranslated, fuzzy


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = _problems(CATALOG)
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_every_string_in_the_sources_is_in_the_catalog(tmp_path):
    """`make messages` on a copy of the sources: a msgid added to the code (or a changed
    one) without a translation in locale/en shows up here. The repository's own catalog
    is never written."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    untranslated, fuzzy = _problems(copy / CATALOG.relative_to(ROOT))
    assert not untranslated, f"run `make messages` and translate: {untranslated[:10]}"
    assert not fuzzy, f"run `make messages` and check the fuzzy entries: {fuzzy[:10]}"


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
