from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "traedesten.core"
    label = "core"
