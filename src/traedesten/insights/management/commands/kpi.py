import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import Progress
from rich.table import Table as RichTable

from traedesten.core import disclosure
from traedesten.core.console import console_for
from traedesten.courses.services import offer_by_name_or_id
from traedesten.insights import frozen, kpis
from traedesten.insights.scope import AGE_GROUPS, Scope
from traedesten.insights.tables import shown


class Command(BaseCommand):
    help = "The KPI report for a period, the same figures as the report page (docs/kpis.md)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--offer", help="offer name or id")
        parser.add_argument("--age-group", choices=sorted(AGE_GROUPS), default="")
        parser.add_argument("--sex", choices=["female", "male", "unknown"], default="")
        parser.add_argument("--kpi", action="append", choices=list(kpis.BY_KEY), help="only these KPIs (repeatable)")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--freeze", action="store_true", help="store the published report with a checksum")
        parser.add_argument("--note", default="", help="a note on the frozen report")

    def handle(self, *args, start, end, offer, age_group, sex, kpi, json: bool, freeze: bool, note: str, **options):
        try:
            start, end = disclosure.reporting_period(start, end, timezone.localdate())
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        offer_id = None
        if offer:
            found = offer_by_name_or_id(offer)
            if found is None:
                raise CommandError(f"Ukendt tilbud: {offer}")
            offer_id = found.pk
        scope = Scope(start, end, offer_id=offer_id, age_group=age_group, sex=sex)
        if freeze:
            if kpi:
                raise CommandError("En frossen rapport har alle nøgletal; udelad --kpi.")
            report = frozen.freeze(None, scope, note)
            self.stdout.write(f"Rapport {report.pk} er frosset: {scope.start} – {scope.end}, definitioner "
                              f"{report.definitions}, kontrolsum {report.checksum}")
            return
        chosen = [k for k in kpis.CATALOGUE if not kpi or k.key in kpi]
        console = console_for(self.stderr if json else self.stdout, width=110)
        results = []
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Beregner", total=len(chosen))
            for item in chosen:
                progress.update(task, description=f"Beregner {item.key}")
                results.append((item, item.compute(scope).published()))
                progress.advance(task)
        if json:
            self.stdout.write(_dumps(kpis.as_data(scope, results)))
            return
        if not kpis.has_data(results):
            console.print("Ingen data i perioden.")
            return
        for _item, table in results:
            out = RichTable(title=str(table.title), title_justify="left")
            out.add_column("")
            for column in table.columns:
                out.add_column(str(column.label), justify="right")
            for row in table.rows + ([table.total] if table.total else []):
                out.add_row(str(row.label), *[shown(v, c.kind) for v, c in zip(row.values, table.columns)])
            console.print(out)
            if table.note:
                console.print(f"[dim]{table.note}[/dim]")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
