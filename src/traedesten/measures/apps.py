from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_instruments


class MeasuresConfig(AppConfig):
    name = "traedesten.measures"
    label = "measures"
    verbose_name = _("Målinger")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_instruments, sender=self, dispatch_uid="measures.catalogue")
