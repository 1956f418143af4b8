from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from traedesten.accounts.http import AuthedRequest
from traedesten.gate import Section, record_read
from traedesten.gate.web import citizen

from . import timeline
from .page import body, sections_shown


@login_required
@require_GET
def overview(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.IDENTITY)
    person = c.person
    if person.merged_into_id:
        messages.info(request, _("Borgeren er lagt sammen med en anden registrering."))
        return redirect("people:overview", person_id=person.merged_into_id)
    record_read(c, "overview", sections_shown(c))
    # The body is HTML rendered (and escaped) by our own template.
    html = mark_safe(body(request, c))  # nosec B308 B703
    return render(request, "overview/overview.html", {"person": person, "body": html})


@login_required
@require_GET
def timeline_page(request, person_id: int):
    """The citizen's timeline, one page at a time (a fragment on the overview)."""
    c = citizen(request, person_id, Section.IDENTITY)
    raw = request.GET.get("side", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 10000 else 1
    entries, more = timeline.page(c, number)
    shown = timeline.shown_sections(c)
    record_read(c, "timeline", [Section.IDENTITY, *shown], extra=[f"page:{number}"])
    return render(request, "overview/_timeline.html", {
        "person": c.person, "entries": entries, "more": more, "next": number + 1, "page": number,
        "sections": {str(s) for s in shown}})
