"""Domain operations on persons. Views and the API change persons only through here."""

import datetime
import difflib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, CaseloadAssignment
from traedesten.core.locking import VersionConflict, update_versioned

from .cpr import parse_cpr
from .models import NetworkPerson, Person, Rectification, Sex

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "cpr",
    "birth_date",
    "sex",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "contact_wish",
)


class DuplicatePerson(Exception):
    """The CPR number already belongs to a person."""

    def __init__(self, existing: Person):
        super().__init__(existing.pk)
        self.existing = existing


class PossibleDuplicates(Exception):
    """Persons with a similar name and the same birth date exist; the caller must confirm."""

    def __init__(self, candidates: list[Person]):
        super().__init__([c.pk for c in candidates])
        self.candidates = candidates


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    kept = "".join(c for c in decomposed if c.isalnum() or c == " ")
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        kept = kept.replace(a, b)
    return " ".join(kept.split())


def names_similar(a: str, b: str) -> bool:
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    return na == nb or difflib.SequenceMatcher(None, na, nb).ratio() >= settings.TRAEDESTEN_NAME_SIMILARITY


def similar_persons(full_name: str, birth_date: datetime.date | None, *, exclude: int | None = None) -> list[Person]:
    if not birth_date or not full_name.strip():
        return []
    candidates = Person.objects.filter(birth_date=birth_date, merged_into__isnull=True)
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    return [p for p in candidates if names_similar(full_name, f"{p.first_name} {p.last_name}")]


def person_with_cpr(cpr: str, *, exclude: int | None = None) -> Person | None:
    qs = Person.objects.filter(cpr=cpr)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _apply_cpr_facts(data: dict) -> dict:
    data = dict(data)
    if data.get("cpr"):
        value = parse_cpr(data["cpr"])
        data["cpr"] = value.digits
        data["birth_date"] = value.birth_date
        data["sex"] = value.sex
    else:
        data["cpr"] = None
    return data


def _check_duplicates(data: dict, *, exclude: int | None, confirm_similar: bool) -> None:
    if data.get("cpr"):
        existing = person_with_cpr(data["cpr"], exclude=exclude)
        if existing:
            raise DuplicatePerson(existing)
    if not confirm_similar:
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}"
        similar = similar_persons(name, data.get("birth_date"), exclude=exclude) or _same_name_or_phone(
            name, data.get("phone", ""), data.get("birth_date"), exclude=exclude)
        if similar:
            raise PossibleDuplicates(similar)


def _same_name_or_phone(full_name: str, phone: str, birth_date, *, exclude: int | None) -> list[Person]:
    """Without a birth date to compare, the same name, or a similar name with the same phone, is worth a question."""
    candidates = Person.objects.filter(merged_into__isnull=True, is_pseudonymous=False)
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    found = []
    if phone:
        found = [p for p in candidates.filter(phone=phone)[:20] if names_similar(full_name, f"{p.first_name} {p.last_name}")]
    if not found and birth_date is None and full_name.strip():
        found = list(candidates.filter(search_name=" ".join(full_name.split()).lower())[:5])
    return found


def _default_team(actor):
    return actor.teams.order_by("pk").first()


@transaction.atomic
def create_person(actor, data: dict, *, confirm_similar: bool = False, team=None, channel: str = "web") -> Person:
    data = _apply_cpr_facts({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _check_duplicates(data, exclude=None, confirm_similar=confirm_similar)
    person = Person.objects.create(**data)
    team = team or _default_team(actor)
    if team:
        CaseloadAssignment.objects.create(person=person, team=team, worker=actor)
    audit.record(actor, AuditAction.CREATE, person=person, fields=sorted(data), channel=channel)
    return person


@transaction.atomic
def create_pseudonymous(actor, *, sex: str = Sex.UNKNOWN, approx_age: int | None = None, team=None,
                        channel: str = "web") -> Person:
    year = timezone.localdate().year - approx_age if approx_age is not None else None
    person = Person.objects.create(is_pseudonymous=True, sex=sex, approx_birth_year=year)
    team = team or _default_team(actor)
    if team:
        CaseloadAssignment.objects.create(person=person, team=team, worker=actor)
    audit.record(actor, AuditAction.CREATE, person=person, fields=["pseudonym"], channel=channel)
    return person


@transaction.atomic
def update_person(actor, person: Person, data: dict, *, expected_version: int, confirm_similar: bool = True,
                  channel: str = "web") -> Person:
    """Save changes if nobody saved in between; identifying a pseudonymous person clears the flag."""
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    if "cpr" in data:
        data = _apply_cpr_facts(data)
    merged = {f: getattr(person, f) for f in EDITABLE_FIELDS} | data
    _check_duplicates(merged, exclude=person.pk, confirm_similar=confirm_similar)
    changed = sorted(k for k, v in data.items() if getattr(person, k) != v)
    values = dict(data)
    if person.is_pseudonymous and (merged.get("first_name") or merged.get("last_name")):
        values["is_pseudonymous"] = False
        changed.append("is_pseudonymous")
    values["search_name"] = f"{merged.get('first_name', '')} {merged.get('last_name', '')}".strip().lower()
    try:
        update_versioned(Person.objects, person.pk, expected_version, **values, updated_at=timezone.now())
    except VersionConflict as exc:
        exc.current = Person.objects.get(pk=person.pk)
        raise
    Rectification.objects.bulk_create(
        Rectification(person=person, field=k, old_value=str(getattr(person, k) or "")[:300], new_value=str(v or "")[:300],
                      by=actor if getattr(actor, "is_authenticated", False) else None)
        for k, v in data.items() if getattr(person, k) != v)
    audit.record(actor, AuditAction.UPDATE, person=person, fields=changed, channel=channel)
    person.refresh_from_db()
    return person


@transaction.atomic
def merge_persons(actor, *, source: Person, target: Person) -> Person:
    """Move everything that points at `source` to `target`, and keep `source` as a merged tombstone."""
    if source.pk == target.pk:
        raise ValueError("cannot merge a person into itself")
    source = Person.objects.select_for_update().get(pk=source.pk)
    target = Person.objects.select_for_update().get(pk=target.pk)
    for relation in Person._meta.related_objects:
        if relation.related_model is Person or not relation.one_to_many:
            continue
        relation.related_model._base_manager.filter(**{relation.field.name: source}).update(
            **{relation.field.name: target}
        )
    fill = {f: getattr(source, f) for f in EDITABLE_FIELDS if not getattr(target, f) and getattr(source, f)}
    fill.pop("cpr", None)
    Person.objects.filter(pk=target.pk).update(**fill, version=F("version") + 1, updated_at=timezone.now())
    Person.objects.filter(pk=source.pk).update(
        merged_into=target, cpr=None, version=F("version") + 1, updated_at=timezone.now()
    )
    audit.record(actor, AuditAction.MERGE, person=source, section="merged_into", fields=[str(target.pk)])
    audit.record(actor, AuditAction.MERGE, person=target, section="merged_from", fields=[str(source.pk)])
    target.refresh_from_db()
    return target


@dataclass
class SearchResult:
    person: Person
    on_caseload: bool
    reasons: list[str] = field(default_factory=list)


def search_persons(actor, *, reached, outside: bool, text: str = "", cpr: str = "", channel: str = "web") -> list[SearchResult]:
    """Find persons by name or phone (`text`) or by exact CPR. `reached` are the citizens the actor may open;
    with `outside`, other matches are returned too, marked as outside (the actor may state a reason to open them)."""
    limit = settings.TRAEDESTEN_SEARCH_LIMIT
    base = Person.objects.filter(merged_into__isnull=True).exclude(recusals__user=actor)
    if cpr:
        qs = base.filter(cpr=parse_cpr(cpr).digits)
    else:
        terms = normalise_query(text)
        if not terms:
            return []
        qs = base
        for term in terms:
            digits = term.replace(" ", "")
            cond = Q(search_name__contains=term)
            if digits.isdigit() and len(digits) >= 4:
                cond |= Q(phone__contains=digits)
            qs = qs.filter(cond)
    own_ids = set(reached.filter(pk__in=qs.values("pk")).values_list("pk", flat=True)[:limit])
    if outside:
        people = list(qs.order_by("last_name", "first_name", "pk")[: limit])
    else:
        people = list(Person.objects.filter(pk__in=own_ids).order_by("last_name", "first_name", "pk"))
    results = [SearchResult(p, p.pk in own_ids) for p in people]
    if results:
        audit.record(actor, AuditAction.SEARCH, persons=[r.person for r in results], section="search", channel=channel)
    return results


def normalise_query(text: str) -> list[str]:
    cleaned = "".join(c for c in (text or "")[:200] if c.isprintable())
    return [t for t in cleaned.lower().split() if t][:5]


@transaction.atomic
def add_network_person(actor, person: Person, data: dict, *, channel: str = "web") -> NetworkPerson:
    allowed = {"name", "relation", "organisation", "phone", "email", "closeness", "is_next_of_kin", "note"}
    member = NetworkPerson.objects.create(person=person, created_by=actor, **{k: v for k, v in data.items() if k in allowed})
    audit.record(actor, AuditAction.CREATE, person=person, section="network", fields=sorted(data), channel=channel)
    return member
