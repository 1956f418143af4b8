from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from traedesten.accounts import audit
from traedesten.accounts.access import Access, person_access
from traedesten.accounts.models import AuditAction

from . import services
from .forms import NetworkPersonForm, PersonForm, PseudonymForm, SearchForm
from .models import Person
from .overview import body as overview_body


def _require_citizen_role(user):
    if not user.caps.sees_citizens:
        raise PermissionDenied


def _require_editor(user):
    if not user.caps.edits_citizens:
        raise PermissionDenied


def open_person(request, person_id: int, *, section: str, write: bool = False):
    """Load a person the user may see, or raise. Returns (person, access)."""
    _require_citizen_role(request.user)
    person = get_object_or_404(Person, pk=person_id)
    access = person_access(request.user, person)
    if access is Access.DENIED:
        raise PermissionDenied
    if write:
        _require_editor(request.user)
    return person, access


def _reason_redirect(person_id: int):
    return redirect("accounts:outside_access", person_id=person_id)


@login_required
@sensitive_post_parameters("cpr")
def search(request):
    _require_citizen_role(request.user)
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = services.search_persons(
            request.user, text=form.cleaned_data["q"], cpr=form.cleaned_data["cpr"]
        )
    template = "people/_results.html" if request.htmx else "people/search.html"
    return render(request, template, {"form": form, "results": results, "pseudonym_form": PseudonymForm()})


@login_required
def overview(request, person_id: int):
    person, access = open_person(request, person_id, section="overview")
    if access is Access.NEEDS_REASON:
        return _reason_redirect(person.pk)
    if person.merged_into_id:
        messages.info(request, _("Borgeren er lagt sammen med en anden registrering."))
        return redirect("people:overview", person_id=person.merged_into_id)
    sections = ["overview", "network", "courses", "activities", "measures"] + (
        ["cpr"] if request.user.caps.sees_cpr and person.cpr else [])
    grant = None
    if access is Access.OUTSIDE_WITH_REASON:
        from traedesten.accounts.access import open_outside_access

        grant = open_outside_access(request.user, person)
    audit.record(
        request.user, AuditAction.VIEW, person=person, section="overview", fields=sections,
        reason=grant.reason if grant else "", flagged=grant is not None,
    )
    # The body is HTML rendered (and escaped) by our own template.
    body = mark_safe(overview_body(request, person, outside=grant is not None))  # nosec B308 B703
    return render(request, "people/overview.html", {"person": person, "body": body})


def _duplicate_context(exc) -> dict:
    if isinstance(exc, services.DuplicatePerson):
        return {"duplicate": exc.existing}
    return {"similar": exc.candidates}


@login_required
@sensitive_post_parameters("cpr")
def create(request):
    _require_citizen_role(request.user)
    _require_editor(request.user)
    form = PersonForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                request.user, form.person_data(), confirm_similar=form.cleaned_data["confirm_similar"]
            )
        except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
            context |= _duplicate_context(exc)
            if "similar" in context:
                form.data = form.data.copy()
                form.data["confirm_similar"] = "True"
        else:
            messages.success(request, _("Borgeren er oprettet."))
            return redirect("people:overview", person_id=person.pk)
    return render(request, "people/person_form.html", context)


@login_required
@require_POST
def create_pseudonymous(request):
    _require_citizen_role(request.user)
    _require_editor(request.user)
    form = PseudonymForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alder skal være mellem 15 og 110 år."))
        return redirect("people:search")
    person = services.create_pseudonymous(
        request.user, sex=form.cleaned_data["sex"], approx_age=form.cleaned_data["approx_age"]
    )
    messages.success(request, _("Anonym borger oprettet: %(name)s") % {"name": person.display_name})
    return redirect("people:overview", person_id=person.pk)


@login_required
@sensitive_post_parameters("cpr")
def edit(request, person_id: int):
    person, access = open_person(request, person_id, section="edit", write=True)
    if access is Access.NEEDS_REASON:
        return _reason_redirect(person.pk)
    initial = {f: getattr(person, f) for f in services.EDITABLE_FIELDS} | {"version": person.version}
    initial["cpr"] = person.cpr or ""
    form = PersonForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "person": person}
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or person.version
        changed = {k: v for k, v in form.person_data().items() if k in form.changed_data}
        try:
            services.update_person(request.user, person, changed, expected_version=version)
        except services.VersionConflict as exc:
            context["conflict"] = exc.current
            context["conflict_fields"] = [
                (form.fields[k].label, getattr(exc.current, k), form.cleaned_data.get(k))
                for k in changed
            ]
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
            context |= _duplicate_context(exc)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("people:overview", person_id=person.pk)
    audit.record(request.user, AuditAction.VIEW, person=person, section="edit")
    return render(request, "people/person_form.html", context)


@login_required
@require_POST
def merge(request, person_id: int, target_id: int):
    """Merge a pseudonymous person into the identified person it turned out to be."""
    source, access = open_person(request, person_id, section="merge", write=True)
    target, target_access = open_person(request, target_id, section="merge", write=True)
    if not (access.granted and target_access.granted) or not source.is_pseudonymous:
        raise PermissionDenied
    services.merge_persons(request.user, source=source, target=target)
    messages.success(request, _("Den anonyme registrering er lagt sammen med %(name)s.") % {"name": target.display_name})
    return redirect("people:overview", person_id=target.pk)


@login_required
def network_add(request, person_id: int):
    person, access = open_person(request, person_id, section="network", write=True)
    if access is Access.NEEDS_REASON:
        return _reason_redirect(person.pk)
    form = NetworkPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.add_network_person(request.user, person, form.cleaned_data)
        messages.success(request, _("Personen er tilføjet netværket."))
        return redirect("people:overview", person_id=person.pk)
    audit.record(request.user, AuditAction.VIEW, person=person, section="network_form")
    return render(request, "people/network_form.html", {"form": form, "person": person})


@login_required
def consents(request, person_id: int):
    """The citizen's consents: give one, see them all, withdraw one."""
    from .consent import give_consent
    from .forms import ConsentForm

    person, access = open_person(request, person_id, section="consent", write=request.method == "POST")
    if access is Access.NEEDS_REASON:
        return _reason_redirect(person.pk)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            give_consent(request.user, person, recipient=d["recipient"], scope=d["scope"], purpose=d["purpose"],
                         given_on=d["given_on"], expires_on=d["expires_on"], form=d["form"], given_by=d["given_by"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Samtykket er registreret."))
            return redirect("people:consents", person_id=person.pk)
    audit.record(request.user, AuditAction.VIEW, person=person, section="consent")
    return render(request, "people/consents.html", {
        "person": person, "form": form, "consents": person.consents.select_related("recipient", "recorded_by"),
        "now": timezone.now(), "can_edit": request.user.caps.edits_citizens,
    })


@login_required
@require_POST
def consent_withdraw(request, person_id: int, consent_id: int):
    from .consent import withdraw_consent
    from .models import Consent

    person, access = open_person(request, person_id, section="consent", write=True)
    if not access.granted:
        raise PermissionDenied
    consent = get_object_or_404(Consent, pk=consent_id, person=person)
    try:
        withdraw_consent(request.user, consent)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Samtykket er trukket tilbage. Deling stopper nu."))
    return redirect("people:consents", person_id=person.pk)


@login_required
def network_map(request, person_id: int):
    """The citizen's network as a map the citizen can look at, linked to the plan's actions and network meetings."""
    from traedesten.plans.models import Plan
    from traedesten.plans.services import current_content
    from traedesten.plans.sharing import shared_scopes

    from .network_map import COLOURS, RADII, layout

    person, access = open_person(request, person_id, section="network")
    if access is Access.NEEDS_REASON:
        return _reason_redirect(person.pk)
    scopes = shared_scopes(request.user, person)
    if scopes is not None and "network" not in scopes:
        raise PermissionDenied
    plan = Plan.objects.filter(person=person).first()
    content = current_content(plan)
    plan_names = {a.responsible_name.strip().lower() for g in (content.goals if content else []) for a in g.actions
                  if a.responsible_name}
    meeting_names = {p.strip().lower() for m in (plan.meetings.all() if plan else []) for p in m.participants}
    nodes = layout(person.network.all(), plan_names, meeting_names)
    audit.record(request.user, AuditAction.VIEW, person=person, section="network_map")
    return render(request, "people/network_map.html", {
        "person": person, "nodes": nodes, "rings": sorted(RADII.items()), "colours": COLOURS})
