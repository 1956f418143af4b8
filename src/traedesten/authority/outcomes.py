"""Outcomes the Én plan evaluation reports (seed 004 §3.4, §3.6): the case-level progression category recorded at a
follow-up or when a course closes, per member for a family, and the complaints register with its answer deadline."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned
from traedesten.people.models import Cluster, Household, HouseholdMember

from .models import CaseProgression, Complaint, FollowUp, Grant, ProgressionCategory

COMPLAINT_ANSWER_WEEKS = 4
"""A complaint is answered within four weeks of its receipt. Retssikkerhedsloven § 67, stk. 1: the authority that made
a decision re-assesses it within four weeks of receiving the complaint, and either changes it or sends the complaint on
to Ankestyrelsen. The same four weeks are used for complaints about case handling and to the mayor, which have no
deadline in law (our choice, decision 0061)."""

REASON_MAX = 500


def cluster_of(person, on: datetime.date) -> str:
    """The citizen's cluster on a day: the family cluster while a member of a family household, else their own."""
    member = (HouseholdMember.objects.filter(person=person, joined_on__lte=on, household__cluster=Cluster.FAMILY)
              .filter(Q(left_on__isnull=True) | Q(left_on__gte=on)).exists())
    return Cluster.FAMILY if member else person.cluster


def family_members(household: Household, on: datetime.date) -> list:
    """The household's members on a day, in the household's order."""
    return [m.person for m in household.members.filter(joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on)).select_related("person")]


def check_progression(category: str, reason: str) -> str:
    if category not in ProgressionCategory.values:
        raise ValidationError(_("Vælg en kategori: progression, delvis progression, ingen progression eller regression."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Skriv en kort begrundelse for kategorien."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Begrundelsen må højst være %(n)s tegn.") % {"n": REASON_MAX})
    return reason


def record_progression(actor, person, *, category: str, reason: str, on: datetime.date,
                       follow_up: FollowUp | None = None, course=None, household: Household | None = None
                       ) -> CaseProgression:
    """One citizen's category at one follow-up or one closing (a later entry for the same occasion replaces it)."""
    reason = check_progression(category, reason)
    if (follow_up is None) == (course is None):
        raise ValidationError(_("Progressionen registreres ved en opfølgning eller ved et forløbs afslutning."))
    if follow_up is not None:
        occasion = CaseProgression.Occasion.FOLLOW_UP
        if follow_up.grant.person_id != person.pk and household is None:
            raise ValidationError(_("Opfølgningen hører til en anden borger."))
    else:
        occasion = CaseProgression.Occasion.CLOSING
        if course.person_id != person.pk and household is None:
            raise ValidationError(_("Forløbet hører til en anden borger."))
    if household is not None and not household.members.filter(person=person).exists():
        raise ValidationError(_("%(name)s er ikke med i familien.") % {"name": person})
    cluster = Cluster.FAMILY if household is not None else cluster_of(person, on)
    CaseProgression.objects.filter(person=person, follow_up=follow_up, course=course, occasion=occasion).delete()
    row = CaseProgression.objects.create(person=person, household=household, occasion=occasion, follow_up=follow_up,
                                         course=course, cluster=cluster, assessed_on=on, category=category,
                                         reason=reason, assessed_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="progression", fields=["category"])
    return row


def answer_due(received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(weeks=COMPLAINT_ANSWER_WEEKS)


def check_complaint(*, person: object, received_on: datetime.date, kind: str, grant_person: object | None,
                    other_decision: str) -> None:
    """What a complaint must be to be registered (page, API and importer). Channel and kind are checked by their
    choices. `person` and `grant_person` identify the citizen and the citizen of the decision complained about (if one
    is named), as primary keys or, in an import, as the file's ids."""
    if grant_person is not None and grant_person != person:
        raise ValidationError(_("Afgørelsen hører til en anden borger."))
    if received_on > timezone.localdate():
        raise ValidationError(_("Modtagelsesdatoen kan ikke ligge i fremtiden."))
    if kind == Complaint.Kind.DECISION and grant_person is None and not other_decision.strip():
        raise ValidationError(_("Vælg den afgørelse, der klages over, eller beskriv den kort."))


def check_outcome(*, received_on: datetime.date, outcome: str, outcome_on: datetime.date) -> None:
    if outcome not in Complaint.Outcome.values:
        raise ValidationError(_("Vælg klagens udfald."))
    if outcome_on < received_on:
        raise ValidationError(_("Udfaldet kan ikke ligge før klagen blev modtaget."))
    if outcome_on > timezone.localdate():
        raise ValidationError(_("Udfaldsdatoen kan ikke ligge i fremtiden."))


def register_complaint(actor, person, *, received_on: datetime.date, channel: str, kind: str, grant: Grant | None = None,
                       other_decision: str = "", summary: str = "", responsible=None,
                       related_to_experiment: bool = False) -> Complaint:
    if channel not in Complaint.Channel.values:
        raise ValidationError(_("Vælg hvordan klagen er kommet ind."))
    if kind not in Complaint.Kind.values:
        raise ValidationError(_("Vælg om klagen gælder en afgørelse eller sagsbehandlingen."))
    check_complaint(person=person.pk, received_on=received_on, kind=kind,
                    grant_person=grant.person_id if grant is not None else None, other_decision=other_decision)
    complaint = Complaint.objects.create(
        person=person, received_on=received_on, channel=channel, kind=kind, grant=grant,
        other_decision=other_decision.strip()[:200], summary=summary.strip()[:1000], due_on=answer_due(received_on),
        responsible=responsible or actor, related_to_experiment=related_to_experiment, registered_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="complaint", fields=["complaint"])
    return complaint


def record_outcome(actor, complaint: Complaint, *, version: int, outcome: str, outcome_on: datetime.date,
                   note: str = "") -> Complaint:
    check_outcome(received_on=complaint.received_on, outcome=outcome, outcome_on=outcome_on)
    update_versioned(Complaint.objects.filter(outcome=""), complaint.pk, version, outcome=outcome,
                     outcome_on=outcome_on, outcome_note=note.strip()[:500],
                     message=_("Klagen er ændret eller afgjort af en anden, siden du åbnede den. Genindlæs og prøv igen."))
    audit.record(actor, AuditAction.UPDATE, person=complaint.person_id, section="complaint", fields=["outcome"])
    complaint.refresh_from_db()
    return complaint


def open_complaints(persons: QuerySet, *, until: datetime.date) -> QuerySet[Complaint]:
    """Unanswered complaints of the given citizens due on or before a day, by deadline."""
    return (Complaint.objects.filter(person__in=persons, outcome="", due_on__lte=until)
            .select_related("person", "responsible").order_by("due_on", "pk"))
