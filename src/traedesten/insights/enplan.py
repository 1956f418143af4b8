"""The Én plan experiment's own report (seed 004): participants counted as citizens and as families, and the
closing survey's answers and SMS funnel. Definitions in docs/kpis.md, "The Én plan report".

A unit is a family (a household whose period overlaps the report period), or a citizen with a cluster and a course
open on a day of the period who is not a member of such a family in the period. A unit's cluster is the family's or
the citizen's. Exact tables are for tests and checks; only `published` tables leave the system (core.disclosure).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traedesten.courses.models import Course
from traedesten.people.models import Cluster, Household, HouseholdMember, Person

from .models import Invitation, Response
from .scope import Scope
from .tables import Column, Row, Table

VERSIONS = (("adult_youth", _("Voksen og unge")), ("family", _("Familie")))
"""The closing survey's two versions: a family answers the family version (seed 004 §3.1)."""


@dataclass(frozen=True)
class Unit:
    key: tuple[str, int]
    """("family", household pk) or ("citizen", person pk)."""
    cluster: str
    persons: int

    @property
    def version(self) -> str:
        return "family" if self.key[0] == "family" else "adult_youth"


def units(scope: Scope) -> dict[int, Unit]:
    """Every participant person of the period, mapped to their unit."""
    families = dict(Household.objects.filter(started_on__lte=scope.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start)).values_list("pk", "cluster"))
    members: dict[int, list[int]] = {}
    for household, person in HouseholdMember.objects.filter(household__in=list(families), joined_on__lte=scope.end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=scope.start)).order_by("household", "person").values_list(
            "household_id", "person_id"):
        members.setdefault(household, []).append(person)
    out: dict[int, Unit] = {}
    for household, persons in members.items():
        unit = Unit(("family", household), families[household], len(persons))
        for person in persons:
            out.setdefault(person, unit)
    open_course = Course.objects.filter(start__lte=scope.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start))
    for person, cluster in Person.objects.exclude(cluster="").filter(pk__in=open_course.values("person_id")).values_list(
            "pk", "cluster"):
        out.setdefault(person, Unit(("citizen", person), cluster, 1))
    return out


def participants(scope: Scope) -> Table:
    """Units and persons per cluster (99 families were 306 persons in one municipality)."""
    distinct = set(units(scope).values())
    by_cluster = Counter(u.cluster for u in distinct)
    persons: Counter[str] = Counter()
    for u in distinct:
        persons[u.cluster] += u.persons
    columns = [Column(_("Deltagere (borgere eller familier)")), Column(_("Andel"), "share", of=0),
               Column(_("Personer"))]
    rows = [Row(label, [by_cluster[key], None, persons[key]], key) for key, label in Cluster.choices]
    total = Row(_("I alt"), [len(distinct), None, sum(persons.values())], "total")
    return Table("enplan_participants", _("Deltagere i Én plan pr. klynge"), columns, rows, total,
                 _("En familie tæller som én deltager; dens medlemmer tæller som personer."))


def survey(scope: Scope, questionnaire_codes: tuple[str, ...]) -> tuple[Table, Table]:
    """Answers per version against the participants, complete and partial; and the SMS funnel.

    Invitations made in the period; answers given by its last day."""
    mapped = units(scope)
    participants_by_version = Counter(u.version for u in set(mapped.values()))
    invitations = Invitation.objects.filter(questionnaire__code__in=questionnaire_codes,
                                            created_at__date__gte=scope.start, created_at__date__lte=scope.end)
    answers = dict(Response.objects.filter(invitation__in=invitations, submitted_at__date__lte=scope.end)
                   .values_list("invitation_id", "complete"))
    tally: Counter = Counter()
    for pk, person, channel, sent in invitations.values_list("pk", "person_id", "channel", "sent_at"):
        unit = mapped.get(person)
        version = unit.version if unit else "adult_youth"
        answered = pk in answers
        state = ("complete" if answers[pk] else "partial") if answered else "none"
        tally[version, "answers"] += answered
        tally[version, state] += 1
        if channel == Invitation.Channel.SMS and sent is not None:
            tally[version, "sms_sent"] += 1
            tally[version, f"sms_{state}"] += 1
    answer_columns = [Column(_("Deltagere")), Column(_("Svar")), Column(_("Svar i forhold til deltagere"), "share", of=1,
                                                                       base=0),
                      Column(_("Udfyldt helt")), Column(_("Udfyldt delvist"))]
    answer_rows = [Row(label, [participants_by_version[key], tally[key, "answers"], None, tally[key, "complete"],
                               tally[key, "partial"]], key) for key, label in VERSIONS]
    answer_total = Row(_("I alt"), [sum(r.values[i] for r in answer_rows) if i != 2 else None for i in range(5)],
                       "total")
    sms_columns = [Column(_("Sendt pr. SMS")), Column(_("Udfyldt helt")), Column(_("Udfyldt delvist"))]
    sms_rows = [Row(label, [tally[key, "sms_sent"], tally[key, "sms_complete"], tally[key, "sms_partial"]], key)
                for key, label in VERSIONS]
    return (Table("enplan_survey", _("Afsluttende borgersurvey: svar i forhold til deltagere"), answer_columns,
                  answer_rows, answer_total,
                  _("Den reelle svarprocent kendes ikke, når links udleveres ved sidste møde; andelen er svar i forhold "
                    "til deltagere.")),
            Table("enplan_survey_sms", _("Afsluttende borgersurvey sendt pr. SMS"), sms_columns, sms_rows))


def report(scope: Scope, questionnaire_codes: tuple[str, ...] = ("en-plan-afslutning",)) -> list[Table]:
    """The exact tables, in order; call `.published()` on each before it leaves the system."""
    return [participants(scope), *survey(scope, questionnaire_codes)]
