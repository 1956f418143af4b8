"""Registering contacts, running the walk-in queue, guide conversations and ad hoc help."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.courses import services as courses

from .models import AdHocTopic, Contact, GuideConversation


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
    received_at = timezone.now()
    check_reception(contact.at, received_at)
    contact.outcome, contact.queue_status, contact.received_at = outcome, Contact.Queue.RECEIVED, received_at
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


def _background(user) -> str:
    return user.background if user else ""


def check_guide_conversation(*, outcome: str, location: str, staff_1: int, staff_2: int | None) -> None:
    """A guide conversation's outcome and place are from the lists, and its two staff are two people (ids or names)."""
    if outcome not in GuideConversation.Outcome.values:
        raise ValidationError(_("Vælg udfaldet af samtalen."))
    if location not in GuideConversation.Location.values:
        raise ValidationError(_("Vælg hvor samtalen foregik."))
    if staff_2 is not None and staff_2 == staff_1:
        raise ValidationError(_("Medarbejder 2 skal være en anden end dig."))


def check_reception(at, received_at) -> None:
    """A walk-in is received after it arrived."""
    if received_at is not None and received_at < at:
        raise ValidationError(_("Borgeren kan ikke være modtaget, før henvendelsen blev registreret."))


@transaction.atomic
def hold_guide_conversation(actor, *, person, on, location: str, outcome: str, hours: Decimal, staff_2=None,
                            contact: Contact | None = None, offer=None, bring_person: str = "",
                            next_meeting=None, cap_reason: str = "") -> GuideConversation:
    """Record a guide conversation held by two staff; on the citizen's yes, start the course in the same step.

    Raises the course's SoftCapExceeded when the citizen already has the most offers the rules allow.
    """
    check_guide_conversation(outcome=outcome, location=location, staff_1=actor.pk,
                             staff_2=staff_2.pk if staff_2 is not None else None)
    if next_meeting and timezone.localtime(next_meeting).date() < on:
        raise ValidationError(_("Næste møde ligger før samtalen."))
    course = None
    if outcome == GuideConversation.Outcome.COURSE_STARTED:
        if offer is None:
            raise ValidationError(_("Vælg hvilket forløb borgeren siger ja til."))
        course = courses.start_course(actor, person, offer, start=on, cap_reason=cap_reason)
    activity = courses.record_activity(
        actor, person, kind="guide_conversation", on=on, delivered_hours=hours, course=course, channel=location,
        staff_hours={actor: hours, staff_2: hours},
    )
    conversation = GuideConversation.objects.create(
        person=person, contact=contact, activity=activity, course=course, location=location, outcome=outcome,
        staff_1=actor, staff_1_background=_background(actor), staff_2=staff_2, staff_2_background=_background(staff_2),
        bring_person=" ".join(bring_person.split())[:200], next_meeting=next_meeting,
    )
    if contact is not None:
        mark_handled(contact, person)
    return conversation


@transaction.atomic
def give_ad_hoc_help(actor, *, person, topic: AdHocTopic, on, hours: Decimal, channel: str = "front_door",
                     contact: Contact | None = None):
    """Ad hoc help (tax card, e-Boks, a letter…) registered against a named or anonymous citizen."""
    if topic is None:
        raise ValidationError(_("Vælg hvad borgeren fik hjælp til."))
    if hours <= 0:
        raise ValidationError(_("Vælg hvor lang tid hjælpen tog."))
    activity = courses.record_activity(actor, person, kind="ad_hoc", on=on, delivered_hours=hours, topic=topic.name,
                                       channel=channel, staff_hours={actor: hours})
    if contact is not None:
        mark_handled(contact, person)
    return activity


NEEDS_REGISTRATION = [Contact.Outcome.AD_HOC, Contact.Outcome.GUIDE_CONVERSATION, Contact.Outcome.HOME_VISIT]


def desk_contact(contact_id, person=None) -> Contact | None:
    """A contact waiting for its help to be registered: this citizen's, or an anonymous visitor on today's desk.
    Any other id (another citizen's, a handled one, an anonymous one from another day) gives None."""
    contact_id = str(contact_id or "")
    if not (contact_id.isascii() and contact_id.isdigit()):
        return None
    waiting = Contact.objects.filter(pk=int(contact_id), handled=False, outcome__in=NEEDS_REGISTRATION)
    if person is not None:
        found = waiting.filter(person=person).select_related("person", "partner").first()
        if found is not None:
            return found
    return to_register_today().filter(pk=int(contact_id), person__isnull=True).first()


def mark_handled(contact: Contact, person) -> None:
    Contact.objects.filter(pk=contact.pk).update(handled=True)
    Contact.objects.filter(pk=contact.pk, person__isnull=True).update(person=person)


def to_register_today():
    """Visitors received today whose ad hoc help or guide conversation is not yet registered."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (Contact.objects.filter(at__gte=start, handled=False, queue_status=Contact.Queue.RECEIVED,
                                   outcome__in=NEEDS_REGISTRATION)
            .select_related("person", "partner").order_by("received_at"))


def upcoming_meeting(person) -> GuideConversation | None:
    """The next meeting agreed in a guide conversation, if it is still ahead."""
    return (GuideConversation.objects.filter(person=person, next_meeting__gte=timezone.now())
            .order_by("next_meeting").first())
