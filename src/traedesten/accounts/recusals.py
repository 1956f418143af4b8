"""Conflicts of interest: a named worker may not open, see or be suggested for a named citizen."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import AuditAction, Recusal


@transaction.atomic
def recuse(actor, user, person, reason: str) -> Recusal:
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError(_("Skriv en begrundelse for inhabiliteten."))
    recusal, _created = Recusal.objects.get_or_create(user=user, person=person, defaults={"reason": reason[:300],
                                                                                          "created_by": actor})
    audit.record(actor, AuditAction.CREATE, person=person, section="recusal", fields=[str(user.pk)], reason=reason)
    return recusal


@transaction.atomic
def lift(actor, recusal: Recusal) -> None:
    recusal.delete()
    audit.record(actor, AuditAction.DELETE, person=recusal.person_id, section="recusal", fields=[str(recusal.user_id)])
