"""One chronological timeline of a citizen's case, filtered by the sections the viewer may read, paged, in one query.

Each source (contacts, activities, notes, documents, letters, measurements, plan versions, hand-overs, grants) is a
queryset of the same six columns; the open ones are joined with UNION ALL, ordered and cut to a page in the database,
so a page costs one query however long the history is.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, DateTimeField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Substr

from traedesten.authority.models import Grant, Handover
from traedesten.courses.models import Activity, Ending
from traedesten.frontdoor.models import Contact
from traedesten.gate import Clearance, Section
from traedesten.gate.policy import department, owns_plans
from traedesten.gate.relations import readable_handovers
from traedesten.measures.models import Administration
from traedesten.plans.models import PlanVersion
from traedesten.records.models import Document, DocumentKind, Letter, Note

PAGE_SIZE = 20
TEXT_LENGTH = 240
COLUMNS = ("t_kind", "t_ref", "t_at", "t_code", "t_text", "t_number")


@dataclass(frozen=True)
class Entry:
    kind: str
    ref: int
    at: datetime
    code: str
    text: str
    number: int


def _rows(queryset: QuerySet, kind: str, at, code, text, number=None) -> QuerySet:
    text_value = Substr(text, 1, TEXT_LENGTH) if not isinstance(text, Value) else text
    return queryset.order_by().annotate(
        t_kind=Value(kind, output_field=CharField()), t_ref=F("pk"),
        t_at=Cast(at, DateTimeField()) if isinstance(at, str) and at in _DATE_FIELDS else F(at),
        t_code=Cast(code, CharField()) if not isinstance(code, Value) else code,
        t_text=Cast(text_value, CharField()),
        t_number=F(number) if number else Value(0, output_field=IntegerField()),
    ).values_list(*COLUMNS)


_DATE_FIELDS = {"on", "happened_on", "decided_on"}
_NOTHING = Value("", output_field=CharField())


def sources(c: Clearance) -> dict[Section, list[QuerySet]]:
    """The queries of the timeline, by the section that opens them."""
    person = c.person
    notes = Note.objects.filter(person=person, correction__isnull=True)
    handovers = Handover.objects.filter(person=person, sent_at__isnull=False)
    dept = department(c.user)
    if not owns_plans(dept) and dept is not None:
        handovers = handovers.filter(pk__in=[h.pk for h in readable_handovers(dept.pk, person.pk)])
    return {
        Section.CONTACTS: [_rows(Contact.objects.filter(person=person), "contact", "at", "channel", "reason")],
        Section.COURSES: [_rows(Activity.objects.filter(person=person), "activity", "on", "kind", "topic"),
                          _rows(Ending.objects.filter(course__person=person), "ending", "on", "course__offer__name",
                                "what_helped")],
        Section.NOTES: [_rows(notes.filter(sensitive=False), "note", "happened_on", "kind", "text", "version")],
        Section.SENSITIVE_NOTES: [_rows(notes.filter(sensitive=True), "sensitive_note", "happened_on", "kind", "text",
                                        "version")],
        Section.DOCUMENTS: [
            _rows(Document.objects.filter(person=person, kind=DocumentKind.UPLOAD), "document", "added_at",
                  "extension", "title"),
            _rows(Letter.objects.filter(person=person), "letter", "sent_at", "channel", "subject", "document_id")],
        Section.MEASURES: [_rows(Administration.objects.filter(person=person), "measurement", "on", "instrument__code",
                                 "instrument__name")],
        Section.GOALS: [_rows(PlanVersion.objects.filter(plan__person=person), "plan_version", "created_at",
                              _NOTHING, "note", "number")],
        Section.AUTHORITY: [
            _rows(handovers, "handover", "sent_at", "status", "recipient__name"),
            _rows(Grant.objects.filter(person=person), "grant", "decided_on", "case_number", "legal_basis")],
    }


def shown_sections(c: Clearance) -> list[Section]:
    return [section for section in sources_order() if section in c.readable]


def sources_order() -> tuple[Section, ...]:
    return (Section.CONTACTS, Section.COURSES, Section.NOTES, Section.SENSITIVE_NOTES, Section.DOCUMENTS,
            Section.MEASURES, Section.GOALS, Section.AUTHORITY)


def page(c: Clearance, number: int = 1, size: int = PAGE_SIZE) -> tuple[list[Entry], bool]:
    """The entries of page `number` (newest first) and whether there are older ones."""
    open_sources = [q for section, queries in sources(c).items() if section in c.readable for q in queries]
    if not open_sources:
        return [], False
    first, *rest = open_sources
    union = first.union(*rest, all=True) if rest else first
    start = (max(1, number) - 1) * size
    rows = list(union.order_by("-t_at", "-t_ref")[start:start + size + 1])
    return [Entry(*row) for row in rows[:size]], len(rows) > size
