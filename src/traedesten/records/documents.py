"""Documents in the case record: checked, stored through the case-file storage, read back, deleted.

Nothing is stored when a check fails. The file is written before the row, under a random name; if the row is not
written, the file is removed again (a caller that does more in the same transaction, like sending a letter, removes
it too when a later step fails). Deleting a document removes its file once the deletion is committed.
"""

import hashlib
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.secure_files import seal, unseal

from . import uploads
from .models import Document, DocumentKind

log = logging.getLogger(__name__)


def storage():
    return storages["case_files"]


def add(actor, person, data: bytes, *, name: str, title: str, kind: str = DocumentKind.UPLOAD, course=None,
        grant=None, handover=None, checked: uploads.Accepted | None = None) -> Document:
    """Check the bytes, store them and write the row; a refused or failed upload leaves nothing behind."""
    accepted = checked or uploads.check(data, name)
    title = " ".join((title or "").split())[:200]
    if not title:
        raise ValidationError(_("Skriv en titel på dokumentet."))
    sealed, encrypted = seal(data)
    stored_as = storage().save(f"{uuid.uuid4().hex}.{accepted.extension}{'.sealed' if encrypted else ''}",
                               ContentFile(sealed))
    try:
        with transaction.atomic():
            document = Document.objects.create(
                person=person, kind=kind, title=title, content_type=accepted.content_type,
                extension=accepted.extension, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                stored_as=stored_as, encrypted=encrypted, course=course, grant=grant, handover=handover,
                added_by=actor)
            audit.record(actor, AuditAction.CREATE, person=person, section="document", fields=[kind])
    except BaseException:
        storage().delete(stored_as)
        raise
    return document


def content(document: Document) -> bytes:
    """The document's bytes as uploaded; a stored file that does not match its row is refused."""
    with storage().open(document.stored_as, "rb") as handle:
        blob = handle.read()
    data = unseal(blob) if document.encrypted else blob
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationError(_("Dokumentets fil er ændret eller beskadiget og udleveres ikke."))
    return data


def download_name(document: Document) -> str:
    """A file name for the download made from the title, without digits that could be a CPR number."""
    safe = "".join(ch if ch.isalpha() or ch in " -_" else " " for ch in document.title)
    safe = "-".join(safe.split())[:80] or "dokument"
    return f"{safe}.{document.extension}"


def delete(document: Document) -> None:
    """Remove the row, and the stored file when the deletion is committed."""
    stored_as = document.stored_as
    document.delete()

    def remove() -> None:
        try:
            storage().delete(stored_as)
        except OSError:
            log.exception("Could not remove a deleted document's file")
    transaction.on_commit(remove)
