"""Report tables: labelled rows of exact counts, hours and numbers, and the published version of them.

A KPI builds its table from exact figures and leaves share columns empty. `exact()` fills the shares from the exact
counts (for tests and for checking a definition); `published()` rounds every figure by the disclosure rule
(traedesten.core.disclosure) and computes the shares from the rounded counts. Only published tables leave the
system: the page, the exports, `traedesten kpi` and frozen reports.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from traedesten.core import disclosure
from traedesten.core.text import Label

HIDDEN = ".."
"""A number not shown because it rests on too few observations, or a share on too small a base."""
ROUNDING_NOTE = _("Alle antal er afrundet til nærmeste 5 (0 står for 0-2), timer til nærmeste 5 og beløb til nærmeste "
                  "1.000 kr. Andele er beregnet af de afrundede tal. Totaler er afrundet for sig og kan afvige fra "
                  "summen. \"..\" er et tal, der bygger på for få observationer.")
NONE = "–"
"""No value because nothing was measured, or the column does not apply to the row."""


@dataclass(frozen=True)
class Column:
    label: Label
    kind: str = "count"
    """count (citizens, contacts, courses), hours, amount (kroner), share (per cent), number (mean, median …)."""
    of: int | None = 0
    """hours, amount, number: the count column they belong to. share: the count column it is a share of."""
    base: int | str = "total"
    """share: what it is a share of: a column of the same row (int), the total row ("total"), or a row ("row:KEY")."""


@dataclass
class Row:
    label: Label
    values: list
    """None where a value is not shown (see HIDDEN); NONE where the column does not apply."""
    key: str = ""


@dataclass
class Table:
    key: str
    title: Label
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    note: Label = ""

    @property
    def empty(self) -> bool:
        return not self.rows or all(not any(v for v in row.values if not isinstance(v, str)) for row in self.rows)

    def all_rows(self) -> list[Row]:
        return self.rows + ([self.total] if self.total else [])

    def as_data(self) -> dict:
        def row(r: Row) -> dict:
            return {"label": str(r.label), "key": r.key, "values": [_plain(v) for v in r.values]}
        return {"key": self.key, "title": str(self.title), "columns": [{"label": str(c.label), "kind": c.kind} for c in self.columns],
                "rows": [row(r) for r in self.rows], "total": row(self.total) if self.total else None, "note": str(self.note)}

    @classmethod
    def from_data(cls, data: dict) -> "Table":
        """A table back from `as_data()` (a frozen report), with its numbers as Decimals again."""
        def row(r: dict) -> Row:
            return Row(r["label"], [Decimal(str(v)) if isinstance(v, float) else v for v in r["values"]], r["key"])
        return cls(data["key"], data["title"], [Column(c["label"], c["kind"]) for c in data["columns"]],
                   [row(r) for r in data["rows"]], row(data["total"]) if data["total"] else None, data["note"])

    def exact(self) -> "Table":
        """The exact figures, with shares of the exact counts (never published)."""
        return self._derive(lambda column, value, row: value, _exact_share, published=False)

    def published(self) -> "Table":
        """The figures as every output shows them: rounded by the disclosure rule, shares of the rounded counts."""
        return self._derive(_publish_value, disclosure.share, published=True)

    def _derive(self, transform, share_of, *, published: bool) -> "Table":
        counts_first = [[(transform(c, v, r) if c.kind == "count" else v) for c, v in zip(self.columns, r.values)]
                        for r in self.all_rows()]
        exact_rows = self.all_rows()
        out = []
        for values, exact_row in zip(counts_first, exact_rows):
            row = list(values)
            for i, column in enumerate(self.columns):
                value = values[i]
                if column.kind in ("hours", "amount", "number") and published and not isinstance(value, str):
                    row[i] = _follow(column, value, values, exact_row.values)
                elif column.kind == "share":
                    part, whole = self._share_terms(column, values, counts_first)
                    row[i] = NONE if isinstance(part, str) or isinstance(whole, str) else share_of(part, whole)
            out.append(row)
        rows = [replace(r, values=v) for r, v in zip(self.rows, out)]
        total = replace(self.total, values=out[-1]) if self.total else None
        return replace(self, rows=rows, total=total)

    def _share_terms(self, column: Column, values: list, table_values: list[list]) -> tuple[object, object]:
        of = column.of
        assert of is not None, "a share column names the count column it is a share of"
        part = values[of]
        if isinstance(column.base, int):
            return part, values[column.base]
        if column.base == "total":
            return part, table_values[-1][of] if self.total else None
        key = column.base.removeprefix("row:")
        for r, row_values in zip(self.all_rows(), table_values):
            if r.key == key:
                return part, row_values[of]
        return part, None


def _publish_value(column: Column, value, row: Row):
    if value is None or isinstance(value, str):
        return value
    return disclosure.count(value)


def _follow(column: Column, value, published_row: list, exact_row: list):
    """Hours and amounts are rounded and 0 where their count is; numbers need enough observations behind them."""
    if value is None:
        return None
    count = published_row[column.of] if column.of is not None else None
    if column.kind == "hours":
        return disclosure.hours(value, count if isinstance(count, int) else 1)
    if column.kind == "amount":
        return disclosure.amount(value, count if isinstance(count, int) else None)
    observations = exact_row[column.of] if column.of is not None else None
    if isinstance(observations, int) and not disclosure.enough(observations):
        return None
    return value


def _exact_share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)


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
    if kind in ("hours", "number", "amount") and isinstance(value, Decimal):
        return number_format(value, 1 if value != value.to_integral_value() else 0, use_l10n=True, force_grouping=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


def in_bands(values: list, bands: tuple, between: Label, at_least: Label) -> list[tuple[str, Label, int]]:
    """(key, label, count) per band: the lower bound included, the upper not; a last band without one is open.

    `between` and `at_least` are the label texts, with %(low)s and %(high)s."""
    out: list[tuple[str, Label, int]] = []
    for low, high in bands:
        label = between % {"low": low, "high": high} if high else at_least % {"low": low}
        out.append((f"{low}-{high or ''}", label, sum(1 for v in values if v >= low and (high is None or v < high))))
    return out


def median(values: list) -> Decimal:
    """The middle value, or the mean of the two middle values, to one decimal (halves up)."""
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counts(key: str, title: Label, items: Sequence[tuple[str, Label, int]], *, column: Label, with_share: bool = True,
           total_label: Label = "", note: Label = "") -> Table:
    """A breakdown of one count (key, label, n per row) with a total and, optionally, each row's share of it."""
    columns = [Column(column)] + ([Column(_("Andel"), "share")] if with_share else [])
    rows = [Row(label, [n] + ([None] if with_share else []), k) for k, label, n in items]
    total = sum(n for _k, _l, n in items)
    total_row = Row(total_label, [total] + ([None] if with_share else []), "total") if total_label else None
    return Table(key, title, columns, rows, total_row, note)
