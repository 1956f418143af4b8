from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from traedesten.accounts.http import AuthedRequest
from traedesten.gate import Tool, require_tool

from . import charts, exports, kpis
from .forms import ReportForm


def _analyst(request: AuthedRequest) -> None:
    require_tool(request.user, Tool.KEY_FIGURES)


def _computed(request: AuthedRequest):
    form = ReportForm.for_request(request.GET)
    if not form.is_valid():
        return form, None, []
    scope = form.scope()
    return form, scope, kpis.report(scope)


def _context(form, scope, results) -> dict:
    return {"form": form, "scope": scope, "empty": scope is not None and not kpis.has_data(results),
            "results": [(kpi, table, charts.draw(kpi.chart, table)) for kpi, table in results]}


@login_required
@require_GET
def report(request: AuthedRequest):
    """The filters; the figures load into the page with a progress indicator (they can take seconds over years)."""
    _analyst(request)
    form = ReportForm.for_request(request.GET)
    form.is_valid()
    return render(request, "insights/report.html", {"form": form, "query": _query(form)})


def _query(form) -> str:
    return urlencode({k: v for k, v in form.data.items() if v})


@login_required
@require_GET
def figures(request: AuthedRequest):
    _analyst(request)
    form, scope, results = _computed(request)
    return render(request, "insights/_figures.html", {**_context(form, scope, results), "query": _query(form)})


@login_required
@require_GET
def printable(request: AuthedRequest):
    _analyst(request)
    form, scope, results = _computed(request)
    return render(request, "insights/print.html", _context(form, scope, results))


@login_required
@require_GET
def export(request: AuthedRequest, fmt: str):
    _analyst(request)
    form, scope, results = _computed(request)
    if scope is None:
        return render(request, "insights/report.html", {"form": form, "query": _query(form)}, status=400)
    name = f"traedesten-noegletal-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.csv_bytes(scope, results), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.xlsx_bytes(scope, results),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
