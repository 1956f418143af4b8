"""Families (husstande) in a holistic course: who belongs, from when until when, who coordinates and the family's
shared direction. Each member keeps their own plan; the family plan page composes them (plans/family_views.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned

from .models import Cluster, Household, HouseholdMember, HouseholdRole, Person

DIRECTION_CONFLICT = gettext_lazy("En anden har ændret familiens fælles retning imens. Din tekst er ikke gemt: læs "
                                  "den nye retning og skriv din ændring igen.")


def current(on: datetime.date) -> Q:
    """Memberships that hold on the day."""
    return Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gte=on))


def membership_of(person: Person, on: datetime.date) -> HouseholdMember | None:
    """The citizen's membership of a running family on the day (the newest, if the citizen moved)."""
    return (HouseholdMember.objects.filter(current(on), person=person)
            .filter(Q(household__ended_on__isnull=True) | Q(household__ended_on__gte=on))
            .select_related("household", "household__coordinator").order_by("-joined_on", "-pk").first())


def members(household: Household, on: datetime.date) -> list[HouseholdMember]:
    return list(household.members.filter(current(on)).select_related("person").order_by("joined_on", "pk"))


def _clean_cluster(cluster: str, sub_target_group: str, *, blank_ok: bool) -> tuple[str, str]:
    cluster = (cluster or "").strip()
    if cluster not in Cluster.values and not (blank_ok and cluster == ""):
        raise ValidationError(_("Vælg en klynge: familie, voksen eller unge."))
    sub = " ".join((sub_target_group or "").split())
    if len(sub) > 60:
        raise ValidationError(_("Målgruppen må højst være 60 tegn."))
    return cluster, sub


def _clean_role(role: str) -> str:
    if role not in HouseholdRole.values:
        raise ValidationError(_("Vælg medlemmets rolle i familien: voksen, ung eller barn."))
    return role


@transaction.atomic
def create_household(actor, founder: Person, *, name: str, started_on: datetime.date, role: str,
                     cluster: str = Cluster.FAMILY, sub_target_group: str = "", coordinator=None) -> Household:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Giv familien et navn, fx »Familien Hansen«."))
    if len(name) > 120:
        raise ValidationError(_("Familiens navn må højst være 120 tegn."))
    if not isinstance(started_on, datetime.date):
        raise ValidationError(_("Skriv hvornår familien startede."))
    cluster, sub = _clean_cluster(cluster, sub_target_group, blank_ok=False)
    role = _clean_role(role)
    if membership_of(founder, started_on) is not None:
        raise ValidationError(_("Borgeren er allerede med i en familie."))
    household = Household.objects.create(name=name, cluster=cluster, sub_target_group=sub, started_on=started_on,
                                         coordinator=coordinator)
    HouseholdMember.objects.create(household=household, person=founder, role=role, joined_on=started_on)
    audit.record(actor, AuditAction.CREATE, person=founder, section="family", fields=["household", "role"])
    return household


def check_membership(*, started_on: datetime.date, ended_on: datetime.date | None, joined_on: datetime.date) -> None:
    """A member joins while the family runs (the page's and the importer's one rule)."""
    if joined_on < started_on:
        raise ValidationError(_("Et medlem kan ikke komme med, før familien startede (%(day)s).")
                              % {"day": started_on.strftime("%d.%m.%Y")})
    if ended_on and joined_on > ended_on:
        raise ValidationError(_("Familien er afsluttet."))


def running_span(joined_on: datetime.date, left_on: datetime.date | None,
                 ended_on: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    """The days a membership holds in a running family (the last day is the earlier of leaving and the family's end)."""
    ends = [d for d in (left_on, ended_on) if d is not None]
    return joined_on, min(ends) if ends else datetime.date.max


@transaction.atomic
def add_member(actor, household: Household, person: Person, *, role: str, joined_on: datetime.date) -> HouseholdMember:
    role = _clean_role(role)
    if not isinstance(joined_on, datetime.date):
        raise ValidationError(_("Skriv hvornår medlemmet kom med i familien."))
    check_membership(started_on=household.started_on, ended_on=household.ended_on, joined_on=joined_on)
    other = membership_of(person, joined_on)
    if other is not None and other.household_id != household.pk:
        raise ValidationError(_("Borgeren er allerede med i en anden familie."))
    if household.members.filter(person=person).exists():
        raise ValidationError(_("Borgeren er allerede med i familien."))
    try:
        with transaction.atomic():
            member = HouseholdMember.objects.create(household=household, person=person, role=role, joined_on=joined_on)
    except IntegrityError as exc:
        raise ValidationError(_("Borgeren er allerede med i familien.")) from exc
    audit.record(actor, AuditAction.UPDATE, person=person, section="family", fields=["household", "role"])
    return member


@transaction.atomic
def remove_member(actor, member: HouseholdMember, *, left_on: datetime.date) -> HouseholdMember:
    """A member leaves the family on a day; the membership is kept (dated), not deleted."""
    if not isinstance(left_on, datetime.date):
        raise ValidationError(_("Skriv hvornår medlemmet forlod familien."))
    if member.left_on is not None:
        raise ValidationError(_("Medlemmet har allerede forladt familien."))
    if left_on < member.joined_on:
        raise ValidationError(_("Et medlem kan ikke forlade familien, før det kom med (%(day)s).")
                              % {"day": member.joined_on.strftime("%d.%m.%Y")})
    HouseholdMember.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=left_on)
    audit.record(actor, AuditAction.UPDATE, person=member.person_id, section="family", fields=["left_on"])
    member.refresh_from_db()
    return member


def _audit_members(actor, household: Household, fields: list[str]) -> None:
    ids = list(household.members.values_list("person_id", flat=True))
    if ids:
        audit.record(actor, AuditAction.UPDATE, persons=ids, section="family", fields=fields)


def set_coordinator(actor, household: Household, coordinator) -> Household:
    Household.objects.filter(pk=household.pk).update(coordinator=coordinator)
    _audit_members(actor, household, ["coordinator"])
    household.refresh_from_db()
    return household


@transaction.atomic
def write_direction(actor, household: Household, text: str, *, expected_version: int) -> Household:
    """The family's shared direction, written as one versioned change: a stale edit is refused, never merged."""
    text = (text or "").strip()
    if len(text) > 1000:
        raise ValidationError(_("Familiens fælles retning må højst være 1000 tegn."))
    update_versioned(Household.objects, household.pk, expected_version, message=DIRECTION_CONFLICT, direction=text)
    _audit_members(actor, household, ["direction"])
    household.refresh_from_db()
    return household


def set_household_cluster(actor, household: Household, *, cluster: str, sub_target_group: str = "") -> Household:
    cluster, sub = _clean_cluster(cluster, sub_target_group, blank_ok=False)
    Household.objects.filter(pk=household.pk).update(cluster=cluster, sub_target_group=sub)
    _audit_members(actor, household, ["cluster", "sub_target_group"])
    household.refresh_from_db()
    return household


def set_person_cluster(actor, person: Person, *, cluster: str, sub_target_group: str = "") -> Person:
    """The citizen's own cluster and sub-target group (blank: not in the experiment's clusters)."""
    cluster, sub = _clean_cluster(cluster, sub_target_group, blank_ok=True)
    Person.objects.filter(pk=person.pk).update(cluster=cluster, sub_target_group=sub)
    audit.record(actor, AuditAction.UPDATE, person=person, section="identity", fields=["cluster", "sub_target_group"])
    person.refresh_from_db()
    return person


def subject_access(person: Person) -> list[dict]:
    """The citizen's families in the subject-access export: the family's name, its shared direction and the
    citizen's own membership (not the other members)."""
    return [{"family": m.household.name, "direction": m.household.direction, "cluster": m.household.cluster,
             "role": m.role, "joined_on": m.joined_on.isoformat(),
             "left_on": m.left_on.isoformat() if m.left_on else None}
            for m in HouseholdMember.objects.filter(person=person).select_related("household")]


def forget(person: Person) -> None:
    """The anonymised citizen's memberships go; a family left without members loses its name and direction."""
    households = list(HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True))
    HouseholdMember.objects.filter(person=person).delete()
    Household.objects.filter(pk__in=households, members__isnull=True).update(name=str(_("Anonymiseret familie")),
                                                                            direction="")
