"""Pluggable OIDC login for municipal identity providers (off unless configured).

Users are matched to existing Trædesten accounts by username (the IdP's
``preferred_username``) or e-mail; roles and teams are kept in Trædesten.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        username = claims.get("preferred_username")
        if username:
            users = self.UserModel.objects.filter(username__iexact=username, is_active=True)
            if users.exists():
                return users
        email = claims.get("email")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
