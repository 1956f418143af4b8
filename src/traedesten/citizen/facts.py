"""What Min side tells the citizen about their course: who their contact is, when it ends, what comes next, and how
their scores have gone, in plain words."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts.models import CaseloadAssignment
from traedesten.civil.models import Escort, Match
from traedesten.courses.ending import klip_counts
from traedesten.courses.models import Course
from traedesten.courses.services import deadlines, expected_ends
from traedesten.measures import scoring
from traedesten.plans.models import Plan


@dataclass(frozen=True)
class Contact:
    name: str
    team: str


def contact_person(person) -> Contact | None:
    """The plan's coordinator, else the worker the citizen is assigned to."""
    plan = Plan.objects.select_related("coordinator").filter(person=person).first()
    today = timezone.localdate()
    assignment = (CaseloadAssignment.objects.filter(person=person).filter(Q(end__isnull=True) | Q(end__gte=today))
                  .select_related("worker", "team").order_by("-start", "-pk"))
    current = assignment.filter(worker__isnull=False).first() or assignment.first()
    worker = plan.coordinator if plan and plan.coordinator else (current.worker if current else None)
    if worker is None and current is None:
        return None
    team = current.team.name if current else ""
    return Contact(worker.get_full_name() or worker.username if worker else "", team)


@dataclass(frozen=True)
class Ending:
    offer: str
    on: datetime.date


def endings(person) -> list[Ending]:
    """When each of the citizen's running courses is expected to end: a decided closing, the time limit by law, or
    the offer's rules (courses.services.expected_end, decision 0052)."""
    return [Ending(course.offer.name, end) for course, end in expected_ends(person)]


@dataclass(frozen=True)
class Klippekort:
    offer: str
    granted: int
    left: int


def klippekort(person) -> list[Klippekort]:
    """The klippekort granted when the citizen's courses ended, with the klip left (decision 0052)."""
    closed = list(Course.objects.filter(person=person, status=Course.Status.CLOSED).select_related("offer"))
    counts = klip_counts(closed)
    return [Klippekort(c.offer.name, *counts[c.pk]) for c in closed if c.pk in counts]


@dataclass(frozen=True)
class Meeting:
    on: datetime.date
    what: str
    at: str = ""
    where: str = ""


MEETING_KINDS = {"follow_up": gettext_lazy("Opfølgende samtale med din kontaktperson"),
                 "assessment": gettext_lazy("Samtale om, hvad du har brug for, når forløbet slutter")}


def next_meetings(person, limit: int = 6) -> list[Meeting]:
    """What is coming: the conversations the course's rules set a date for, kick-off meetings in a community, and
    when a volunteer meets the citizen."""
    today, now = timezone.localdate(), timezone.now()
    found = []
    for course in Course.objects.filter(person=person, status=Course.Status.ACTIVE).select_related("offer"):
        for deadline in deadlines(course):
            if deadline.kind in MEETING_KINDS and not deadline.done and deadline.due >= today:
                found.append(Meeting(deadline.due, _("%(what)s (senest denne dag)") % {
                    "what": MEETING_KINDS[deadline.kind]}))
    matches = (Match.objects.filter(person=person, kickoff_on__gte=today).exclude(status=Match.Status.ENDED)
               .select_related("offer"))
    for match in matches:
        assert match.kickoff_on is not None, "the query asks for a kick-off day"
        found.append(Meeting(match.kickoff_on, _("Kick off-møde: %(offer)s") % {
            "offer": match.offer.name if match.offer else _("et fællesskab")}))
    for escort in Escort.objects.filter(match__person=person, meet_at__gte=now).select_related("match__offer"):
        local = timezone.localtime(escort.meet_at)
        found.append(Meeting(local.date(), _("En frivillig følger dig til %(offer)s") % {
            "offer": escort.match.offer.name if escort.match.offer else _("et fællesskab")},
            at=f"{local:%H.%M}", where=escort.meet_place))
    return sorted(found, key=lambda m: (m.on, m.at))[:limit]


PLAIN = {
    scoring.RECOVERED: gettext_lazy("Det går fremad: du har det tydeligt bedre end da du startede."),
    scoring.IMPROVED: gettext_lazy("Det går fremad: din seneste vurdering er tydeligt bedre end din første."),
    scoring.UNCHANGED: gettext_lazy("Dine vurderinger ligger nogenlunde, hvor de startede."),
    scoring.DETERIORATED: gettext_lazy("Din seneste vurdering er tydeligt dårligere end din første. Tal gerne med din "
                                       "kontaktperson om det."),
}


def plain_number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def in_plain_words(traj) -> list[str]:
    """A trajectory told in sentences: the latest score out of what is possible, since last time, since the start."""
    points = traj.points
    if not points:
        return [_("Du har ikke givet nogen vurdering endnu.")]
    defn, latest = traj.definition, points[-1]
    sentences = []
    top = defn.total_range[1] if defn.total_range else None
    sentences.append(_("Din seneste vurdering den %(date)s var %(score)s ud af %(top)s.") % {
        "date": f"{latest.administration.on:%d.%m.%Y}", "score": plain_number(latest.total), "top": plain_number(top)}
        if top is not None else _("Din seneste vurdering den %(date)s var %(score)s.") % {
            "date": f"{latest.administration.on:%d.%m.%Y}", "score": plain_number(latest.total)})
    if len(points) == 1:
        sentences.append(_("Når du har givet flere vurderinger, kan du se, hvordan det går."))
        return sentences
    change = scoring.improvement(defn, points[-2].total, latest.total)
    if change > 0:
        sentences.append(_("Det er %(n)s bedre end sidst.") % {"n": plain_number(change)})
    elif change < 0:
        sentences.append(_("Det er %(n)s dårligere end sidst.") % {"n": plain_number(-change)})
    else:
        sentences.append(_("Det er det samme som sidst."))
    if traj.classification in PLAIN:
        sentences.append(str(PLAIN[traj.classification]))
    return sentences
