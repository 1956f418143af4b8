"""What each app declares about its own models that concern a citizen, so that shared mechanisms (the overview's
revision counters, anonymisation for retention) ask the apps instead of reaching into their tables.

An app decorates its models:

    @about_citizen()                                    # counted in the overview's revision, path "person"
    @about_citizen(citizen="plan__person")              # reached through another row
    @about_citizen(on_overview=False)                   # about a citizen, but not shown on the overview
    @about_citizen(free_text={"reason": ""})            # blanked when the citizen is anonymised
    @about_citizen(anonymous_rule="…", dated_by="at")  # rows without a citizen deleted by a retention rule
    @about_citizen(keeps_case_open="written_at")       # a recent row keeps the citizen's case from being closed
    @about_citizen(subject_access="app.module.func",    # adds func(person) to the subject-access export
                   forget="app.module.func")           # func(person) runs when the citizen is anonymised
    @shared_name()                                      # a name many citizens' pages show (team, offer…)

A test fails when a model with a foreign key to the citizen declares nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

Model = TypeVar("Model", bound=type[models.Model])


@dataclass(frozen=True)
class AboutCitizen:
    citizen: str
    """The path from a row to its citizen: "person", "plan__person", or "" for the citizen row itself."""
    on_overview: bool = True
    free_text: Mapping[str, Any] = field(default_factory=dict)
    """Fields that hold free text about the citizen, with the value they get when the citizen is anonymised."""
    anonymous_rule: str = ""
    """A retention rule (a key of TRAEDESTEN_RETENTION) that deletes the rows with no citizen after its years…"""
    dated_by: str = ""
    """…counted from this date or time field."""
    keeps_case_open: str = ""
    """A date or time field: while a row's is recent, the citizen's case is not closed for retention."""
    subject_access: str = ""
    """Dotted path of a function(person) whose result joins the subject-access export (what rows cannot carry)."""
    forget: str = ""
    """Dotted path of a function(person) run when the citizen is anonymised (what blanking free text cannot do)."""


@dataclass(frozen=True)
class SharedName:
    columns: tuple[str, ...] = ()
    """When set, only an update of these columns counts (a login that stamps last_login does not)."""
    m2m: tuple[str, ...] = ()
    """Many-to-many fields whose link rows count too (a user's teams)."""


_ABOUT: dict[str, AboutCitizen] = {}
_SHARED: dict[str, SharedName] = {}


def about_citizen(*, citizen: str = "person", on_overview: bool = True, free_text: Mapping[str, Any] | None = None,
                  anonymous_rule: str = "", dated_by: str = "", keeps_case_open: str = "", subject_access: str = "",
                  forget: str = "") -> Callable[[Model], Model]:
    def register(model: Model) -> Model:
        _ABOUT[model._meta.label] = AboutCitizen(
            citizen, on_overview, dict(free_text or {}), anonymous_rule, dated_by, keeps_case_open, subject_access,
            forget)
        return model
    return register


def shared_name(*, columns: tuple[str, ...] = (), m2m: tuple[str, ...] = ()) -> Callable[[Model], Model]:
    def register(model: Model) -> Model:
        _SHARED[model._meta.label] = SharedName(columns, m2m)
        return model
    return register


def about() -> dict[str, AboutCitizen]:
    """Model label -> declaration, for every model about a citizen."""
    return dict(_ABOUT)


def shared() -> dict[str, SharedName]:
    return dict(_SHARED)
