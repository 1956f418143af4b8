from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_partners


class FrontdoorConfig(AppConfig):
    name = "traedesten.frontdoor"
    label = "frontdoor"
    verbose_name = _("Indgangen")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_partners, sender=self, dispatch_uid="frontdoor.catalogue")
