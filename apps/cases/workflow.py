"""The case lifecycle as data: which step moves which status to which, and who may take it.

上报 → 核实/立案 (or 不予立案) → 派遣 → 处置 → 核查: pass → 结案, fail → 返工 (back to
处置中); 回退 when the unit disputes the assignment; 挂账 when it cannot be fixed now;
作废 for reports that should never have been cases. `CASE_WORKFLOW` is the table on the
core engine (apps/core/workflow.py): the services perform its steps, the case page's
buttons, the generic action view, the API's step routes and the public tracking page all
read it. Nothing else assigns `status`.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.core.workflow import Workflow, transition

from .choices import EVENT_LABELS, CaseSource
from .choices import CaseStatus as S
from .models import Case

DISPATCHERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY}
CHECKERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.INSPECTOR}
REPORTERS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.GRID, Role.INSPECTOR, Role.LEADER}
RESPONDERS = DISPATCHERS | {Role.UNIT_CONTACT, Role.GRID}


def is_assignee(case, user) -> bool:
    if user.role == Role.UNIT_CONTACT:
        return bool(case.assignee_unit_id and case.assignee_unit_id == user.unit_id)
    staff = getattr(user, "staff_record", None)
    return bool(staff and case.assignee_staff_id == staff.pk)


def answers_for_case(case, user) -> bool:
    """处置/回退: a dispatcher, or the unit or person the case is assigned to."""
    return user.role in DISPATCHERS or is_assignee(case, user)


ASSIGNEE_ONLY = _("只有责任单位或责任人可以反馈处置结果。")

CASE_WORKFLOW = Workflow(
    model=Case,
    audit_prefix="cases.case",
    lock_related=("jurisdiction", "category"),
    invalid_message=_("案件当前为“{status}”，不能{action}。"),
    finished={S.CLOSED: _("已办结"), S.REJECTED: _("已处理（不予立案）"), S.VOIDED: _("已处理（不予立案）")},
    transitions=[
        transition(
            "register",
            [S.REPORTED],
            S.REGISTERED,
            _("立案"),
            roles=DISPATCHERS,
            style="primary",
            public_label=_("已立案"),
        ),
        transition(
            "reject",
            [S.REPORTED],
            S.REJECTED,
            _("不予立案"),
            roles=DISPATCHERS,
            confirm=_("不予立案后该上报即办结，不能恢复，确定不予立案吗？"),
            public_label=_("不予立案"),
        ),
        transition(
            "merge",
            [S.REPORTED],
            S.VOIDED,
            _("合并"),
            roles=DISPATCHERS,
            confirm=_("合并后本上报作废、并入所选案件，不能撤销，确定合并吗？"),
            public_label=_("与其他上报合并处理"),
        ),
        transition(
            "dispatch",
            [S.REGISTERED, S.RETURNED, S.SUSPENDED],
            S.DISPATCHED,
            _("派遣"),
            roles=DISPATCHERS,
            style="primary",
            public_label=_("已派遣处理"),
        ),
        transition(
            "handle",
            [S.DISPATCHED],
            S.HANDLED,
            _("处置反馈"),
            roles=RESPONDERS,
            allowed=answers_for_case,
            denied=ASSIGNEE_ONLY,
            style="primary",
            public_label=_("已整改，待核查"),
        ),
        transition(
            "dispute",
            [S.DISPATCHED],
            S.RETURNED,
            _("回退"),
            roles=RESPONDERS,
            allowed=answers_for_case,
            denied=ASSIGNEE_ONLY,
        ),
        transition(
            "verify_pass",
            [S.HANDLED],
            S.CLOSED,
            _("核查通过"),
            roles=CHECKERS,
            style="primary",
            confirm=_("核查通过后案件即结案，不能撤销，确定核查通过吗？"),
            public_label=_("已核查办结"),
        ),
        transition(
            "verify_fail",
            [S.HANDLED],
            S.DISPATCHED,
            _("核查不通过（返工）"),
            roles=CHECKERS,
            public_label=_("核查未通过，重新整改"),
        ),
        transition(
            "suspend",
            [S.REGISTERED, S.DISPATCHED, S.RETURNED],
            S.SUSPENDED,
            _("挂账"),
            roles=DISPATCHERS,
            public_label=_("列入计划整改"),
        ),
        transition(
            "void",
            [S.REPORTED, S.REGISTERED, S.RETURNED, S.SUSPENDED],
            S.VOIDED,
            _("作废"),
            roles=DISPATCHERS,
            confirm=_("作废后案件不再办理，确定作废吗？"),
            public_label=_("已作废"),
        ),
    ],
)
# Steps recorded in a case's history that are not status changes.
PUBLIC_REPORT_LABEL = _("已受理")


def allowed_actions(case, user) -> list[str]:
    """Names of the steps `user` may take on `case` now (the buttons on the case page)."""
    return [t.name for t in CASE_WORKFLOW.available(case, user)]


def public_steps_labels() -> dict[str, str]:
    """What the public tracking page says for each step of a case's history."""
    labels = {"report": PUBLIC_REPORT_LABEL}
    labels.update({t.name: t.public_label for t in CASE_WORKFLOW.transitions if t.public_label is not None})
    return labels


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


# Roles that cannot read the audit log: the only ones an assignment can keep the reporter from.
FIELD_ROLES = {Role.GRID, Role.INSPECTOR}


def may_see_reporter(user, case=None) -> bool:
    """Whether `user` may know who reported `case` (a resident, a 12345 caller, a grid worker…).

    Never the party the case is about: a unit contact (they see only their unit's cases) or a
    field worker (grid worker, inspector) the case is assigned to in person. Desk roles
    (dispatchers, leaders) who are assigned a case keep seeing it: they read the reporter in
    their area's audit log anyway, so hiding it on one page would protect nothing. The reporter
    may always see themself. Without a case, the answer for the role alone. What the others
    see instead: `privacy.reporter_label`.
    """
    if case is not None and user.pk is not None and case.reporter_id == user.pk:
        return True
    if user.role == Role.UNIT_CONTACT:
        return False
    return not (user.role in FIELD_ROLES and case is not None and is_assignee(case, user))


def may_add_photos(case, user) -> bool:
    """Reporters, dispatchers and the assignee may add photos; leaders and other units only look."""
    if user.role == Role.LEADER:
        return False
    return user.role in REPORTERS | DISPATCHERS or is_assignee(case, user)


def label(action: str) -> str:
    """A timeline step's name: a transition's label, or one of the other events' (choices.EVENT_LABELS)."""
    if action in CASE_WORKFLOW:
        return str(CASE_WORKFLOW[action].label)
    return str(EVENT_LABELS.get(action, action))
