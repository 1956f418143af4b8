"""Orders (bestilling): a grant goes to the provider team it names; the team accepts or declines it.

Accepting makes the team the citizen's provider for the grant's period: the gate's relation "provider of an active
grant" reads accepted orders whose grant runs (gate/relations.py). An order ends when its grant ends, or when the
grant names another provider; a new order then goes to that one. When the order names an offer a worker starts alone
(bostøtte, say), accepting starts the provider's course on it, so contacts are recorded against the grant's delivery.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned
from traedesten.courses import services as courses
from traedesten.courses.models import Course, HoursPackage

from . import matching
from .models import Grant, GrantStatus, Order


def package_for(hours_per_week: Decimal | None) -> str:
    """The bostøtte hours package that holds a grant's weekly hours."""
    if hours_per_week is None or hours_per_week < 3:
        return HoursPackage.UNDER_3
    if hours_per_week <= 6:
        return HoursPackage.FROM_3_TO_6
    return HoursPackage.FROM_6_TO_20


def send_order(actor, grant: Grant) -> Order | None:
    """Send the grant to its provider team (nothing when it names none)."""
    if grant.provider_team_id is None:
        return None
    if grant.provider_offer is not None and not grant.provider_offer.active:
        raise ValidationError(_("Tilbuddet %(offer)s er ikke aktivt.") % {"offer": grant.provider_offer})
    order = Order.objects.create(person_id=grant.person_id, grant=grant, provider_team_id=grant.provider_team_id,
                                 offer_id=grant.provider_offer_id, sent_by=actor)
    audit.record(actor, AuditAction.CREATE, person=grant.person_id, section="order", fields=["provider_team"])
    matching.open_for_order(order)
    return order


def open_orders(grant: Grant):
    return Order.objects.filter(grant=grant, status__in=[Order.Status.SENT, Order.Status.ACCEPTED], ended_on__isnull=True)


def end_orders(actor, grant: Grant, on: datetime.date) -> int:
    """The grant ended or names another provider: accepted orders end that day, orders not yet answered are
    withdrawn."""
    ended = Order.objects.filter(grant=grant, status=Order.Status.ACCEPTED, ended_on__isnull=True).update(
        ended_on=on)
    withdrawn = Order.objects.filter(grant=grant, status=Order.Status.SENT).update(
        status=Order.Status.WITHDRAWN, answered_at=timezone.now(), answered_by=actor, ended_on=on)
    if ended or withdrawn:
        audit.record(actor, AuditAction.UPDATE, person=grant.person_id, section="order", fields=["ended_on"])
    return ended + withdrawn


@transaction.atomic
def accept_order(actor, order: Order, *, version: int, on: datetime.date | None = None) -> Order:
    """The provider takes the order. Where the offer is started for one citizen, the provider's course starts on the
    grant's start (or today, when the order arrives late), on the hours package that holds the granted hours."""
    grant = Grant.objects.select_for_update().get(pk=order.grant_id)
    if grant.ended_on is not None:
        raise ValidationError(_("Bevillingen er afsluttet."))
    on = on or timezone.localdate()
    update_versioned(Order.objects.filter(status=Order.Status.SENT), order.pk, version,
                     status=Order.Status.ACCEPTED, answered_at=timezone.now(), answered_by=actor,
                     message=_("Bestillingen er besvaret eller ændret af en anden. Genindlæs siden."))
    order.refresh_from_db()
    offer = order.offer
    if offer is not None and offer.meaning.started_alone:
        course = (Course.objects.filter(person_id=order.person_id, offer=offer, status=Course.Status.ACTIVE, group=None)
                  .first())
        if course is None:
            course = courses.start_course(
                actor, order.person, offer, start=grant.starts_on, team=order.provider_team,
                hours_package=package_for(grant.hours_per_week) if offer.meaning.hours_package else "",
                cap_reason=_("Bevilget af myndigheden (sag %(case)s)") % {"case": grant.case_number})
        Order.objects.filter(pk=order.pk).update(course=course)
        order.course = course
        matching.attach_course(order)
    audit.record(actor, AuditAction.UPDATE, person=order.person_id, section="order", fields=["status"])
    return order


@transaction.atomic
def decline_order(actor, order: Order, *, version: int, note: str) -> Order:
    note = " ".join(note.split())
    if len(note) < 5:
        raise ValidationError(_("Skriv hvorfor bestillingen afvises, så myndigheden kan finde en anden leverandør."))
    update_versioned(Order.objects.filter(status=Order.Status.SENT), order.pk, version,
                     status=Order.Status.DECLINED, answered_at=timezone.now(), answered_by=actor,
                     answer_note=note[:500],
                     message=_("Bestillingen er besvaret eller ændret af en anden. Genindlæs siden."))
    audit.record(actor, AuditAction.UPDATE, person=order.person_id, section="order", fields=["status"])
    order.refresh_from_db()
    return order


@transaction.atomic
def change_provider(actor, grant: Grant, *, version: int, provider_team, provider_offer=None,
                    on: datetime.date | None = None) -> Order | None:
    """The grant names another provider (or the same again after a refusal): the open order ends, a new one goes out."""
    on = on or timezone.localdate()
    if provider_team is None:
        raise ValidationError(_("Vælg leverandøren."))
    if grant.status != GrantStatus.DECIDED:
        raise ValidationError(_("Bevillingen afventer en leders godkendelse: bestillingen går til leverandøren, når "
                                "den er godkendt."))
    update_versioned(Grant.objects.filter(ended_on__isnull=True, status=GrantStatus.DECIDED), grant.pk, version,
                     provider_team=provider_team,
                     provider_offer=provider_offer, updated_at=timezone.now(),
                     message=_("Bevillingen er ændret af en anden eller afsluttet, siden du åbnede den. Genindlæs og "
                               "prøv igen."))
    end_orders(actor, grant, on)
    grant.refresh_from_db()
    return send_order(actor, grant)


def inbox(team_ids: list[int], *, since: datetime.date | None = None):
    """The orders to the teams: waiting for an answer, and those answered in the last four weeks."""
    since = since or timezone.localdate() - datetime.timedelta(weeks=4)
    return (Order.objects.filter(provider_team__in=team_ids)
            .filter(Q(status=Order.Status.SENT) | Q(answered_at__date__gte=since))
            .select_related("person", "grant", "provider_team", "offer", "answered_by").order_by("status", "-sent_at"))
