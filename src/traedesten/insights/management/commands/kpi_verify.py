from django.core.management.base import BaseCommand, CommandError

from traedesten.insights import frozen
from traedesten.insights.models import FrozenReport


class Command(BaseCommand):
    help = "Run frozen key-figure reports again and show whether their figures are unchanged (docs/kpis.md)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="frozen reports to check; all when left out")

    def handle(self, *args, ids: list[int], **options):
        reports = FrozenReport.objects.filter(pk__in=ids) if ids else FrozenReport.objects.all()
        missing = set(ids) - set(reports.values_list("pk", flat=True))
        if missing:
            raise CommandError(f"Ukendt frossen rapport: {', '.join(map(str, sorted(missing)))}")
        changed = 0
        for report in reports.order_by("pk"):
            result = frozen.verify(report)
            verdict = "uændret" if result.unchanged else "ÆNDRET"
            self.stdout.write(f"Rapport {report.pk} ({report.start} – {report.end}): {verdict}, kontrolsum {result.checksum_now}")
            if not result.stored_intact:
                self.stdout.write("  De gemte tal passer ikke længere med den gemte kontrolsum.")
            for line in result.differences:
                self.stdout.write(f"  {line}")
            changed += not result.unchanged
        if changed:
            raise CommandError(f"{changed} frosne rapporter giver ikke længere de samme tal.")
