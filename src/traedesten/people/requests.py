"""Citizens' requests on Min side: a copy of their data (GDPR art. 15) and a correction (art. 16). Each waits in the
staff queue with a deadline of one month (art. 12(3)) until someone answers it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.accounts.principals import staff_user
from traedesten.core.dates import add_months
from traedesten.core.locking import update_versioned

from .models import DataRequest, Person


@transaction.atomic
def make_request(actor, person: Person, kind: str, text: str = "") -> DataRequest:
    text = " ".join(text.split())
    if kind not in DataRequest.Kind.values:
        raise ValidationError(_("Vælg hvad du beder om."))
    if kind == DataRequest.Kind.RECTIFICATION and len(text) < 10:
        raise ValidationError(_("Skriv hvad der er forkert, og hvad der er det rigtige (mindst 10 tegn)."))
    if len(text) > 2000:
        raise ValidationError(_("Skriv højst 2000 tegn."))
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one open request of a kind, also when racing
    waiting = DataRequest.objects.filter(person=person, kind=kind).exclude(status=DataRequest.Status.DONE).first()
    if waiting is not None:
        raise ValidationError(_("Du har allerede en anmodning af den slags, som vi arbejder på. Du får svar senest "
                                "%(due)s.") % {"due": f"{waiting.due_on:%d.%m.%Y}"})
    request = DataRequest.objects.create(person=person, kind=kind, text=text,
                                         due_on=add_months(timezone.localdate(), 1))
    audit.record(actor, AuditAction.CREATE, person=person, section="data_request", fields=[kind])
    return request


@transaction.atomic
def answer_request(actor, request: DataRequest, *, status: str, answer: str, expected_version: int) -> DataRequest:
    """Move a request on: under way, or answered (with what was done, which the citizen sees on Min side)."""
    answer = " ".join(answer.split())[:2000]
    if status not in (DataRequest.Status.IN_PROGRESS, DataRequest.Status.DONE):
        raise ValidationError(_("Vælg en status."))
    if status == DataRequest.Status.DONE and not answer:
        raise ValidationError(_("Skriv svaret til borgeren: hvad er rettet, eller hvordan er udtrækket udleveret."))
    update_versioned(DataRequest.objects.exclude(status=DataRequest.Status.DONE), request.pk, expected_version,
                     message=_("Anmodningen er allerede besvaret eller ændret af en anden. Genindlæs siden."),
                     status=status, answer=answer, handled_by=staff_user(actor), handled_at=timezone.now())
    request.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=request.person_id, section="data_request", fields=[status])
    return request
