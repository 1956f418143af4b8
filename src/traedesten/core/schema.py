"""Shared pieces of the JSON API: input strings that are safe to store, and error bodies."""

import unicodedata
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field


def _printable(value: str) -> str:
    # isprintable() is a fast check that is stricter (it also refuses separators such as tabs and no-break spaces).
    if not value.isprintable() and any(unicodedata.category(c) in {"Cc", "Cs", "Co", "Cn"} for c in value):
        raise ValueError("Teksten indeholder kontroltegn eller ugyldige tegn.")
    return " ".join(value.split())


def _printable_lines(value: str) -> str:
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines:
        _printable(line)
    return "\n".join(" ".join(line.split()) for line in lines).strip()


Printable = AfterValidator(_printable)
"""One line without control characters, inner whitespace collapsed."""
PrintableLines = AfterValidator(_printable_lines)
"""Free text that may span lines (a citizen's own story); other control characters are refused."""

# Input strings by their longest length, named so that a type checker reads them as `str`:
# `name: Text200` is `Annotated[str, Field(max_length=200), Printable]`. Add a length here when a field needs one.
Text4 = Annotated[str, Field(max_length=4), Printable]
Text11 = Annotated[str, Field(max_length=11), Printable]
Text20 = Annotated[str, Field(max_length=20), Printable]
Text30 = Annotated[str, Field(max_length=30), Printable]
Text40 = Annotated[str, Field(max_length=40), Printable]
Text100 = Annotated[str, Field(max_length=100), Printable]
Text200 = Annotated[str, Field(max_length=200), Printable]
Text300 = Annotated[str, Field(max_length=300), Printable]
Text500 = Annotated[str, Field(max_length=500), Printable]
Text1000 = Annotated[str, Field(max_length=1000), Printable]
LongText1000 = Annotated[str, Field(max_length=1000), PrintableLines]
LongText2000 = Annotated[str, Field(max_length=2000), PrintableLines]


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []

