"""Community offers, matches, escorts and their follow-up."""

from django.core.exceptions import PermissionDenied

from traedesten.civil import services
from traedesten.gate import Action, Clearance, Section

from ._gated import gated


@gated(Section.COMMUNITY)
def make_match(c: Clearance, **details):
    return services.make_match(c.staff, c.person, **details)


def require_follow_up(c: Clearance, escort) -> None:
    """The escort's own volunteer, or staff who may write the citizen's community section."""
    if escort.match.person_id != c.person.pk:
        raise PermissionDenied
    own_task = escort.volunteer.user_id == c.staff.pk and c.can(Section.ESCORT, Action.WRITE)
    if not (own_task or c.can(Section.COMMUNITY, Action.WRITE)):
        c.require(Section.COMMUNITY, action=Action.WRITE)  # raises, asking for a reason where one would help


def follow_up_escort(c: Clearance, escort, **details):
    require_follow_up(c, escort)
    return services.follow_up_escort(c.staff, escort, **details)
