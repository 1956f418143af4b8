import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress
from rich.table import Table

from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError, is_encrypted, read_bytes
from traedesten.interop.case_record import files_folder
from traedesten.interop.importer import STEPS, import_lines

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Import a Trædesten JSON Lines file (docs/interchange.md). All or nothing; errors are listed by line."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--create-staff", action="store_true",
                            help="give staff named in the file without an account an inactive one without a password")
        parser.add_argument("--files", type=Path,
                            help="folder with the case record's files; default: beside the file, named FILE-filer")

    def handle(self, *args, file: Path, create_staff: bool = False, files: Path | None = None, **options):
        console = console_for(self.stdout, width=110)
        if not file.is_file():
            raise CommandError(f"Filen findes ikke: {file}")
        size = file.stat().st_size
        try:
            handle = io.StringIO(read_bytes(file).decode("utf-8")) if is_encrypted(file) else file.open(encoding="utf-8")
        except FileKeyError as exc:
            raise CommandError(str(exc)) from exc
        with Progress(console=console, transient=True) as progress, handle:
            reading = progress.add_task("Læser og kontrollerer", total=size or 1)
            writing = progress.add_task("Gemmer", total=len(STEPS), visible=False)

            def lines():
                for line in handle:
                    progress.advance(reading, len(line.encode("utf-8")))
                    yield line

            def step(kind):
                progress.update(writing, visible=True, advance=1, description=f"Gemmer {kind}")
            report = import_lines(lines(), step=step, create_staff=create_staff, files=files or files_folder(file))
        if not report.ok:
            for error in report.errors[:MAX_ERRORS_SHOWN]:
                console.print(f"[red]{error}[/red]", highlight=False)
            if len(report.errors) > MAX_ERRORS_SHOWN:
                console.print(f"… og {len(report.errors) - MAX_ERRORS_SHOWN} fejl mere")
            raise CommandError(f"{len(report.errors)} fejl i {file}. Intet er importeret.")
        table = Table()
        for column in ("Type", "Nye", "Ændrede", "Uændrede"):
            table.add_column(column, justify="left" if column == "Type" else "right")
        for kind in sorted(set(report.created) | set(report.updated) | set(report.unchanged)):
            table.add_row(kind, str(report.created[kind]), str(report.updated[kind]), str(report.unchanged[kind]))
        console.print(table)
        console.print(f"Importeret {file.name}: {report.lines} linjer på {report.seconds:.1f} s "
                      f"({report.rows / max(report.seconds, 1e-9):,.0f} rækker/s).")
