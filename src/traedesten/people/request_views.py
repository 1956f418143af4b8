"""The staff queue of citizens' requests from Min side: a copy of their data, or a correction, each with its
deadline. Staff who reach the citizen see and answer both; the data-protection officer, by office, sees every request
without the citizen's name or words (so none goes unseen, even for a citizen on nobody's caseload) and answers the
requests for a copy, whose export they open (flagged)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.gate import Section, Tool, clearance, persons_reached, sensitive
from traedesten.gate.web import uses
from traedesten.usecases import people as cases

from .models import DataRequest


@uses(Tool.DATA_REQUESTS)
@require_GET
def data_requests(request):
    user = request.user
    waiting = list(DataRequest.objects.exclude(status=DataRequest.Status.DONE).select_related("person")
                   .order_by("due_on", "pk")[:500])
    reached = set(persons_reached(user, Section.IDENTITY).filter(pk__in={r.person_id for r in waiting})
                  .values_list("pk", flat=True))
    rows = []
    for r in waiting:
        named = r.person_id in reached
        if named or sensitive(user, r.person, Section.SUBJECT_ACCESS) == "allowed":
            # the data-protection officer keeps track of every request, without names
            rows.append((r, named, cases.may_answer(clearance(user, r.person), r)))
    shown_ids = sorted({r.person_id for r, shown, _answers in rows if shown})
    if shown_ids:
        audit.record(user, AuditAction.VIEW, persons=shown_ids, section="data_requests",
                     fields=[str(Section.IDENTITY)])
    return render(request, "people/data_requests.html", {
        "rows": rows, "today": timezone.localdate(),
        "statuses": [(s, label) for s, label in DataRequest.Status.choices if s != DataRequest.Status.OPEN]})


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else -1


@uses(Tool.DATA_REQUESTS)
@require_POST
def data_request(request, request_id: int):
    found = get_object_or_404(DataRequest.objects.select_related("person"), pk=request_id)
    c = clearance(request.user, found.person)
    try:
        cases.answer_data_request(c, found, status=request.POST.get("status", ""),
                                  answer=request.POST.get("answer", ""),
                                  expected_version=_int(request.POST.get("version")))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Anmodningen er opdateret. Borgeren kan se svaret på Min side."))
    return redirect("people:data_requests")
