from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_built_in


class InsightsConfig(AppConfig):
    name = "traedesten.insights"
    label = "insights"
    verbose_name = _("Indsigt")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_built_in, sender=self, dispatch_uid="insights.catalogue")
