"""Account roles, and the question every check asks: may this role do this to that model?

Each app declares its own rows of the permission table in its `entries.py` (model label ->
role -> actions); the registry merges them. That table is the single source for the
navigation, every view's role check and `RestrictedQuerySet.restrict()`. A role missing from
a model's row may not touch that model at all (views answer 403; querysets are empty).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import registry


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    OFFICE = "office", _("创卫办")
    STREET = "street", _("街道管理员")
    COMMUNITY = "community", _("社区工作人员")
    GRID = "grid", _("网格员/巡查员")
    INSPECTOR = "inspector", _("督查员")
    UNIT_CONTACT = "unit_contact", _("责任单位联系人")
    LEADER = "leader", _("领导（只读）")


VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
READ = frozenset({VIEW})
EDIT = frozenset({VIEW, ADD, CHANGE})
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})

# The desk roles: who register, dispatch and manage the records of their area.
DESK_ROLES = frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY})

# Staff who read what is in their area but change nothing there.
STAFF_READERS = {Role.GRID: READ, Role.INSPECTOR: READ, Role.LEADER: READ}

# Roles an account manager may hand out: never a role above their own.
ASSIGNABLE_ROLES = {
    Role.ADMIN: list(Role),
    Role.OFFICE: [r for r in Role if r != Role.ADMIN],
    Role.STREET: [Role.COMMUNITY, Role.GRID, Role.INSPECTOR, Role.UNIT_CONTACT, Role.LEADER, Role.STREET],
}


def role_allows(role: str | None, model_label: str, action: str) -> bool:
    """Whether `role` may `action` rows of `model_label`, by the policy rows the apps registered."""
    return registry.allows(role, model_label, action)
