from django.conf import settings
from django.core.management.base import BaseCommand

from traedesten.insights.surveys import send_reminders


class Command(BaseCommand):
    help = "Send the survey reminders that are due (1 and 3 weeks after an SMS invitation). Run daily."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=getattr(settings, "TRAEDESTEN_BASE_URL", "http://127.0.0.1:8000/"))

    def handle(self, *args, base_url: str, **options):
        self.stdout.write(f"{send_reminders(base_url)} påmindelser sendt.")
