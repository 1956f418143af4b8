"""Matching a citizen with a worker of the provider team (decision 0049): the queue, the citizen's wishes, the match
and the citizen's request for another worker. Every change takes the clearance: the citizen's courses open to write,
and the matching tool on the team for the queue's own changes."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from traedesten.accounts import audit, staff
from traedesten.accounts.models import AuditAction, CaseloadNorm, Competence, User, WorkerProfile, norm_for
from traedesten.authority import matching as matchings
from traedesten.authority.models import Matching, WorkerChangeRequest
from traedesten.courses.models import Course
from traedesten.gate import Action, Clearance, Section, Tool, may_use, persons_reached, require_tool
from traedesten.gate.relations import team_ids
from traedesten.gate.rules import roles_writing
from traedesten.people.models import ContactKind

from ._gated import same_citizen
from .people import change_contact_person


def queue(user, *, today: datetime.date, due_only: bool = False) -> list[Matching]:
    """The waiting matchings of the user's teams, for the citizens the user reaches (each one read-audited)."""
    require_tool(user, Tool.MATCHING)
    rows = matchings.queue(team_ids(user), persons_reached(user, Section.IDENTITY))
    if due_only:
        rows = rows.filter(due_on__lte=today)
    rows = list(rows)
    if rows:
        audit.record(user, AuditAction.VIEW, persons={m.person_id for m in rows}, section="matching_queue",
                     fields=[Section.IDENTITY])
    return rows


def _on_team(c: Clearance, matching: Matching) -> None:
    require_tool(c.staff, Tool.MATCHING)
    same_citizen(c, matching)
    if matching.team_id not in team_ids(c.staff):
        raise PermissionDenied


def waiting(c: Clearance) -> list[Matching]:
    """The citizen's waiting matchings on the user's teams."""
    require_tool(c.staff, Tool.MATCHING)
    return list(Matching.objects.filter(person=c.person, status=Matching.Status.WAITING,
                                        team_id__in=team_ids(c.staff)).select_related("team", "wished_method",
                                                                                      "previous_worker"))


def save_wishes(c: Clearance, matching: Matching, **wishes) -> Matching:
    c.require(Section.COURSES, action=Action.WRITE)
    _on_team(c, matching)
    return matchings.save_wishes(c.staff, matching, **wishes)


def match(c: Clearance, matching: Matching, worker: User, *, version: int, on: datetime.date) -> Matching:
    c.require(Section.COURSES, action=Action.WRITE)
    _on_team(c, matching)
    if worker.role not in roles_writing(Section.COURSES):
        raise ValidationError(_("Medarbejderen arbejder ikke med borgeres forløb."))
    matched = matchings.match(c.staff, matching, worker, version=version, on=on)
    change_contact_person(c, ContactKind.SUPPORT_CONTACT, on=on, worker=worker)
    return matched


def request_other_worker(c: Clearance, *, requested_on: datetime.date, reason: str) -> WorkerChangeRequest:
    """The citizen's request for another worker, on the team of their active course with a responsible worker."""
    c.require(Section.COURSES, action=Action.WRITE)
    course = (Course.objects.filter(person=c.person, status=Course.Status.ACTIVE, team__isnull=False)
              .order_by(F("responsible").asc(nulls_last=True), "-start").first())
    if course is None:
        raise ValidationError(_("Borgeren har intet aktivt forløb på et team."))
    return matchings.request_other_worker(c.staff, c.person, team=course.team, requested_on=requested_on,
                                          reason=reason, previous_worker=course.responsible, course=course)


def change_requests(c: Clearance) -> list[WorkerChangeRequest]:
    c.require(Section.COURSES)
    return list(WorkerChangeRequest.objects.filter(person=c.person).select_related("previous_worker",
                                                                                   "matching__worker"))


@dataclass
class Candidate:
    user: User
    active: int
    norm: CaseloadNorm | None
    competences: list[Competence] = field(default_factory=list)
    profile: WorkerProfile | None = None
    fits: list[str] = field(default_factory=list)
    """The citizen's wishes the worker meets."""

    @property
    def over(self) -> bool:
        return self.norm is not None and self.active >= self.norm.max_citizens


def candidates(c: Clearance, matching: Matching, *, today: datetime.date) -> list[Candidate]:
    """The workers of the provider team, with their valid competences and current caseload against the team's norm,
    the ones meeting most of the citizen's wishes first."""
    _on_team(c, matching)
    workers = list(User.objects.filter(is_active=True, teams=matching.team_id, role__in=roles_writing(Section.COURSES))
                   .exclude(role="manager").select_related("profile").prefetch_related("teams")
                   .order_by("first_name", "username"))
    competences = staff.competences_of(workers)
    norms = list(CaseloadNorm.objects.all())
    rows = []
    for worker in workers:
        active = (Course.objects.filter(status=Course.Status.ACTIVE, responsible=worker)
                  .values("person_id").distinct().count())
        valid = [x for x in competences.get(worker.pk, []) if x.valid_on(today)]
        profile = getattr(worker, "profile", None) if hasattr(worker, "profile") else None
        fits = []
        if matching.wished_gender and profile and profile.gender == matching.wished_gender:
            fits.append(str(profile.get_gender_display()))
        if matching.wished_language and profile and matching.wished_language.lower() in profile.language_list():
            fits.append(matching.wished_language)
        if matching.wished_method_id and any(x.method_id == matching.wished_method_id for x in valid):
            fits.append(str(matching.wished_method))
        rows.append(Candidate(worker, active, norm_for(worker, {t.pk for t in worker.teams.all()}, norms),
                              valid, profile, fits))
    rows.sort(key=lambda r: (-len(r.fits), r.over, r.active, r.user.first_name))
    return rows


def due_for_worklist(user, *, today: datetime.date) -> list[Matching]:
    """The team manager's worklist: matchings due within the worklist's horizon or overdue."""
    if not may_use(user, Tool.MATCHING):
        return []
    horizon = today + datetime.timedelta(days=7)
    return list(matchings.queue(team_ids(user), persons_reached(user, Section.IDENTITY)).filter(
        Q(due_on__lte=horizon)))
