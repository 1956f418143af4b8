"""A pseudonymised export for evaluators: stable pseudonyms, no CPR, no names, months instead of dates, no free text.

Pseudonyms are keyed hashes of the row id, so the same citizen has the same pseudonym in every export made with
the same key (TRAEDESTEN_RESEARCH_KEY), and nobody without the key can go back from a pseudonym to the citizen.
"""

import csv
import hashlib
import hmac
import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.conf import settings

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.authority.models import Grant, GrantStatus
from traedesten.core.spreadsheet import safe_row
from traedesten.courses.models import Activity, Course
from traedesten.frontdoor.models import Contact
from traedesten.measures.models import Administration
from traedesten.people.models import Person

from .scope import Scope

README = """Trædesten – pseudonymiseret forskningsudtræk

Hver borger har et pseudonym (kolonnen "borger"), som er det samme i alle filer og i senere udtræk med samme nøgle.
Der er ingen CPR-numre, navne, adresser, telefonnumre eller fritekst. Datoer er afrundet til måned (ÅÅÅÅ-MM),
fødselsår til femårsgrupper. Tal under 5 skal stadig undertrykkes, når resultater offentliggøres.

Filer: borgere.csv, henvendelser.csv, forloeb.csv, aktiviteter.csv, maalinger.csv, bevillinger.csv
"""


def _key() -> bytes:
    return (getattr(settings, "TRAEDESTEN_RESEARCH_KEY", "") or f"research:{settings.SECRET_KEY}").encode()


def pseudonym(kind: str, pk: int | None) -> str:
    if pk is None:
        return ""
    return hmac.new(_key(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:16]


def _month(day) -> str:
    return f"{day:%Y-%m}" if day else ""


def _band(year: int | None) -> str:
    if not year:
        return ""
    low = year - year % 5
    return f"{low}-{low + 4}"


def tables(scope: Scope) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every row touching the period, coarsened. Persons are those with any row in the period."""
    contacts = Contact.objects.filter(at__date__gte=scope.start, at__date__lte=scope.end)
    courses = Course.objects.filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)
    activities = Activity.objects.filter(on__gte=scope.start, on__lte=scope.end)
    measures = Administration.objects.filter(on__gte=scope.start, on__lte=scope.end, total__isnull=False)
    grants = Grant.objects.filter(status=GrantStatus.DECIDED, decided_on__gte=scope.start, decided_on__lte=scope.end)
    person_ids = set()
    for rows in (contacts.exclude(person=None), courses, activities, measures, grants):
        person_ids |= set(rows.values_list("person_id", flat=True))
    p = lambda pk: pseudonym("person", pk)  # noqa: E731
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    people: list[list[Any]] = []
    for pk, birth, approx, sex in Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_date", "approx_birth_year", "sex"):
        people.append([p(pk), _band(birth.year if birth else approx), sex])
    out["borgere.csv"] = (["borger", "foedselsaar_gruppe", "koen"], sorted(people))
    out["henvendelser.csv"] = (["borger", "maaned", "hvem", "kanal", "udfald"], [
        [p(pk), _month(at), origin, channel, outcome]
        for pk, at, origin, channel, outcome in contacts.order_by("at").values_list("person_id", "at", "origin", "channel", "outcome")])
    out["forloeb.csv"] = (["forloeb", "borger", "tilbud", "lovgrundlag", "start_maaned", "slut_maaned", "uger", "afslutning",
                           "genhenvendelse_efter"], [
        [pseudonym("course", pk), p(person), offer, basis, _month(start), _month(closed),
         round((closed - start).days / 7, 1) if closed else "", destination, pseudonym("course", previous)]
        for pk, person, offer, basis, start, closed, destination, previous in courses.order_by("start").values_list(
            "pk", "person_id", "offer__name", "offer__legal_basis__code", "start", "closed_on", "destination", "previous_id")])
    out["aktiviteter.csv"] = (["borger", "forloeb", "aktivitet", "maaned", "timer", "fremmoede"], [
        [p(person), pseudonym("course", course), kind, _month(on), hours, attendance]
        for person, course, kind, on, hours, attendance in activities.order_by("on").values_list(
            "person_id", "course_id", "kind", "on", "delivered_hours", "attendance")])
    out["maalinger.csv"] = (["borger", "maaleredskab", "maaned", "bedoemt_af", "total"], [
        [p(person), code, _month(on), rater, total]
        for person, code, on, rater, total in measures.order_by("on").values_list(
            "person_id", "instrument__code", "on", "rater", "total")])
    out["bevillinger.csv"] = (["borger", "lovgrundlag", "ydelse_ffb", "afgoerelse_maaned", "timer_pr_uge"], [
        [p(person), basis, code, _month(decided), hours]
        for person, basis, code, decided, hours in grants.order_by("decided_on").values_list(
            "person_id", "legal_basis", "service_code", "decided_on", "hours_per_week")])
    return out


def export_zip(scope: Scope, *, actor=None, tick: Callable[[str], None] = lambda name: None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LAESMIG.txt", README)
        for name, (header, rows) in tables(scope).items():
            text = io.StringIO()
            writer = csv.writer(text, delimiter=";")
            writer.writerow(safe_row(header))
            writer.writerows(safe_row(r) for r in rows)
            archive.writestr(name, text.getvalue())
            tick(name)
    audit.record(actor, AuditAction.EXPORT, section="research_export",
                 reason=f"{scope.start.isoformat()}..{scope.end.isoformat()}", channel="export")
    return buffer.getvalue()
