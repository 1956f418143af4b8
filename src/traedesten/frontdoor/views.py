from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traedesten.accounts import audit
from traedesten.accounts.access import require_caseworker
from traedesten.accounts.models import AuditAction

from . import services
from .forms import ContactForm
from .models import Contact


@login_required
def desk(request):
    """The host's desk: register a contact in a few keystrokes, and route the waiting walk-ins."""
    require_caseworker(request.user)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.register_contact(request.user, origin=d["origin"], channel=d["channel"], partner=d["partner"],
                                  reason=d["reason"], outcome=d["outcome"])
        messages.success(request, _("Henvendelsen er registreret."))
        return redirect("frontdoor:desk")
    waiting = list(services.waiting_today())
    named = [c.person for c in waiting if c.person]
    if named:
        audit.record(request.user, AuditAction.VIEW, persons=named, section="walk_in_queue")
    today = timezone.localdate()
    counts = Contact.objects.filter(at__date=today).count()
    return render(request, "frontdoor/desk.html", {
        "form": form, "waiting": waiting, "today_count": counts,
        "routes": [(v, l) for v, l in Contact.Outcome.choices if v != Contact.Outcome.NONE],
    })


@login_required
@require_POST
def route(request, contact_id: int):
    require_caseworker(request.user)
    contact = get_object_or_404(Contact, pk=contact_id)
    outcome = request.POST.get("outcome", "")
    try:
        if outcome == "gone":
            services.mark_gone(request.user, contact)
        else:
            services.route(request.user, contact, outcome)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Borgeren er modtaget: %(outcome)s.") % {
            "outcome": Contact.Outcome(outcome).label if outcome != "gone" else _("gået igen")})
    return redirect("frontdoor:desk")
