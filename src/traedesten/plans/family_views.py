"""The family plan (Én plan, issue 26 item 3): the family's shared direction at the top, then each member's own plan
as a sub-plan, shown only as far as the gate opens that member to the user. Every page is reached through one member
(the citizen in the URL); every member shown is audited as a read of that member. Decision 0059."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import User
from traedesten.gate import Action, Clearance, Relation, Section, Tool, clearance, may_use, record_read
from traedesten.gate.rules import roles_with_relation
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.people import families
from traedesten.people.models import Cluster, HouseholdMember, HouseholdRole, Person
from traedesten.usecases import families as cases, people as people_cases

from . import services
from .models import Plan
from .sharing import visible


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _open(request: AuthedRequest, person_id: int) -> Clearance:
    return clearance(request.user, get_object_or_404(Person, pk=person_id)).require(Section.IDENTITY)


def _sub_plan(c: Clearance, member: HouseholdMember) -> dict:
    """One member's part of the family plan, as far as the gate opens it, and the read to audit for what is shown."""
    shown = c.shown(*PLAN_SECTIONS)
    entry: dict = {"member": member, "reached": Section.IDENTITY in c.readable, "shared": bool(shown),
                   "content": None, "hidden": [], "person": c.person,
                   "goals": Section.GOALS in c.readable}
    if not entry["reached"]:
        return entry
    if shown:
        plan = Plan.objects.filter(person=c.person).first()
        content = services.current_content(plan)
        if content is not None:
            whole = len(shown) == len(PLAN_SECTIONS)
            content, entry["hidden"] = visible(content, None if whole else {str(s) for s in shown})
        entry |= {"content": content, "plan": plan}
    entry["audit"] = (c, [Section.IDENTITY, *shown])
    return entry


@login_required
@require_GET
def family(request: AuthedRequest, person_id: int):
    """The family plan of the citizen's family, or (not in one) the way to make one."""
    c = _open(request, person_id)
    today = timezone.localdate()
    membership = families.membership_of(c.person, today)
    may_create = c.can(Section.GOALS, Action.WRITE)
    if membership is None:
        record_read(c, "family_plan", [Section.IDENTITY])
        return render(request, "plans/family_none.html", {"person": c.person, "may_create": may_create,
                                                          "clusters": Cluster.choices})
    household = membership.household
    entries = []
    for member in families.members(household, today):
        mc = c if member.person_id == c.person.pk else clearance(request.user, member.person)
        entries.append(_sub_plan(mc, member))
    coordinates = cases.is_coordinator(c, household)
    shows_direction = coordinates or any(e["goals"] for e in entries)
    for entry in entries:
        if "audit" in entry:
            shown, sections = entry["audit"]
            record_read(shown, "family_plan", sections, extra=["family_direction"] if shows_direction else [])
    may_write = cases.may_write_family(c, household, today)
    found = []
    query = (request.GET.get("q") or "").strip()
    if may_write and query and may_use(request.user, Tool.CITIZEN_SEARCH):
        members_ids = {e["member"].person_id for e in entries}
        found = [r.person for r in people_cases.search(request.user, text=query) if r.on_caseload
                 and r.person.pk not in members_ids]
    return render(request, "plans/family.html", {
        "person": c.person, "household": household, "entries": entries, "shows_direction": shows_direction,
        "may_write": may_write, "may_choose_coordinator": may_write and c.can(Section.GOALS, Action.WRITE),
        "coordinates": coordinates, "may_set_cluster": may_create, "query": query, "found": found, "today": today,
        "roles": HouseholdRole.choices, "clusters": Cluster.choices,
        "coordinators": _coordinator_choices(household) if may_write else [],
    })


def _coordinator_choices(household) -> list[tuple[int, str]]:
    users = User.objects.filter(is_active=True, role__in=roles_with_relation(Relation.FAMILY_COORDINATOR)).order_by(
        "first_name", "last_name", "username")[:200]
    return [(u.pk, str(u)) for u in users]


@login_required
def family_new(request: AuthedRequest, person_id: int):
    """Make a family from the citizen: its name, the citizen's role in it, the cluster, the start."""
    c = clearance(request.user, get_object_or_404(Person, pk=person_id)).require(Section.GOALS, action=Action.WRITE)
    today = timezone.localdate()
    error = ""
    values = {"name": c.person.last_name and _("Familien %(name)s") % {"name": c.person.last_name} or "",
              "role": HouseholdRole.ADULT, "cluster": Cluster.FAMILY, "sub_target_group": "",
              "started_on": today.isoformat()}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        started = _date(values["started_on"])
        try:
            if started is None:
                raise ValidationError(_("Skriv en gyldig dato for, hvornår familien startede."))
            cases.create_family(c, name=values["name"], started_on=started, role=values["role"],
                                cluster=values["cluster"], sub_target_group=values["sub_target_group"])
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Familien er oprettet. Find og tilføj de andre medlemmer."))
            return redirect("plans:family", person_id=c.person.pk)
    record_read(c, "family_new", [Section.IDENTITY])
    return render(request, "plans/family_new.html", {"person": c.person, "values": values, "error": error,
                                                     "roles": HouseholdRole.choices, "clusters": Cluster.choices})


def _writer(request: AuthedRequest, person_id: int):
    """The family, reached through a current member, for a change: its plan writers or the family's coordinator."""
    c = clearance(request.user, get_object_or_404(Person, pk=person_id))
    if Relation.FAMILY_COORDINATOR not in c.relations:
        c.require(Section.GOALS, action=Action.WRITE)
    membership = families.membership_of(c.person, timezone.localdate())
    if membership is None:
        raise Http404
    if not cases.may_write_family(c, membership.household):
        raise PermissionDenied
    return c, membership.household


def _back(person_id: int):
    return redirect("plans:family", person_id=person_id)


@login_required
@require_POST
def family_add(request: AuthedRequest, person_id: int):
    c, household = _writer(request, person_id)
    joined = _date(request.POST.get("joined_on"))
    new = Person.objects.filter(pk=_int(request.POST.get("member"))).first()
    try:
        if new is None:
            raise ValidationError(_("Vælg den borger, der skal med i familien."))
        if joined is None:
            raise ValidationError(_("Skriv en gyldig dato for, hvornår medlemmet kom med."))
        cases.add_member(c, household, clearance(request.user, new), role=request.POST.get("role", ""),
                         joined_on=joined)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied:
        messages.error(request, _("Du kan ikke tilføje denne borger: du skriver ikke i borgerens plan."))
    else:
        messages.success(request, _("%(name)s er med i familien.") % {"name": new.display_name})
    return _back(c.person.pk)


@login_required
@require_POST
def family_remove(request: AuthedRequest, person_id: int):
    c, household = _writer(request, person_id)
    member = household.members.filter(pk=_int(request.POST.get("member"))).first()
    left = _date(request.POST.get("left_on"))
    try:
        if member is None:
            raise ValidationError(_("Vælg det medlem, der forlader familien."))
        if left is None:
            raise ValidationError(_("Skriv en gyldig dato for, hvornår medlemmet forlod familien."))
        cases.remove_member(c, member, left_on=left)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Medlemmet har forladt familien."))
    return _back(c.person.pk)


@login_required
@require_POST
def family_direction(request: AuthedRequest, person_id: int):
    c, household = _writer(request, person_id)
    try:
        cases.write_direction(c, household, request.POST.get("direction", ""),
                              expected_version=_int(request.POST.get("version")))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Familiens fælles retning er gemt."))
    return _back(c.person.pk)


@login_required
@require_POST
def family_coordinator(request: AuthedRequest, person_id: int):
    """Only a member's plan writers choose the coordinator (the coordinator does not hand the family on)."""
    clearance(request.user, get_object_or_404(Person, pk=person_id)).require(Section.GOALS, action=Action.WRITE)
    c, household = _writer(request, person_id)
    chosen = User.objects.filter(pk=_int(request.POST.get("coordinator"))).first()
    try:
        if chosen is None:
            raise ValidationError(_("Vælg en medarbejder, der kan være familiens koordinator."))
        cases.set_coordinator(c, household, chosen)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s er nu familiens koordinator.") % {"name": chosen})
    return _back(c.person.pk)


@login_required
@require_POST
def family_cluster(request: AuthedRequest, person_id: int):
    c, household = _writer(request, person_id)
    try:
        cases.set_family_cluster(c, household, cluster=request.POST.get("cluster", ""),
                                 sub_target_group=request.POST.get("sub_target_group", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Familiens klynge er gemt."))
    return _back(c.person.pk)


@login_required
@require_POST
def cluster(request: AuthedRequest, person_id: int):
    """The citizen's own cluster and sub-target group."""
    c = clearance(request.user, get_object_or_404(Person, pk=person_id)).require(Section.GOALS, action=Action.WRITE)
    try:
        cases.set_cluster(c, cluster=request.POST.get("cluster", ""),
                          sub_target_group=request.POST.get("sub_target_group", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Klyngen er gemt."))
    return _back(c.person.pk)


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0
