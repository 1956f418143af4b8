"""Danish is the source language; every UI string must have its English translation."""

import re
from pathlib import Path

import traedesten

CATALOGUE = Path(traedesten.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete():
    untranslated = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]:
        if "#, fuzzy" in block:
            untranslated.append(block)
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, flags=re.M)
        continuation = re.search(r'^msgstr(?:\[\d\])? ""\n"', block, flags=re.M)
        if strs and not any(strs) and not continuation:
            untranslated.append(block)
    assert not untranslated, "\n\n".join(untranslated)


def test_compiled_catalogue_is_newer_than_the_source():
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 1


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the source finds no msgid the committed catalogue lacks."""
    import shutil
    import subprocess
    import sys

    import pytest

    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed")
    source = Path(traedesten.__file__).parent
    copy = tmp_path / "traedesten"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
                   cwd=copy, check=True, capture_output=True, env={"DJANGO_SETTINGS_MODULE": "traedesten.settings",
                                                                    "PATH": "/usr/bin:/bin"})
    fresh = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert _msgids(fresh) - _msgids(CATALOGUE) == set()


def _msgids(path: Path) -> set[str]:
    """The msgids of a .po file, with wrapped continuation lines joined."""
    found = re.findall(r'^msgid ((?:".*"\n?)+)', path.read_text(encoding="utf-8"), flags=re.M)
    return {"".join(re.findall(r'"(.*)"', raw)) for raw in found} - {""}
