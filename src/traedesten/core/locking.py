"""Optimistic locking: every versioned row is changed with one UPDATE that names the version the user read.

When someone else saved in between, nothing is written and VersionConflict says so; the page or the API then shows
what changed (409 on the API). It is a ValidationError, so a page that only shows messages needs nothing special.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Manager, QuerySet
from django.utils.translation import gettext_lazy as _

DEFAULT_MESSAGE = _("En anden har ændret det imens. Intet er gemt. Genindlæs siden og prøv igen.")


class VersionConflict(ValidationError):
    """Someone else saved after the version the caller edited; nothing was written."""

    def __init__(self, message=None, *, current=None):
        super().__init__(message or DEFAULT_MESSAGE)
        self.current = current
        """The row as it is now, when the caller needs it to show the difference."""


def update_versioned(rows: QuerySet[Any, Any] | Manager[Any], pk: int, expected_version: int, *, message=None, **changes) -> None:
    """UPDATE rows SET version = version + 1, changes… WHERE pk = pk AND version = expected_version.

    `rows` may carry more conditions (an active course, an open conference): a row that no longer meets them is a
    conflict as well."""
    if not rows.filter(pk=pk, version=expected_version).update(version=F("version") + 1, **changes):
        raise VersionConflict(message)
