"""Account roles and what each may do, in one table.

The table is the single source for the navigation, every view's role check and
`RestrictedQuerySet.restrict()`; nothing else decides who may do what.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

_STAFF_READERS = {Role.GRID: READ, Role.INSPECTOR: READ, Role.LEADER: READ}

# model label -> role -> allowed actions. A role missing from a model's row may not
# touch that model at all (views answer 403; querysets are empty).
POLICY: dict[str, dict[str, frozenset[str]]] = {
    "organization.jurisdiction": {
        Role.ADMIN: ALL,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: READ,
        **_STAFF_READERS,
    },
    "organization.jurisdictionlevel": {Role.ADMIN: EDIT, Role.OFFICE: READ, Role.STREET: READ},
    "organization.unittype": {Role.ADMIN: EDIT, Role.OFFICE: READ, Role.STREET: READ, Role.COMMUNITY: READ},
    "organization.unit": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: EDIT,
        Role.UNIT_CONTACT: READ,
        **_STAFF_READERS,
    },
    "organization.zone": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: EDIT,
        Role.UNIT_CONTACT: READ,
        **_STAFF_READERS,
    },
    "organization.staff": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: EDIT,
        **_STAFF_READERS,
    },
    "organization.workgroup": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: EDIT,
        **_STAFF_READERS,
    },
    "core.auditevent": {
        Role.ADMIN: READ,
        Role.OFFICE: READ,
        Role.STREET: READ,
        Role.COMMUNITY: READ,
        Role.LEADER: READ,
    },
    # Everyone may run exports of what they can see; imports also need "add" on the target model.
    "imports.datajob": {role: frozenset({VIEW, ADD}) for role in Role},
    "accounts.user": {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT},
    # Cases: everyone sees the cases in scope (unit contacts: those dispatched to them);
    # who may take which step is the transition table in apps/cases/workflow.py.
    "cases.case": {
        **{role: frozenset({VIEW, ADD, CHANGE}) for role in Role},
        Role.UNIT_CONTACT: frozenset({VIEW, CHANGE}),
    },
    "cases.category": {Role.ADMIN: EDIT, **{role: READ for role in Role if role != Role.ADMIN}},
    "cases.calendarday": {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: READ, Role.COMMUNITY: READ},
    # Inspections: the office owns the score sheets; streets plan rounds and review appeals;
    # inspectors fill sheets in; units see their own submitted sheets, appeal and see the wall.
    "inspections.checklisttemplate": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: READ,
        Role.COMMUNITY: READ,
        Role.INSPECTOR: READ,
        Role.LEADER: READ,
    },
    "inspections.inspectionplan": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: READ,
        Role.INSPECTOR: READ,
        Role.LEADER: READ,
    },
    "inspections.inspectionround": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: READ,
        Role.INSPECTOR: READ,
        Role.LEADER: READ,
    },
    "inspections.inspection": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: EDIT,
        Role.INSPECTOR: EDIT,
        Role.UNIT_CONTACT: READ,
        Role.LEADER: READ,
    },
    "inspections.appeal": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.COMMUNITY: READ,
        Role.INSPECTOR: READ,
        Role.UNIT_CONTACT: frozenset({VIEW, ADD}),
        Role.LEADER: READ,
    },
    "inspections.rankingscheme": {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT},
    "inspections.publishedranking": {
        **{role: READ for role in Role},
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
    },
}

# Roles an account manager may hand out: never a role above their own.
ASSIGNABLE_ROLES = {
    Role.ADMIN: list(Role),
    Role.OFFICE: [r for r in Role if r != Role.ADMIN],
    Role.STREET: [Role.COMMUNITY, Role.GRID, Role.INSPECTOR, Role.UNIT_CONTACT, Role.LEADER, Role.STREET],
}


def role_allows(role: str | None, model_label: str, action: str) -> bool:
    return action in POLICY.get(model_label, {}).get(role or "", frozenset())
