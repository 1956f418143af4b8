"""Cells that a spreadsheet program will not run: CSV and Excel exports pass every value through here."""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*( ?%)?")


def safe_cell(value):
    """A text that a spreadsheet would read as a formula gets a leading apostrophe. Numbers, dates and texts that are
    plainly a number ("-3,5", "+12 %") are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]
