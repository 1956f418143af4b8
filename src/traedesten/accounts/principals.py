"""Who acts: a staff user (accounts.User), or a citizen logged in on Min side.

A citizen is not a staff user with a role. Their session identity is a `CitizenPrincipal` that names one person; it is
never `request.user`, so no staff page, API operation or tool can see it, and the gate opens to it only the record of
the person it names (the relation "the citizen themself", see gate/rules.py).
"""

from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class CitizenPrincipal:
    """A citizen who logged in with MitID; `person_id` is the Person their CPR number found."""

    person_id: int

    @property
    def is_authenticated(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"citizen:{self.person_id}"


def is_citizen(actor) -> bool:
    return isinstance(actor, CitizenPrincipal)


def staff_user(actor) -> User | None:
    """The staff user behind an action, for the `created_by`-style columns; None when the citizen acted themself."""
    return actor if isinstance(actor, User) else None
