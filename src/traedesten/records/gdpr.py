"""The case record's part in the citizen's GDPR rights, declared on the models (core.citizen_data) and called by
people.gdpr: the files themselves in the subject-access export, and their deletion when the citizen is anonymised."""

import base64

from django.core.exceptions import ValidationError

from traedesten.core.secure_files import FileKeyError

from . import documents
from .models import Document, Letter


def case_files(person) -> list[dict]:
    """Every document and letter as the citizen received or sent it: the file itself, not a reference."""
    return [_case_file(d) for d in Document.objects.filter(person=person).order_by("pk")]


def _case_file(document: Document) -> dict:
    described = {"document": document.pk, "title": document.title, "content_type": document.content_type,
                 "sha256": document.sha256}
    try:
        return described | {"base64": base64.b64encode(documents.content(document)).decode("ascii")}
    except (ValidationError, FileKeyError, OSError) as exc:  # the rest of the export must still reach the citizen
        return described | {"error": str(getattr(exc, "messages", [exc])[0])}


def forget_case_files(person) -> None:
    """Letters and documents go, and their stored files with them once the transaction is committed. (Notes keep
    their kind and date and lose their words: their free text is declared on the model.)"""
    Letter.objects.filter(person=person).delete()
    for document in Document.objects.filter(person=person):
        documents.delete(document)
