"""Bostøtte (§85) episodes: hours packages, a planned step-down and an easy way back in."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned

from .models import Course, HoursPackage, PackageChange
from .services import start_course


def _check_bostotte(course: Course) -> None:
    if not course.offer.meaning.hours_package:
        raise ValidationError(_("Kun bostøtteforløb har en timepakke."))


@transaction.atomic
def plan_step_down(actor, course: Course, *, on: datetime.date, to_package: str, expected_version: int) -> Course:
    _check_bostotte(course)
    if to_package not in HoursPackage.values:
        raise ValidationError(_("Vælg den timepakke, der trappes ned til."))
    if on < course.start:
        raise ValidationError(_("Nedtrapningen ligger før forløbets start."))
    if to_package == course.hours_package:
        raise ValidationError(_("Borgeren har allerede den timepakke."))
    order = list(HoursPackage.values)
    if course.hours_package in order and order.index(to_package) > order.index(course.hours_package):
        raise ValidationError(_("En nedtrapning går til en mindre timepakke. Brug »Skift timepakke fra datoen« for at trappe op."))
    update_versioned(Course.objects.filter(status=Course.Status.ACTIVE), course.pk, expected_version,
                     step_down_on=on, step_down_to=to_package)
    audit.record(actor, AuditAction.UPDATE, person=course.person_id, section="course", fields=["step_down"])
    course.refresh_from_db()
    return course


@transaction.atomic
def change_package(actor, course: Course, *, on: datetime.date, to_package: str, expected_version: int) -> Course:
    """Carry out a step-down (or a step-up) from the given date and keep the history."""
    _check_bostotte(course)
    if to_package not in HoursPackage.values:
        raise ValidationError(_("Vælg en timepakke."))
    if on < course.start:
        raise ValidationError(_("Ændringen ligger før forløbets start."))
    update_versioned(Course.objects.filter(status=Course.Status.ACTIVE), course.pk, expected_version,
                     hours_package=to_package, step_down_on=None, step_down_to="")
    PackageChange.objects.create(course=course, on=on, from_package=course.hours_package, to_package=to_package, by=actor)
    audit.record(actor, AuditAction.UPDATE, person=course.person_id, section="course", fields=["hours_package"])
    course.refresh_from_db()
    return course


def reenter(actor, closed: Course, *, on: datetime.date) -> Course:
    """The easy way back: a new episode on the same offer and package, linked to the one that ended."""
    _check_bostotte(closed)
    if closed.status != Course.Status.CLOSED:
        raise ValidationError(_("Forløbet er stadig aktivt."))
    if closed.closed_on is not None and on < closed.closed_on:
        raise ValidationError(_("Den nye start ligger før det forrige forløb sluttede."))
    return start_course(actor, closed.person, closed.offer, start=on, previous=closed, team=closed.team,
                        hours_package=closed.hours_package or HoursPackage.UNDER_3)
