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


def text(max_length: int):
    return Annotated[str, Field(max_length=max_length), AfterValidator(_printable)]


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


def _printable_lines(value: str) -> str:
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines:
        _printable(line)
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def long_text(max_length: int):
    """Free text that may span lines (a citizen's own story); other control characters are refused."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_printable_lines)]
