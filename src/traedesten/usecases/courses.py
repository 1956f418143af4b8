"""Courses, activities, bostøtte packages and groups: one function per change, for every channel."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.civil.services import kickoff_from_closing
from traedesten.courses import bostotte, ending as endings, groups, services
from traedesten.courses.models import Activity, Course, GroupRun, GroupSession
from traedesten.economy.services import assess_shadow
from traedesten.gate import Action, Clearance, Section, Tool, require_tool
from traedesten.gate.policy import may_open_group, persons_reached
from traedesten.people.models import Person

from ._gated import gated, relative_in_network, same_citizen


@gated(Section.COURSES)
def start_course(c: Clearance, offer, *, start: datetime.date, hours_package: str = "", cap_reason: str = ""):
    return services.start_course(c.user, c.person, offer, start=start, hours_package=hours_package,
                                 cap_reason=cap_reason)


@gated(Section.COURSES)
def close_course(c: Clearance, course: Course, *, closed_on: datetime.date, destination: str, note: str = "",
                 kickoff_on: datetime.date | None = None, expected_version: int, shadow: dict | None = None,
                 ending: dict | None = None) -> Course:
    """Close with a destination. A front-door course records its shadow visitation (what the citizen would have been
    granted without it) in the same step, and a closing to civil society with a kick-off puts it on the coordinator's
    list: the same on every channel. The ending record (what helped, whom to call, the after-care visit and the
    klippekort; courses/ending.py) is written in the same step, and required where the offer's kind asks for it and
    the citizen did not drop out or move (decision 0052)."""
    same_citizen(c, course)
    try:
        with transaction.atomic():
            closed = services.close_course(c.user, course, closed_on=closed_on, destination=destination, note=note,
                                           kickoff_on=kickoff_on, expected_version=expected_version, ending=ending)
            if course.offer.front_door:
                if not (shadow and "would_have" in shadow):
                    raise ValidationError(_("Skriv skyggevisitationen: hvad ville borgeren have fået uden forløbet?"))
                assess_shadow(c.user, closed, **shadow)
            if endings.ending_required(closed, destination) and not endings.is_filled(ending):
                raise ValidationError(_("Skriv afslutningsnotatet: hvad hjalp, med borgerens egne ord."))
            kickoff_from_closing(c.user, closed)
    except ValidationError:
        course.refresh_from_db()  # the closing was rolled back: the caller's course is as it was, version and all
        raise
    return closed


@gated(Section.COURSES)
def assess_shadow_visitation(c: Clearance, course: Course, **assessment):
    same_citizen(c, course)
    return assess_shadow(c.user, course, **assessment)


@gated(Section.COURSES)
def extend_course(c: Clearance, course: Course, **details):
    same_citizen(c, course)
    return services.extend_course(c.user, course, **details)


@gated(Section.COURSES)
def write_status_note(c: Clearance, course: Course, **details):
    same_citizen(c, course)
    return services.write_status_note(c.user, course, **details)


@gated(Section.COURSES)
def move_to_group(c: Clearance, course: Course, group: GroupRun, *, on: datetime.date) -> Course:
    """At the time limit the citizen goes on in a group (§ 82b to § 82a, seed 001): enrolled on the group, and the
    individual course closed that day."""
    same_citizen(c, course)
    with transaction.atomic():
        enrolment = groups.enrol(c.user, group, c.person, on=on, cap_reason=_("Fortsætter efter et individuelt forløb"))
        last = course.activities.order_by("-on").values_list("on", flat=True).first()
        services.close_course(c.user, course, closed_on=max(on, last or on, course.start), destination="other",
                              note=_("Fortsætter på holdet %(group)s (§ 82a)") % {"group": group.theme},
                              expected_version=course.version)
    return enrolment


def activity_section(kind: str, course: Course | None) -> Section:
    """An on-call contact without a course is the on-call section's (the on-call worker writes it without the courses);
    every other activity is the courses'."""
    return Section.ON_CALL if kind == Activity.Kind.ON_CALL_CONTACT and course is None else Section.COURSES


def record_activity(c: Clearance, *, course: Course | None = None, relative=None, **details):
    c.require(activity_section(details.get("kind", ""), course), action=Action.WRITE)
    same_citizen(c, course)
    relative_in_network(c, relative)
    return services.record_activity(c.user, c.person, course=course, relative=relative, **details)


def record_on_call_contact(c: Clearance, *, on: datetime.date, channel: str, topic: str = ""):
    """The on-call service registers a contact with the citizen: an activity of its own kind, on no course, through the
    same rules as every activity (decision 0048)."""
    return record_activity(c, kind=Activity.Kind.ON_CALL_CONTACT, on=on, channel=channel, topic=topic)


@gated(Section.COURSES)
def change_package(c: Clearance, course: Course, *, now: bool, on: datetime.date, to_package: str,
                   expected_version: int) -> Course:
    """Change the bostøtte hours package from a date, or plan a step-down to it."""
    same_citizen(c, course)
    change = bostotte.change_package if now else bostotte.plan_step_down
    return change(c.user, course, on=on, to_package=to_package, expected_version=expected_version)


@gated(Section.COURSES)
def reenter(c: Clearance, course: Course, *, on: datetime.date) -> Course:
    same_citizen(c, course)
    return bostotte.reenter(c.user, course, on=on)


@gated(Section.COURSES)
def enrol(c: Clearance, group: GroupRun, *, on: datetime.date | None = None, cap_reason: str = "") -> Course:
    return groups.enrol(c.user, group, c.person, on=on, cap_reason=cap_reason)


def create_group(actor, offer, **details) -> GroupRun:
    require_tool(actor, Tool.GROUP_CREATE)
    return groups.create_group(actor, offer, **details)


def open_group(actor, group: GroupRun) -> GroupRun:
    if not may_open_group(actor, group):
        raise PermissionDenied
    return group


def writable_participants(actor, group: GroupRun, section: Section = Section.PARTICIPATION) -> set[int]:
    """The participants whose attendance the user may record (PARTICIPATION, through a standing relation such as
    facilitating the group), or, with COURSES, whom the user may enrol elsewhere."""
    ids = groups.participants(group).values("person_id")
    return set(persons_reached(actor, section, action=Action.WRITE).filter(pk__in=ids).values_list("pk", flat=True))


def _check_marks(actor, group: GroupRun, attendance: dict[int, str]) -> None:
    if set(attendance) - writable_participants(actor, group):
        raise PermissionDenied


def register_session(actor, group: GroupRun, *, on: datetime.date, hours, attendance: dict[int, str], staff_hours: dict,
                     cap_reason: str = ""):
    open_group(actor, group)
    _check_marks(actor, group, attendance)
    return groups.register_session(actor, group, on=on, hours=hours, attendance=attendance, staff_hours=staff_hours,
                                   cap_reason=cap_reason)


def end_group(actor, group: GroupRun, *, on: datetime.date) -> GroupRun:
    """Those who run the group end it; its running enrolments close that day ("Holdet sluttede")."""
    open_group(actor, group)
    if not writable_participants(actor, group) and not group.facilitators.filter(pk=actor.pk).exists():
        raise PermissionDenied
    return groups.end_group(actor, group, on=on)


def update_attendance(actor, session: GroupSession, attendance: dict[int, str], *, expected_version: int):
    open_group(actor, session.group)
    _check_marks(actor, session.group, attendance)
    return groups.update_attendance(actor, session, attendance, expected_version=expected_version)


@transaction.atomic
def continue_group(actor, group: GroupRun, *, start: datetime.date, volunteers: list, person_ids: list[int]) -> GroupRun:
    """After the course the group goes on, run by volunteers; the chosen participants carry over. Each is enrolled
    by the user, so each must be open to the user for writing."""
    open_group(actor, group)
    require_tool(actor, Tool.GROUP_CREATE)
    if set(person_ids) - writable_participants(actor, group, Section.COURSES):
        raise PermissionDenied
    if start < group.start:
        raise ValidationError(_("Fortsættelsen kan ikke starte før holdet."))
    if not volunteers:
        raise ValidationError(_("Vælg de frivillige, der driver holdet videre."))
    users = [v.user for v in volunteers if v.user_id]
    if not users:
        raise ValidationError(_("Mindst én af de frivillige skal have et login for at kunne registrere fremmøde."))
    follow_on = groups.create_group(actor, group.offer, theme=f"{group.theme} (fortsætter)", start=start,
                                    planned_sessions=group.planned_sessions, session_hours=group.session_hours,
                                    capacity=group.capacity, facilitators=users, location=group.location,
                                    team=group.team, continues_from=group)
    for person in Person.objects.filter(pk__in=person_ids, courses__group=group).distinct():
        groups.enrol(actor, follow_on, person, on=start, cap_reason=_("Fortsætter fra holdet"))
    return follow_on


def participant_names(actor, group: GroupRun) -> dict[int, str]:
    """What the user sees of each participant: the full name where the citizen is open to them, a first name where
    they only facilitate; a participant missing here is not shown at all (recused, or no relation)."""
    ids = list(groups.participants(group).values_list("person_id", flat=True))
    full = set(persons_reached(actor, Section.IDENTITY).filter(pk__in=ids).values_list("pk", flat=True))
    first = set(persons_reached(actor, Section.PARTICIPATION).filter(pk__in=ids).values_list("pk", flat=True))
    persons = Person.objects.in_bulk(set(full) | set(first))
    return {pk: (p.display_name if pk in full else p.first_name or _("Deltager")) for pk, p in persons.items()}
