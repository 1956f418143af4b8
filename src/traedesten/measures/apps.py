from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "traedesten.measures"
    label = "measures"
    verbose_name = _("Målinger")
