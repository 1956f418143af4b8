"""Personal API tokens: only a SHA-256 digest is stored; each expires and can be revoked by its owner.

A token stands in for the password and the second factor, so a user who logs in with a code from an authenticator
app (or whose role must) gets a token only from a session where that code was given.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from ninja.security import HttpBearer

from .models import ApiToken
from .roles import SECOND_FACTOR_REQUIRED

DEFAULT_DAYS = 90
MAX_DAYS = 365


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def needs_second_factor(user) -> bool:
    return user.role in SECOND_FACTOR_REQUIRED or user_has_device(user, confirmed=True)


def issue_token(user, name: str, *, days: int = DEFAULT_DAYS, verified: bool = False) -> str:
    """Create a token for `user`; the clear text is returned once and never stored. `verified` says the request
    that asks for it passed the second factor."""
    if needs_second_factor(user) and not verified:
        raise PermissionDenied(_("Log ind med din tofaktorkode, før du opretter et API-token."))
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError(_("Giv tokenet et navn, så du kan kende det igen."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("Et token kan gælde fra 1 til %(max)s dage.") % {"max": MAX_DAYS})
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=digest(token),
                            expires_at=timezone.now() + datetime.timedelta(days=days))
    return token


def revoke(user, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, user=user).update(revoked=True)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = (ApiToken.objects.select_related("user")
               .filter(digest=digest(token), revoked=False, expires_at__gt=timezone.now()).first())
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user
