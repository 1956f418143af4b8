"""The roles of the domain and what each may do with citizens' data.

A role's capabilities are data here, so the access rules stay in one place
and the access-matrix test can read them.
"""

from dataclasses import dataclass, replace

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOST = "host", _("Vært")
    GUIDE = "guide", _("Guide")
    AUTHORITY = "authority", _("Myndighedsrådgiver")
    BOSTOTTE = "bostotte", _("Bostøttemedarbejder")
    PEER = "peer", _("Peermedarbejder")
    OUTREACH = "outreach", _("Opsøgende medarbejder (§99 SKP)")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Frivilligkoordinator")
    VOLUNTEER = "volunteer", _("Frivillig")
    MANAGER = "manager", _("Leder")
    ANALYST = "analyst", _("Analytiker")
    ADMIN = "admin", _("Administrator")


@dataclass(frozen=True)
class Capabilities:
    sees_citizens: bool
    """May open citizens of the own caseload or team caseload."""
    sees_cpr: bool
    sees_case_notes: bool
    may_reach_outside: bool
    """May open a citizen outside the caseload after stating a reason."""
    team_caseload: bool
    """Sees the caseload of the whole team, not only the citizens assigned to the user."""
    edits_citizens: bool
    reviews_access: bool
    """May see who has looked at a citizen, review flagged accesses and export the audit log."""
    sees_aggregates: bool
    manages_users: bool = False


_CASEWORKER = Capabilities(
    sees_citizens=True,
    sees_cpr=True,
    sees_case_notes=True,
    may_reach_outside=True,
    team_caseload=True,
    edits_citizens=True,
    reviews_access=False,
    sees_aggregates=False,
)
_NOTHING = Capabilities(
    sees_citizens=False,
    sees_cpr=False,
    sees_case_notes=False,
    may_reach_outside=False,
    team_caseload=False,
    edits_citizens=False,
    reviews_access=False,
    sees_aggregates=False,
)

CAPABILITIES: dict[str, Capabilities] = {
    # The host registers and routes; no case notes.
    Role.HOST: replace(_CASEWORKER, sees_case_notes=False),
    Role.GUIDE: _CASEWORKER,
    Role.AUTHORITY: _CASEWORKER,
    Role.BOSTOTTE: _CASEWORKER,
    Role.OUTREACH: _CASEWORKER,
    # Peer workers see only the citizens assigned to them, without CPR or notes.
    Role.PEER: replace(_NOTHING, sees_citizens=True),
    Role.VOLUNTEER_COORDINATOR: replace(_NOTHING, sees_citizens=True, team_caseload=True),
    # Volunteers see their escort tasks (first name, time, place) through the civil app only.
    Role.VOLUNTEER: _NOTHING,
    Role.MANAGER: replace(_CASEWORKER, reviews_access=True, sees_aggregates=True),
    Role.ANALYST: replace(_NOTHING, sees_aggregates=True),
    Role.ADMIN: replace(_NOTHING, reviews_access=True, sees_aggregates=True, manages_users=True),
}


def capabilities(role: str) -> Capabilities:
    return CAPABILITIES[role]
