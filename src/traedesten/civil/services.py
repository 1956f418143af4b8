"""The directory, the volunteer register, matching with escorts, continuation groups and recusal."""

import csv
import datetime
import io
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, Recusal

from .models import INTERESTS, SLOTS, Escort, LocalOffer, Match, Volunteer

INTEREST_CODES = {code for code, _label in INTERESTS}
SLOT_CODES = {code for code, _label in SLOTS}
CSV_COLUMNS = ["navn", "type", "arrangør", "hvornår", "tidspunkter", "sted", "postnummer", "kontakt", "målgruppe",
               "interesser", "ledige_pladser"]
MAX_CSV_BYTES = 1_000_000


def clean_interests(values) -> list[str]:
    values = [v.strip() for v in values if v and v.strip()]
    unknown = [v for v in values if v not in INTEREST_CODES]
    if unknown:
        raise ValidationError(_("Ukendte interesser: %(values)s.") % {"values": ", ".join(unknown)})
    return sorted(set(values))


# The directory


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    errors: list[str]


def import_offers(data: bytes) -> ImportResult:
    """Import the directory from a semicolon- or comma-separated UTF-8 file (docs/import.md). All rows or none."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(_("Filen er for stor (højst 1 MB)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Filen skal være en CSV-fil i UTF-8.")) from None
    if "\x00" in text:
        raise ValidationError(_("Filen indeholder ugyldige tegn (NUL). Gem den som CSV i UTF-8 og prøv igen."))
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    try:
        rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(_("Filen kunne ikke læses som CSV (%(error)s).") % {"error": exc}) from exc
    if not rows:
        raise ValidationError(_("Filen er tom."))
    missing = {"navn", "type", "arrangør"} - set(rows[0])
    if missing:
        raise ValidationError(_("Filen mangler kolonnerne: %(cols)s.") % {"cols": ", ".join(sorted(missing))})
    errors, parsed = [], []
    kinds = {label.lower(): code for code, label in LocalOffer.Kind.choices} | {c: c for c in LocalOffer.Kind.values}
    for n, row in enumerate(rows, start=2):
        if any(len(value or "") > 1000 for value in row.values() if isinstance(value, str)):
            errors.append(_("Linje %(n)s: en celle er længere end 1000 tegn.") % {"n": n})
            continue
        name, kind = (row.get("navn") or "").strip(), kinds.get((row.get("type") or "").strip().lower())
        if not name or not kind or not (row.get("arrangør") or "").strip():
            errors.append(_("Linje %(n)s: navn, type og arrangør skal udfyldes (type er en af: %(kinds)s).") % {
                "n": n, "kinds": ", ".join(str(label) for _c, label in LocalOffer.Kind.choices)})
            continue
        seats = (row.get("ledige_pladser") or "").strip()
        if seats and not (seats.isascii() and seats.isdigit() and len(seats) < 6):
            errors.append(_("Linje %(n)s: ledige pladser skal være et tal.") % {"n": n})
            continue
        try:
            interests = clean_interests((row.get("interesser") or "").replace(",", " ").split())
        except ValidationError as exc:
            errors.append(_("Linje %(n)s: %(error)s") % {"n": n, "error": exc.messages[0]})
            continue
        slots = (row.get("tidspunkter") or "").replace(",", " ").split()
        if set(slots) - SLOT_CODES:
            errors.append(_("Linje %(n)s: ukendte tidspunkter %(values)s.") % {"n": n, "values": ", ".join(sorted(set(slots) - SLOT_CODES))})
            continue
        parsed.append({"name": name[:200], "kind": kind, "organiser": row["arrangør"].strip()[:200],
                           "schedule": (row.get("hvornår") or "").strip()[:200], "place": (row.get("sted") or "").strip()[:200],
                           "postal_code": (row.get("postnummer") or "").strip()[:4], "contact": (row.get("kontakt") or "").strip()[:200],
                           "target_group": (row.get("målgruppe") or "").strip()[:300], "interests": interests, "slots": sorted(set(slots)),
                           "free_seats": int(seats) if seats else None})
    if errors:
        return ImportResult(0, 0, errors)
    created = updated = 0
    with transaction.atomic():
        for values in parsed:
            _offer, was_created = LocalOffer.objects.update_or_create(
                name=values.pop("name"), organiser=values.pop("organiser"), defaults=values | {"updated_at": timezone.now()})
            created += was_created
            updated += not was_created
    return ImportResult(created, updated, [])


def search_offers(*, text: str = "", kind: str = "", interest: str = "", postal_code: str = "", free_only: bool = False):
    offers = LocalOffer.objects.filter(active=True)
    if text:
        offers = offers.filter(Q(name__icontains=text) | Q(organiser__icontains=text) | Q(target_group__icontains=text))
    if kind:
        offers = offers.filter(kind=kind)
    if postal_code:
        offers = offers.filter(postal_code=postal_code)
    if free_only:
        offers = offers.filter(Q(free_seats__gt=0) | Q(free_seats__isnull=True))
    found = list(offers)
    return [o for o in found if interest in o.interests] if interest else found


# Matching


def _score(interests: set[str], postal_code: str, item_interests, item_postal: str, slots: AbstractSet[str] = frozenset(),
           item_slots=()) -> int:
    """Shared interests weigh most; the same area and a time that suits both add to it."""
    return (2 * len(interests & set(item_interests)) + (1 if postal_code and postal_code == item_postal else 0)
            + len(slots & set(item_slots)))


def _fits(slots: set[str], item_slots) -> bool:
    return not slots or not item_slots or bool(slots & set(item_slots))


def suggest_offers(interests: list[str], postal_code: str = "", limit: int = 5,
                   slots: Iterable[str] = ()) -> list[LocalOffer]:
    wanted, when = set(interests), set(slots)
    offers = [o for o in LocalOffer.objects.filter(active=True) if (o.free_seats is None or o.free_seats > 0)
              and (not wanted or wanted & set(o.interests)) and _fits(when, o.slots)]
    scored = sorted(((_score(wanted, postal_code, o.interests, o.postal_code, when, o.slots), o.name, o) for o in offers),
                    reverse=True)
    return [o for score, _name, o in scored if score > 0][:limit]


def record_check_valid(volunteer: Volunteer, today: datetime.date | None = None) -> bool:
    """Volunteers whose role needs a record check must have one from the last two years."""
    if not volunteer.record_check_required:
        return True
    today = today or timezone.localdate()
    return volunteer.record_check_on is not None and volunteer.record_check_on >= today - datetime.timedelta(days=730)


def suggest_volunteers(person, interests: list[str], postal_code: str = "", limit: int = 5,
                       slots: Iterable[str] = ()) -> list[Volunteer]:
    """Active volunteers by shared interests, area and time; never one who is recused from this citizen."""
    recused = set(Recusal.objects.filter(person=person).values_list("user_id", flat=True))
    wanted, when = set(interests), set(slots)
    candidates = [v for v in Volunteer.objects.filter(status=Volunteer.Status.ACTIVE)
                  if v.user_id not in recused and record_check_valid(v) and _fits(when, v.slots)]
    scored = sorted(((_score(wanted, postal_code, v.interests, v.postal_code, when, v.slots), v.name, v)
                     for v in candidates), reverse=True)
    return [v for _score_, _name, v in scored][:limit]


@transaction.atomic
def make_match(actor, person, *, offer: LocalOffer | None, volunteer: Volunteer | None = None,
               meet_at: datetime.datetime | None = None, meet_place: str = "", task: str = "", course=None) -> Match:
    if offer is None and volunteer is None:
        raise ValidationError(_("Vælg et tilbud eller en frivillig."))
    if volunteer is not None:
        if volunteer.user_id and Recusal.objects.filter(user_id=volunteer.user_id, person=person).exists():
            raise ValidationError(_("Den frivillige er inhabil i forhold til borgeren."))
        if volunteer.status != Volunteer.Status.ACTIVE or not record_check_valid(volunteer):
            raise ValidationError(_("Den frivillige kan ikke tage opgaver lige nu (pause eller manglende attest)."))
        if meet_at is None or not meet_place.strip():
            raise ValidationError(_("Skriv hvornår og hvor den frivillige møder borgeren."))
    match = Match.objects.create(person=person, offer=offer, course=course, created_by=actor)
    if volunteer is not None and meet_at is not None:
        Escort.objects.create(match=match, volunteer=volunteer, meet_at=meet_at, meet_place=meet_place.strip()[:200],
                              task=" ".join(task.split())[:300])
    if offer is not None and offer.free_seats:
        LocalOffer.objects.filter(pk=offer.pk, free_seats__gt=0).update(free_seats=offer.free_seats - 1)
    audit.record(actor, AuditAction.CREATE, person=person, section="civil_match")
    return match


@transaction.atomic
def follow_up_escort(actor, escort: Escort, *, arrived: bool, stayed: bool | None = None, note: str = "") -> Escort:
    Escort.objects.filter(pk=escort.pk).update(arrived=arrived, stayed=stayed, follow_up_note=note.strip()[:300],
                                               followed_up_at=timezone.now())
    status = Match.Status.STARTED if arrived and stayed is not False else Match.Status.ENDED if arrived is False else None
    if status:
        Match.objects.filter(pk=escort.match_id).update(status=status)
    audit.record(actor, AuditAction.UPDATE, person=escort.match.person_id, section="civil_escort")
    escort.refresh_from_db()
    return escort


def kickoff_from_closing(actor, course) -> Match | None:
    """Closing to civil society with a kick-off date puts the kick-off on the coordinator's list."""
    if course.destination != "civil_society" or not course.kickoff_on:
        return None
    match, _created = Match.objects.get_or_create(
        person=course.person, course=course, offer=None,
        defaults={"status": Match.Status.PROPOSED, "kickoff_on": course.kickoff_on, "created_by": actor})
    return match
