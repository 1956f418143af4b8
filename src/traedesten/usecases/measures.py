"""Measurements: scores taken with the citizen, declines and schedules."""

import secrets

from django.core.exceptions import PermissionDenied

from traedesten.gate import Clearance, Relation, Section
from traedesten.measures import services
from traedesten.measures.models import KioskSession

from ._gated import gated, same_citizen


@gated(Section.MEASURES)
def administer(c: Clearance, instrument, *, course=None, rater_network=None, **details):
    same_citizen(c, course, rater_network)
    return services.administer(c.user, c.person, instrument, course=course, rater_network=rater_network, **details)


@gated(Section.MEASURES)
def decline(c: Clearance, instrument, *, course=None, rater_network=None, **details):
    same_citizen(c, course, rater_network)
    return services.decline(c.user, c.person, instrument, course=course, rater_network=rater_network, **details)


@gated(Section.MEASURES)
def set_schedule(c: Clearance, instrument, every_days: int | None):
    return services.set_schedule(c.user, c.person, instrument, every_days)


@gated(Section.MEASURES)
def open_kiosk(c: Clearance, version, *, on, rater: str, course=None, rater_network=None) -> KioskSession:
    """Hand the tablet to the citizen: a one-time session bound to this worker and this citizen."""
    same_citizen(c, course, rater_network)
    services.check_can_measure(version.parsed, c.person, on, rater, course)
    return KioskSession.objects.create(token=secrets.token_urlsafe(24), person=c.person, version=version, course=course,
                                       rater=rater, opened_by=c.staff, rater_network=rater_network)


@gated(Section.MEASURES)
def score_at_home(c: Clearance, instrument, values):
    """The citizen's own score from home, before a session: only the citizen themself, on Min side."""
    if Relation.SELF not in c.relations:
        raise PermissionDenied
    return services.score_at_home(c.user, c.person, instrument, values)
