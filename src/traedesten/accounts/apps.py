from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "traedesten.accounts"
    label = "accounts"
    verbose_name = _("Brugere, adgang og log")
