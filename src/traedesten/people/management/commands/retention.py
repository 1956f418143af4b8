from django.core.management.base import BaseCommand
from rich.progress import Progress
from rich.table import Table

from traedesten.core.console import console_for
from traedesten.people.gdpr import run_retention


class Command(BaseCommand):
    help = "Apply the retention policy (TRAEDESTEN_RETENTION). Without --apply it only reports what it would do."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args, apply: bool, **options):
        console = console_for(self.stdout, width=100)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Sletning og anonymisering", total=None)
            results = run_retention(apply=apply, progress=lambda: progress.advance(task))
        table = Table(title="Opbevaring: " + ("udført" if apply else "prøvekørsel, intet er ændret"))
        for column in ("Regel", "Handling", "Ældre end (år)", "Antal"):
            table.add_column(column)
        for r in results:
            table.add_row(r.rule, r.action, str(r.years), str(r.count))
        console.print(table)
