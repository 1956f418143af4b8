"""Recording prices, rates and shadow visitation."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, Background

from .models import HourlyRate, Price, PriceItem, ShadowAssessment


def check_payer_shares(kommune: Decimal, region: Decimal, stat: Decimal) -> None:
    """A price item's payer shares: each from 0 to 1, together exactly 1 (100 %)."""
    shares = (kommune, region, stat)
    if any(share is None or not Decimal(0) <= share <= Decimal(1) for share in shares):
        raise ValidationError(_("En betalerandel skal ligge mellem 0 og 1."))
    if sum(shares) != 1:
        raise ValidationError(_("Betalerandelene (kommune, region, stat) skal tilsammen være 1 (100 %)."))


def check_fixed_cost(*, name: str, annual_cost: Decimal, valid_from: datetime.date, valid_to: datetime.date | None) -> None:
    """A fixed cost has a name, is not negative and ends on or after it begins."""
    if not " ".join((name or "").split()):
        raise ValidationError(_("Giv den faste udgift et navn."))
    if annual_cost is None or annual_cost < 0:
        raise ValidationError(_("En fast udgift kan ikke være negativ."))
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(_("Slutdatoen ligger før startdatoen."))


@transaction.atomic
def set_price(item: PriceItem, *, annual_cost: Decimal, valid_from: datetime.date) -> Price:
    """A new price from a date; the previous open price ends the day before."""
    if annual_cost < 0:
        raise ValidationError(_("En pris kan ikke være negativ."))
    previous = item.prices.filter(valid_to__isnull=True, valid_from__lt=valid_from).first()
    if previous:
        Price.objects.filter(pk=previous.pk).update(valid_to=valid_from - datetime.timedelta(days=1))
    if item.prices.filter(valid_from__gte=valid_from).exists():
        raise ValidationError(_("Der findes allerede en pris fra denne dato eller senere."))
    return Price.objects.create(item=item, annual_cost=annual_cost, valid_from=valid_from)


@transaction.atomic
def set_rate(*, amount: Decimal, valid_from: datetime.date, valid_to: datetime.date | None = None) -> HourlyRate:
    if amount < 0:
        raise ValidationError(_("En timepris kan ikke være negativ."))
    if valid_to and valid_to < valid_from:
        raise ValidationError(_("Slutdatoen ligger før startdatoen."))
    return HourlyRate.objects.create(amount=amount, valid_from=valid_from, valid_to=valid_to)


@transaction.atomic
def assess_shadow(actor, course, *, would_have: PriceItem | None, actually_got: PriceItem | None = None,
                  confidence: str = ShadowAssessment.Confidence.MEDIUM, note: str = "",
                  assessed_by=None) -> ShadowAssessment:
    """Record (or correct) the counterfactual for a closed course. `assessed_by` is the colleague who made the estimate
    (often one with authority experience, seed 000 J); by default the one who records it."""
    if course.status != "closed":
        raise ValidationError(_("Skyggevisitation registreres, når forløbet er afsluttet."))
    for item in (would_have, actually_got):
        if item is not None and not isinstance(item, PriceItem):
            raise ValidationError(_("Vælg tilbuddet fra priskataloget."))
    if confidence not in ShadowAssessment.Confidence.values:
        raise ValidationError(_("Vælg hvor sikker vurderingen er."))
    shadow, _created = ShadowAssessment.objects.update_or_create(course=course, defaults={
        "would_have": would_have, "actually_got": actually_got, "confidence": confidence, "note": note.strip()[:300],
        "assessed_by": assessed_by or actor,
        "authority_experience": getattr(assessed_by or actor, "background", "") == Background.AUTHORITY})
    audit.record(actor, AuditAction.UPDATE, person=course.person_id, section="shadow_visitation")
    return shadow
