"""The Én plan experiment's own report (seed 004): citizens and families per cluster (insights.population), and the
closing survey's answers against them and its SMS funnel. Definitions in docs/kpis.md, "The Én plan report".

Exact tables are for tests and checks; only `published` tables leave the system (core.disclosure).
"""

from collections import Counter

from django.utils.translation import gettext_lazy as _

from . import population
from .catalogue import CLOSING_CODES
from .models import Invitation, Response
from .scope import Scope
from .tables import Column, Row, Table

VERSIONS = (("adult_youth", _("Voksen og unge")), ("family", _("Familie")))
"""The closing survey's two versions: a family answers the family version (seed 004 §3.1)."""


def _version(unit: population.Unit) -> str:
    return "family" if unit.is_family else "adult_youth"


def survey(scope: Scope, questionnaire_codes: tuple[str, ...]) -> tuple[Table, Table]:
    """Answers per version against the participants, complete and partial; and the SMS funnel.

    Invitations made in the period; answers given by its last day."""
    mapped = population.units(scope)
    participants_by_version = Counter(_version(u) for u in set(mapped.values()))
    invitations = Invitation.objects.filter(questionnaire__code__in=questionnaire_codes,
                                            created_at__date__gte=scope.start, created_at__date__lte=scope.end)
    answers = dict(Response.objects.filter(invitation__in=invitations, submitted_at__date__lte=scope.end)
                   .values_list("invitation_id", "complete"))
    tally: Counter = Counter()
    for pk, person, channel, sent in invitations.values_list("pk", "person_id", "channel", "sent_at"):
        unit = mapped.get(person)
        version = _version(unit) if unit else "adult_youth"
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


def report(scope: Scope, questionnaire_codes: tuple[str, ...] = tuple(CLOSING_CODES.values())) -> list[Table]:
    """The exact tables, in order; call `.published()` on each before it leaves the system."""
    return [population.population(scope), *survey(scope, questionnaire_codes)]
