"""Measurements: scores taken with the citizen, declines and schedules."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from traedesten.courses import services as course_services
from traedesten.courses.models import Activity, Offer
from traedesten.gate import Action, Clearance, Relation, Section
from traedesten.measures import services, sessions
from traedesten.measures.models import Administration, Instrument, KioskSession, Rater

from ._gated import gated, same_citizen


@gated(Section.MEASURES)
def administer(c: Clearance, instrument, *, course=None, rater_network=None, activity=None, **details):
    same_citizen(c, course, rater_network, activity)
    return services.administer(c.user, c.person, instrument, course=course, rater_network=rater_network,
                               activity=activity, **details)


@gated(Section.MEASURES)
def decline(c: Clearance, instrument, *, course=None, rater_network=None, activity=None, **details):
    same_citizen(c, course, rater_network, activity)
    return services.decline(c.user, c.person, instrument, course=course, rater_network=rater_network,
                            activity=activity, **details)


@gated(Section.MEASURES)
def set_schedule(c: Clearance, instrument, every_days: int | None):
    return services.set_schedule(c.user, c.person, instrument, every_days)


@gated(Section.MEASURES)
def open_kiosk(c: Clearance, version, *, on, rater: str, course=None, rater_network=None, activity=None,
               group_session=None) -> KioskSession:
    """Hand the tablet to the citizen: a one-time session bound to this worker and this citizen (and, for FIT, to the
    session the score belongs to)."""
    same_citizen(c, course, rater_network, activity)
    activity, group_session, course = services.session_of(c.person, activity=activity, group_session=group_session,
                                                          course=course)
    services.check_can_measure(version.parsed, c.person, on, rater, course)
    return KioskSession.objects.create(token=secrets.token_urlsafe(24), person=c.person, version=version, course=course,
                                       rater=rater, opened_by=c.staff, rater_network=rater_network, activity=activity,
                                       group_session=group_session)


@gated(Section.MEASURES)
def score_at_home(c: Clearance, instrument, values):
    """The citizen's own score from home, before a session: only the citizen themself, on Min side."""
    if Relation.SELF not in c.relations:
        raise PermissionDenied
    return services.score_at_home(c.user, c.person, instrument, values)


def start_fit_session(c: Clearance, course, *, on, hours, cap_reason: str = ""):
    """A session with FIT begins: its activity is registered now, so the ORS before it and the SRS after it belong to it."""
    c.require(Section.COURSES, Section.MEASURES, action=Action.WRITE)
    same_citizen(c, course)
    bostotte = course.offer.kind == Offer.Kind.BOSTOTTE
    kind = Activity.Kind.BOSTOTTE_CONTACT if bostotte else Activity.Kind.COACHING
    return course_services.record_activity(c.user, c.person, kind=kind, on=on, course=course, delivered_hours=hours,
                                           staff_hours={c.staff: hours}, channel="home" if bostotte else "office",
                                           cap_reason=cap_reason)


@gated(Section.MEASURES)
def open_session_kiosk(c: Clearance, activity, code: str) -> KioskSession:
    """Hand the tablet over for the session's ORS (before) or SRS (after); each is taken once."""
    same_citizen(c, activity)
    sessions.check_session(activity)
    if code not in (sessions.BEFORE, sessions.AFTER):
        raise ValidationError(_("Ukendt måling."))
    if activity.administrations.filter(instrument__code=code).exists():
        raise ValidationError(_("%(code)s er allerede givet for denne samtale.") % {"code": code})
    version = Instrument.objects.get(code=code, active=True).current
    return open_kiosk(c, version, on=activity.on, rater=Rater.CITIZEN, activity=activity)


@gated(Section.MEASURES)
def open_group_srs_kiosk(c: Clearance, group_session) -> KioskSession:
    """Hand the tablet to a participant for the group SRS of this group session, once per participant."""
    if Administration.objects.filter(person=c.person, group_session=group_session,
                                     instrument__code=sessions.GROUP_AFTER).exists():
        raise ValidationError(_("%(code)s er allerede givet for denne samtale.") % {"code": sessions.GROUP_AFTER})
    version = Instrument.objects.get(code=sessions.GROUP_AFTER, active=True).current
    return open_kiosk(c, version, on=group_session.on, rater=Rater.CITIZEN, group_session=group_session)


def rate_fit_practice(user, **details):
    """A worker rates their own FIT practice (about the worker, not a citizen)."""
    return sessions.rate_practice(user, **details)
