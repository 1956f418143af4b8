"""The gate: one access policy for every channel. See docs/security.md."""

from .policy import (
                     Clearance,
                     NeedsReason,
                     clearance,
                     grant_outside_access,
                     may_use,
                     persons_reached,
                     record_read,
                     require,
                     require_tool,
                     sensitive,
                     tools_of,
                     use_sensitive,
)
from .vocabulary import Action, Relation, Section, Tool

__all__ = ["Action", "Clearance", "NeedsReason", "Relation", "Section", "Tool", "clearance", "grant_outside_access",
           "may_use", "persons_reached", "record_read", "require", "require_tool", "sensitive", "tools_of",
           "use_sensitive"]
