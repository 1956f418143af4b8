"""The roles of the domain. What each may do is data in the gate (traedesten/gate/rules.py)."""

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
    DPO = "dpo", _("Databeskyttelsesrådgiver")
    ON_CALL = "on_call", _("Vagttelefon")


SECOND_FACTOR_REQUIRED = frozenset({Role.ADMIN, Role.DPO})
"""Roles that must log in with a code from an authenticator app as well as the password (and use API tokens only
when the token was issued in such a session)."""
