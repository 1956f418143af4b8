from django.core.management.base import BaseCommand

from traedesten.core.secure_files import new_key


class Command(BaseCommand):
    help = ("Print a new key for TRAEDESTEN_FILE_KEY, which encrypts backups and exports. Keep it apart from the "
            "backups: whoever has both can read them.")

    def handle(self, *args, **options):
        self.stdout.write(new_key())
