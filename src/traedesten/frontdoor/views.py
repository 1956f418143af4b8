from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from traedesten.accounts import audit
from traedesten.accounts.access import Access, require_caseworker
from traedesten.accounts.models import AuditAction
from traedesten.core.forms import cap_reason
from traedesten.courses.models import Offer
from traedesten.courses.services import SoftCapExceeded
from traedesten.people import services as people
from traedesten.people.views import open_person

from . import services
from .forms import AdHocForm, AnonymousForm, ContactForm, EntrySlipForm, GuideConversationForm
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
    to_register = list(services.to_register_today())
    named = [c.person for c in waiting + to_register if c.person]
    if named:
        audit.record(request.user, AuditAction.VIEW, persons=named, section="walk_in_queue")
    today = timezone.localdate()
    counts = Contact.objects.filter(at__date=today).count()
    return render(request, "frontdoor/desk.html", {
        "form": form, "waiting": waiting, "to_register": to_register, "today_count": counts,
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


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def _contact_and_person(request, section: str):
    """The contact and the citizen named in the query string. Returns (contact, person, redirect or None)."""
    contact_id = _int_param(request, "henvendelse")
    contact = get_object_or_404(Contact, pk=contact_id) if contact_id else None
    person_id = _int_param(request, "borger") or (contact.person_id if contact else None)
    if not person_id:
        return contact, None, None
    person, access = open_person(request, person_id, section=section, write=True)
    if access is Access.NEEDS_REASON:
        return contact, person, redirect("accounts:outside_access", person_id=person.pk)
    if person.merged_into_id:
        person, _access = open_person(request, person.merged_into_id, section=section, write=True)
    return contact, person, None


def _slip_initial(person) -> dict:
    if person is None:
        return {}
    initial = {f: getattr(person, f) for f in ("first_name", "last_name", "address", "postal_code", "city", "phone",
                                                "email", "contact_wish")}
    return initial | {"cpr": person.cpr or "", "version": person.version}


def _save_slip(actor, person, slip: EntrySlipForm):
    data = slip.person_data()
    if person is None:
        return people.create_person(actor, data, confirm_similar=slip.cleaned_data["confirm_similar"])
    changed = {k: v for k, v in data.items() if k in slip.changed_data}
    if changed:
        person = people.update_person(actor, person, changed, expected_version=slip.cleaned_data["version"] or person.version)
    return person


@login_required
@sensitive_post_parameters("slip-cpr")
def guide_conversation(request):
    """The guide conversation and the entry slip on one screen, saved together or not at all."""
    require_caseworker(request.user)
    contact, person, needs_reason = _contact_and_person(request, "guide_conversation")
    if needs_reason:
        return needs_reason
    post = request.POST if request.method == "POST" else None
    slip = EntrySlipForm(post, initial=_slip_initial(person), prefix="slip")
    default_offer = Offer.objects.filter(active=True, front_door=True, kind=Offer.Kind.COURSE).first()
    form = GuideConversationForm(post, user=request.user, initial={"offer": default_offer})
    context = {"slip": slip, "form": form, "person": person, "contact": contact}
    if post is not None and slip.is_valid() and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                saved_person = _save_slip(request.user, person, slip)
                services.hold_guide_conversation(
                    request.user, person=saved_person, contact=contact, on=d["on"], location=d["location"],
                    outcome=d["outcome"], hours=d["hours"], staff_2=d["staff_2"], offer=d["offer"],
                    bring_person=d["bring_person"], next_meeting=d["next_meeting"],
                    cap_reason=cap_reason(request))
        except SoftCapExceeded as exc:
            context["cap_warning"] = exc.message
        except people.DuplicatePerson as exc:
            context["duplicate"] = exc.existing
        except people.PossibleDuplicates as exc:
            context["similar"] = exc.candidates
            slip.data = slip.data.copy()
            slip.data["slip-confirm_similar"] = "True"
        except people.VersionConflict:
            slip.add_error(None, _("En anden har ændret borgerens stamdata imens. Genindlæs siden og prøv igen."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Guidesamtalen er registreret."))
            return redirect("people:overview", person_id=saved_person.pk)
    if person is not None:
        audit.record(request.user, AuditAction.VIEW, person=person, section="guide_conversation")
    return render(request, "frontdoor/guide_conversation.html", context)


@login_required
def ad_hoc(request):
    """Ad hoc help in a few clicks: a topic, the time it took, and who (or an anonymous citizen)."""
    require_caseworker(request.user)
    contact, person, needs_reason = _contact_and_person(request, "ad_hoc")
    if needs_reason:
        return needs_reason
    post = request.POST if request.method == "POST" else None
    form = AdHocForm(post)
    anonymous = AnonymousForm(post, prefix="anon") if person is None else None
    if post is not None and form.is_valid() and (anonymous is None or anonymous.is_valid()):
        d = form.cleaned_data
        try:
            with transaction.atomic():
                helped = person or people.create_pseudonymous(
                    request.user, sex=anonymous.cleaned_data["sex"], approx_age=anonymous.cleaned_data["approx_age"])
                services.give_ad_hoc_help(request.user, person=helped, topic=d["topic"], on=d["on"], hours=d["hours"],
                                          contact=contact)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ad hoc-hjælpen er registreret: %(topic)s.") % {"topic": d["topic"]})
            if contact is not None:
                return redirect("frontdoor:desk")
            return redirect("people:overview", person_id=helped.pk)
    if person is not None:
        audit.record(request.user, AuditAction.VIEW, person=person, section="ad_hoc")
    return render(request, "frontdoor/ad_hoc.html", {"form": form, "anonymous": anonymous, "person": person,
                                                     "contact": contact})
