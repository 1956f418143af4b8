"""Case-level progression (at a grant's follow-up, or when a course closes) and the complaints register.

Progression at a follow-up is part of the authority's decision on the grant (AUTHORITY, decide); at a closing it is the
course's coordinator's (COURSES, write). A family is assessed per member, each member through their own clearance, all
or nothing. Complaints are in the AUTHORITY section: registered and answered by whoever writes it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.authority import outcomes
from traedesten.authority.models import CaseProgression, Complaint, FollowUp
from traedesten.gate import Action, Clearance, Section, persons_reached

from ._gated import gated, same_citizen


def _require_occasion(c: Clearance, follow_up: FollowUp | None, course) -> None:
    if follow_up is not None:
        c.require(Section.AUTHORITY, action=Action.DECIDE)
    elif course is not None:
        c.require(Section.COURSES, action=Action.WRITE)
    else:
        raise ValidationError(_("Progressionen registreres ved en opfølgning eller ved et forløbs afslutning."))


def record_progression(c: Clearance, *, category: str, reason: str, on: datetime.date,
                       follow_up: FollowUp | None = None, course=None) -> CaseProgression:
    """The category for one citizen, at a follow-up of their grant or at the closing of their course."""
    _require_occasion(c, follow_up, course)
    if follow_up is not None:
        same_citizen(c, follow_up.grant)
    same_citizen(c, course)
    return outcomes.record_progression(c.user, c.person, category=category, reason=reason, on=on,
                                       follow_up=follow_up, course=course)


@transaction.atomic
def record_family_progression(anchor: Clearance, members: list[tuple[Clearance, str, str]], *, household,
                              on: datetime.date, follow_up: FollowUp | None = None, course=None
                              ) -> list[CaseProgression]:
    """One category per family member (a family case may be split). `anchor` is the clearance for the citizen whose
    follow-up or course it is; each member's row is written through that member's own clearance. All or nothing."""
    _require_occasion(anchor, follow_up, course)
    if follow_up is not None:
        same_citizen(anchor, follow_up.grant)
    same_citizen(anchor, course)
    if not household.members.filter(person=anchor.person).exists():
        raise PermissionDenied
    if not members:
        raise ValidationError(_("Vælg en kategori for mindst ét familiemedlem."))
    rows = []
    for c, category, reason in members:
        _require_occasion(c, follow_up, course)
        rows.append(outcomes.record_progression(c.user, c.person, category=category, reason=reason, on=on,
                                                follow_up=follow_up, course=course, household=household))
    return rows


@gated(Section.AUTHORITY)
def register_complaint(c: Clearance, **details) -> Complaint:
    same_citizen(c, details.get("grant"))
    return outcomes.register_complaint(c.user, c.person, **details)


@gated(Section.AUTHORITY)
def record_complaint_outcome(c: Clearance, complaint: Complaint, **details) -> Complaint:
    same_citizen(c, complaint)
    return outcomes.record_outcome(c.user, complaint, **details)


def complaints_due(user, *, scope: str, until: datetime.date) -> list[Complaint]:
    """Unanswered complaints due by a day, of the citizens whose authority section the user reads: the user's own
    (they are responsible), or the whole team's for scope "team" (the manager's view)."""
    rows = outcomes.open_complaints(persons_reached(user, Section.AUTHORITY), until=until)
    if scope == "mine":
        rows = rows.filter(responsible=user)
    return list(rows)
