from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CitizenConfig(AppConfig):
    name = "traedesten.citizen"
    verbose_name = _("Min side")

    def ready(self):
        checks.register(check_door, checks.Tags.security, deploy=True)


def check_door(app_configs=None, **kwargs):
    """In production Min side's broker must speak HTTPS, and its cookie must stay under its own path."""
    problems = []
    issuer = settings.TRAEDESTEN_CITIZEN_OIDC.get("issuer", "")
    if issuer and not issuer.startswith("https://"):
        problems.append(checks.Error("TRAEDESTEN_CITIZEN_OIDC_ISSUER must be an https:// URL in production.",
                                     id="traedesten.citizen.E001"))
    if settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE == settings.SESSION_COOKIE_NAME:
        problems.append(checks.Error("Min side needs a session cookie of its own (TRAEDESTEN_CITIZEN_SESSION_COOKIE).",
                                     id="traedesten.citizen.E002"))
    if settings.TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES not in ("role", "name"):
        problems.append(checks.Error("TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES must be 'role' or 'name'.",
                                     id="traedesten.citizen.E003"))
    return problems
