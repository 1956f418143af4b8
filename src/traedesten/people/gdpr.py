"""The citizen's rights under GDPR: access to everything we hold (art. 15) and retention (art. 5(1)(e))."""

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, AuditEvent
from traedesten.core import citizen_data

from .models import Person

# Where a citizen's data lives besides the person row: every model with a foreign key to Person, and the
# models hanging off those (scores under a measurement, versions under a plan, goals under a grant…).
SKIP = {"accounts.auditevent"}


def _children(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    return [(rel.related_model, rel.field.name) for rel in model._meta.related_objects
            if isinstance(rel.field, models.ForeignKey) and rel.related_model._meta.label_lower not in SKIP]


def subject_access(person: Person, actor=None) -> dict:
    """Everything about the citizen, including who has looked at them and every correction."""
    data = {"exported_at": timezone.now().isoformat(), "person": _rows(Person.objects.filter(pk=person.pk))}
    for model, field in _children(Person):
        rows = model._default_manager.filter(**{field: person})
        key = f"{model._meta.label_lower}.{field}"
        data[key] = _rows(rows)
        for child, child_field in _children(model):
            if child is Person:
                continue
            data[f"{child._meta.label_lower}.{child_field}<{key}"] = _rows(child._default_manager.filter(**{f"{child_field}__in": rows}))
    events = AuditEvent.objects.filter(person_id=person.pk).select_related("user").order_by("at")
    data["who_has_looked"] = [{"at": e.at.isoformat(), "user": e.user.get_full_name() if e.user else "system",
                               "role": e.user.role if e.user else "", "action": e.action, "section": e.section,
                               "reason": e.reason, "channel": e.channel} for e in events]
    for declared in citizen_data.about().values():
        if declared.subject_access:
            data[declared.subject_access.rsplit(".", 1)[1]] = import_string(declared.subject_access)(person)
    audit.record(actor, AuditAction.EXPORT, person=person, section="subject_access")
    return {k: v for k, v in data.items() if v}


def _rows(queryset) -> list[dict]:
    return [{"model": r["model"], "id": r["pk"], **r["fields"]} for r in serializers.serialize("python", queryset)]


def subject_access_json(person: Person, actor=None) -> str:
    return json.dumps(subject_access(person, actor), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


# --- Retention -------------------------------------------------------------------------------------------------------

@dataclass
class RetentionResult:
    rule: str
    action: str
    years: int
    count: int


def _policy() -> dict:
    return getattr(settings, "TRAEDESTEN_RETENTION", {})


def _cutoff(years: int, today: datetime.date) -> datetime.date:
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - years, day=day)


def closed_cases(years: int, today: datetime.date):
    """Citizens with nothing open and nothing new for `years`: no active course or grant, no recent activity."""
    cutoff = _cutoff(years, today)
    found = (Person.objects.filter(is_pseudonymous=False, merged_into__isnull=True)
             .exclude(courses__status="active").exclude(grants__ended_on__isnull=True, grants__isnull=False)
             .annotate(last_course=Max("courses__closed_on"), last_activity=Max("activities__on"),
                       last_contact=Max("contacts__at"))
             .filter(Q(last_course__lt=cutoff) | Q(last_course__isnull=True, last_activity__lt=cutoff))
             .filter(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff))
             .filter(Q(last_contact__isnull=True) | Q(last_contact__date__lt=cutoff))
             .filter(created_at__date__lt=cutoff))
    for n, (path, is_time) in enumerate(_keeping_open()):
        latest = f"keeps_open_{n}"
        found = found.annotate(**{latest: Max(path)}).filter(
            Q(**{f"{latest}__isnull": True}) | Q(**{f"{latest}__date__lt" if is_time else f"{latest}__lt": cutoff}))
    return found


def _keeping_open() -> list[tuple[str, bool]]:
    """(path from the citizen to the date, whether it is a time) for every model whose recent rows keep a case open."""
    paths = []
    for label, d in citizen_data.about().items():
        if d.keeps_case_open:
            model = apps.get_model(label)
            reverse = model._meta.get_field(d.citizen).related_query_name()
            field = model._meta.get_field(d.keeps_case_open)
            paths.append((f"{reverse}__{d.keeps_case_open}", isinstance(field, models.DateTimeField)))
    return paths


def _free_text_of_others() -> list[tuple[type[models.Model], str, Mapping[str, Any]]]:
    """(model, path to the citizen, blank values) for every other app's free text about a citizen."""
    return [(apps.get_model(label), d.citizen, d.free_text) for label, d in citizen_data.about().items()
            if d.free_text and d.citizen]


def rows_without_a_citizen(rule: str, years: int, today: datetime.date) -> list:
    """The querysets a retention rule deletes: rows about nobody, older than `years` (declared by their app)."""
    cutoff = _cutoff(years, today)
    found = []
    for label, d in citizen_data.about().items():
        if d.anonymous_rule == rule:
            model = apps.get_model(label)
            date_field = model._meta.get_field(d.dated_by)
            lookup = f"{d.dated_by}__date__lt" if isinstance(date_field, models.DateTimeField) else f"{d.dated_by}__lt"
            found.append(model.objects.filter(**{f"{d.citizen}__isnull": True, lookup: cutoff}))
    return found


@transaction.atomic
def anonymise(person: Person) -> None:
    """Remove what identifies the citizen and every free text; keep the codes, dates and scores for statistics."""
    Person.objects.filter(pk=person.pk).update(
        cpr=None, first_name="", last_name="", address="", postal_code=person.postal_code[:2], city="", phone="",
        email="", is_pseudonymous=True, search_name="", birth_date=None,
        approx_birth_year=person.birth_date.year if person.birth_date else person.approx_birth_year)
    person.network.all().delete()
    person.rectifications.all().delete()
    for model, path, blank in _free_text_of_others():
        model._default_manager.filter(**{path: person}).update(**blank)
    person.data_requests.exclude(status="done").update(text="", answer="")
    person.data_requests.filter(status="done").update(text="", answer="-")  # an answered request keeps an answer
    for declared in citizen_data.about().values():
        if declared.forget:
            import_string(declared.forget)(person)
    audit.record(None, AuditAction.DELETE, person=person, section="retention", reason="anonymised")


def run_retention(*, apply: bool, today: datetime.date | None = None, progress=None) -> list[RetentionResult]:
    """Each rule in TRAEDESTEN_RETENTION, as a dry run (counts only) or applied."""
    today = today or timezone.localdate()
    results = []
    for rule, config in _policy().items():
        years, action = int(config["years"]), config["action"]
        if rule == "closed_cases":
            found = list(closed_cases(years, today))
            if apply:
                for person in found:
                    anonymise(person)
                    if progress:
                        progress()
            results.append(RetentionResult(rule, action, years, len(found)))
        else:
            found = rows_without_a_citizen(rule, years, today)
            if not found:
                raise ValueError(f"Unknown retention rule: {rule}")
            count = sum(rows.count() for rows in found)
            if apply:
                for rows in found:
                    rows.delete()
            results.append(RetentionResult(rule, action, years, count))
    return results
