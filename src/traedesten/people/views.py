from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import User
from traedesten.core.locking import VersionConflict
from traedesten.gate import Action, Section, Tool, record_read
from traedesten.gate.web import citizen, uses
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content
from traedesten.usecases import people as cases

from . import services
from .contacts import history as contact_history
from .forms import ConsentForm, ContactChangeForm, NetworkPersonForm, PersonForm, PseudonymForm, SearchForm
from .models import Consent
from .network_map import COLOURS, RADII, layout


@uses(Tool.CITIZEN_SEARCH)
@sensitive_post_parameters("cpr")
def search(request: AuthedRequest):
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = cases.search(request.user, text=form.cleaned_data["q"], cpr=form.cleaned_data["cpr"])
    template = "people/_results.html" if request.htmx else "people/search.html"
    return render(request, template, {"form": form, "results": results, "pseudonym_form": PseudonymForm()})


def _duplicate_context(request: AuthedRequest, exc) -> dict:
    cases.disclose_duplicates(request.user, exc)
    if isinstance(exc, services.DuplicatePerson):
        return {"duplicate": exc.existing}
    return {"similar": exc.candidates}


@uses(Tool.CITIZEN_CREATE)
@sensitive_post_parameters("cpr")
def create(request: AuthedRequest):
    form = PersonForm(request.POST if request.method == "POST" else None)
    if not cases.may_write_cpr(request.user):
        form.fields.pop("cpr", None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            person = cases.create_person(request.user, form.person_data(),
                                         confirm_similar=form.cleaned_data["confirm_similar"])
        except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
            context |= _duplicate_context(request, exc)
            if "similar" in context:
                data = request.POST.copy()
                data["confirm_similar"] = "True"
                form.data = data
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Borgeren er oprettet."))
            return redirect("people:overview", person_id=person.pk)
    return render(request, "people/person_form.html", context)


@uses(Tool.CITIZEN_CREATE)
@require_POST
def create_pseudonymous(request: AuthedRequest):
    form = PseudonymForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alder skal være mellem 15 og 110 år."))
        return redirect("people:search")
    person = cases.create_pseudonymous(request.user, sex=form.cleaned_data["sex"],
                                       approx_age=form.cleaned_data["approx_age"])
    messages.success(request, _("Anonym borger oprettet: %(name)s") % {"name": person.display_name})
    return redirect("people:overview", person_id=person.pk)


@login_required
@sensitive_post_parameters("cpr")
def edit(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.IDENTITY, action=Action.WRITE)
    person = c.person
    initial = {f: getattr(person, f) for f in services.EDITABLE_FIELDS} | {"version": person.version}
    initial["cpr"] = (person.cpr or "") if Section.CPR in c.readable else ""
    form = PersonForm(request.POST if request.method == "POST" else None, initial=initial)
    if Section.CPR not in c.writable:
        form.fields.pop("cpr", None)
    context = {"form": form, "person": person}
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or person.version
        changed = {k: v for k, v in form.person_data().items() if k in form.changed_data}
        try:
            cases.update_person(c, changed, expected_version=version)
        except VersionConflict as exc:
            context["conflict"] = exc.current
            context["conflict_fields"] = [
                (form.fields[k].label, getattr(exc.current, k), form.cleaned_data.get(k))
                for k in changed
            ]
            data = request.POST.copy()
            data["version"] = exc.current.version
            form.data = data
        except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
            context |= _duplicate_context(request, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("people:overview", person_id=person.pk)
    record_read(c, "edit", c.shown(Section.IDENTITY, Section.CPR))
    return render(request, "people/person_form.html", context)


@login_required
@require_POST
def merge(request: AuthedRequest, person_id: int, target_id: int):
    """Merge a pseudonymous person into the identified person it turned out to be."""
    source = citizen(request, person_id, Section.IDENTITY, action=Action.WRITE)
    target = citizen(request, target_id, Section.IDENTITY, action=Action.WRITE)
    merged = cases.merge_into(source, target)
    messages.success(request, _("Den anonyme registrering er lagt sammen med %(name)s.") % {"name": merged.display_name})
    return redirect("people:overview", person_id=merged.pk)


@login_required
def network_add(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.NETWORK, action=Action.WRITE)
    form = NetworkPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cases.add_network_person(c, form.cleaned_data)
        messages.success(request, _("Personen er tilføjet netværket."))
        return redirect("people:overview", person_id=c.person.pk)
    record_read(c, "network_form", [Section.IDENTITY])
    return render(request, "people/network_form.html", {"form": form, "person": c.person})


@login_required
def consents(request: AuthedRequest, person_id: int):
    """The citizen's consents: give one, see them all, withdraw one. Only the department that owns the plan keeps them."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.CONSENT, action=Action.WRITE if write else Action.READ)
    person = c.person
    form = ConsentForm(request.POST if write else None)
    if write and form.is_valid():
        d = form.cleaned_data
        try:
            cases.give_consent(c, recipient=d["recipient"], scope=d["scope"], purpose=d["purpose"],
                               given_on=d["given_on"], expires_on=d["expires_on"], form=d["form"],
                               given_by=d["given_by"], **({"external": d["external"]} if d["external"] else {}))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Samtykket er registreret."))
            return redirect("people:consents", person_id=person.pk)
    record_read(c, "consent", [Section.IDENTITY, Section.CONSENT])
    return render(request, "people/consents.html", {
        "person": person, "form": form, "consents": person.consents.select_related("recipient", "recorded_by"),
        "now": timezone.now(), "can_edit": Section.CONSENT in c.writable,
    })


@login_required
@require_POST
def consent_withdraw(request: AuthedRequest, person_id: int, consent_id: int):
    c = citizen(request, person_id, Section.CONSENT, action=Action.WRITE)
    consent = get_object_or_404(Consent, pk=consent_id, person=c.person)
    try:
        cases.withdraw_consent(c, consent)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Samtykket er trukket tilbage. Deling stopper nu."))
    return redirect("people:consents", person_id=c.person.pk)


@login_required
@require_GET
def network_map(request: AuthedRequest, person_id: int):
    """The citizen's network as a map the citizen can look at, linked to the plan's actions and network meetings."""
    c = citizen(request, person_id, Section.NETWORK)
    person = c.person
    plan = Plan.objects.filter(person=person).first()
    content = current_content(plan) if Section.ACTIONS in c.readable else None
    plan_names = {a.responsible_name.strip().lower() for g in (content.goals if content else []) for a in g.actions
                  if a.responsible_name}
    meeting_names = {p.strip().lower() for m in (plan.meetings.all() if plan else []) for p in m.participants}
    nodes = layout(person.network.all(), plan_names, meeting_names)
    record_read(c, "network_map", [Section.IDENTITY, Section.NETWORK])
    return render(request, "people/network_map.html", {
        "person": person, "nodes": nodes, "rings": sorted(RADII.items()), "colours": COLOURS})


@login_required
def contact_persons(request: AuthedRequest, person_id: int):
    """The citizen's contact persons over time, and a change of caseworker, mentor, support contact or coordinator
    (decision 0060)."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE if write else Action.READ)
    teams = c.person.caseload.filter(end__isnull=True).values_list("team_id", flat=True)
    workers = User.objects.filter(is_active=True, teams__in=teams).distinct().order_by("first_name", "username")
    form = ContactChangeForm(request.POST if write else None, workers=workers)
    if write and form.is_valid():
        d = form.cleaned_data
        try:
            cases.change_contact_person(c, d["kind"], on=d["on"], worker=d["worker"], name=d["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Skiftet er registreret."))
            return redirect("people:contact_persons", person_id=c.person.pk)
    record_read(c, "contact_persons", [Section.IDENTITY, Section.COURSES])
    return render(request, "people/contact_persons.html", {"form": form, "person": c.person,
                                                           "history": contact_history(c.person)})
