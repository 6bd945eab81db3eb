"""Who may do what in inspections, shared by the services of every concept."""

from __future__ import annotations

from apps.core.roles import Role
from apps.organization.models import Jurisdiction, Unit

FINDING_CATEGORY_CODE = "inspection_finding"
REVIEWERS = {Role.ADMIN, Role.OFFICE, Role.STREET}
INSPECTORS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.INSPECTOR}


def acting_user(actor):
    return actor if getattr(actor, "pk", None) else None


def judges_own_work(user, unit: Unit | None, place: Jurisdiction | None = None) -> bool:
    """Whether `user` would be judging their own work, which they may not score.

    A unit's contact or staff may not inspect that unit; community staff may not score their
    own community or a 小区 in it (those places are ranked against other communities').
    """
    if unit is not None:
        if user.unit_id == unit.pk:
            return True
        staff = getattr(user, "staff_record", None)
        return bool(staff and staff.unit_id == unit.pk)
    own = user.jurisdiction.path if user.role == Role.COMMUNITY and user.jurisdiction_id else None
    return bool(place is not None and own and place.path.startswith(own))
