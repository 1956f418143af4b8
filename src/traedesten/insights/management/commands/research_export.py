import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError, write_private
from traedesten.insights.research import export_zip
from traedesten.insights.scope import Scope


class Command(BaseCommand):
    help = "Pseudonymised research export (ZIP of CSV files): no CPR, no names, months instead of dates, no free text."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, start, end, out: Path, **options):
        if end < start:
            raise CommandError("--to ligger før --from")
        console = console_for(self.stdout, width=100)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Udtræk", total=6)
            data = export_zip(Scope(start, end), tick=lambda name: progress.update(task, advance=1, description=name))
        try:
            write_private(out, data)
        except FileKeyError as exc:
            raise CommandError(str(exc)) from exc
        console.print(f"Forskningsudtræk for {start:%d.%m.%Y} – {end:%d.%m.%Y} skrevet til {out} ({len(data):,} bytes).")
