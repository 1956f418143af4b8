"""Registering contacts and running the walk-in queue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction

from .models import Contact


@transaction.atomic
def register_contact(actor, *, origin: str, channel: str, partner=None, person=None, reason: str = "",
                     outcome: str = "") -> Contact:
    if origin == Contact.Origin.PARTNER and partner is None:
        raise ValidationError(_("Vælg hvilken samarbejdspartner der henvender sig."))
    waiting = channel == Contact.Channel.WALK_IN and not outcome
    contact = Contact.objects.create(
        origin=origin, channel=channel, partner=partner if origin == Contact.Origin.PARTNER else None, person=person,
        reason=" ".join(reason.split())[:200], outcome=outcome, registered_by=actor,
        queue_status=Contact.Queue.WAITING if waiting else "",
    )
    if person is not None:
        audit.record(actor, AuditAction.CREATE, person=person, section="contact")
    return contact


def waiting_today():
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Contact.objects.filter(queue_status=Contact.Queue.WAITING, at__gte=start).select_related("person", "partner").order_by("at")


@transaction.atomic
def route(actor, contact: Contact, outcome: str) -> Contact:
    """The host receives a waiting visitor and routes them in one step."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.queue_status != Contact.Queue.WAITING:
        raise ValidationError(_("Borgeren er allerede modtaget af en anden."))
    if outcome not in Contact.Outcome.values:
        raise ValidationError(_("Ukendt udfald."))
    contact.outcome, contact.queue_status, contact.received_at = outcome, Contact.Queue.RECEIVED, timezone.now()
    contact.save(update_fields=["outcome", "queue_status", "received_at"])
    return contact


@transaction.atomic
def mark_gone(actor, contact: Contact) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.queue_status != Contact.Queue.WAITING:
        raise ValidationError(_("Borgeren er allerede modtaget af en anden."))
    contact.queue_status, contact.left_at, contact.outcome = Contact.Queue.GONE, timezone.now(), Contact.Outcome.NONE
    contact.save(update_fields=["queue_status", "left_at", "outcome"])
    return contact
