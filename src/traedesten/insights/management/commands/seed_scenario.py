from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from traedesten.core.console import console_for
from traedesten.insights.scenarios import SCENARIOS
from traedesten.interop.importer import dumps, import_lines


class Command(BaseCommand):
    help = "Load a synthetic dataset calibrated to a published evaluation, through the JSON Lines import."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(SCENARIOS))
        parser.add_argument("--out", type=Path, help="only write the JSON Lines file, do not import it")

    def handle(self, *args, name: str, out: Path | None, **options):
        console = console_for(self.stdout, width=100)
        scenario = SCENARIOS[name]
        lines = [dumps(record) for record in scenario.records()]
        if out:
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
            console.print(f"{len(lines)} linjer skrevet til {out}")
            return
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Indlæser {name}", total=len(lines))
            report = import_lines(lines, tick=lambda: progress.advance(task), create_staff=True)
        if not report.ok:
            for error in report.errors[:20]:
                console.print(f"[red]{error}[/red]")
            raise CommandError(f"Scenariet {name} kunne ikke indlæses ({len(report.errors)} fejl).")
        console.print(f"Scenariet [bold]{name}[/bold] er indlæst: {report.rows} rækker på {report.seconds:.1f} s. "
                      f"Periode: {scenario.start:%d.%m.%Y} – {scenario.end:%d.%m.%Y}.")
        console.print(f"Se tallene: traedesten kpi --from {scenario.start} --to {scenario.end}")
