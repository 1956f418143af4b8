"""What interchange 1.2 added: the Én plan experiment's records. A citizen's cluster and sub-target group, and
families (households) with their members, shared direction and coordinator.

A person record that leaves out `cluster` or `sub_target_group` (as every 1.0 and 1.1 file does) leaves what is
stored as it is. A household record's members replace the family's stored members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils.translation import gettext as _

from traedesten.accounts.models import User
from traedesten.core.bulk import changed_rows, update_rows
from traedesten.people.models import Household, HouseholdMember, Person

from .additions import given

if TYPE_CHECKING:  # the importer calls this module with itself
    from .importer import Records, Resolver, Writer

STEPS = ("household",)
PERSON_FIELDS = ("cluster", "sub_target_group")


def referenced(by_type: Records, kind: str) -> set[str]:
    """Ids the 1.2 records point at, to be looked up with the rest."""
    if kind == "person":
        return {m.person for _n, rec in by_type.household for m in rec.members}
    return set()


def check(resolver: Resolver) -> None:
    b, error = resolver.plan.by_type, resolver.plan.error
    named = {rec.coordinator for _n, rec in b.household if rec.coordinator}
    resolver.coordinators = dict(User.objects.filter(username__in=list(named)).values_list("username", "pk"))
    for n, rec in b.household:
        for i, member in enumerate(rec.members):
            if not resolver.known("person", member.person):
                error(n, f"members.{i}.person", _("ukendt borger »%(id)s«") % {"id": member.person})
        if rec.coordinator and rec.coordinator not in resolver.coordinators:
            error(n, "coordinator", _("ukendt medarbejder »%(user)s« (opret brugeren først)") % {"user": rec.coordinator})


def write(writer: Writer, resolver: Resolver) -> None:
    """Write the 1.2 fields and records, after the persons they point at."""
    _person_fields(writer)
    _households(writer, resolver)


def _person_fields(writer: Writer) -> None:
    for name in PERSON_FIELDS:
        rows = {writer.person(rec.id): {name: getattr(rec, name)} for _n, rec in writer.b.person if given(rec, name)}
        changed = changed_rows(Person, rows, [name])
        update_rows(Person, changed, [name])
        for pk in changed:
            writer.touched.setdefault(pk, False)


def _households(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.household]
    if not recs:
        return
    fields = ["name", "cluster", "sub_target_group", "direction", "coordinator_id", "started_on", "ended_on"]
    rows = [(rec.id, {"name": rec.name, "cluster": rec.cluster, "sub_target_group": rec.sub_target_group,
                      "direction": rec.direction, "coordinator_id": resolver.coordinators.get(rec.coordinator or ""),
                      "started_on": rec.started_on, "ended_on": rec.ended_on}) for rec in recs]
    changed = writer._upsert("household", Household, rows, fields, ignore=())
    Household.objects.filter(pk__in=changed).update(version=F("version") + 1)
    _members(writer, recs)


def _members(writer: Writer, recs: list[Any]) -> None:
    households = {writer.ids["household"][rec.id]: rec for rec in recs}
    stored = {(m.household_id, m.person_id): m for m in HouseholdMember.objects.filter(household__in=list(households))}
    wanted = {}
    for pk, rec in households.items():
        for member in rec.members:
            wanted[(pk, writer.person(member.person))] = member
    gone = [m.pk for key, m in stored.items() if key not in wanted]
    HouseholdMember.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for (household, person), member in wanted.items():
        values = {"role": member.role, "joined_on": member.joined_on, "left_on": member.left_on}
        row = stored.get((household, person))
        if row is None:
            new.append(HouseholdMember(household_id=household, person_id=person, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
        if row is None or row in changed:
            writer.touched.setdefault(person, False)
    HouseholdMember.objects.bulk_create(new)
    HouseholdMember.objects.bulk_update(changed, ["role", "joined_on", "left_on"])
    for key, m in stored.items():
        if key not in wanted:
            writer.touched.setdefault(m.person_id, False)
    writer.count("household_member", len(new), len(changed) + len(gone))
