"""Import of the JSON Lines interchange format: validate everything, then write everything in one transaction.

A file either imports completely or not at all. Records carry stable external ids, so importing the same
file again updates the rows it created instead of adding new ones.
"""

import datetime
import json
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, overload
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, CaseloadAssignment, Team, User
from traedesten.authority.models import Grant
from traedesten.core.bulk import changed_rows, gc_paused, insert_rows, update_rows
from traedesten.core.dates import add_months
from traedesten.courses.models import Activity, Course, CourseExtension, Ending, GroupRun, LegalBasis, Offer
from traedesten.courses.rules import CourseFacts, activity_problems
from traedesten.courses.services import check_return, delivered_hours_for, limit_of
from traedesten.economy.models import HourlyRate, Price, PriceItem, ShadowAssessment
from traedesten.frontdoor.models import Contact, PartnerOrganisation
from traedesten.measures import scoring
from traedesten.measures.models import Administration, score_texts
from traedesten.measures.services import check_phase, current_versions
from traedesten.people.cpr import parse_cpr
from traedesten.people.models import Person
from traedesten.plans.models import Plan, PlanVersion
from traedesten.plans.services import parse as parse_plan

from . import additions, enplan, records as r
from .case_record import CaseRecordImport
from .models import ExternalId

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
BATCH = 2000
CHUNK = 1000
"""Lines validated together."""


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = _("linje %(n)s") % {"n": self.line} if self.line else _("filen")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.reason}"


@dataclass
class ImportReport:
    lines: int = 0
    errors: list[LineError] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    """Records already imported whose values were the same: read and compared, not written."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        """Records imported: created, changed or found unchanged."""
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.unchanged.values())


_MESSAGES: dict[str, Callable[[Any], str]] = {
    "missing": lambda e: _("mangler"),
    "extra_forbidden": lambda e: _("ukendt felt"),
    "literal_error": lambda e: _("skal være en af: %(values)s") % {"values": e.get("ctx", {}).get("expected", "")},
    "union_tag_invalid": lambda e: _("ukendt posttype"),
    "union_tag_not_found": lambda e: _("feltet »type« mangler"),
    "string_too_long": lambda e: _("for lang (højst %(n)s tegn)") % {"n": e.get("ctx", {}).get("max_length")},
    "string_too_short": lambda e: _("må ikke være tom"),
    "too_short": lambda e: _("må ikke være tom"),
    "greater_than_equal": lambda e: _("skal være mindst %(n)s") % {"n": e.get("ctx", {}).get("ge")},
    "less_than_equal": lambda e: _("må højst være %(n)s") % {"n": e.get("ctx", {}).get("le")},
    "bool_parsing": lambda e: _("skal være true eller false"),
    "model_type": lambda e: _("skal være et JSON-objekt"),
}


def _schema_errors(line: int, exc: SchemaError) -> list[LineError]:
    out = []
    for e in exc.errors():
        loc = [str(part) for part in e["loc"][1:]]  # the first part names the record type
        kind = e["type"]
        if kind in _MESSAGES:
            reason = _MESSAGES[kind](e)
        elif kind.startswith("date"):
            reason = _("ugyldig dato (brug ÅÅÅÅ-MM-DD)")
        elif kind.startswith(("decimal", "int", "float")):
            reason = _("skal være et tal")
        elif kind == "value_error":
            reason = e["msg"].removeprefix("Value error, ")
        else:
            reason = e["msg"]
        out.append(LineError(line, ".".join(loc) if kind != "union_tag_invalid" else "type", reason))
    return out


class Identified(Protocol):
    @property
    def id(self) -> str: ...


class CitesPerson(Protocol):
    @property
    def person(self) -> str | None: ...


class CitesCourse(Protocol):
    @property
    def course(self) -> str | None: ...


@dataclass
class Records:
    """Everything read from a file by record type (one attribute per `type`), with the line each record came from."""

    header: list[tuple[int, r.Header]] = field(default_factory=list)
    offer: list[tuple[int, r.OfferRecord]] = field(default_factory=list)
    price: list[tuple[int, r.PriceRecord]] = field(default_factory=list)
    hourly_rate: list[tuple[int, r.HourlyRateRecord]] = field(default_factory=list)
    fixed_cost: list[tuple[int, r.FixedCostRecord]] = field(default_factory=list)
    person: list[tuple[int, r.PersonRecord]] = field(default_factory=list)
    contact: list[tuple[int, r.ContactRecord]] = field(default_factory=list)
    group: list[tuple[int, r.GroupRecord]] = field(default_factory=list)
    course: list[tuple[int, r.CourseRecord]] = field(default_factory=list)
    closing: list[tuple[int, r.ClosingRecord]] = field(default_factory=list)
    activity: list[tuple[int, r.ActivityRecord]] = field(default_factory=list)
    guide_conversation: list[tuple[int, r.GuideConversationRecord]] = field(default_factory=list)
    plan: list[tuple[int, r.PlanRecord]] = field(default_factory=list)
    measurement: list[tuple[int, r.MeasurementRecord]] = field(default_factory=list)
    grant: list[tuple[int, r.GrantRecord]] = field(default_factory=list)
    shadow: list[tuple[int, r.ShadowRecord]] = field(default_factory=list)
    note: list[tuple[int, r.NoteRecord]] = field(default_factory=list)
    document: list[tuple[int, r.DocumentRecord]] = field(default_factory=list)
    household: list[tuple[int, r.HouseholdRecord]] = field(default_factory=list)
    survey: list[tuple[int, r.SurveyRecord]] = field(default_factory=list)
    case_progression: list[tuple[int, r.CaseProgressionRecord]] = field(default_factory=list)
    complaint: list[tuple[int, r.ComplaintRecord]] = field(default_factory=list)
    contact_period: list[tuple[int, r.ContactPeriodRecord]] = field(default_factory=list)
    exemption: list[tuple[int, r.ExemptionRecord]] = field(default_factory=list)

    def add(self, line: int, record: r.AnyRecord) -> None:
        getattr(self, record.type).append((line, record))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def identified(self) -> dict[str, Sequence[tuple[int, Identified]]]:
        """The record types with an external id, in the order they are looked up."""
        return {"person": self.person, "contact": self.contact, "group": self.group, "course": self.course,
                "activity": self.activity, "plan": self.plan, "measurement": self.measurement, "grant": self.grant,
                "note": self.note, "document": self.document, "household": self.household,
                "survey": self.survey, "case_progression": self.case_progression, "complaint": self.complaint,
                "contact_period": self.contact_period, "exemption": self.exemption}

    def citing_person(self) -> list[Sequence[tuple[int, CitesPerson]]]:
        return [self.contact, self.course, self.activity, self.plan, self.measurement, self.grant, self.note,
                self.document, self.survey, self.case_progression, self.complaint, self.contact_period]

    def citing_course(self) -> list[Sequence[tuple[int, CitesCourse]]]:
        return [self.closing, self.activity, self.measurement, self.shadow, self.note, self.document, self.survey,
                self.case_progression]


class _Plan:
    """What a file gave: its records by type, and the errors found in it by line."""

    def __init__(self) -> None:
        self.by_type = Records()
        self.errors: list[LineError] = []

    def error(self, line: int, field_name: str, reason: str) -> None:
        self.errors.append(LineError(line, field_name, reason))


def _validated(numbered: list[tuple[int, str]]) -> Iterator[tuple[int, r.AnyRecord | SchemaError]]:
    """(line, record or SchemaError) for a chunk of non-blank lines, validated as one JSON array when all are good.

    The lines are joined with a comma and a newline. A raw newline cannot stand inside a JSON string, so no line can
    swallow the next one; with as many records as lines, each line gave exactly one.
    """
    try:
        records = r.MANY.validate_json("[" + ",\n".join(raw for _n, raw in numbered) + "]")
        if len(records) == len(numbered):
            yield from zip((n for n, _raw in numbered), records)
            return
    except SchemaError:
        pass
    for n, raw in numbered:  # some line is wrong: one at a time, so each error names its own line
        try:
            yield n, r.ADAPTER.validate_json(raw)
        except SchemaError as exc:
            yield n, exc


def _chunks(lines: Iterable[str], report: ImportReport, tick: Callable[[], None] | None) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        report.lines = number
        if tick:
            tick()
        if raw.strip():
            chunk.append((number, raw))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def parse_lines(lines: Iterable[str], report: ImportReport, tick: Callable[[], None] | None = None) -> _Plan:
    plan = _Plan()
    seen: dict[tuple[str, str], int] = {}
    for chunk in _chunks(lines, report, tick):
        for number, record in _validated(chunk):
            if isinstance(record, SchemaError):
                if any(e["type"] == "json_invalid" for e in record.errors()):
                    plan.error(number, "", _("linjen er ikke gyldig JSON"))
                else:
                    plan.errors.extend(_schema_errors(number, record))
                continue
            if record.type == "header" and number > 1 and plan.by_type:
                plan.error(number, "type", _("en header skal stå på første linje"))
            key = getattr(record, "id", None) or (
                record.course if isinstance(record, (r.ClosingRecord, r.ShadowRecord)) else None) or (
                record.activity if isinstance(record, r.GuideConversationRecord) else None)
            if key is not None:
                first = seen.setdefault((record.type, key), number)
                if first != number:
                    plan.error(number, "id" if hasattr(record, "id") else "course",
                               _("dubleret id »%(id)s« (også på linje %(line)s)") % {"id": key, "line": first})
                    continue
            plan.by_type.add(number, record)
    return plan


def _existing(kind: str, wanted: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    keys = list(wanted)
    if connection.vendor == "postgresql" and keys:
        # One JSON array parameter instead of thousands of IN parameters.
        with connection.cursor() as cursor:
            cursor.execute("SELECT key, object_id FROM interop_externalid WHERE kind = %s AND key IN "
                           "(SELECT jsonb_array_elements_text(%s::jsonb))", [kind, json.dumps(keys)])
            return dict(cursor.fetchall())
    for i in range(0, len(keys), BATCH):
        found.update(ExternalId.objects.filter(kind=kind, key__in=keys[i:i + BATCH]).values_list("key", "object_id"))
    return found


class Resolver:
    """Finds every referenced row, in the file or in the database, and checks what the schema cannot."""

    def __init__(self, plan: _Plan):
        self.plan = plan
        b = plan.by_type
        self.ids = {kind: _existing(kind, {rec.id for _n, rec in lines} | self._referenced(kind))
                    for kind, lines in b.identified().items()}
        self.file_courses = {rec.id: rec for _n, rec in b.course}
        self.in_file: dict[str, Collection[str]] = {
            "person": {rec.id for _n, rec in b.person}, "group": {rec.id for _n, rec in b.group},
            "course": self.file_courses}
        self.offers = dict(Offer.objects.values_list("name", "pk"))
        self.file_offers = {rec.name for _n, rec in b.offer}
        self.versions = current_versions()
        self.plan_contents: dict[int, dict[str, Any]] = {}
        """Each plan version's content as checked, by id() of its record, ready to store."""
        self.scores: dict[int, scoring.Score] = {}
        """Each measurement's score, by id() of its record."""
        self.price_items = set(PriceItem.objects.values_list("name", flat=True)) | {rec.item for _n, rec in b.price}
        self.users: dict[str, int] = {}
        """Staff the file names, by user name (additions.check)."""
        self.create_staff = False
        self.coordinators: dict[str, int] = {}
        """The families' coordinators, by user name (enplan.check)."""
        self.exemption_kinds: dict[str, int] = {}
        """Exemption kinds by code (enplan.check)."""
        self.questionnaires: dict[str, tuple[int, Any]] = {}
        """Questionnaires the file's surveys name: code -> (pk, parsed definition) (enplan.check)."""

    def _referenced(self, kind: str) -> set[str]:
        b, refs = self.plan.by_type, set()
        if kind == "person":
            for citing_person in b.citing_person():
                refs |= {rec.person for _n, rec in citing_person if rec.person}
        if kind == "group":
            refs |= {rec.group for _n, rec in b.course if rec.group}
        if kind == "course":
            refs |= {rec.previous for _n, rec in b.course if rec.previous}
            for citing_course in b.citing_course():
                refs |= {rec.course for _n, rec in citing_course if rec.course}
        return refs | additions.referenced(b, kind) | enplan.referenced(b, kind)

    def known(self, kind: str, key: str) -> bool:
        return key in self.ids[kind] or key in self.in_file.get(kind, {})

    def check(self) -> None:
        b, error = self.plan.by_type, self.plan.error
        cprs: dict[str, int] = {}
        for n, rec in b.person:
            if rec.cpr:
                try:
                    digits = parse_cpr(rec.cpr).digits
                except ValidationError as exc:
                    error(n, "cpr", exc.messages[0])
                    continue
                if digits in cprs:
                    error(n, "cpr", _("CPR-nummeret står også på linje %(line)s") % {"line": cprs[digits]})
                cprs[digits] = n
        taken = dict(Person.objects.filter(cpr__in=list(cprs)).values_list("cpr", "pk"))
        for digits, n in cprs.items():
            if digits in taken:
                line_rec = next(rec for m, rec in b.person if m == n)
                if self.ids["person"].get(line_rec.id) != taken[digits]:
                    error(n, "cpr", _("CPR-nummeret tilhører allerede en anden borger"))
        for citing_person in b.citing_person():
            for n, cites_person in citing_person:
                if cites_person.person and not self.known("person", cites_person.person):
                    error(n, "person", _("ukendt borger »%(id)s«") % {"id": cites_person.person})
        for citing_course in b.citing_course():
            for n, cites_course in citing_course:
                if cites_course.course and not self.known("course", cites_course.course):
                    error(n, "course", _("ukendt forløb »%(id)s«") % {"id": cites_course.course})
        for n, course in b.course:
            if course.offer not in self.offers and course.offer not in self.file_offers:
                error(n, "offer", _("ukendt tilbud »%(name)s«") % {"name": course.offer})
            if course.group and not self.known("group", course.group):
                error(n, "group", _("ukendt hold »%(id)s«") % {"id": course.group})
            if course.previous and not self.known("course", course.previous):
                error(n, "previous", _("ukendt forløb »%(id)s«") % {"id": course.previous})
        self._check_closings()
        self._check_activities()
        self._check_returns()
        additions.check(self)
        enplan.check(self)
        for n, measured in b.measurement:
            version = self.versions.get(measured.instrument)
            if version is None:
                error(n, "instrument", _("ukendt måleredskab »%(code)s«") % {"code": measured.instrument})
                continue
            try:
                self.scores[id(measured)] = scoring.score(version.parsed, measured.items)
            except scoring.ScoreError as exc:
                error(n, "items", str(exc))
            try:
                check_phase(version.parsed, measured.phase, measured.instrument)
            except ValidationError as exc:
                error(n, "phase", exc.messages[0])
        for n, plan in b.plan:
            for i, plan_version in enumerate(plan.versions):
                try:
                    self.plan_contents[id(plan_version)] = parse_plan(plan_version.content).model_dump(mode="json")
                except ValidationError as exc:
                    error(n, f"versions.{i}.content", exc.messages[0])
        for n, shadow in b.shadow:
            for name in ("would_have", "actually_got"):
                value = getattr(shadow, name)
                if value and value not in self.price_items:
                    error(n, name, _("ukendt prispost »%(name)s«") % {"name": value})

    def _citizen(self, key: str) -> int | tuple[str, str]:
        """The same value for the same citizen, whether it is already in the database or new in this file."""
        return self.ids["person"].get(key, ("new", key))

    def _course_facts(self) -> dict[str, CourseFacts]:
        """Each course an activity names: its citizen, start and closing, from this file or else the database."""
        wanted = {rec.course for _n, rec in self.plan.by_type.activity if rec.course}
        closings = {rec.course: rec.on for _n, rec in self.plan.by_type.closing}
        klip = {rec.course: rec.ending.klip_granted for _n, rec in self.plan.by_type.closing if rec.ending}
        known = [self.ids["course"][k] for k in wanted if k in self.ids["course"]]
        stored = {c.pk: c for c in Course.objects.filter(pk__in=known).select_related("offer")}
        extended = dict(CourseExtension.objects.filter(course__in=known).values("course_id").annotate(
            months=Sum("months")).values_list("course_id", "months"))
        limited = {o.name: o for o in Offer.objects.filter(hard_limit=True)}
        stored_klip = dict(Ending.objects.filter(course__in=known).values_list("course_id", "klip_granted"))
        facts = {}
        for key in wanted:
            rec = self.file_courses.get(key)
            if rec is not None:
                offer = limited.get(rec.offer)
                granted = klip.get(key, 0)
                facts[key] = CourseFacts(self._citizen(rec.person), rec.start, closings.get(key),
                                         limit_of(offer, rec.start) if offer else None, granted, granted)
            elif key in self.ids["course"] and self.ids["course"][key] in stored:
                course = stored[self.ids["course"][key]]
                granted = klip.get(key, stored_klip.get(course.pk, 0))
                facts[key] = CourseFacts(course.person_id, course.start, closings.get(key, course.closed_on),
                                         limit_of(course.offer, course.start, extended.get(course.pk, 0)), granted,
                                         granted)
        return facts

    def _check_activities(self) -> None:
        """The same rules as the page and the API (courses/rules.py), line by line."""
        facts, today = self._course_facts(), timezone.localdate()
        for n, rec in self.plan.by_type.activity:
            if rec.course and rec.course not in facts:
                continue  # reported as an unknown course
            for field_name, message in activity_problems(
                    kind=rec.kind, on=rec.on, attendance=rec.attendance, channel=rec.channel,
                    delivered_hours=rec.hours, staff_hours=[s.hours for s in rec.staff], outcome=rec.outcome,
                    citizen=self._citizen(rec.person),
                    course=facts.get(rec.course) if rec.course else None, today=today):
                self.plan.error(n, field_name, message)
        self._check_klip(facts)

    def _check_klip(self, facts: dict[str, CourseFacts]) -> None:
        """A klippekort is used at most as many times as it was granted, counted over the file's activities."""
        used: dict[str, int] = {}
        for n, rec in sorted(self.plan.by_type.activity, key=lambda item: (item[1].on, item[0])):
            if rec.kind == "on_demand_session" and rec.attendance == "attended" and rec.course in facts:
                used[rec.course] = used.get(rec.course, 0) + 1
                granted = facts[rec.course].klip_granted
                if granted and used[rec.course] > granted:
                    self.plan.error(n, "kind", _("Klippekortet er brugt op: borgeren fik %(n)s klip ved afslutningen, "
                                                 "og de er alle brugt.") % {"n": granted})

    def _check_closings(self) -> None:
        courses = self.file_courses
        starts = dict(Course.objects.filter(pk__in=list(self.ids["course"].values())).values_list("pk", "start"))
        active: dict[tuple[str, str], int] = {}
        closed = {rec.course for _n, rec in self.plan.by_type.closing}
        for n, closing in self.plan.by_type.closing:
            stored_pk = self.ids["course"].get(closing.course)
            start = courses[closing.course].start if closing.course in courses else (
                starts.get(stored_pk) if stored_pk is not None else None)
            if start and closing.on < start:
                self.plan.error(n, "on", _("forløbet kan ikke afsluttes før det startede (%(start)s)") % {"start": start})
        for n, group in self.plan.by_type.group:
            if group.offer not in self.offers and group.offer not in self.file_offers:
                self.plan.error(n, "offer", _("ukendt tilbud »%(name)s«") % {"name": group.offer})
        for n, rec in self.plan.by_type.course:
            if rec.id in closed or rec.group:
                continue
            first = active.setdefault((rec.person, rec.offer), n)
            if first != n:
                self.plan.error(n, "offer", _("borgeren har allerede et aktivt forløb i dette tilbud (linje %(line)s)")
                                % {"line": first})


    def _check_returns(self) -> None:
        """`previous` names the same citizen's course, closed on or before this one started (as the web refuses too)."""
        in_file, known = self.file_courses, self.ids["course"]
        closings = {rec.course: rec.on for _n, rec in self.plan.by_type.closing}
        linked = [(n, rec, rec.previous) for n, rec in self.plan.by_type.course
                  if rec.previous and self.known("course", rec.previous)]
        stored = {pk: (person_id, closed_on) for pk, person_id, closed_on in Course.objects.filter(
            pk__in=[known[previous] for _n, _rec, previous in linked if previous not in in_file]).values_list(
            "pk", "person_id", "closed_on")}
        for n, rec, previous in linked:
            closed_on: datetime.date | None
            if previous in in_file:
                same, closed_on = in_file[previous].person == rec.person, closings.get(previous)
            else:
                person_id, closed_on = stored[known[previous]]
                same, closed_on = person_id == self.ids["person"].get(rec.person), closings.get(previous, closed_on)
            try:
                check_return(same_citizen=same, previous_closed_on=closed_on, start=rec.start)
            except ValidationError as exc:
                self.plan.error(n, "previous", exc.messages[0])


def _follow_up_on(rec: r.GrantRecord) -> datetime.date | None:
    """A grant's first follow-up: as given, none when 1.2 gives null (exempt from process goals), else six months on."""
    if rec.follow_up_on is None and "follow_up_on" not in rec.model_fields_set:
        return add_months(rec.starts_on, 6)
    return rec.follow_up_on


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else value.replace(tzinfo=COPENHAGEN)


class Writer:
    def __init__(self, plan: _Plan, resolver: Resolver, report: ImportReport, actor: User | None,
                 step: Callable[[str], None]) -> None:
        self.b, self.ids, self.report, self.actor, self.step = plan.by_type, resolver.ids, report, actor, step
        self.plan_contents, self.versions, self.scores = resolver.plan_contents, resolver.versions, resolver.scores
        self.touched: dict[int, bool] = {}
        """person pk -> created by this import."""
        self.users: dict[str, int] = {}
        """Staff by user name, those the file created included (additions.write)."""

    def _upsert(self, kind: str, model: type[Model], rows: list[tuple[str, dict[str, Any]]], update_fields: list[str],
                ignore: tuple[str, ...] = ("updated_at",)) -> set[int]:
        """Insert the rows seen for the first time; update the others only where a value differs from what is stored.

        Returns the primary keys of the rows updated."""
        known = self.ids[kind]
        new = [(key, values) for key, values in rows if key not in known]
        old = [(key, values) for key, values in rows if key in known]
        ids = insert_rows(model, [values for _key, values in new])
        insert_rows(ExternalId, [{"kind": kind, "key": key, "object_id": pk} for (key, _v), pk in zip(new, ids)],
                    return_ids=False)
        known.update((key, pk) for (key, _v), pk in zip(new, ids))
        changed = {}
        if old and update_fields:
            changed = changed_rows(model, {known[key]: values for key, values in old}, update_fields, ignore=ignore)
            update_rows(model, changed, update_fields)
        self.report.created[kind] += len(new)
        self.report.updated[kind] += len(changed)
        self.report.unchanged[kind] += len(old) - len(changed)
        if kind == "person":
            self.touched.update((pk, True) for pk in ids)
            self.touched.update((pk, False) for pk in changed if pk not in self.touched)
        else:
            for values in [values for _key, values in new] + list(changed.values()):
                if values.get("person_id"):
                    self.touched.setdefault(values["person_id"], False)
        self.step(kind)
        return set(changed)

    def person(self, key: str) -> int:
        return self.ids["person"][key]

    def count(self, kind: str, created: int, updated: int) -> None:
        self.report.created[kind] += created
        self.report.updated[kind] += updated

    @overload
    def course(self, key: str) -> int: ...
    @overload
    def course(self, key: str | None) -> int | None: ...

    def course(self, key: str | None) -> int | None:
        return self.ids["course"][key] if key else None

    def master_data(self) -> None:
        for _n, rec in self.b.offer:
            basis, _c = LegalBasis.objects.get_or_create(code=rec.legal_basis, defaults={"name": rec.legal_basis})
            _offer, created = Offer.objects.update_or_create(name=rec.name, defaults={
                "kind": rec.kind, "legal_basis": basis, "front_door": rec.front_door, "requires_grant": rec.requires_grant,
                "max_weeks": rec.max_weeks, "max_months": rec.max_months})
            (self.report.created if created else self.report.updated)["offer"] += 1
        for _n, price in self.b.price:
            item, _c = PriceItem.objects.get_or_create(name=price.item, defaults={"legal_basis": price.legal_basis})
            _p, created = Price.objects.update_or_create(item=item, valid_from=price.valid_from, defaults={
                "annual_cost": price.annual_cost, "valid_to": price.valid_to})
            (self.report.created if created else self.report.updated)["price"] += 1
        for _n, rate in self.b.hourly_rate:
            _h, created = HourlyRate.objects.update_or_create(valid_from=rate.valid_from, defaults={
                "amount": rate.amount, "valid_to": rate.valid_to})
            (self.report.created if created else self.report.updated)["hourly_rate"] += 1
        self.offers = dict(Offer.objects.values_list("name", "pk"))
        self.teams = dict(Team.objects.values_list("name", "pk"))
        named = {rec.team for _n, rec in self.b.person if rec.team} | {rec.team for _n, rec in self.b.course if rec.team}
        for name in sorted(named - set(self.teams)):
            self.teams[name] = Team.objects.create(name=name).pk
            self.report.created["team"] += 1
        self.items = dict(PriceItem.objects.values_list("name", "pk"))
        self.step("offer")

    def persons(self) -> None:
        rows, teams = [], {}
        now = timezone.now()
        for _n, rec in self.b.person:
            cpr = parse_cpr(rec.cpr) if rec.cpr else None
            sex = rec.sex if rec.sex != "unknown" or cpr is None else cpr.sex
            values = {
                "cpr": cpr.digits if cpr else None, "first_name": rec.first_name, "last_name": rec.last_name,
                "birth_date": rec.birth_date or (cpr.birth_date if cpr else None), "approx_birth_year": rec.birth_year,
                "sex": sex, "postal_code": rec.postal_code, "phone": rec.phone, "is_pseudonymous": rec.pseudonymous,
                "search_name": f"{rec.first_name} {rec.last_name}".strip().lower(), "updated_at": now}
            rows.append((rec.id, values))
            if rec.team:
                teams[rec.id] = self.teams[rec.team]
        self._upsert("person", Person, rows, ["cpr", "first_name", "last_name", "birth_date", "approx_birth_year", "sex",
                                               "postal_code", "phone", "is_pseudonymous", "search_name", "updated_at"])
        wanted = {self.person(key): team for key, team in teams.items()}
        present = set(CaseloadAssignment.objects.filter(person__in=list(wanted), end__isnull=True)
                      .values_list("person_id", "team_id"))
        CaseloadAssignment.objects.bulk_create(
            [CaseloadAssignment(person_id=p, team_id=t) for p, t in wanted.items() if (p, t) not in present],
            batch_size=BATCH)

    def contacts(self) -> None:
        partners = dict(PartnerOrganisation.objects.values_list("name", "pk"))
        for name in {rec.partner for _n, rec in self.b.contact if rec.partner} - set(partners):
            partners[name] = PartnerOrganisation.objects.create(name=name).pk
        rows = [(rec.id, {"at": _aware(rec.at), "origin": rec.origin, "channel": rec.channel,
                          "person_id": self.person(rec.person) if rec.person else None,
                          "partner_id": partners[rec.partner] if rec.partner else None, "reason": rec.reason,
                          "outcome": rec.outcome, "handled": True, "registered_by": self.actor,
                          "received_at": rec.received_at and _aware(rec.received_at)})
                for _n, rec in self.b.contact]
        self._upsert("contact", Contact, rows, ["at", "origin", "channel", "person_id", "partner_id", "reason", "outcome"])

    def groups(self) -> None:
        rows = [(rec.id, {"offer_id": self.offers[rec.offer], "theme": rec.theme, "start": rec.start,
                          "planned_sessions": rec.planned_sessions, "session_hours": rec.session_hours,
                          "capacity": rec.capacity, "ended_on": rec.ended_on}) for _n, rec in self.b.group]
        self._upsert("group", GroupRun, rows, ["offer_id", "theme", "start", "planned_sessions", "session_hours", "capacity"])

    def courses(self) -> None:
        closings = {rec.course: rec for _n, rec in self.b.closing}
        known = {key for key in closings if key in self.ids["course"]}
        self.report.created["closing"] += len(closings) - len(known)
        rows = []
        for _n, rec in self.b.course:
            closing = closings.pop(rec.id, None)
            rows.append((rec.id, {
                "person_id": self.person(rec.person), "offer_id": self.offers[rec.offer], "start": rec.start,
                "team_id": self.teams[rec.team] if rec.team else None,
                "group_id": self.ids["group"][rec.group] if rec.group else None,
                "status": Course.Status.CLOSED if closing else Course.Status.ACTIVE,
                "closed_on": closing.on if closing else None, "destination": closing.destination if closing else "",
                "closing_note": closing.note if closing else ""}))
        changed_courses = self._upsert("course", Course, rows, ["person_id", "offer_id", "start", "team_id", "group_id",
                                                                 "status", "closed_on", "destination", "closing_note"])
        links = {self.course(rec.id): {"previous_id": self.course(rec.previous)} for _n, rec in self.b.course if rec.previous}
        update_rows(Course, changed_rows(Course, links, ["previous_id"]), ["previous_id"])
        earlier = {self.course(key): {"status": Course.Status.CLOSED, "closed_on": closing.on,  # courses imported before
                                      "destination": closing.destination, "closing_note": closing.note}
                   for key, closing in closings.items()}
        fields = ["status", "closed_on", "destination", "closing_note"]
        changed = changed_rows(Course, earlier, fields)
        update_rows(Course, changed, fields)
        for key in known:
            written = self.course(key) in changed_courses or self.course(key) in changed
            (self.report.updated if written else self.report.unchanged)["closing"] += 1
        for pk in Course.objects.filter(pk__in=list(changed)).values_list("person_id", flat=True):
            self.touched.setdefault(pk, False)
        self._endings()

    def _endings(self) -> None:
        """1.1: the ending record written at a closing (decision 0052), new or changed."""
        wanted = {self.course(rec.course): (rec.on, rec.ending) for _n, rec in self.b.closing if rec.ending}
        stored = dict(Ending.objects.filter(course__in=list(wanted)).values_list("course_id", "pk"))
        values = {course_id: {"on": on, **ending.model_dump()} for course_id, (on, ending) in wanted.items()}
        Ending.objects.bulk_create(Ending(course_id=course_id, written_by=self.actor, **fields)
                                   for course_id, fields in values.items() if course_id not in stored)
        fields = list(r.EndingFields.model_fields) + ["on"]
        update_rows(Ending, changed_rows(Ending, {stored[c]: v for c, v in values.items() if c in stored}, fields),
                    fields)

    def activities(self) -> None:
        rows = [(rec.id, {"person_id": self.person(rec.person), "course_id": self.course(rec.course), "kind": rec.kind,
                          "on": rec.on, "delivered_hours": delivered_hours_for(rec.attendance, rec.hours),
                          "attendance": rec.attendance, "channel": rec.channel, "outcome": rec.outcome,
                          "over_plan_reason": " ".join(rec.over_plan_reason.split()), "registered_by": self.actor})
                for _n, rec in self.b.activity]
        self._upsert("activity", Activity, rows, ["person_id", "course_id", "kind", "on", "delivered_hours", "attendance",
                                                  "channel", "outcome", "over_plan_reason"])

    def plans(self) -> None:
        recs = [rec for _n, rec in self.b.plan]
        existing = dict(Plan.objects.filter(person__in=[self.person(rec.person) for rec in recs]).values_list("person_id", "pk"))
        for rec in recs:  # a citizen has one plan: adopt one made in Trædesten
            pk = existing.get(self.person(rec.person))
            if pk and rec.id not in self.ids["plan"]:
                ExternalId.objects.bulk_create([ExternalId(kind="plan", key=rec.id, object_id=pk)], ignore_conflicts=True)
                self.ids["plan"][rec.id] = pk
        rows = [(rec.id, {"person_id": self.person(rec.person), "started_on": rec.started_on,
                          "version": max(v.number for v in rec.versions), "updated_at": timezone.now()}) for rec in recs]
        self._upsert("plan", Plan, rows, ["started_on", "updated_at"])
        have = set(PlanVersion.objects.filter(plan__in=list(self.ids["plan"].values())).values_list("plan_id", "number"))
        versions = []
        for rec in recs:
            plan_id = self.ids["plan"][rec.id]
            for v in rec.versions:
                if (plan_id, v.number) not in have:
                    versions.append({"plan_id": plan_id, "number": v.number, "follow_up": v.follow_up, "note": v.note,
                                     "content": self.plan_contents[id(v)],
                                     "created_at": _aware(v.created_at) if v.created_at else timezone.now()})
        insert_rows(PlanVersion, versions, return_ids=False)
        newest = PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number").values("number")[:1]
        Plan.objects.filter(pk__in=[self.ids["plan"][rec.id] for rec in recs]).update(version=Subquery(newest))

    def measurements(self) -> None:
        rows = []
        for _n, rec in self.b.measurement:
            version, result = self.versions[rec.instrument], self.scores[id(rec)]
            rows.append((rec.id, {
                "person_id": self.person(rec.person), "course_id": self.course(rec.course), "instrument_id": version.instrument_id,
                "version_id": version.pk, "on": rec.on, "rater": rec.rater, "total": result.total,
                "areas": {k: str(v) for k, v in result.areas.items()}, "item_scores": score_texts(rec.items),
                "status": Administration.Status.PARTIAL if result.partial else Administration.Status.COMPLETE,
                "administered_by": self.actor}))
        self._upsert("measurement", Administration, rows, ["person_id", "course_id", "instrument_id", "version_id", "on",
                                                           "rater", "total", "areas", "item_scores", "status"])

    def grants(self) -> None:
        rows = [(rec.id, {"person_id": self.person(rec.person), "case_number": rec.case_number, "legal_basis": rec.legal_basis,
                          "service_code": rec.service_code, "offer_type_code": rec.offer_type_code,
                          "support_need_code": rec.support_need_code, "hours_per_week": rec.hours_per_week,
                          "decided_on": rec.decided_on, "starts_on": rec.starts_on,
                          "follow_up_on": _follow_up_on(rec), "ended_on": rec.ended_on,
                          "decided_by": self.actor})
                for _n, rec in self.b.grant]
        self._upsert("grant", Grant, rows, ["case_number", "legal_basis", "service_code", "offer_type_code",
                                            "support_need_code", "hours_per_week", "decided_on", "starts_on",
                                            "follow_up_on", "ended_on"])

    def _item(self, name: str | None) -> int | None:
        return self.items.get(name) if name is not None else None

    def shadows(self) -> None:
        recs = {self.course(rec.course): rec for _n, rec in self.b.shadow}
        existing = set(ShadowAssessment.objects.filter(course__in=list(recs)).values_list("course_id", flat=True))

        def values(rec: r.ShadowRecord) -> dict[str, Any]:
            return {"would_have_id": self._item(rec.would_have), "actually_got_id": self._item(rec.actually_got),
                    "confidence": rec.confidence}
        ShadowAssessment.objects.bulk_create([ShadowAssessment(course_id=c, assessed_by=self.actor, **values(rec))
                                              for c, rec in recs.items() if c not in existing], batch_size=BATCH)
        fields = ["would_have_id", "actually_got_id", "confidence"]
        stored = {pk: values(recs[c]) for pk, c in
                  ShadowAssessment.objects.filter(course__in=existing).values_list("pk", "course_id")}
        changed = changed_rows(ShadowAssessment, stored, fields)
        update_rows(ShadowAssessment, changed, fields)
        self.report.created["shadow"] += len(recs) - len(existing)
        self.report.updated["shadow"] += len(changed)
        self.report.unchanged["shadow"] += len(existing) - len(changed)
        self.step("shadow")

    def audit(self) -> None:
        keys = {rec.person for _n, rec in self.b.note} | {rec.person for _n, rec in self.b.document}
        for key in keys:  # the case record's rows are written apart (case_record.py)
            self.touched.setdefault(self.person(key), False)
        created = [pk for pk, new in self.touched.items() if new]
        changed = [pk for pk, new in self.touched.items() if not new]
        for action, persons in ((AuditAction.CREATE, created), (AuditAction.UPDATE, changed)):
            if persons:
                audit.record(self.actor, action, persons=persons, section="import", channel="import")


STEPS = ("offer", "person", "contact", "group", "course", "activity", "plan", "measurement", "grant", "shadow",
         *additions.STEPS, *enplan.STEPS, "case_record")


def import_lines(lines: Iterable[str], *, actor: User | None = None, tick: Callable[[], None] | None = None,
                 step: Callable[[str], None] = lambda kind: None, create_staff: bool = False,
                 files: Path | None = None) -> ImportReport:
    """Import a whole file. On any error nothing is written and the report lists every error with its line.

    `create_staff`: staff named in the file without an account get an inactive one without a password (1.1).
    `files` is the folder holding the documents' files.
    """
    with gc_paused():
        return _import(lines, actor, tick, step, create_staff, files)


def _import(lines: Iterable[str], actor: User | None, tick: Callable[[], None] | None, step: Callable[[str], None],
            create_staff: bool = False, files: Path | None = None) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport()
    plan = parse_lines(lines, report, tick)
    resolver = Resolver(plan)
    resolver.create_staff = create_staff
    resolver.check()
    case_record = CaseRecordImport(plan.by_type, resolver.ids, files)
    case_record.check(resolver.known, plan.error)
    report.errors = sorted(plan.errors, key=lambda e: (e.line, e.field))
    if report.errors:
        report.seconds = time.perf_counter() - started
        return report
    try:
        with transaction.atomic():
            writer = Writer(plan, resolver, report, actor, step)
            writer.master_data()
            writer.persons()
            writer.contacts()
            writer.groups()
            writer.courses()
            writer.activities()
            writer.plans()
            writer.measurements()
            writer.grants()
            writer.shadows()
            additions.write(writer, resolver)
            enplan.write(writer, resolver)
            case_record.write(writer.person, writer.course, actor, writer.count)
            step("case_record")
            writer.audit()
    except BaseException as exc:
        case_record.forget_stored()
        if not isinstance(exc, IntegrityError):
            raise
        report.created.clear()
        report.updated.clear()
        report.unchanged.clear()
        report.errors = [LineError(0, "", _("databasen afviste filen, og intet blev gemt: %(reason)s") % {
            "reason": str(exc).splitlines()[0]})]
    report.seconds = time.perf_counter() - started
    return report


def dumps(record: dict[str, Any]) -> str:
    """One line of the format: compact JSON, dates as ISO 8601, decimals as numbers."""
    def default(value: object) -> str | float | int:
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        raise TypeError(type(value))
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=default)
