from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "traedesten.people"
    label = "people"
    verbose_name = _("Borgere")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .revisions import install

        post_migrate.connect(install, sender=self, dispatch_uid="people.revisions.install")
