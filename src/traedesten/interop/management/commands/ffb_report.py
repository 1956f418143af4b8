import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import Progress

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.console import console_for
from traedesten.core.secure_files import FileKeyError, write_private
from traedesten.interop.ffb_report import changed_on, report


class Command(BaseCommand):
    help = ("Write KL FFB DeliveryReport bundles: for each day from --since to --until (today), one per citizen whose "
            "grant data changed that day, as at the end of that day (a catch-up is split into days, as the guide asks).")

    def add_arguments(self, parser):
        parser.add_argument("--since", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--until", type=datetime.date.fromisoformat, default=None, help="last day (default: today)")
        parser.add_argument("--out", type=Path, default=Path("var/ffb"), help="folder for the bundles, one folder a day")

    def handle(self, *args, since, until, out: Path, **options):
        console = console_for(self.stdout, width=100)
        now = timezone.now()
        until = min(until or timezone.localdate(), timezone.localdate())
        if since > until:
            raise CommandError(f"--since ({since}) ligger efter --until ({until}).")
        days = [since + datetime.timedelta(days=n) for n in range((until - since).days + 1)]
        written, refused, skipped, bundles = set(), [], 0, 0
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("FFB-indberetning", total=len(days))
            for day in days:
                progress.advance(task)
                for person in changed_on(day):
                    if not person.cpr:
                        skipped += 1
                        continue
                    bundle, errors = report(person, now, as_of=day)
                    if errors:
                        refused.append((day, person.pk, errors))
                        continue
                    patient_id = bundle["entry"][0]["resource"]["id"]
                    try:
                        write_private(out / day.isoformat() / f"{patient_id}.json",
                                      json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8"))
                    except FileKeyError as exc:
                        raise CommandError(str(exc)) from exc
                    written.add(person.pk)
                    bundles += 1
        if written:
            audit.record(None, AuditAction.EXPORT, persons=sorted(written), section="ffb_report",
                         reason=f"{since.isoformat()}..{until.isoformat()}")
        console.print(f"[bold]{bundles}[/bold] bundter for {len(written)} borgere over {len(days)} dage skrevet til "
                      f"{out} · {skipped} uden CPR sprunget over · {len(refused)} afvist")
        for day, pk, errors in refused:
            console.print(f"[red]{day} borger {pk}[/red]: " + "; ".join(errors))
        if refused:
            raise CommandError(f"{len(refused)} bundter overholder ikke reglerne og er ikke skrevet.")
