import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.bulk import BulkWriter, fast_load
from traedesten.core.console import console_for
from traedesten.demo.generator.municipality import MODELS, Municipality
from traedesten.demo.generator.world import build_world
from traedesten.people.models import Person


class Command(BaseCommand):
    help = "Generate a large municipality in bulk for benchmarks (COPY on PostgreSQL). Only into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--citizens", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Last day of the history (YYYY-MM-DD); defaults to today")
        parser.add_argument("--password", default=None,
                            help="Password for every generated staff login; without it nobody can log in")

    def handle(self, *args, citizens, years, seed, today, password, **options):
        if citizens < 1 or not 1 <= years <= 30:
            raise CommandError("Vælg mindst 1 borger og 1-30 år.")
        if Person.objects.exists():
            raise CommandError("Databasen har allerede borgere; der genereres kun i en tom database.")
        console = console_for(self.stdout, width=100)
        end = today or timezone.localdate()
        start = end - datetime.timedelta(days=365 * years)
        began = time.perf_counter()
        with transaction.atomic():
            bulk = fast_load()
            world = build_world(citizens, start, password)
            writer = BulkWriter(MODELS)
            municipality = Municipality(writer, world, seed=seed, start=start, end=end)
            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       TimeRemainingColumn()]
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("Borgere", total=citizens)
                for number in range(citizens):
                    municipality.citizen(number)
                    if number % 500 == 499:
                        progress.update(task, completed=number + 1)
                progress.update(task, description="Skriver de sidste rækker", completed=citizens)
                writer.finish()
            audit.record(None, AuditAction.CREATE, section="generate",
                         fields=[f"{m._meta.db_table}={n}" for m, n in writer.written.items()],
                         reason=f"traedesten generate --citizens {citizens} --years {years} --seed {seed}")
        with console.status("Opdaterer statistik for forespørgselsplanlæggeren …"), connection.cursor() as cursor:
                # VACUUM also marks the fresh pages all-visible, so index-only scans need not visit the table.
                vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self._summary(console, writer.written, time.perf_counter() - began, bulk, start, end)

    def _summary(self, console, written: dict, seconds: float, bulk: bool, start, end) -> None:
        table = Table(title=f"Genereret kommune {start:%d.%m.%Y}–{end:%d.%m.%Y}")
        table.add_column("Tabel")
        table.add_column("Rækker", justify="right")
        for model, count in written.items():
            table.add_row(model._meta.db_table, _n(count))
        total = sum(written.values())
        table.add_row("[b]I alt[/b]", f"[b]{_n(total)}[/b]")
        console.print(table)
        how = "COPY uden fremmednøgle-triggere" if bulk else ("COPY" if connection.vendor == "postgresql" else "executemany")
        console.print(f"{_n(total)} rækker på {seconds:.1f} s ({_n(total / seconds)} rækker/s, {how}).")


def _n(number: float) -> str:
    return f"{number:,.0f}".replace(",", ".")
