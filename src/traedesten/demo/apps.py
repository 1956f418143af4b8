from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "traedesten.demo"
    label = "demo"
    verbose_name = "Demo"
