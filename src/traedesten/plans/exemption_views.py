"""The exemptions page (decision 0057): an authority caseworker or manager in a department that decides grants records
and ends a citizen's or a family's exemptions from the free-municipality experiment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traedesten.accounts.http import AuthedRequest
from traedesten.gate import Action, Section, Tool, may_use, record_read
from traedesten.gate.web import citizen
from traedesten.usecases import exemptions as cases

from . import exemptions as rules
from .forms import ExemptionForm
from .models import Exemption, ExemptionKind


def _open(request: AuthedRequest, person_id: int):
    if not may_use(request.user, Tool.EXEMPTIONS):
        raise PermissionDenied
    return citizen(request, person_id, Section.AUTHORITY, action=Action.DECIDE)


@login_required
def exemptions(request: AuthedRequest, person_id: int):
    c = _open(request, person_id)
    today = timezone.localdate()
    households = cases.households_of(c.person, today)
    first = ExemptionKind.objects.order_by("name").first()
    form = ExemptionForm(request.POST if request.method == "POST" else None, households=households,
                         initial={"starts_on": today, "decided_on": today,
                                  "legal_basis": first.legal_basis if first else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = cases.record_exemption(c, kind=d["kind"], for_family=d["family"], legal_basis=d["legal_basis"],
                                          starts_on=d["starts_on"], ends_on=d["ends_on"], decided_on=d["decided_on"],
                                          note=d["note"], today=today)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fritagelsen for %(kind)s er registreret.") % {"kind": made.kind.name.lower()})
            return redirect("plans:exemptions", person_id=c.person.pk)
    own = Exemption.objects.filter(person=c.person)
    family = Exemption.objects.filter(household__in=[h.pk for h in households])
    rows = list((own | family).select_related("kind", "household", "decided_by", "ended_by"))
    record_read(c, "exemptions", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "plans/exemptions.html", {
        "person": c.person, "form": form, "today": today,
        "rows": [(e, e.ended_on is None and (e.ends_on is None or e.ends_on >= today)) for e in rows],
        "exemptions": rules.shown(c.person.pk, today)})


@login_required
@require_POST
def exemption_end(request: AuthedRequest, person_id: int, exemption_id: int):
    c = _open(request, person_id)
    today = timezone.localdate()
    households = [h.pk for h in cases.households_of(c.person, today)]
    exemption = get_object_or_404(Exemption.objects.select_related("kind"), pk=exemption_id)
    if exemption.person_id != c.person.pk and exemption.household_id not in households:
        raise PermissionDenied
    try:
        cases.end_exemption(c, exemption, on=today, today=today)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Fritagelsen er ophævet fra i dag. Kravene gælder igen."))
    return redirect("plans:exemptions", person_id=c.person.pk)
