from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Forkert brugernavn eller adgangskode."),
        "inactive": _("Kontoen er lukket."),
    }
