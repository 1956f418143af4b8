from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .revisions import install


class PeopleConfig(AppConfig):
    name = "traedesten.people"
    label = "people"
    verbose_name = _("Borgere")

    def ready(self):
        post_migrate.connect(install, sender=self, dispatch_uid="people.revisions.install")
