"""SMS behind an adapter. The municipality configures its gateway in TRAEDESTEN_SMS_BACKEND; the default is a local
fake that keeps the messages in the database (OutboxMessage), for the demo and the tests."""

from django.conf import settings
from django.utils.module_loading import import_string

from .models import OutboxMessage


class FakeSms:
    def send(self, to: str, body: str) -> None:
        OutboxMessage.objects.create(to=to, body=body[:500])


def gateway():
    return import_string(getattr(settings, "TRAEDESTEN_SMS_BACKEND", "traedesten.insights.sms.FakeSms"))()
