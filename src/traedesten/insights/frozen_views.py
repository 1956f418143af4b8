"""Frozen reports: freeze the report on screen, list what was frozen, and re-run one to see that it is unchanged."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from traedesten.accounts.http import AuthedRequest
from traedesten.gate import Tool
from traedesten.gate.web import uses

from . import frozen
from .forms import ReportForm
from .models import FrozenReport
from .tables import Table


@uses(Tool.KEY_FIGURES)
@require_http_methods(["GET", "POST"])
def frozen_reports(request: AuthedRequest):
    verification = None
    if request.method == "POST" and request.POST.get("verify", "").isdigit():
        verification = frozen.verify(get_object_or_404(FrozenReport, pk=int(request.POST["verify"])))
    elif request.method == "POST":
        form = ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Rapporten kan ikke fryses med de valgte filtre."))
            return redirect("insights:report")
        report = frozen.freeze(request.user, form.scope(), request.POST.get("note", ""))
        messages.success(request, _("Rapporten er frosset med kontrolsum %(sum)s.") % {"sum": report.checksum[:12]})
        return redirect(f"{reverse('insights:frozen')}?vis={report.pk}")
    shown = verification.report if verification else None
    if shown is None and request.GET.get("vis", "").isdigit():
        shown = get_object_or_404(FrozenReport, pk=int(request.GET["vis"]))
    return render(request, "insights/frozen.html", {
        "reports": FrozenReport.objects.select_related("created_by")[:100], "verification": verification, "shown": shown,
        "tables": [Table.from_data(t) for t in shown.figures["kpis"]] if shown else []})
