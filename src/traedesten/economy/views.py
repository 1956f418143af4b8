from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from traedesten.accounts.http import AuthedRequest
from traedesten.courses.models import Course
from traedesten.gate import Action, Section, Tool, record_read
from traedesten.gate.web import citizen, uses
from traedesten.insights import kpis
from traedesten.insights.scope import Scope
from traedesten.usecases import courses as cases

from . import calculation, metrics, report
from .forms import BusinessCaseForm, ShadowForm


def _case(request: AuthedRequest):
    form = BusinessCaseForm(request.GET or None, initial=BusinessCaseForm.defaults())
    if not request.GET:
        form = BusinessCaseForm(BusinessCaseForm.defaults())
    if not form.is_valid():
        return form, None, None
    d = form.cleaned_data
    assumptions = calculation.Assumptions(d["varighed"], d["aftager"], d["rente"], d["timer"], d["faste"])
    try:
        case = calculation.business_case(d["fra"], d["til"], offer=d["tilbud"], assumptions=assumptions)
        return form, report.publish(case), None
    except (calculation.NoData, calculation.MissingPrice) as exc:
        return form, None, str(exc)


@uses(Tool.ECONOMY)
@require_GET
def business_case(request: AuthedRequest):
    form, case, problem = _case(request)
    context = {"form": form, "case": case, "problem": problem, "query": request.GET.urlencode()}
    if case:
        context |= {
            "rows": report.rows(case), "bars": _bars(case),
            "hours_per_citizen": metrics.per_citizen(case.hours, case.closed),
            "cost_per_course": (case.investment / case.closed).quantize(Decimal(1)) if case.closed else None,
            "caseload": metrics.caseload_per_worker(case.end),
            "followed": _followed_by_grant(case.start, case.end),
        }
    return render(request, "economy/business_case.html", context)


def _followed_by_grant(start, end):
    """The key figure "followed by a grant" (docs/kpis.md, `followed_by_grant`), published, beside the business case."""
    [(_kpi, table)] = kpis.report(Scope(start, end), ["followed_by_grant"])
    return table


def _bars(case) -> list[dict]:
    """Horizontal bars for the SVG chart: geometry is computed here so the template stays declarative."""
    values = [(_("Ville have kostet"), case.counterfactual_cost, "#8a4b00"), (_("Kostede"), case.actual_cost, "#4f5f6b"),
              (_("Gevinst pr. år"), case.gross_gain, "#1f6f5c"), (_("Investering"), case.investment, "#0b5394")]
    top = max([float(v) for _l, v, _c in values] + [1])
    bars = []
    for n, (label, value, colour) in enumerate(values):
        width = round(max(float(value), 0) / top * 300, 1)
        bars.append({"label": label, "value": value, "colour": colour, "width": width, "y": 10 + n * 46,
                     "text_y": 30 + n * 46, "value_x": 176 + width})
    return bars


@uses(Tool.ECONOMY)
@require_GET
def excel(request: AuthedRequest):
    form, case, problem = _case(request)
    if case is None:
        messages.error(request, problem or _("Ret filtrene."))
        return redirect("economy:business_case")
    response = HttpResponse(report.workbook(case),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="business-case-{case.start}-{case.end}.xlsx"'
    return response


@login_required
def shadow(request: AuthedRequest, course_id: int):
    """Shadow visitation for a closed course: what the citizen would have had, and what they got."""
    course = get_object_or_404(Course.objects.select_related("offer"), pk=course_id, status=Course.Status.CLOSED)
    c = citizen(request, course.person_id, Section.COURSES, action=Action.WRITE)
    person = c.person
    existing = getattr(course, "shadow", None)
    initial = {"would_have": existing.would_have_id, "actually_got": existing.actually_got_id,
               "confidence": existing.confidence, "note": existing.note} if existing else {}
    form = ShadowForm(request.POST or None, initial=initial, user=request.user)
    if existing and existing.assessed_by_id:
        form.fields["assessed_by"].initial = existing.assessed_by_id
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cases.assess_shadow_visitation(c, course, would_have=d["would_have"], actually_got=d["actually_got"],
                                           confidence=d["confidence"], note=d["note"], assessed_by=d["assessed_by"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Skyggevisitationen er gemt."))
            return redirect("people:overview", person_id=person.pk)
    record_read(c, "shadow_visitation", [Section.IDENTITY, Section.COURSES])
    return render(request, "economy/shadow.html", {"form": form, "course": course, "person": person,
                                                   "today": timezone.localdate()})
