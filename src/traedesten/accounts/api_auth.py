import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, name: str) -> str:
    """Create a token for `user`; the clear text is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=digest(token))
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user").filter(digest=digest(token), revoked=False).first()
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user
