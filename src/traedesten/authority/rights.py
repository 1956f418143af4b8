"""The citizen's rights: told they may apply formally and come back, and requests for an assessment."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction

from .models import AssessmentRequest, RightsNotice


@transaction.atomic
def record_rights(actor, person, *, may_apply: bool, may_return: bool, course=None, on: datetime.date | None = None):
    if not (may_apply or may_return):
        raise ValidationError(_("Markér hvad borgeren er blevet oplyst om."))
    notice = RightsNotice.objects.create(person=person, course=course, informed_on=on or timezone.localdate(),
                                         may_apply=may_apply, may_return=may_return, informed_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="rights")
    return notice


@transaction.atomic
def request_assessment(actor, person, *, on: datetime.date, note: str = "") -> AssessmentRequest:
    if on > timezone.localdate():
        raise ValidationError(_("Datoen ligger i fremtiden."))
    request = AssessmentRequest.objects.create(person=person, requested_on=on, note=" ".join(note.split())[:500],
                                               registered_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="rights", fields=["assessment_request"])
    return request


@transaction.atomic
def answer_request(actor, request: AssessmentRequest, *, answer: str, on: datetime.date) -> AssessmentRequest:
    if answer not in AssessmentRequest.Answer.values:
        raise ValidationError(_("Vælg svaret på anmodningen."))
    if on < request.requested_on:
        raise ValidationError(_("Svaret kan ikke ligge før anmodningen."))
    if not AssessmentRequest.objects.filter(pk=request.pk, answered_on__isnull=True).update(
            answer=answer, answered_on=on, answered_by=actor):
        raise ValidationError(_("Anmodningen er allerede besvaret."))
    request.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=request.person_id, section="rights", fields=["assessment_answer"])
    return request


def open_requests(persons=None):
    requests = AssessmentRequest.objects.filter(answered_on__isnull=True).select_related("person")
    return requests.filter(person__in=persons) if persons is not None else requests
