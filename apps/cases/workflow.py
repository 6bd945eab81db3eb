"""The case lifecycle as data: which action moves which status to which, and who may do it.

上报 → 核实/立案 (or 不予立案) → 派遣 → 处置 → 核查: pass → 结案, fail → 返工 (back to
处置中); 回退 when the unit disputes the assignment; 挂账 when it cannot be fixed now;
作废 for reports that should never have been cases. Services consult this table and
nothing else assigns `status`.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role

from .choices import CaseSource
from .choices import CaseStatus as S

DISPATCHERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY}
CHECKERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.INSPECTOR}
REPORTERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.GRID, Role.INSPECTOR, Role.LEADER}

# action -> (allowed from, to, roles, label)
TRANSITIONS = {
    "register": ({S.REPORTED}, S.REGISTERED, DISPATCHERS, _("立案")),
    "reject": ({S.REPORTED}, S.REJECTED, DISPATCHERS, _("不予立案")),
    "merge": ({S.REPORTED}, S.VOIDED, DISPATCHERS, _("合并")),
    "dispatch": ({S.REGISTERED, S.RETURNED, S.SUSPENDED}, S.DISPATCHED, DISPATCHERS, _("派遣")),
    "handle": ({S.DISPATCHED}, S.HANDLED, DISPATCHERS | {Role.UNIT_CONTACT, Role.GRID}, _("处置反馈")),
    "dispute": ({S.DISPATCHED}, S.RETURNED, DISPATCHERS | {Role.UNIT_CONTACT, Role.GRID}, _("回退")),
    "verify_pass": ({S.HANDLED}, S.CLOSED, CHECKERS, _("核查通过")),
    "verify_fail": ({S.HANDLED}, S.DISPATCHED, CHECKERS, _("核查不通过（返工）")),
    "suspend": ({S.REGISTERED, S.DISPATCHED, S.RETURNED}, S.SUSPENDED, DISPATCHERS, _("挂账")),
    "void": ({S.REPORTED, S.REGISTERED, S.RETURNED, S.SUSPENDED}, S.VOIDED, DISPATCHERS, _("作废")),
}


def allowed_actions(case, user) -> list[str]:
    """Actions `user` may take on `case` now (the buttons on the case page)."""
    actions = []
    for action, (sources, _target, roles, _label) in TRANSITIONS.items():
        if case.status in sources and user.role in roles:
            if action in ("handle", "dispute") and not is_assignee(case, user) and user.role not in DISPATCHERS:
                continue
            actions.append(action)
    return actions


def allowed_sources(user) -> set[str]:
    """Where a report may say it came from: residents only anonymously, the hotline only by dispatchers."""
    if user is None:
        return {CaseSource.RESIDENT}
    if user.role == Role.LEADER:
        return {CaseSource.LEADER}
    sources = {CaseSource.PATROL}
    if user.role in (Role.INSPECTOR, *DISPATCHERS):
        sources.add(CaseSource.INSPECTION)
    if user.role in DISPATCHERS:
        sources.add(CaseSource.HOTLINE)
    return sources


def default_source(user) -> str:
    return {Role.INSPECTOR: CaseSource.INSPECTION, Role.LEADER: CaseSource.LEADER}.get(user.role, CaseSource.PATROL)


def may_see_reporter(user) -> bool:
    """Who reported (a resident, a 12345 caller) is hidden from the unit the report is about."""
    return user.role != Role.UNIT_CONTACT


def may_add_photos(case, user) -> bool:
    """Reporters, dispatchers and the assignee may add photos; leaders and other units only look."""
    if user.role == Role.LEADER:
        return False
    return user.role in REPORTERS | DISPATCHERS or is_assignee(case, user)


def is_assignee(case, user) -> bool:
    if user.role == Role.UNIT_CONTACT:
        return bool(case.assignee_unit_id and case.assignee_unit_id == user.unit_id)
    staff = getattr(user, "staff_record", None)
    return bool(staff and case.assignee_staff_id == staff.pk)


def label(action: str) -> str:
    return (
        str(TRANSITIONS[action][3])
        if action in TRANSITIONS
        else {
            "report": _("上报"),
            "remind": _("催办"),
            "supervise": _("督办"),
            "list": _("列入通报"),
            "resume": _("恢复处置"),
            "hotline_view": _("热线查看"),
            "hotline_answer": _("热线答复"),
            "photo": _("补充照片"),
            "hotline_overdue": _("热线答复超时"),
        }.get(action, action)
    )
