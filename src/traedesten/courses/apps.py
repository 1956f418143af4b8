from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .catalogue import ensure_catalogue


class CoursesConfig(AppConfig):
    name = "traedesten.courses"
    label = "courses"
    verbose_name = _("Tilbud og forløb")

    def ready(self):
        # The built-in catalogue is loaded after every migrate: a new entry reaches every installation.
        post_migrate.connect(ensure_catalogue, sender=self, dispatch_uid="courses.catalogue")
