"""The case record in the interchange format: journal notes with their versions, and documents with the file as a
reference in a files folder beside the export (see docs/interchange.md)."""

import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.core.bulk import insert_rows
from traedesten.core.secure_files import FileKeyError, read_bytes, write_private
from traedesten.courses.models import Course
from traedesten.people.models import Person
from traedesten.records import documents, uploads
from traedesten.records.models import Document, Note

from . import records as r
from .models import ExternalId

KINDS = ("note", "document")


class Cites(Protocol):
    @property
    def person(self) -> str: ...
    @property
    def course(self) -> str | None: ...


class CaseRecords(Protocol):
    """The case record's part of an import's records (importer.Records)."""

    note: list[tuple[int, r.NoteRecord]]
    document: list[tuple[int, r.DocumentRecord]]


def files_folder(export: Path) -> Path:
    """Where the files of an export are kept unless another folder is named: beside it, as `<name>-filer`."""
    return export.with_name(f"{export.stem}-filer")


def export_records(persons: dict[int, str], course_ids: dict[int, str], keys: Callable[[str, list[int]], dict],
                   files: Path | None) -> Iterator[dict]:
    """Note and document records for the citizens exported; each document's file is written to `files` (0600,
    encrypted with the file key), named by its external id."""
    notes = Note.objects.filter(person__in=list(persons)).order_by("pk")
    threads: dict[int, list[Note]] = {}
    for note in notes:
        threads.setdefault(note.thread_id, []).append(note)
    ids = keys("note", list(threads))
    for root, versions in threads.items():
        versions.sort(key=lambda n: n.version)
        first, last = versions[0], versions[-1]
        yield {"type": "note", "id": ids[root], "person": persons[first.person_id],
               **({"course": course_ids[first.course_id]} if first.course_id in course_ids else {}),
               "kind": last.kind, "happened_on": first.happened_on, **({"sensitive": True} if last.sensitive else {}),
               "versions": [{"text": v.text, "written_at": v.written_at,
                             **({"reason": v.correction_reason} if v.correction_reason else {})} for v in versions]}
    rows = list(Document.objects.filter(person__in=list(persons)).order_by("pk"))
    ids = keys("document", [d.pk for d in rows])
    for document in rows:
        name = f"{ids[document.pk]}.{document.extension}"
        if files is not None:
            write_private(files / name, documents.content(document))
        yield {"type": "document", "id": ids[document.pk], "person": persons[document.person_id],
               **({"course": course_ids[document.course_id]} if document.course_id in course_ids else {}),
               "kind": document.kind, "title": document.title, "content_type": document.content_type,
               "added_at": document.added_at, "size": document.size, "sha256": document.sha256, "file": name}


class CaseRecordImport:
    """Checks and writes the note and document records of one import."""

    def __init__(self, by_type: CaseRecords, ids: dict[str, dict[str, int]], files: Path | None):
        self.by_type, self.ids, self.files = by_type, ids, files
        self.accepted: dict[int, uploads.Accepted] = {}
        self.stored: list[str] = []
        """Files stored by this import, removed again if it fails."""

    def check(self, known: Callable[[str, str], bool], error: Callable[[int, str, str], None]) -> None:
        cited: list[Sequence[tuple[int, Cites]]] = [self.by_type.note, self.by_type.document]
        for lines in cited:
            for n, rec in lines:
                if not known("person", rec.person):
                    error(n, "person", _("ukendt borger »%(id)s«") % {"id": rec.person})
                if rec.course and not known("course", rec.course):
                    error(n, "course", _("ukendt forløb »%(id)s«") % {"id": rec.course})
        for n, rec in self.by_type.document:
            if rec.id in self.ids["document"]:
                continue
            problem = self._check_file(rec)
            if problem:
                error(n, "file", problem)

    def _check_file(self, rec) -> str:
        if self.files is None:
            return _("dokumentets fil mangler: angiv mappen med filerne (--files)")
        path = self.files / rec.file
        if not path.is_file():
            return _("filen »%(name)s« findes ikke i mappen med filerne") % {"name": rec.file}
        try:
            data = read_bytes(path)
        except FileKeyError as exc:
            return str(exc)
        if len(data) != rec.size or hashlib.sha256(data).hexdigest() != rec.sha256:
            return _("filen »%(name)s« passer ikke med størrelsen og SHA-256 i linjen") % {"name": rec.file}
        try:
            self.accepted[id(rec)] = uploads.check(data, rec.file)
        except ValidationError as exc:
            return exc.messages[0]
        return ""

    def write(self, person: Callable[[str], int], course: Callable[[str | None], int | None], actor,
              count: Callable[[str, int, int], None]) -> None:
        self._notes(person, course, actor, count)
        self._documents(person, course, actor, count)

    def _notes(self, person, course, actor, count) -> None:
        known = self.ids["note"]
        stored = _stored_versions(list(known.values()))
        tip = {key: stored[pk][1] for key, pk in known.items() if pk in stored}
        levels: dict[int, list[tuple]] = {}
        for _n, rec in self.by_type.note:
            start = stored[known[rec.id]][0] if rec.id in known and known[rec.id] in stored else 0
            for number, version in enumerate(rec.versions[start:], start + 1):
                levels.setdefault(number, []).append((rec, version))
        created = sum(1 for _n, rec in self.by_type.note if rec.id not in known)
        for number in sorted(levels):  # each level corrects the one before, so it is written after it
            rows = [{"person_id": person(rec.person), "course_id": course(rec.course), "kind": rec.kind,
                     "text": version.text, "happened_on": rec.happened_on, "sensitive": rec.sensitive,
                     "written_at": version.written_at or timezone.now(), "written_by": actor, "version": number,
                     "correction_reason": version.reason, "first_id": known[rec.id] if number > 1 else None,
                     "corrects_id": tip[rec.id] if number > 1 else None} for rec, version in levels[number]]
            new_ids = insert_rows(Note, rows)
            for (rec, _version), pk in zip(levels[number], new_ids):
                known.setdefault(rec.id, pk)
                tip[rec.id] = pk
            if number == 1:
                insert_rows(ExternalId, [{"kind": "note", "key": rec.id, "object_id": pk}
                                         for (rec, _v), pk in zip(levels[number], new_ids)], return_ids=False)
        count("note", created, len(self.by_type.note) - created)

    def _documents(self, person, course, actor, count) -> None:
        known = self.ids["document"]
        created = 0
        citizens = Person.objects.in_bulk({person(rec.person) for _n, rec in self.by_type.document})
        for _n, rec in self.by_type.document:
            if rec.id in known:
                Document.objects.filter(pk=known[rec.id]).update(title=rec.title, course_id=course(rec.course))
                continue
            assert self.files is not None, "checked: a new document needs the files folder"
            data = read_bytes(self.files / rec.file)
            document = documents.add(actor, citizens[person(rec.person)], data, name=rec.file, title=rec.title,
                                     kind=rec.kind, checked=self.accepted[id(rec)],
                                     course=Course.objects.get(pk=course(rec.course)) if rec.course else None)
            self.stored.append(document.stored_as)
            if rec.added_at:
                Document.objects.filter(pk=document.pk).update(added_at=rec.added_at)
            known[rec.id] = document.pk
            ExternalId.objects.create(kind="document", key=rec.id, object_id=document.pk)
            created += 1
        count("document", created, len(self.by_type.document) - created)

    def forget_stored(self) -> None:
        for name in self.stored:
            documents.storage().delete(name)


def _stored_versions(roots: list[int]) -> dict[int, tuple[int, int]]:
    """Per note (its first version's id): how many versions are stored, and the newest one's id."""
    found: dict[int, tuple[int, int]] = {}
    rows = Note.objects.filter(Q(pk__in=roots) | Q(first_id__in=roots)).order_by("version")
    for pk, first in rows.values_list("pk", "first_id"):
        root = first or pk
        found[root] = (found.get(root, (0, 0))[0] + 1, pk)
    return found
