"""Measurements: scores taken with the citizen, declines and schedules."""

import secrets

from traedesten.gate import Clearance, Section
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
                                       rater=rater, opened_by=c.user, rater_network=rater_network)
