"""The citizen overview, rendered once per change of the data it shows.

A caseworker opens the same citizen many times a day. The rendered body is kept per citizen and user in each
server process, under a key holding the citizen's revision and the shared revision (see revisions.py), the
language and the date, so a change anywhere shows on the next request and no process serves another's stale copy.
Entries also expire when a booked meeting passes, and after MAX_AGE at the latest.
"""

import datetime
import hashlib
import secrets
from dataclasses import replace

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from traedesten.accounts.http import AuthedRequest
from traedesten.authority.services import authority_summary, handovers_sent
from traedesten.courses.package_hours import recent_weeks
from traedesten.courses.services import courses_for_overview, recent_activities
from traedesten.frontdoor.pathways import front_door_bypass
from traedesten.frontdoor.services import upcoming_meeting
from traedesten.gate import Section, Tool, may_use, sensitive
from traedesten.gate.policy import department, owns_plans
from traedesten.gate.relations import readable_handovers
from traedesten.measures.services import latest_scores
from traedesten.people.families import membership_of
from traedesten.people.models import Revision
from traedesten.people.revisions import SHARED
from traedesten.plans import exemptions, pauses
from traedesten.plans.services import plan_summary

CACHE = "overview"
MAX_AGE = 15 * 60
# Stands in for the CSRF token while the body is cached; the request's own token replaces it.
_TOKEN_SLOT = f"csrf-{secrets.token_hex(16)}"


def revisions(person_id: int) -> tuple[int, int]:
    """The citizen's and the shared revision. Read them before the data, so a cached body is never older than its key."""
    values = dict(Revision.objects.filter(citizen__in=[SHARED, person_id]).values_list("citizen", "value"))
    return values.get(person_id, 0), values.get(SHARED, 0)


def sections_shown(c) -> list:
    """The sections of the overview that this user sees: they name the read in the audit log."""
    return c.shown(Section.IDENTITY, Section.CPR, Section.CONTACTS, Section.COURSES, Section.GOALS, Section.MEASURES,
                   Section.NETWORK, Section.AUTHORITY)


def context(c) -> dict:
    person, see = c.person, {str(s) for s in c.readable}
    courses = courses_for_overview(person) if Section.COURSES in c.readable else []
    today = timezone.localdate()
    pause = pauses.latest([person.pk], today).get(person.pk) if courses else None
    if pause is not None:
        courses = [(course, [replace(d, due=pauses.put_off(d.kind, d.due, pause)) for d in deadlines])
                   for course, deadlines in courses]
    found = exemptions.on_page(person.pk, today)
    if found.keys and courses:
        courses = [(course, exemptions.required(deadlines, found.keys)) for course, deadlines in courses]
    return {
        "see": see,
        "can": {str(s) for s in c.writable},
        "courses": courses,
        "bypass": front_door_bypass(person, [course for course, _d in courses]) if courses else None,
        "upcoming": upcoming_meeting(person) if Section.CONTACTS in c.readable else None,
        "scores": list(latest_scores(person).values()) if Section.MEASURES in c.readable else [],
        **(plan_summary(person) if Section.GOALS in c.readable else {}),
        "active_reentry": any(course.status == "active" and course.offer.meaning.reentry for course, _d in courses),
        "activities": recent_activities(person) if Section.COURSES in c.readable else [],
        "package_weeks": _package_weeks(courses, today),
        "today": today,
        "pause": pause if pause is not None and pause.in_force(today) else None,
        "exemptions": found.shown,
        "resumes_on": pause.resumes_on if pause is not None else None,
        "person": person,
        "family": membership_of(person, today),
        "outside": c.flagged,
        "hidden": sorted(str(s) for s in c.hidden_by_consent),
        "network": list(person.network.all()) if Section.NETWORK in c.readable else [],
        "network_hidden": Section.NETWORK in c.hidden_by_consent,
        "caseload": list(person.caseload.select_related("team", "worker").filter(end__isnull=True)),
        "may_see_access_log": sensitive(c.user, person, Section.ACCESS_LOG) != "denied",
        "may_recuse": may_use(c.user, Tool.RECUSALS),
        **(_authority(c) if Section.AUTHORITY in c.readable else {}),
    }


def _package_weeks(courses, today: datetime.date) -> list:
    """Each active bostøtte course with its last ended weeks, newest first: hours delivered against the package."""
    active = [course for course, _d in courses if course.status == "active" and course.offer.meaning.hours_package]
    weeks = recent_weeks(active, as_of=today)
    return [(course, list(reversed(weeks.get(course.pk, [])))) for course in active]


def _authority(c) -> dict:
    dept = department(c.user)
    sender = owns_plans(dept)
    handovers = handovers_sent(c.person) if sender or dept is None else readable_handovers(dept.pk, c.person.pk)[:3]
    return authority_summary(c.person, handovers) | {
        "may_grant": c.may_decide, "may_hand_over": sender and Section.AUTHORITY in c.writable}


def max_age(values: dict, now: datetime.datetime) -> int:
    """Seconds the body stays true: until the booked meeting is no longer ahead, and never over MAX_AGE."""
    meeting = values.get("upcoming")
    if meeting is None:
        return MAX_AGE
    return max(0, min(MAX_AGE, int((meeting.next_meeting - now).total_seconds())))


def body(request: AuthedRequest, c) -> str:
    """`c` is the gate's clearance: what it opens is part of the key, so a consent or a relation that changes shows
    on the next request."""
    user, person = request.user, c.person
    opened = hashlib.sha256(f"{sorted(c.readable)}|{sorted(c.writable)}|{c.may_decide}".encode()).hexdigest()[:16]
    key = ":".join(str(part) for part in (
        "overview", person.pk, *revisions(person.pk), user.pk, user.role, get_language(), timezone.localdate(),
        int(c.flagged), opened))
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        person.refresh_from_db()
        values = context(c)
        html = render_to_string("overview/_overview.html", values | {"csrf_token": _TOKEN_SLOT})
        timeout = max_age(values, timezone.now())
        if timeout:
            cache.set(key, html, timeout)
    return html.replace(_TOKEN_SLOT, get_token(request))
