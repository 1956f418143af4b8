import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from traedesten.core.console import console_for
from traedesten.measures import services
from traedesten.measures.definitions import BUILT_IN


class Command(BaseCommand):
    help = "Load instrument definitions from JSON files (default: the built-in ones). A changed definition becomes a new version."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        console = console_for(self.stdout, width=100)
        for path in files or sorted(BUILT_IN.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                version = services.save_definition(None, raw)
            except (OSError, json.JSONDecodeError, ValidationError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            console.print(f"{raw['code']}: version {version.number}")
