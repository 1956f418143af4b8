"""The population of the holistic courses (Én plan, issue 26 item 3): citizens and families, per cluster.

A family is counted once, as a unit, and its members as persons: "99 families were 306 persons". The definition, precise
enough to recompute it from the interchange fields, is in docs/kpis.md ("Citizens and families"). Only the period
narrows it; the report's other filters (offer, team, age, sex) do not apply to families. `population(scope).published()`
is what may be shown (rounded by core.disclosure); `.exact()` is for tests.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from traedesten.courses.models import Course
from traedesten.people.models import Cluster, HouseholdMember

from .scope import Scope
from .tables import Column, Row, Table

NO_CLUSTER = "none"


def _memberships(scope: Scope):
    """Memberships that overlap the period, of families whose run overlaps it."""
    return (HouseholdMember.objects
            .filter(joined_on__lte=scope.end).exclude(left_on__lt=scope.start)
            .filter(household__started_on__lte=scope.end).exclude(household__ended_on__lt=scope.start)
            .filter(person__merged_into__isnull=True))


@dataclass(frozen=True)
class Unit:
    """A case: a family, or a citizen on their own."""

    key: tuple[str, int]
    """("family", household id) or ("citizen", person id)."""
    cluster: str
    """The family's or the citizen's cluster; NO_CLUSTER for a citizen without one."""

    @property
    def is_family(self) -> bool:
        return self.key[0] == "family"


def units(scope: Scope) -> dict[int, Unit]:
    """Every person of the period (not merged) with the unit they count in: the family of their counting membership
    (the one joined last, if two), else themselves when they had a course in the period."""
    rows = _memberships(scope).values_list("person_id", "household_id", "household__cluster", "joined_on", "pk")
    family_of: dict[int, tuple] = {}
    for person, household, cluster, joined, pk in rows:
        if person not in family_of or (joined, pk) > family_of[person][2:]:
            family_of[person] = (household, cluster, joined, pk)
    out = {person: Unit(("family", household), cluster) for person, (household, cluster, _j, _pk) in family_of.items()}
    in_courses = (Course.objects.filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)
                  .filter(person__merged_into__isnull=True)
                  .values_list("person_id", "person__cluster").distinct())
    for person, cluster in set(in_courses):
        out.setdefault(person, Unit(("citizen", person), cluster or NO_CLUSTER))
    return out


def counts(scope: Scope) -> dict[str, dict[str, int]]:
    """Per cluster: families (units), persons in them, citizens in a course not in any family, and the cases (families
    plus citizens on their own). A person in two families in the period counts with the one joined last."""
    result = {key: {"families": 0, "family_persons": 0, "own": 0} for key in [*Cluster.values, NO_CLUSTER]}
    mapped = units(scope)
    for unit in mapped.values():
        result[unit.cluster]["family_persons" if unit.is_family else "own"] += 1
    for unit in set(mapped.values()):
        if unit.is_family:
            result[unit.cluster]["families"] += 1
    for figures in result.values():
        figures["cases"] = figures["families"] + figures["own"]
        figures["persons"] = figures["family_persons"] + figures["own"]
    return result


LABELS = {**dict(Cluster.choices), NO_CLUSTER: _("Uden klynge")}


def population(scope: Scope) -> Table:
    """The table: a row per cluster (and citizens without one), a total row."""
    found = counts(scope)
    keys = ("families", "family_persons", "own", "cases", "persons")
    columns = [Column(_("Familier")), Column(_("Personer i familierne")), Column(_("Borgere uden familie")),
               Column(_("Sager (familier og borgere uden familie)")), Column(_("Personer i alt"))]
    rows = [Row(LABELS[cluster], [figures[k] for k in keys], cluster) for cluster, figures in found.items()]
    total = Row(_("I alt"), [sum(f[k] for f in found.values()) for k in keys], "total")
    return Table("population", _("Borgere og familier pr. klynge"), columns, rows, total,
                 _("En familie tælles én gang som enhed, og dens medlemmer som personer."))
