from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traedesten.core import backup
from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError


class Command(BaseCommand):
    help = "Restore a backup into an empty database and check every table against the backup's manifest."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source: Path, **options):
        console = console_for(self.stdout, width=100)
        if not source.exists() or not Path(str(source) + backup.MANIFEST_SUFFIX).exists():
            raise CommandError(f"Backup or manifest not found: {source}")
        try:
            with console.status("Genskaber …"):
                backup.restore(source)
        except (RuntimeError, FileKeyError) as exc:
            raise CommandError(str(exc)) from exc
        problems = backup.verify(source)
        if problems:
            raise CommandError("Genskabelsen stemmer ikke med backuppen: " + "; ".join(problems[:20]))
        console.print("Genskabt, og alle tabeller stemmer med backuppen (rækketal og kontrolsummer).")
