"""The consent registry: what a citizen has agreed to share, with whom, and until when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.accounts.principals import staff_user
from traedesten.core.locking import update_versioned

from .models import Consent, ConsentScope


@transaction.atomic
def give_consent(actor, person, *, recipient, scope: list[str], purpose: str, given_on: datetime.date,
                 expires_on: datetime.date | None = None, form: str = Consent.Form.WRITTEN,
                 given_by: str = Consent.GivenBy.CITIZEN, external: str = "") -> Consent:
    """To a department (`recipient`), or to a recipient outside the municipality (`external`, the citizen's GP)."""
    if (recipient is None) == (not external) or (external and external not in Consent.External.values):
        raise ValidationError(_("Vælg én modtager: en afdeling eller borgerens egen læge."))
    scope = sorted(set(scope))
    if not scope or set(scope) - set(ConsentScope.values):
        raise ValidationError(_("Vælg hvad samtykket omfatter."))
    if not purpose.strip():
        raise ValidationError(_("Skriv formålet med samtykket."))
    if given_on > timezone.localdate():
        raise ValidationError(_("Et samtykke kan ikke være givet i fremtiden."))
    if expires_on and expires_on < given_on:
        raise ValidationError(_("Udløbsdatoen ligger før samtykket blev givet."))
    consent = Consent.objects.create(person=person, recipient=recipient, external=external, scope=scope, purpose=" ".join(purpose.split())[:300],
                                     given_on=given_on, expires_on=expires_on, form=form, given_by=given_by,
                                     recorded_by=staff_user(actor))
    audit.record(actor, AuditAction.CREATE, person=person, section="consent", fields=scope,
                 reason=consent.recipient_code)
    return consent


@transaction.atomic
def withdraw_consent(actor, consent: Consent) -> Consent:
    """Sharing stops from this moment; the audit log shows when and by whom."""
    update_versioned(Consent.objects.filter(withdrawn_at__isnull=True), consent.pk, consent.version,
                     withdrawn_at=timezone.now(),
                     message=_("Samtykket er allerede trukket tilbage eller ændret af en anden. Genindlæs siden."))
    consent.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=consent.person_id, section="consent", fields=["withdrawn"],
                 reason=consent.recipient_code)
    return consent


def consented_scopes(person, department, at=None) -> set[str]:
    """The parts the citizen has agreed to share with a department right now."""
    if department is None:
        return set()
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    consents = Consent.objects.filter(person=person, recipient=department, given_on__lte=today).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at)).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    return {part for c in consents for part in c.scope}


def gp_consent(person, at=None) -> Consent | None:
    """The citizen's consent to share with their GP that is in force now (the latest given), or None."""
    at = at or timezone.now()
    return next((c for c in Consent.objects.filter(person=person, external=Consent.External.GP).order_by("-given_on", "-pk")
                 if c.in_force(at)), None)
