"""The `traedesten` console script: Django's management commands under one name."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traedesten.settings")

    execute_from_command_line(["traedesten", *sys.argv[1:]])


if __name__ == "__main__":
    main()
