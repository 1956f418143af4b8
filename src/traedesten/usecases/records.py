"""The case record: journal notes, documents and letters, one function per change, for every channel."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from traedesten.courses import services as courses
from traedesten.gate import Action, Clearance, Section
from traedesten.records import documents, letters, notes
from traedesten.records.models import Document, Letter, Note

from ._gated import gated, relative_in_network, same_citizen


def _may_write_note(c: Clearance, sensitive: bool) -> None:
    c.require(Section.NOTES, *([Section.SENSITIVE_NOTES] if sensitive else []), action=Action.WRITE)


def visible(c: Clearance, note: Note) -> Note:
    """The note, if the user may read it (a sensitive note needs its own section)."""
    same_citizen(c, note)
    c.require(Section.SENSITIVE_NOTES if note.sensitive or notes.latest(note).sensitive else Section.NOTES)
    return note


@gated(Section.NOTES)
def write_note(c: Clearance, *, kind: str, text: str, happened_on: datetime.date | None = None,
               sensitive: bool = False, course=None, activity=None, grant=None, handover=None, meeting=None) -> Note:
    _may_write_note(c, sensitive)
    same_citizen(c, course, activity, grant, handover)
    return notes.write(c.user, c.person, kind=kind, text=text, happened_on=happened_on, sensitive=sensitive,
                       course=course, activity=activity, grant=grant, handover=handover, meeting=meeting)


@gated(Section.NOTES)
def correct_note(c: Clearance, note: Note, *, text: str, reason: str, sensitive: bool = False,
                 kind: str | None = None) -> Note:
    visible(c, note)
    _may_write_note(c, sensitive or note.sensitive)
    return notes.correct(c.user, note, text=text, reason=reason, sensitive=sensitive, kind=kind)


@gated(Section.COURSES)
def record_activity_with_note(c: Clearance, *, note: dict | None = None, course=None, **details):
    """An activity and, when a text is given, its journal note, in one step: both or neither."""
    same_citizen(c, course)
    relative_in_network(c, details.get("relative"))
    with transaction.atomic():
        activity = courses.record_activity(c.user, c.person, course=course, **details)
        if note and note.get("text", "").strip():
            write_note(c, kind=note["kind"], text=note["text"], sensitive=note.get("sensitive", False),
                       happened_on=min(activity.on, timezone.localdate()), course=course, activity=activity)
    return activity


@gated(Section.DOCUMENTS)
def upload_document(c: Clearance, data: bytes, *, name: str, title: str, course=None, grant=None,
                    handover=None) -> Document:
    same_citizen(c, course, grant, handover)
    return documents.add(c.user, c.person, data, name=name, title=title, course=course, grant=grant,
                         handover=handover)


@gated(Section.DOCUMENTS, Action.READ)
def open_document(c: Clearance, document: Document) -> bytes:
    """The document's bytes, for a user who may read the citizen's documents."""
    same_citizen(c, document)
    return documents.content(document)


@gated(Section.DOCUMENTS)
def send_letter(c: Clearance, template: str, values: dict, *, channel: str, course=None, grant=None) -> Letter:
    same_citizen(c, course, grant)
    if c.person.merged_into_id:
        raise PermissionDenied
    return letters.send(c.user, c.person, template, values, channel=channel, course=course, grant=grant,
                        today=timezone.localdate())


@gated(Section.LETTERS, Action.READ)
def open_letter(c: Clearance, letter: Letter) -> bytes:
    """A letter as it was sent (its PDF): for the citizen it was sent to, on Min side, and for staff who read letters."""
    same_citizen(c, letter)
    return documents.content(letter.document)
