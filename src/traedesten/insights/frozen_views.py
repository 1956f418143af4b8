"""Frozen reports: freeze the report on screen, list what was frozen, and re-run one to see that it is unchanged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import frozen
from .forms import ReportForm
from .models import FrozenReport
from .tables import Table


@login_required
def frozen_reports(request):
    if not request.user.caps.sees_aggregates:
        raise PermissionDenied
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
