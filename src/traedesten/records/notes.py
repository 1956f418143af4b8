"""Journal notes: written, corrected as new versions, searched within one citizen.

A note is never edited in place. A correction is a new version that names the one it corrects; a version can be
corrected once, so two people correcting the same version at once cannot overwrite each other: the second is told
that the note changed. A note marked sensitive stays sensitive in every later version.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction

from .models import Note, NoteKind

MAX_LENGTH = 20000


class NoteChanged(Exception):
    """The version being corrected has been corrected by someone else meanwhile."""

    def __init__(self, current: Note):
        super().__init__("note changed")
        self.current = current


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Skriv notatets tekst."))
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("Notatet er for langt (højst %(max)s tegn).") % {"max": MAX_LENGTH})
    return text


def _check_links(person, links: dict) -> None:
    for record in links.values():
        if record is not None and record.person_id != person.pk:
            raise ValidationError(_("Det valgte tilknyttede element hører til en anden borger."))


def write(actor, person, *, kind: str, text: str, happened_on: datetime.date | None = None, sensitive: bool = False,
          course=None, activity=None, grant=None, handover=None, meeting=None) -> Note:
    if kind not in NoteKind.values:
        raise ValidationError(_("Vælg en notattype."))
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise ValidationError(_("Et notat handler om noget, der er sket: datoen kan ikke ligge i fremtiden."))
    links = {"course": course, "activity": activity, "grant": grant, "handover": handover}
    _check_links(person, links)
    if meeting is not None and meeting.plan.person_id != person.pk:
        raise ValidationError(_("Det valgte tilknyttede element hører til en anden borger."))
    note = Note.objects.create(person=person, kind=kind, text=_clean_text(text), happened_on=happened_on,
                               sensitive=sensitive, meeting=meeting, written_by=actor, **links)
    audit.record(actor, AuditAction.CREATE, person=person, section="note",
                 fields=[kind] + (["sensitive"] if sensitive else []))
    return note


def correct(actor, note: Note, *, text: str, reason: str, sensitive: bool = False, kind: str | None = None) -> Note:
    """A new version of `note` (which must be the current one); the old one stays in the history."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError(_("Skriv kort, hvorfor notatet rettes."))
    text = _clean_text(text)
    try:
        with transaction.atomic():
            current = Note.objects.select_for_update().get(pk=note.pk)
            if Note.objects.filter(corrects=current).exists():
                raise IntegrityError("already corrected")
            corrected = Note.objects.create(
                person_id=current.person_id, kind=kind or current.kind, text=text, happened_on=current.happened_on,
                sensitive=sensitive or current.sensitive, course=current.course, activity=current.activity,
                grant=current.grant, handover=current.handover, meeting=current.meeting,
                first_id=current.thread_id, corrects=current, version=current.version + 1,
                correction_reason=reason[:300], written_by=actor)
    except IntegrityError:
        raise NoteChanged(latest(note)) from None
    audit.record(actor, AuditAction.UPDATE, person=corrected.person, section="note", fields=["text"],
                 reason=reason[:300])
    return corrected


def latest(note: Note) -> Note:
    thread = note.thread_id
    return Note.objects.filter(Q(pk=thread) | Q(first_id=thread)).latest("version")


def history(note: Note) -> list[Note]:
    """Every version of the note, newest first."""
    thread = note.thread_id
    return list(Note.objects.filter(Q(pk=thread) | Q(first_id=thread)).select_related("written_by")
                .order_by("-version"))


def current_notes(person, *, sensitive: bool, text: str = "", kind: str = "") -> QuerySet:
    """The citizen's notes as they stand now (the latest version of each), without the sensitive ones unless
    `sensitive`; `text` searches their words."""
    notes = Note.objects.filter(person=person, correction__isnull=True)
    if not sensitive:
        notes = notes.filter(sensitive=False)
    if kind:
        notes = notes.filter(kind=kind)
    for word in text.split()[:8]:
        notes = notes.filter(text__icontains=word)
    return notes.select_related("written_by", "course__offer", "activity").order_by("-happened_on", "-written_at")
