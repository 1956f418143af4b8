from functools import wraps

from django.core.exceptions import PermissionDenied

from traedesten.gate import Action, Clearance, Section


def gated(section: Section, action: Action = Action.WRITE):
    """The use case runs only when the clearance opens `section` for `action`."""
    def decorate(fn):
        @wraps(fn)
        def run(c: Clearance, *args, **kwargs):
            c.require(section, action=action)
            return fn(c, *args, **kwargs)
        return run
    return decorate


def relative_in_network(c: Clearance, relative) -> None:
    """A relative chosen on an activity is a person in this citizen's network, and the network is open to the user:
    choosing one shows who the citizen's relatives are (decision 0051)."""
    if relative is None:
        return
    c.require(Section.NETWORK, action=Action.READ)
    if relative.person_id != c.person.pk:
        raise PermissionDenied


def same_citizen(c: Clearance, *records) -> None:
    """Every record belongs to the citizen the clearance is for."""
    for record in records:
        if record is not None and record.person_id != c.person.pk:
            raise PermissionDenied
