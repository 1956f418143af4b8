"""Matching a citizen with a worker (matchning, seed 003 theme 10 "the good course"): a new § 85 order puts the
citizen in the provider team's queue with a deadline 14 days after the order; the match makes the worker responsible
on the course; a citizen's request for another worker puts them back in the queue. Decision 0049."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, Method
from traedesten.core.locking import update_versioned
from traedesten.courses.models import Course

from .models import MATCHING_DAYS, Matching, Order, WorkerChangeRequest


def needs_matching(order: Order) -> bool:
    """An order under § 85 (bostøtte, seed 003) goes through matching."""
    basis = " ".join(order.grant.legal_basis.split()).lower()
    return basis.endswith("§ 85") or basis.endswith("§85")


def open_for_order(order: Order) -> Matching | None:
    """A new § 85 order: the citizen waits to be matched by the provider team, due 14 days after the order."""
    if not needs_matching(order):
        return None
    opened = timezone.localdate(order.sent_at)
    existing = Matching.objects.filter(person_id=order.person_id, team_id=order.provider_team_id,
                                       status=Matching.Status.WAITING).first()
    if existing is not None:
        return existing
    return Matching.objects.create(person_id=order.person_id, team_id=order.provider_team_id, order=order,
                                   course=order.course, opened_on=opened,
                                   due_on=opened + datetime.timedelta(days=MATCHING_DAYS))


def attach_course(order: Order) -> None:
    """The provider accepted the order and started its course: the match will make the worker responsible on it."""
    if order.course_id:
        Matching.objects.filter(order=order, course__isnull=True).update(course=order.course)


def save_wishes(actor, matching: Matching, *, version: int, gender: str = "", language: str = "",
                method: Method | None = None, note: str = "") -> Matching:
    if gender and gender not in ("female", "male"):
        raise ValidationError(_("Ukendt køn."))
    update_versioned(Matching.objects.filter(status=Matching.Status.WAITING), matching.pk, version,
                     wished_gender=gender, wished_language=" ".join(language.split())[:40], wished_method=method,
                     wish_note=" ".join(note.split())[:200],
                     message=_("Matchningen er ændret af en anden. Genindlæs siden."))
    audit.record(actor, AuditAction.UPDATE, person=matching.person_id, section="matching", fields=["wishes"])
    matching.refresh_from_db()
    return matching


@transaction.atomic
def match(actor, matching: Matching, worker, *, version: int, on: datetime.date) -> Matching:
    """The worker becomes the citizen's responsible worker on the course (the order's, or the team's active one)."""
    if not worker.is_active or not worker.teams.filter(pk=matching.team_id).exists():
        raise ValidationError(_("Medarbejderen er ikke på leverandørteamet."))
    update_versioned(Matching.objects.filter(status=Matching.Status.WAITING), matching.pk, version,
                     status=Matching.Status.MATCHED, worker=worker, matched_on=on, matched_by=actor,
                     message=_("Matchningen er ændret af en anden. Genindlæs siden."))
    matching.refresh_from_db()
    course = course_of(matching)
    if course is not None:
        Course.objects.filter(pk=course.pk).update(responsible=worker)
    WorkerChangeRequest.objects.filter(matching=matching).update(
        outcome=WorkerChangeRequest.Outcome.SAME_WORKER if matching.previous_worker_id == worker.pk
        else WorkerChangeRequest.Outcome.NEW_WORKER)
    audit.record(actor, AuditAction.UPDATE, person=matching.person_id, section="matching", fields=["worker"])
    return matching


def course_of(matching: Matching) -> Course | None:
    if matching.course_id:
        return matching.course
    return (Course.objects.filter(person_id=matching.person_id, team_id=matching.team_id, status=Course.Status.ACTIVE)
            .order_by("-start").first())


@transaction.atomic
def request_other_worker(actor, person, *, team, requested_on: datetime.date, reason: str, previous_worker=None,
                         course: Course | None = None) -> WorkerChangeRequest:
    """The citizen asks for another worker: recorded in their words, and back in the team's matching queue."""
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise ValidationError(_("Skriv borgerens begrundelse med borgerens egne ord."))
    if requested_on > timezone.localdate():
        raise ValidationError(_("Datoen ligger i fremtiden."))
    if Matching.objects.filter(person=person, team=team, status=Matching.Status.WAITING).exists():
        raise ValidationError(_("Borgeren venter allerede på en matchning i teamet."))
    matching = Matching.objects.create(
        person=person, team=team, course=course, reason=Matching.Reason.CHANGE_REQUEST, opened_on=requested_on,
        due_on=requested_on + datetime.timedelta(days=MATCHING_DAYS), previous_worker=previous_worker)
    request = WorkerChangeRequest.objects.create(person=person, requested_on=requested_on, reason=reason[:500],
                                                 previous_worker=previous_worker, matching=matching,
                                                 recorded_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="worker_change_request", fields=["reason"])
    return request


def queue(team_ids, persons):
    """The waiting matchings of the teams, for the citizens the user reaches, by deadline."""
    live = Q(order__isnull=True) | Q(order__status__in=[Order.Status.SENT, Order.Status.ACCEPTED],
                                     order__ended_on__isnull=True)
    return (Matching.objects.filter(live, team_id__in=team_ids, status=Matching.Status.WAITING, person__in=persons)
            .select_related("person", "team", "order__grant", "wished_method", "previous_worker").order_by("due_on", "pk"))
