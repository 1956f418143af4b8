from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traedesten.core import backup
from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) with a manifest of row counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=Path("var/backups"))

    def handle(self, *args, out: Path, **options):
        console = console_for(self.stdout, width=100)
        try:
            with console.status("Tager backup …"):
                target, manifest = backup.backup(out)
        except FileKeyError as exc:
            raise CommandError(str(exc)) from exc
        console.print(f"Backup skrevet: {target} ({sum(t['rows'] for t in manifest.values())} rækker i {len(manifest)} tabeller)")
