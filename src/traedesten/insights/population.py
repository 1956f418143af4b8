"""The population of the holistic courses (Én plan, issue 26 item 3): citizens and families, per cluster.

A family is counted once, as a unit, and its members as persons: "99 families were 306 persons". The definition, precise
enough to recompute it from the interchange fields, is in notes-families.md (to join docs/kpis.md). Only the period
narrows it; the report's other filters (offer, team, age, sex) do not apply to families. `population(scope).published()`
is what may be shown (rounded by core.disclosure); `.exact()` is for tests.
"""

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


def counts(scope: Scope) -> dict[str, dict[str, int]]:
    """Per cluster: families (units), persons in them, citizens in a course not in any family, and the cases (families
    plus citizens on their own). A person in two families in the period counts with the one joined last."""
    rows = _memberships(scope).values_list("person_id", "household_id", "household__cluster", "joined_on", "pk")
    family_of: dict[int, tuple] = {}
    for person, household, cluster, joined, pk in rows:
        if person not in family_of or (joined, pk) > family_of[person][2:]:
            family_of[person] = (household, cluster, joined, pk)
    result = {key: {"families": 0, "family_persons": 0, "own": 0} for key in [*Cluster.values, NO_CLUSTER]}
    households: dict[int, str] = {}
    for household, cluster, _joined, _pk in family_of.values():
        households[household] = cluster
        result[cluster]["family_persons"] += 1
    for cluster in households.values():
        result[cluster]["families"] += 1
    in_courses = (Course.objects.filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)
                  .filter(person__merged_into__isnull=True)
                  .values_list("person_id", "person__cluster").distinct())
    for person, cluster in set(in_courses):
        if person not in family_of:
            result[cluster or NO_CLUSTER]["own"] += 1
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
