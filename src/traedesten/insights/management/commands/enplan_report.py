import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.table import Table as RichTable

from traedesten.core import disclosure
from traedesten.core.console import console_for
from traedesten.insights import enplan
from traedesten.insights.catalogue import CLOSING_CODES
from traedesten.insights.scope import Scope
from traedesten.insights.tables import shown


class Command(BaseCommand):
    help = "The Én plan report for a period: participants as citizens and families, and the closing survey (docs/kpis.md)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--questionnaire", action="append", help="questionnaire code (repeatable); default the "
                                                                     "closing survey's two versions")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, start, end, questionnaire, json: bool, **options):
        try:
            start, end = disclosure.reporting_period(start, end, timezone.localdate())
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        scope = Scope(start, end)
        codes = tuple(questionnaire or CLOSING_CODES.values())
        tables = [table.published() for table in enplan.report(scope, codes)]
        if json:
            self.stdout.write(_dumps({"period": {"from": start.isoformat(), "to": end.isoformat()},
                                      "rounding": disclosure.BASE, "tables": [t.as_data() for t in tables]}))
            return
        console = console_for(self.stdout, width=110)
        for table in tables:
            out = RichTable(title=str(table.title), title_justify="left")
            out.add_column("")
            for column in table.columns:
                out.add_column(str(column.label), justify="right")
            for row in table.all_rows():
                out.add_row(str(row.label), *[shown(v, c.kind) for v, c in zip(row.values, table.columns)])
            console.print(out)
            if table.note:
                console.print(f"[dim]{table.note}[/dim]")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
