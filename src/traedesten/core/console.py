"""Rich output for management commands, written through the command's own stdout or stderr."""

from typing import IO, Any, cast

from django.core.management.base import OutputWrapper
from rich.console import Console


def console_for(stream: OutputWrapper | IO[str], **options: Any) -> Console:
    """A console on a command's stream, so that `call_command(stdout=...)` captures what it prints."""
    # An OutputWrapper is a text stream (TextIOBase): write() and flush() are all that rich uses of it.
    return Console(file=cast(IO[str], stream), **options)
