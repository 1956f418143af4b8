import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError, PrivateFile
from traedesten.interop import exporter, records
from traedesten.interop.case_record import files_folder


class Command(BaseCommand):
    help = "Export the whole domain as Trædesten JSON Lines (contains CPR: handle it as personal data)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="file to write; default traedesten-YYYYMMDD.jsonl")
        parser.add_argument("--schema", action="store_true", help="print the format's JSON Schema and stop")
        parser.add_argument("--files", type=Path,
                            help="folder for the case record's files; default: beside the export, named FILE-filer")

    def handle(self, *args, out: Path | None, schema: bool, files: Path | None = None, **options):
        if schema:
            self.stdout.write(json.dumps(records.json_schema(), ensure_ascii=False, indent=2))
            return
        console = console_for(sys.stderr if out is None else self.stdout, width=100)
        out = out or Path(exporter.default_name())
        files = files or files_folder(out)
        counts: dict[str, int] = {}
        try:
            handle = PrivateFile(out)
        except FileKeyError as exc:
            raise CommandError(str(exc)) from exc
        with Progress(console=console, transient=True) as progress, handle:
            task = progress.add_task("Eksporterer", total=None)

            def tick(kind):
                counts[kind] = counts.get(kind, 0) + 1
                progress.update(task, advance=1, description=f"Eksporterer {kind}")
            total = exporter.export(handle, tick=tick, files=files)
        console.print(f"[bold]{total}[/bold] linjer skrevet til {out}: "
                      + ", ".join(f"{n} {kind}" for kind, n in counts.items() if kind != "header"))
