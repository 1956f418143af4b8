import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.interop.ffb_report import changed_since, report


class Command(BaseCommand):
    help = "Write one KL FFB DeliveryReport bundle per citizen whose grant data changed since a date."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--out", type=Path, default=Path("var/ffb"), help="folder for the bundles")

    def handle(self, *args, since, out: Path, **options):
        console = Console(file=self.stdout, width=100)
        out.mkdir(parents=True, exist_ok=True)
        persons = list(changed_since(since))
        now, written, refused, skipped = timezone.now(), [], [], 0
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("FFB-indberetning", total=len(persons))
            for person in persons:
                progress.advance(task)
                if not person.cpr:
                    skipped += 1
                    continue
                bundle, errors = report(person, now)
                if errors:
                    refused.append((person.pk, errors))
                    continue
                patient_id = bundle["entry"][0]["resource"]["id"]
                (out / f"{patient_id}.json").write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
                written.append(person.pk)
        if written:
            audit.record(None, AuditAction.EXPORT, persons=written, section="ffb_report", reason=f"since {since.isoformat()}")
        console.print(f"[bold]{len(written)}[/bold] bundter skrevet til {out} · {skipped} uden CPR sprunget over · "
                      f"{len(refused)} afvist")
        for pk, errors in refused:
            console.print(f"[red]Borger {pk}[/red]: " + "; ".join(errors))
        if refused:
            raise CommandError(f"{len(refused)} bundter overholder ikke reglerne og er ikke skrevet.")
