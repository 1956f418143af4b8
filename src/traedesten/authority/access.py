"""Which side of the hand-over boundary a user is on for a citizen."""

from traedesten.accounts.roles import Role
from traedesten.plans.sharing import department_of, shared_scopes

AUTHORITY_DEPARTMENT = "authority"
DECIDES_GRANTS = (Role.AUTHORITY, Role.MANAGER)


def is_authority(user) -> bool:
    department = department_of(user)
    return department is not None and department.code == AUTHORITY_DEPARTMENT


def side(user, person) -> str:
    """"provider" for the department that owns the citizen's case, "authority" for the authority unit, else ""."""
    if not user.caps.sees_case_notes:
        return ""
    if is_authority(user):
        return "authority"
    return "provider" if shared_scopes(user, person) is None else ""
