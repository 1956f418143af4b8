"""Letters and surveys for the citizen.

Survey invitations are listed from the survey module. Letters come from the sources named in
TRAEDESTEN_CITIZEN_LETTER_SOURCES, functions that take a Person and return Letters: by default the letters in the
case record (`case_record_letters`); a municipality may add its own (docs/citizen.md).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from traedesten.insights.models import Invitation
from traedesten.records.models import Letter as SentLetter


@dataclass(frozen=True)
class Letter:
    """A letter the municipality sent the citizen: a title, when, and where to read it."""

    sent_on: datetime.date
    title: str
    url: str = ""
    sender: str = ""


LetterSource = Callable[[object], Iterable[Letter]]


def letter_sources() -> list[LetterSource]:
    return [import_string(path) for path in settings.TRAEDESTEN_CITIZEN_LETTER_SOURCES]


def case_record_letters(person) -> list[Letter]:
    """The letters in the citizen's case record, each opened on Min side as it was sent."""
    sent = SentLetter.objects.filter(person=person).order_by("-sent_at", "-pk")
    return [Letter(timezone.localtime(letter.sent_at).date(), letter.subject,
                   reverse("citizen:letter", args=[letter.pk]), letter.get_channel_display()) for letter in sent]


def letters(person) -> list[Letter]:
    found = [letter for source in letter_sources() for letter in source(person)]
    return sorted(found, key=lambda letter: letter.sent_on, reverse=True)


@dataclass(frozen=True)
class Survey:
    name: str
    invited_on: datetime.date
    url: str
    answered: bool


def surveys(person) -> list[Survey]:
    """The citizen's survey invitations: open ones with their link, answered ones as answered."""
    invitations = (Invitation.objects.filter(person=person, questionnaire__active=True)
                   .select_related("questionnaire", "response").order_by("-created_at"))
    return [Survey(i.questionnaire.name, timezone.localtime(i.created_at).date(),
                   reverse("answer", args=[i.token]) if not hasattr(i, "response") else "", hasattr(i, "response"))
            for i in invitations]
