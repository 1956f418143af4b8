from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traedesten.core.secure_files import FileKeyError, write_private
from traedesten.people.gdpr import subject_access_json
from traedesten.people.models import Person


class Command(BaseCommand):
    help = "Everything Trædesten holds about one citizen, including who has looked at them (GDPR art. 15), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, person_id: int, out: Path, **options):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No citizen with id {person_id}")
        try:
            write_private(out, subject_access_json(person).encode("utf-8"))
        except FileKeyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Skrevet: {out}")
