from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_price_items


class EconomyConfig(AppConfig):
    name = "traedesten.economy"
    label = "economy"
    verbose_name = _("Økonomi")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_price_items, sender=self, dispatch_uid="economy.catalogue")
