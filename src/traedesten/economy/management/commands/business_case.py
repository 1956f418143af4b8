import datetime
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.table import Table

from traedesten.core import disclosure
from traedesten.core.console import console_for
from traedesten.courses.services import offer_by_name_or_id
from traedesten.economy import calculation, report


class Command(BaseCommand):
    help = "Business case for closed citizens in a period (shadow visitation against invested hours)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--offer", help="offer name or id; default: the front door's offers")
        parser.add_argument("--persistence", type=int, default=1, help="years the gain lasts")
        parser.add_argument("--decay", type=Decimal, default=Decimal(0))
        parser.add_argument("--discount", type=Decimal, default=Decimal(0))
        parser.add_argument("--hours", choices=["delivered", "staff"], default="delivered")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, start, end, offer, persistence, decay, discount, hours, json: bool, **options):
        chosen = None
        if offer:
            chosen = offer_by_name_or_id(offer)
            if chosen is None:
                raise CommandError(f"Unknown offer: {offer}")
        assumptions = calculation.Assumptions(persistence, decay, discount, hours)
        try:
            start, end = disclosure.reporting_period(start, end, timezone.localdate())
            case = report.publish(calculation.business_case(start, end, offer=chosen, assumptions=assumptions))
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        except (calculation.NoData, calculation.MissingPrice) as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(report.as_data(case)))
            return
        table = Table(title=f"Business case {start:%d.%m.%Y} – {end:%d.%m.%Y}")
        table.add_column("")
        table.add_column("", justify="right")
        for label, value in report.rows(case):
            table.add_row(str(label), f"{value}")
        console_for(self.stdout, width=100).print(table)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
