from django.core.management.base import BaseCommand, CommandError

from traedesten.accounts.api_auth import issue_token
from traedesten.accounts.models import User


class Command(BaseCommand):
    help = "Issue a personal API token for a user. The token is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}")
        self.stdout.write(issue_token(user, name))
