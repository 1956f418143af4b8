from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.core.forms import cap_reason
from traedesten.core.locking import VersionConflict
from traedesten.courses.kinds import kinds_where
from traedesten.courses.models import Offer
from traedesten.courses.services import SoftCapExceeded
from traedesten.gate import Action, Section, Tool, clearance, record_read
from traedesten.gate.web import citizen, uses
from traedesten.people import services as people
from traedesten.usecases import frontdoor as cases, people as people_cases

from . import services
from .forms import AdHocForm, AnonymousForm, ContactForm, EntrySlipForm, GuideConversationForm
from .models import Contact


@uses(Tool.FRONT_DESK)
def desk(request: AuthedRequest):
    """The host's desk: register a contact in a few keystrokes, and route the waiting walk-ins."""
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        cases.register_contact(request.user, origin=d["origin"], channel=d["channel"], partner=d["partner"],
                               reason=d["reason"], outcome=d["outcome"])
        messages.success(request, _("Henvendelsen er registreret."))
        return redirect("frontdoor:desk")
    waiting = list(services.waiting_today())
    to_register = list(services.to_register_today())
    named = [c.person for c in waiting + to_register if c.person]
    if named:
        audit.record(request.user, AuditAction.VIEW, persons=named, section="walk_in_queue",
                     fields=[Section.IDENTITY, Section.CONTACTS])
    today = timezone.localdate()
    counts = Contact.objects.filter(at__date=today).count()
    return render(request, "frontdoor/desk.html", {
        "form": form, "waiting": waiting, "to_register": to_register, "today_count": counts,
        "routes": [(value, label) for value, label in Contact.Outcome.choices if value != Contact.Outcome.NONE],
    })


@uses(Tool.FRONT_DESK)
@require_POST
def route(request: AuthedRequest, contact_id: int):
    contact = get_object_or_404(Contact, pk=contact_id)
    outcome = request.POST.get("outcome", "")
    try:
        cases.route(request.user, contact, outcome)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Borgeren er modtaget: %(outcome)s.") % {
            "outcome": Contact.Outcome(outcome).label if outcome != "gone" else _("gået igen")})
    return redirect("frontdoor:desk")


def _int_param(request: AuthedRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def _contact_and_citizen(request: AuthedRequest, *sections):
    """The contact from today's desk (only one waiting for this citizen's help, or an anonymous one) and the
    clearance for the citizen named in the query string, opened for `sections` to write."""
    person_id = _int_param(request, "borger")
    c = citizen(request, person_id, *sections, action=Action.WRITE) if person_id else None
    if c is not None and c.person.merged_into_id:
        c = citizen(request, c.person.merged_into_id, *sections, action=Action.WRITE)
    contact_id = request.GET.get("henvendelse")
    contact = services.desk_contact(contact_id, c.person if c else None) if contact_id else None
    if contact_id and contact is None:
        raise Http404
    if c is None and contact is not None and contact.person_id:
        c = citizen(request, contact.person_id, *sections, action=Action.WRITE)
    return contact, c


def _slip_initial(person, c) -> dict:
    if person is None:
        return {}
    initial = {f: getattr(person, f) for f in ("first_name", "last_name", "address", "postal_code", "city", "phone",
                                                "email", "contact_wish")}
    return initial | {"cpr": (person.cpr or "") if Section.CPR in c.readable else "", "version": person.version}


def _save_slip(actor, c, slip: EntrySlipForm):
    """The entry slip creates the citizen, or saves what changed; returns the clearance for the citizen."""
    data = slip.person_data()
    if c is None:
        person = people_cases.create_person(actor, data, confirm_similar=slip.cleaned_data["confirm_similar"])
        return clearance(actor, person)
    changed = {k: v for k, v in data.items() if k in slip.changed_data}
    if changed:
        people_cases.update_person(c, changed, expected_version=slip.cleaned_data["version"] or c.person.version)
        return clearance(actor, c.person)
    return c


@uses(Tool.FRONT_DESK)
@sensitive_post_parameters("slip-cpr")
def guide_conversation(request: AuthedRequest):
    """The guide conversation and the entry slip on one screen, saved together or not at all."""
    contact, c = _contact_and_citizen(request, Section.CONTACTS, Section.COURSES)
    person = c.person if c else None
    post = request.POST if request.method == "POST" else None
    slip = EntrySlipForm(post, initial=_slip_initial(person, c), prefix="slip")
    default_offer = Offer.objects.filter(active=True, front_door=True, kind__in=kinds_where("from_guide_conversation")).first()
    form = GuideConversationForm(post, user=request.user, initial={"offer": default_offer})
    context = {"slip": slip, "form": form, "person": person, "contact": contact}
    if post is not None and slip.is_valid() and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                saved = _save_slip(request.user, c, slip)
                cases.hold_guide_conversation(
                    saved, contact=contact, on=d["on"], location=d["location"], outcome=d["outcome"],
                    hours=d["hours"], staff_2=d["staff_2"], offer=d["offer"], bring_person=d["bring_person"],
                    next_meeting=d["next_meeting"], cap_reason=cap_reason(request))
        except SoftCapExceeded as exc:
            context["cap_warning"] = exc.message
        except people.DuplicatePerson as exc:
            people_cases.disclose_duplicates(request.user, exc)
            context["duplicate"] = exc.existing
        except people.PossibleDuplicates as exc:
            people_cases.disclose_duplicates(request.user, exc)
            context["similar"] = exc.candidates
            data = request.POST.copy()
            data["slip-confirm_similar"] = "True"
            slip.data = data
        except VersionConflict:
            slip.add_error(None, _("En anden har ændret borgerens stamdata imens. Genindlæs siden og prøv igen."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Guidesamtalen er registreret."))
            return redirect("people:overview", person_id=saved.person.pk)
    if c is not None:
        record_read(c, "guide_conversation", [Section.IDENTITY, Section.CPR, Section.CONTACTS])
    return render(request, "frontdoor/guide_conversation.html", context)


@uses(Tool.FRONT_DESK)
def ad_hoc(request: AuthedRequest):
    """Ad hoc help in a few clicks: a topic, the time it took, and who (or an anonymous citizen)."""
    contact, c = _contact_and_citizen(request, Section.COURSES)
    post = request.POST if request.method == "POST" else None
    form = AdHocForm(post)
    anonymous = AnonymousForm(post, prefix="anon") if c is None else None
    if post is not None and form.is_valid() and (anonymous is None or anonymous.is_valid()):
        d = form.cleaned_data
        try:
            with transaction.atomic():
                helped = c
                if helped is None:
                    assert anonymous is not None, "the form for an anonymous citizen is there when no citizen is"
                    helped = clearance(request.user, people_cases.create_pseudonymous(
                        request.user, sex=anonymous.cleaned_data["sex"], approx_age=anonymous.cleaned_data["approx_age"]))
                cases.give_ad_hoc_help(helped, topic=d["topic"], on=d["on"], hours=d["hours"], contact=contact)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ad hoc-hjælpen er registreret: %(topic)s.") % {"topic": d["topic"]})
            if contact is not None:
                return redirect("frontdoor:desk")
            return redirect("people:overview", person_id=helped.person.pk)
    if c is not None:
        record_read(c, "ad_hoc", [Section.IDENTITY, Section.CONTACTS])
    return render(request, "frontdoor/ad_hoc.html", {"form": form, "anonymous": anonymous, "person": c.person if c else None,
                                                     "contact": contact})
