"""Digital Post behind an adapter. The municipality configures its own in TRAEDESTEN_DIGITAL_POST_BACKEND (a class
with `send(person, subject, document, pdf) -> receipt`); the default is a fake outbox in the database
(DigitalPostMessage), for the demo and the tests, like the SMS adapter in insights/sms.py."""

from django.conf import settings
from django.utils.module_loading import import_string

from .models import DigitalPostMessage, Document


class FakeDigitalPost:
    def send(self, person, subject: str, document: Document, pdf: bytes) -> str:
        message = DigitalPostMessage.objects.create(person=person, subject=subject[:200], document=document)
        return f"fake-{message.pk}"


def adapter():
    return import_string(settings.TRAEDESTEN_DIGITAL_POST_BACKEND)()
