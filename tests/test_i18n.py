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
