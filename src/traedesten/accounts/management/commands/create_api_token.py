from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from traedesten.accounts.api_auth import DEFAULT_DAYS, issue_token
from traedesten.accounts.models import User


class Command(BaseCommand):
    help = ("Issue a personal API token for a user. The token is printed once. Users who log in with a second factor "
            "make their tokens themselves on the page 'API-tokens', after giving the code.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}")
        try:
            self.stdout.write(issue_token(user, name, days=days))
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
