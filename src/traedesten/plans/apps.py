from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_plan_catalogue


class PlansConfig(AppConfig):
    name = "traedesten.plans"
    label = "plans"
    verbose_name = _("Planer")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_plan_catalogue, sender=self, dispatch_uid="plans.catalogue")
