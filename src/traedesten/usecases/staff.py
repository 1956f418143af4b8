"""The on-call roster and the competence register: changes about staff, not about one citizen (decisions 0048 and
0049). The acting user's tools decide; a manager keeps the roster and the register of their own teams."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from traedesten.accounts import staff
from traedesten.accounts.models import Competence, Method, OnCallShift, Team, User
from traedesten.gate import Tool, may_use, require_tool
from traedesten.gate.relations import team_ids


def _own_team(actor, team: Team) -> None:
    if team.pk not in team_ids(actor):
        raise PermissionDenied


def add_shift(actor, team: Team, user: User, *, starts_at: datetime.datetime, ends_at: datetime.datetime) -> OnCallShift:
    require_tool(actor, Tool.ON_CALL_ROSTER)
    _own_team(actor, team)
    return staff.add_shift(actor, team, user, starts_at=starts_at, ends_at=ends_at)


def remove_shift(actor, shift: OnCallShift) -> None:
    require_tool(actor, Tool.ON_CALL_ROSTER)
    _own_team(actor, shift.team)
    shift.delete()


def on_call_now(actor, *, at: datetime.datetime | None = None):
    """Who is on call right now, on every 24/7 team: the on-call page's first line."""
    require_tool(actor, Tool.ON_CALL, Tool.ON_CALL_ROSTER)
    return list(staff.on_call_at(at or timezone.now()))


def may_see_competences(actor, worker: User) -> bool:
    """The worker themself, and a manager (the register's tool) of one of the worker's teams."""
    if actor.pk == worker.pk:
        return True
    return may_use(actor, Tool.COMPETENCES) and worker.teams.filter(pk__in=team_ids(actor)).exists()


def add_competence(actor, worker: User, method: Method, **details) -> Competence:
    require_tool(actor, Tool.COMPETENCES)
    if not worker.teams.filter(pk__in=team_ids(actor)).exists():
        raise PermissionDenied
    return staff.add_competence(actor, worker, method, **details)


def remove_competence(actor, competence: Competence) -> None:
    require_tool(actor, Tool.COMPETENCES)
    if not competence.user.teams.filter(pk__in=team_ids(actor)).exists():
        raise PermissionDenied
    competence.delete()


def save_profile(actor, worker: User, *, gender: str, languages: str):
    require_tool(actor, Tool.COMPETENCES)
    if not worker.teams.filter(pk__in=team_ids(actor)).exists():
        raise PermissionDenied
    return staff.save_profile(worker, gender=gender, languages=languages)
