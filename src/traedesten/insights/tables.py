"""Report tables: labelled rows of counts, hours and shares, with small cells already suppressed."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from traedesten.core.suppression import _complete_line, suppress_line

HIDDEN = "<5"
NONE = "–"
"""No value because nothing was measured (unlike None, which is a suppressed value)."""


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "count"
    """count (citizens or contacts), hours, share (per cent), number (mean, median …)."""


@dataclass
class Row:
    label: str
    values: list
    """None where the value is suppressed."""
    key: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows or all(not any(v for v in row.values) for row in self.rows)

    def as_data(self) -> dict:
        def row(r: Row) -> dict:
            return {"label": str(r.label), "key": r.key, "values": [_plain(v) for v in r.values]}
        return {"key": self.key, "title": str(self.title), "columns": [{"label": str(c.label), "kind": c.kind} for c in self.columns],
                "rows": [row(r) for r in self.rows], "total": row(self.total) if self.total else None, "note": str(self.note)}


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def shown(value, kind: str = "count") -> str:
    """A value as the report shows it, in the active language's number format."""
    if value is None:
        return HIDDEN
    if isinstance(value, str):
        return value
    if kind == "share":
        return f"{number_format(value, 0)} %"
    if kind in ("hours", "number") and isinstance(value, Decimal):
        return number_format(value, 1 if value != value.to_integral_value() else 0, use_l10n=True, force_grouping=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


def share(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def hide_like(values: list, hidden: list[bool]) -> tuple[list, bool]:
    """Hide values where `hidden` says so, plus one more if the sum would reveal a lone hidden value."""
    flags = list(hidden)
    _complete_line(values, flags, False)
    lone = sum(1 for i, h in enumerate(flags) if h and values[i]) == 1
    return [None if h else v for v, h in zip(values, flags)], lone


def counts(key: str, title: str, items: list[tuple[str, str, int]], *, column: str, with_share: bool = True,
           total_label: str = "", note: str = "") -> Table:
    """A breakdown of one count (key, label, n per row) with a total, shares and complementary suppression."""
    values = [n for _k, _l, n in items]
    hidden, total_hidden = suppress_line(values)
    total = sum(values)
    published_total = None if total_hidden else total
    columns = [Column(column)] + ([Column(_("Andel"), "share")] if with_share else [])
    rows = []
    for (k, label, n), h in zip(items, hidden):
        shown_n = None if h else n
        rows.append(Row(label, [shown_n] + ([share(shown_n, published_total)] if with_share else []), k))
    total_row = Row(total_label, [published_total] + ([Decimal(100) if published_total else None] if with_share else []),
                    "total") if total_label else None
    return Table(key, title, columns, rows, total_row, note)
