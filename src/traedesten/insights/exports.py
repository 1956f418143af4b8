"""CSV and Excel versions of a report: the same published (rounded) figures as the page."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from traedesten.core.spreadsheet import safe_row

from .kpis import Kpi
from .scope import Scope
from .tables import ROUNDING_NOTE, Table, shown


def _raw(value, kind: str):
    """Numbers stay numbers in Excel; values not shown and missing values become their text."""
    if value is None or isinstance(value, str):
        return shown(value, kind)
    return float(value) if kind in ("hours", "number", "share") else value


def _describe(scope: Scope) -> list[tuple[str, str]]:
    return [(_("Periode"), f"{scope.start:%d.%m.%Y} – {scope.end:%d.%m.%Y}")] + [
        (key, str(value)) for key, value in scope.as_dict().items() if value and key not in ("from", "to")]


def csv_bytes(scope: Scope, results: list[tuple[Kpi, Table]]) -> bytes:
    """One line per figure (KPI, row, column, value); semicolon-separated with a BOM so Danish Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(safe_row(["kpi", _("titel"), _("række"), _("kolonne"), _("værdi")]))
    for kpi, table in results:
        for row in table.rows + ([table.total] if table.total else []):
            for column, value in zip(table.columns, row.values):
                writer.writerow(safe_row([kpi.key, table.title, row.label, column.label, shown(value, column.kind)]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(scope: Scope, results: list[tuple[Kpi, Table]]) -> bytes:
    book = Workbook()
    about = book.active
    about.title = _("Om rapporten")[:31]
    about.append(safe_row([_("Trædesten – nøgletal")]))
    about["A1"].font = Font(bold=True, size=14)
    for label, value in _describe(scope):
        about.append(safe_row([label, value]))
    about.append(safe_row([str(ROUNDING_NOTE)]))
    for kpi, table in results:
        sheet = book.create_sheet(kpi.key[:31])
        sheet.append(safe_row([str(table.title)]))
        sheet["A1"].font = Font(bold=True)
        sheet.append(safe_row([""] + [str(c.label) for c in table.columns]))
        for row in table.rows + ([table.total] if table.total else []):
            sheet.append(safe_row([str(row.label)] + [_raw(v, c.kind) for v, c in zip(row.values, table.columns)]))
        if table.note:
            sheet.append(safe_row([]))
            sheet.append(safe_row([str(table.note)]))
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
