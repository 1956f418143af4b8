"""Case conferences (sagsdrøftelse): an agenda of new citizens and citizens to close or move on, and decisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned
from traedesten.courses.models import Course, Destination
from traedesten.courses.services import course_end, plan_closing

from .handover import readable, start_handover
from .models import AgendaItem, CaseConference, Handover

MOVE_ON_HORIZON = datetime.timedelta(days=14)
CLOSE_WITHIN: dict[str, datetime.timedelta] = {AgendaItem.Decision.CLOSE: datetime.timedelta(days=7),
                AgendaItem.Decision.HANDOVER: datetime.timedelta(days=14),
                AgendaItem.Decision.AUTHORITY: datetime.timedelta(days=14)}
"""A decision to close or move a course on puts its closing on the worker's list, due this many days after the
meeting (a hand-over needs the citizen's consent and the form written first)."""


def _front_door_courses(conference: CaseConference):
    courses = Course.objects.filter(offer__front_door=True).select_related("person", "offer")
    return courses.filter(team=conference.team) if conference.team_id else courses


def _sent_at(handover: Handover) -> datetime.datetime:
    assert handover.sent_at is not None, "a hand-over that is not a draft has been sent"
    return handover.sent_at


@transaction.atomic
def build_agenda(actor, conference: CaseConference) -> int:
    """A team's meeting: citizens new since the last conference, those whose course ends within two weeks, and those
    handed over since then. A meeting the authority convenes sees only hand-overs the citizens consented to share."""
    previous = (CaseConference.objects.filter(team=conference.team, held_on__lt=conference.held_on)
                .order_by("-held_on").first())
    since = previous.held_on if previous else conference.held_on - datetime.timedelta(days=7)
    discussed = set(previous.items.values_list("person_id", flat=True)) if previous else set()
    on_agenda = set(conference.items.values_list("person_id", flat=True)) | discussed
    added = []

    def add(person, course, kind):
        if person.pk not in on_agenda:
            added.append(AgendaItem(conference=conference, person=person, course=course, kind=kind))
            on_agenda.add(person.pk)

    handed_over = Handover.objects.filter(sent_at__date__gte=since, sent_at__date__lte=conference.held_on).exclude(
        status=Handover.Status.DRAFT).select_related("person", "course", "consent")
    if conference.team_id:
        courses = _front_door_courses(conference).filter(status=Course.Status.ACTIVE)
        for course in courses.filter(start__gte=since, start__lte=conference.held_on).order_by("start"):
            add(course.person, course, AgendaItem.Kind.NEW)
        for course in courses.filter(start__lt=since).order_by("start"):
            end = course_end(course)
            if end and end <= conference.held_on + MOVE_ON_HORIZON:
                add(course.person, course, AgendaItem.Kind.MOVE_ON)
        moving_on = list(handed_over.filter(course__team=conference.team))
    else:
        moving_on = readable(actor, handed_over)
    for h in sorted(moving_on, key=_sent_at):
        add(h.person, h.course, AgendaItem.Kind.MOVE_ON)
    AgendaItem.objects.bulk_create(added)
    if added:
        audit.record(actor, AuditAction.VIEW, persons=[i.person_id for i in added], section="case_conference")
    return len(added)


@transaction.atomic
def decide(actor, item: AgendaItem, decision: str, note: str = "") -> AgendaItem:
    """Record the decision; a hand-over or a direct referral opens a hand-over draft for the guide to finish."""
    if decision not in AgendaItem.Decision.values:
        raise ValidationError(_("Vælg en beslutning."))
    if CaseConference.objects.select_for_update().get(pk=item.conference_id).closed:
        raise ValidationError(_("Sagsdrøftelsen er afsluttet."))
    item.decision, item.note, item.decided_by = decision, " ".join(note.split())[:500], actor
    item.save(update_fields=["decision", "note", "decided_by"])
    already_sent = Handover.objects.filter(person=item.person, course=item.course).exclude(status=Handover.Status.DRAFT)
    moves_on = decision in (AgendaItem.Decision.HANDOVER, AgendaItem.Decision.AUTHORITY)
    if moves_on and not already_sent.exists():
        start_handover(actor, item.person, item.course)
    if item.course is not None and (moves_on or decision == AgendaItem.Decision.CLOSE):
        held_on = item.conference.held_on
        plan_closing(actor, item.course, on=held_on + CLOSE_WITHIN[decision],
                     destination=Destination.AUTHORITY if moves_on else "",
                     because=_("Sagsdrøftelse %(date)s: %(decision)s") % {
                         "date": f"{held_on:%d.%m.%Y}", "decision": AgendaItem.Decision(decision).label})
    audit.record(actor, AuditAction.UPDATE, person=item.person_id, section="case_conference", fields=["decision"],
                 reason=decision)
    return item


@transaction.atomic
def close_conference(actor, conference: CaseConference, *, minutes: str, attendees, guests: str = "", version: int):
    CaseConference.objects.select_for_update().get(pk=conference.pk)
    undecided = conference.items.filter(decision="").count()
    if undecided:
        raise ValidationError(_("%(n)s borgere på dagsordenen mangler en beslutning.") % {"n": undecided})
    update_versioned(CaseConference.objects.filter(closed=False), conference.pk, version, closed=True,
                     minutes=minutes.strip()[:5000], guests=guests.strip()[:300],
                     message=_("Sagsdrøftelsen er ændret af en anden. Genindlæs og prøv igen."))
    conference.refresh_from_db()
    conference.attendees.set(attendees)
    audit.record(actor, AuditAction.UPDATE, persons=list(conference.items.values_list("person_id", flat=True)),
                 section="case_conference", fields=["minutes", "decisions"])
    return conference
