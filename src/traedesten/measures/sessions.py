"""FIT per session (seed 003, themes 1 and 9): the ORS just before a session and the SRS just after it belong to that
session's activity; a group's SRS belongs to the group session. Where a team uses FIT, its workers rate their own FIT
practice every fourth session."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.courses.models import Activity

from .models import Administration, FitPracticeRating

BEFORE, AFTER, GROUP_AFTER = "ORS", "SRS", "GSRS"
SESSION_KINDS = (Activity.Kind.COACHING, Activity.Kind.FOLLOW_UP, Activity.Kind.BOSTOTTE_CONTACT,
                 Activity.Kind.HOME_VISIT)
"""The activities that are a conversation with the citizen, and so may carry an ORS and an SRS."""
RATE_EVERY = 4
PRACTICE_STATEMENTS = (
    ("before", gettext_lazy("Jeg bad om borgerens vurdering før samtalen og talte med borgeren om den.")),
    ("focus", gettext_lazy("Scoren var med til at bestemme, hvad vi brugte samtalen på.")),
    ("after", gettext_lazy("Jeg spurgte til vores samarbejde til sidst og tog svaret alvorligt.")),
    ("over_time", gettext_lazy("Jeg viste borgeren udviklingen over tid og talte om, hvad den betyder.")),
)
"""Trædesten's own statements about the worker's practice (not the FIT forms), each rated 1 (slet ikke) to 5 (helt)."""


@dataclass(frozen=True)
class SessionScores:
    activity: Activity
    before: Administration | None
    after: Administration | None


def session_scores(person, *, limit: int = 100) -> list[SessionScores]:
    """The citizen's sessions that carry an ORS or an SRS, newest first, each with the score before and after."""
    rows = (Administration.objects.filter(person=person, activity__isnull=False, instrument__code__in=(BEFORE, AFTER))
            .select_related("activity", "instrument").order_by("-activity__on", "-activity_id", "pk"))
    by_activity: dict[int, dict[str, Administration]] = {}
    activities: dict[int, Activity] = {}
    for row in rows[: limit * 4]:
        activity = row.activity
        assert activity is not None
        activities.setdefault(activity.pk, activity)
        by_activity.setdefault(activity.pk, {})[row.instrument.code] = row
    return [SessionScores(activities[pk], scores.get(BEFORE), scores.get(AFTER))
            for pk, scores in list(by_activity.items())[:limit]]


def scores_of(activity: Activity) -> SessionScores:
    found = {a.instrument.code: a for a in activity.administrations.select_related("instrument")}
    return SessionScores(activity, found.get(BEFORE), found.get(AFTER))


def check_session(activity: Activity) -> None:
    if activity.kind not in SESSION_KINDS:
        raise ValidationError(_("FIT hører til en samtale med borgeren."))
    if activity.attendance != Activity.Attendance.ATTENDED:
        raise ValidationError(_("Borgeren mødte ikke op til samtalen."))


def uses_fit(user) -> bool:
    return user.teams.filter(uses_fit=True).exists()


def sessions_since_rating(user) -> int:
    """The sessions with FIT the worker has held since they last rated their own practice."""
    last = FitPracticeRating.objects.filter(user=user).order_by("-created_at").values_list("created_at", flat=True).first()
    held = Administration.objects.filter(administered_by=user, activity__isnull=False, instrument__code=BEFORE)
    if last is not None:
        held = held.filter(created_at__gt=last)
    return held.values("activity_id").distinct().count()


def practice_rating_due(user) -> bool:
    return uses_fit(user) and sessions_since_rating(user) >= RATE_EVERY


@transaction.atomic
def rate_practice(user, *, scores: dict[str, int], comment: str = "", on: datetime.date) -> FitPracticeRating:
    if not uses_fit(user):
        raise ValidationError(_("Dit team bruger ikke FIT."))
    wanted = {code for code, _label in PRACTICE_STATEMENTS}
    if set(scores) != wanted or any(not isinstance(v, int) or not 1 <= v <= 5 for v in scores.values()):
        raise ValidationError(_("Vælg et svar fra 1 til 5 ved hvert udsagn."))
    rating = FitPracticeRating.objects.create(user=user, on=on, scores=scores, sessions=sessions_since_rating(user),
                                              comment=" ".join(comment.split())[:500])
    audit.record(user, AuditAction.CREATE, section="fit_practice", fields=sorted(scores))
    return rating
