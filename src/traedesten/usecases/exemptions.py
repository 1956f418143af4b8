"""Recording and ending the free-municipality exemptions (decision 0057): an authority caseworker or manager in a
department that decides grants, on a citizen the gate opens for authority decisions; for a family, on every current
member."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from traedesten.gate import Action, Clearance, Section, Tool, clearance, may_use
from traedesten.people.models import Household, HouseholdMember
from traedesten.plans import exemptions
from traedesten.plans.models import Exemption, ExemptionKind


def _require(c: Clearance) -> None:
    if not may_use(c.staff, Tool.EXEMPTIONS):
        raise PermissionDenied
    c.require(Section.AUTHORITY, action=Action.DECIDE)


def households_of(person, day: datetime.date) -> list[Household]:
    """The families the citizen is a current member of."""
    return list(Household.objects.filter(members__person=person, members__joined_on__lte=day).filter(
        Q(members__left_on__isnull=True) | Q(members__left_on__gte=day)).distinct().order_by("name", "pk"))


def _require_family(c: Clearance, household: Household, day: datetime.date) -> None:
    if household.pk not in {h.pk for h in households_of(c.person, day)}:
        raise ValidationError(_("Borgeren er ikke med i familien."))
    members = HouseholdMember.objects.filter(household=household, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)).select_related("person")
    for member in members:
        clearance(c.staff, member.person).require(Section.AUTHORITY, action=Action.DECIDE)


@transaction.atomic
def record_exemption(c: Clearance, *, kind: ExemptionKind, for_family: Household | None = None,
                     today: datetime.date, **details) -> Exemption:
    """Record an exemption for the citizen, or for one of the citizen's families (then for each current member)."""
    _require(c)
    if for_family is not None:
        _require_family(c, for_family, today)
        return exemptions.record(c.staff, kind=kind, household=for_family, today=today, **details)
    return exemptions.record(c.staff, kind=kind, person=c.person, today=today, **details)


@transaction.atomic
def end_exemption(c: Clearance, exemption: Exemption, *, on: datetime.date, today: datetime.date) -> Exemption:
    _require(c)
    if exemption.person_id is not None:
        if exemption.person_id != c.person.pk:
            raise PermissionDenied
    else:
        household = Household.objects.get(pk=exemption.household_id or 0)
        _require_family(c, household, today)
    return exemptions.end(c.staff, exemption, on=on, today=today)
