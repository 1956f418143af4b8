from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_cadences


class AuthorityConfig(AppConfig):
    name = "traedesten.authority"
    label = "authority"
    verbose_name = _("Myndighed")

    def ready(self):
        # The built-in cadences are loaded after every migrate: a new one reaches every installation.
        post_migrate.connect(ensure_cadences, sender=self, dispatch_uid="authority.catalogue")
