"""Families (Én plan, issue 26 item 3): creating one from a citizen, members joining and leaving, the coordinator, the
shared direction and the clusters. Only the department that owns the plans writes them (the plan's writers of a
member); the family's coordinator also writes the shared direction and the family's members' dates. Decision 0059."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts.models import User
from traedesten.gate import Action, Clearance, Relation, Section
from traedesten.gate.rules import roles_with_relation
from traedesten.people import families
from traedesten.people.models import Household, HouseholdMember

from ._gated import gated


def is_coordinator(c: Clearance, household: Household) -> bool:
    return (household.coordinator_id is not None and household.coordinator_id == getattr(c.user, "pk", None)
            and Relation.FAMILY_COORDINATOR in c.relations)


def may_write_family(c: Clearance, household: Household, on: datetime.date | None = None) -> bool:
    """Through a current member: the member's plan writers, or the family's coordinator."""
    on = on or timezone.localdate()
    if not any(m.person_id == c.person.pk for m in families.members(household, on)):
        return False
    return c.can(Section.GOALS, Action.WRITE) or is_coordinator(c, household)


def _require_family(c: Clearance, household: Household) -> None:
    if Relation.SELF in c.relations or not may_write_family(c, household):
        raise PermissionDenied


@gated(Section.GOALS)
def create_family(c: Clearance, *, name: str, started_on: datetime.date, role: str, cluster: str = "family",
                  sub_target_group: str = "") -> Household:
    """A family is made from one citizen, who is its first member; the creator coordinates it to begin with."""
    return families.create_household(c.staff, c.person, name=name, started_on=started_on, role=role, cluster=cluster,
                                     sub_target_group=sub_target_group, coordinator=c.staff)


def add_member(c: Clearance, household: Household, member: Clearance, *, role: str,
               joined_on: datetime.date) -> HouseholdMember:
    """`c` reaches the family through a current member; `member` is the citizen who joins, whose plan the user must
    be able to write (joining makes the citizen's name visible to the family's coordinator)."""
    _require_family(c, household)
    member.require(Section.GOALS, action=Action.WRITE)
    return families.add_member(c.staff, household, member.person, role=role, joined_on=joined_on)


def remove_member(c: Clearance, member: HouseholdMember, *, left_on: datetime.date) -> HouseholdMember:
    _require_family(c, member.household)
    return families.remove_member(c.staff, member, left_on=left_on)


def set_coordinator(c: Clearance, household: Household, coordinator: User | None) -> Household:
    """The plan writers of a member choose the family's one coordinator, a staff user whose role can coordinate."""
    _require_family(c, household)
    c.require(Section.GOALS, action=Action.WRITE)
    if coordinator is not None and (not coordinator.is_active
                                    or coordinator.role not in roles_with_relation(Relation.FAMILY_COORDINATOR)):
        raise ValidationError(_("Vælg en medarbejder, der kan være familiens koordinator."))
    return families.set_coordinator(c.staff, household, coordinator)


def write_direction(c: Clearance, household: Household, text: str, *, expected_version: int) -> Household:
    _require_family(c, household)
    return families.write_direction(c.staff, household, text, expected_version=expected_version)


def set_family_cluster(c: Clearance, household: Household, *, cluster: str, sub_target_group: str = "") -> Household:
    _require_family(c, household)
    return families.set_household_cluster(c.staff, household, cluster=cluster, sub_target_group=sub_target_group)


@gated(Section.GOALS)
def set_cluster(c: Clearance, *, cluster: str, sub_target_group: str = ""):
    """The citizen's own cluster and sub-target group, written by the plan's writers."""
    return families.set_person_cluster(c.staff, c.person, cluster=cluster, sub_target_group=sub_target_group)
