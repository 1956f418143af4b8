"""The business case as plain data (for JSON and the API) and as an Excel workbook."""

import dataclasses
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from traedesten.core.spreadsheet import safe_row
from .calculation import BusinessCase


def as_data(case: BusinessCase) -> dict:
    def convert(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if dataclasses.is_dataclass(value):
            return convert(dataclasses.asdict(value))
        return value
    return convert(dataclasses.asdict(case))


def rows(case: BusinessCase) -> list[tuple[str, object]]:
    return [
        (_("Afsluttede borgere"), case.closed), (_("Heraf med skyggevisitation"), case.assessed),
        (_("Ville have fået et ordinært tilbud"), case.would_have), (_("Kontrafaktisk udgift pr. år"), case.counterfactual_cost),
        (_("Fik et ordinært tilbud"), case.actually_got), (_("Faktisk udgift pr. år"), case.actual_cost),
        (_("Brutto gevinst pr. år"), case.gross_gain), (_("Timer"), case.hours), (_("Værdi af timer"), case.hours_cost),
        (_("Faste udgifter"), case.fixed_cost), (_("Investering"), case.investment),
        (_("Samlet gevinst over varigheden"), case.total_gain), (_("Nettoeffekt"), case.net),
        (_("Gevinst pr. investeret krone"), case.ratio), (_("Tilbagebetalingstid (måneder)"), case.payback_months),
    ]


def workbook(case: BusinessCase) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Business case"
    sheet.append(safe_row([_("Business case"), f"{case.start:%d.%m.%Y} – {case.end:%d.%m.%Y}"]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in rows(case):
        sheet.append(safe_row([label, float(value) if isinstance(value, Decimal) else value]))
    a = case.assumptions
    sheet.append(safe_row([]))
    sheet.append(safe_row([_("Antagelser")]))
    for label, value in ((_("Varighed (år)"), a.persistence_years), (_("Aftagende effekt pr. år"), float(a.decay)),
                         (_("Diskonteringsrente"), float(a.discount_rate)), (_("Timer"), a.hours_basis),
                         (_("Faste udgifter med"), a.include_fixed_costs)):
        sheet.append(safe_row([label, value]))
    projection = book.create_sheet(_("Fremskrivning"))
    projection.append(safe_row([_("År"), _("Gevinst"), "Kommune", "Region", "Stat"]))
    for row in case.projection:
        projection.append(safe_row([row.year, float(row.gain)] + [float(row.by_payer[p]) for p in ("kommune", "region", "stat")]))
    sensitivity = book.create_sheet(_("Følsomhed"))
    sensitivity.append(safe_row([_("Andel af skyggevisitationen der holder"), "1 år", "2 år", "3 år"]))
    for realised, ratios in case.sensitivity:
        sensitivity.append(safe_row([float(realised)] + [float(r) if r is not None else None for r in ratios]))
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 44
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
