"""Writes to cases. Every status change goes through `_transition`, i.e. the core workflow
engine with the table in `workflow.py` (lock, table, role, scope, version, changed fields
only, AuditEvent), then a CaseEvent for the case's own history.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core import workflow as workflow_engine
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope
from apps.core.roles import Role
from apps.core.services import tracked_create, tracked_update
from apps.notifications.messages import Message, term
from apps.notifications.services import notify
from apps.organization.models import Jurisdiction, Staff, Unit
from apps.photos.services import photos_prepared, save_photo
from apps.worktime.calendar import WorkCalendar

from . import limits, workflow
from .choices import CaseSource, CaseStatus, EscalationLevel, PhotoStage
from .geo import contains
from .models import Case, CaseEvent, CasePhoto, Category
from .selectors import case_recent_closed_same_place

InvalidTransition = workflow_engine.InvalidTransition  # the engine's error, named where callers expect it


# Reporting -----------------------------------------------------------------------------


def locate_jurisdiction(lat, lng, within: Jurisdiction | None = None) -> Jurisdiction | None:
    """The deepest jurisdiction whose boundary contains the point (inside `within` when given).

    One query: the outlines in scope whose stored bounding box holds the point (indexed,
    `org_jur_bbox_idx`), plus any drawn outline whose box was never computed (written by raw
    SQL); the exact polygon test then runs on those few candidates only, deepest first.
    Levels without drawn boundaries are stepped through: a point inside a community's outline
    is placed there even when its street has none.
    """
    if lat is None or lng is None:
        return None
    lat_f, lng_f = float(lat), float(lng)
    in_box = Q(bbox_south__lte=lat_f, bbox_north__gte=lat_f, bbox_west__lte=lng_f, bbox_east__gte=lng_f)
    candidates = Jurisdiction.objects.filter(in_box | Q(bbox_south__isnull=True), boundary__isnull=False)
    if within is not None:
        candidates = candidates.filter(path__within=within.path)
    for node in candidates.order_by("-depth", "-path"):
        if contains(node.boundary, lat, lng):
            return node
    return None


def _has_boundaries(scope: Jurisdiction | None) -> bool:
    """Whether boundaries are drawn in `scope` (without them a point cannot be placed, only trusted)."""
    nodes = Jurisdiction.objects.exclude(boundary__isnull=True)
    return (nodes.filter(path__within=scope.path) if scope is not None else nodes).exists()


def _attach_photos(case: Case, event: CaseEvent | None, processed_all, stage: str, actor) -> list[CasePhoto]:
    """Store photos already decoded by `photos_prepared`, before the transaction opened."""
    uploader = actor if getattr(actor, "pk", None) else None
    return [
        save_photo(
            CasePhoto(case=case, event=event, stage=stage, taken_lat=p.lat, taken_lng=p.lng, uploaded_by=uploader),
            p,
        )
        for p in processed_all
    ]


def _event(case: Case, *, action: str, actor, note: str = "", from_status: str = "", data=None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.display_name if getattr(actor, "pk", None) else _("系统")),
        note=note,
        data=data or {},
    )


def _check_lengths(**texts) -> None:
    """The same limits as the forms, the API and Open311 (apps/cases/limits.py), for any other caller."""
    for name, text in texts.items():
        limit = limits.CASE_FIELDS[name]
        if len(text or "") > limit:
            label = Case._meta.get_field(name).verbose_name
            raise DomainError(_("「{label}」最多 {n} 个字符。").format(label=label, n=limit))


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def case_report(
    *,
    actor,
    category: Category,
    source: str = CaseSource.PATROL,
    description: str = "",
    address: str = "",
    lat=None,
    lng=None,
    jurisdiction: Jurisdiction | None = None,
    photos=(),
    reporter_name: str = "",
    reporter_phone: str = "",
    hotline_ticket: str = "",
    received_at: datetime | None = None,
) -> Case:
    """Record a problem (上报). `actor=None` is a resident on the public page.

    The place decides the jurisdiction: the deepest boundary containing the point,
    else the given one, else the reporter's own. Staff may only report inside their
    scope. A closed case of the same category at the same place within
    CASE_RECURRENCE_DAYS marks this one as a recurrence (前清后涂).
    """
    if actor is not None and actor.role not in workflow.REPORTERS:
        raise PermissionDeniedForRole()
    if source not in workflow.allowed_sources(actor):
        raise PermissionDeniedForRole(_("该来源的案件不能由您上报。"))
    if not category.parent_id or not category.is_active:
        raise DomainError(_("请选择具体的问题小类。"))
    if (lat is None) != (lng is None):
        raise DomainError(_("经纬度必须同时填写或同时为空。"))
    _check_lengths(
        description=description,
        address=address,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        hotline_ticket=hotline_ticket,
    )
    if lat is not None:  # GPS gives more digits than we keep (6 decimals is about 0.1 m)
        lat, lng = (Decimal(str(v)).quantize(Decimal("0.000001")) for v in (lat, lng))
    scope = actor.jurisdiction if actor is not None and actor.role != Role.ADMIN else None
    located = locate_jurisdiction(lat, lng, within=scope) if lat is not None else None
    if lat is not None and located is None and jurisdiction is None and _has_boundaries(scope):
        raise DomainError(_("所选位置不在您的辖区范围内，请重新选点或选择辖区。"))
    place = located or jurisdiction or (actor.jurisdiction if actor is not None else None)
    if place is None:
        raise DomainError(_("无法确定问题所在的辖区，请在地图上选点或选择辖区。"))
    ensure_jurisdiction_in_scope(actor, place)
    if category.photo_required and not photos and source in (CaseSource.PATROL, CaseSource.INSPECTION):
        raise DomainError(_("该类问题必须拍照上报。"))
    case = Case(
        category=category,
        source=source,
        description=description,
        address=address,
        lat=lat,
        lng=lng,
        jurisdiction=place,
        reporter=actor,
        reporter_name=reporter_name or (actor.display_name if actor else ""),
        reporter_phone=reporter_phone,
        hotline_ticket=hotline_ticket,
    )
    if source == CaseSource.HOTLINE:
        received = received_at or timezone.now()
        case.answer_due_at = WorkCalendar().add_working_days(received, settings.CASE_HOTLINE_ANSWER_DAYS)
    previous = case_recent_closed_same_place(category=category, lat=lat, lng=lng, jurisdiction=place)
    if previous is not None:
        case.is_recurrence, case.recurrence_of = True, previous
    # The tracking code is random and the table refuses a repeat: no SELECT to check it first.
    case.full_clean(exclude=["code", "tracking_code", "jurisdiction", "reporter", "category"], validate_unique=False)
    case.save()
    case.code = f"AJ{timezone.localdate():%Y%m%d}{case.pk:06d}"
    case.save(update_fields=["code"])
    event = _event(
        case,
        action="report",
        actor=actor,
        note=description,
        data={"source": source, "recurrence_of": previous.code if previous else None},
    )
    attached = _attach_photos(case, event, photos, PhotoStage.BEFORE, actor)
    # What this call wrote: a new case's whole history and photos (selectors.case_as_reported).
    case.written_event, case.written_photos = event, attached
    audit_record(
        actor=actor,
        obj=case,
        action="cases.case.reported",
        data={
            "after": {
                "category": str(category),
                "source": case.get_source_display(),
                "jurisdiction": str(place),
                "address": address,
            }
        },
    )
    return case


# Transitions -----------------------------------------------------------------------------


def _transition(
    *,
    case: Case,
    action: str,
    actor,
    expected_version: int | None,
    note: str = "",
    changes: dict | None = None,
    data: dict | None = None,
) -> tuple[Case, CaseEvent]:
    """One step of CASE_WORKFLOW: the engine locks the case, checks the table, the role and
    assignee predicate, the scope and the version, saves the changed fields and audits
    ("cases.case.<step>"); this adds the step to the case's own history (CaseEvent)."""
    events = []
    locked = workflow.CASE_WORKFLOW.perform(
        action,
        obj=case,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        note=note,
        data=data,
        on_done=lambda locked, before: events.append(
            _event(locked, action=action, actor=actor, note=note, from_status=before, data=data)
        ),
    )
    return locked, events[0]


def _dispatchers_of(case: Case):
    """Community and street staff responsible for the case's place (they receive its alerts)."""
    ancestors = [int(i) for i in case.jurisdiction.path.strip("/").split("/")]
    return User.objects.filter(is_active=True, role__in=[Role.COMMUNITY, Role.STREET], jurisdiction_id__in=ancestors)


def _notice_title(case: Case) -> Message:
    """What a case's notifications are about, in the reader's language: code and category."""
    return Message(gettext_noop("{code} {category}"), code=case.code, category=term(case.category.name))


def _assignee_accounts(case: Case):
    if case.assignee_unit_id:
        return User.objects.filter(is_active=True, role=Role.UNIT_CONTACT, unit_id=case.assignee_unit_id)
    if case.assignee_staff_id and case.assignee_staff.account_id:
        return User.objects.filter(pk=case.assignee_staff.account_id, is_active=True)
    return User.objects.none()


@transaction.atomic
def case_register(*, actor, case: Case, expected_version: int | None = None, note: str = "") -> Case:
    """核实/立案: the report is a real problem the campaign will track."""
    case, _event = _transition(
        case=case,
        action="register",
        actor=actor,
        expected_version=expected_version,
        note=note,
        changes={"registered_at": timezone.now()},
    )
    return case


@transaction.atomic
def case_reject(*, actor, case: Case, reason: str, expected_version: int | None = None) -> Case:
    if not reason.strip():
        raise DomainError(_("不予立案必须说明理由。"))
    case, _event = _transition(case=case, action="reject", actor=actor, expected_version=expected_version, note=reason)
    return case


@transaction.atomic
def case_merge(*, actor, case: Case, into: Case, expected_version: int | None = None) -> Case:
    """A duplicate report joins an open case of the same problem; its photos move there.

    Locks both rows, in id order (two merges the other way round cannot deadlock), so a target
    being closed at the same moment cannot receive them."""
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[case.pk, into.pk]).order_by("pk")}
    into = locked.get(into.pk, into)
    if into.pk == case.pk or not into.is_open:
        raise DomainError(_("只能合并到另一个未结案的案件。"))
    ensure_in_scope(actor, into, "view")
    case, _merge_event = _transition(
        case=case,
        action="merge",
        actor=actor,
        expected_version=expected_version,
        note=_("合并到案件 {code}").format(code=into.code),
        changes={"merged_into": into},
        data={"merged_into": into.code},
    )
    target_event = _event(
        into,
        action="merge",
        actor=actor,
        from_status=into.status,
        note=_("合并了重复上报 {code}").format(code=case.code),
    )
    CasePhoto.objects.filter(case=case).update(case=into, event=target_event)
    return case


@transaction.atomic
def case_dispatch(
    *,
    actor,
    case: Case,
    unit: Unit | None = None,
    staff: Staff | None = None,
    deadline_at: datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """派遣 to a responsible unit or person with a deadline from the category (or an explicit one).

    Issues the 整改通知书 (the document is generated from the case on demand) and
    notifies the unit's contacts. Also used after 回退 and 挂账 to send it again.
    """
    if not unit and not staff:
        raise DomainError(_("请选择责任单位或责任人。"))
    if actor is not None:
        if unit:
            ensure_in_scope(actor, unit, "view")
        if staff:
            ensure_in_scope(actor, staff, "view")
    now = timezone.now()
    deadline = deadline_at or WorkCalendar().add(now, case.category.deadline_amount, case.category.deadline_unit)
    if deadline <= now:
        raise DomainError(_("处置时限必须晚于当前时间。"))
    case, _dispatch_event = _transition(
        case=case,
        action="dispatch",
        actor=actor,
        expected_version=expected_version,
        note=note,
        changes=lambda locked: {
            "assignee_unit": unit,
            "assignee_staff": staff,
            "dispatched_at": now,
            "clock_started_at": now,
            "deadline_at": deadline,
            "escalation_level": EscalationLevel.NOTICE,
            "registered_at": locked.registered_at or now,
        },
        data={"assignee": str(unit or staff), "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
    )
    notify(
        _assignee_accounts(case),
        target=case,
        title=_notice_title(case),
        kind="dispatched",
        message=Message(
            gettext_noop("整改通知：{code} {category}，请于 {deadline} 前整改。"),
            code=case.code,
            category=term(case.category.name),
            deadline=timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        ),
    )
    return case


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def case_handle(*, actor, case: Case, note: str, photos=(), expected_version: int | None = None) -> Case:
    """处置反馈: the assignee reports the fix with after-photos (required where the category says so)."""
    if case.category.photo_required and not photos:
        raise DomainError(_("请上传整改后的照片。"))
    if not note.strip():
        raise DomainError(_("请填写处置情况。"))
    now = timezone.now()
    case, event = _transition(
        case=case,
        action="handle",
        actor=actor,
        expected_version=expected_version,
        note=note,
        changes=lambda locked: {
            "handled_at": now,
            "handled_on_time": bool(locked.deadline_at and now <= locked.deadline_at),
        },
    )
    _attach_photos(case, event, photos, PhotoStage.AFTER, actor)
    notify(
        _dispatchers_of(case),
        target=case,
        title=_notice_title(case),
        kind="handled",
        message=Message(gettext_noop("{code} 已反馈整改，请核查。"), code=case.code),
    )
    return case


@transaction.atomic
def case_dispute(*, actor, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """回退: the unit says the case is not theirs; the dispatcher reassigns it."""
    if not reason.strip():
        raise DomainError(_("回退必须说明理由。"))
    case, _event = _transition(case=case, action="dispute", actor=actor, expected_version=expected_version, note=reason)
    notify(
        _dispatchers_of(case),
        target=case,
        title=_notice_title(case),
        kind="returned",
        message=Message(gettext_noop("{code} 被责任单位回退：{reason}"), code=case.code, reason=reason),
    )
    return case


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def case_verify(
    *, actor, case: Case, passed: bool, note: str = "", photos=(), expected_version: int | None = None
) -> Case:
    """核查 on site: pass closes the case; fail sends it back for rework (返工) with a new deadline."""
    now = timezone.now()
    if passed:
        case, event = _transition(
            case=case,
            action="verify_pass",
            actor=actor,
            expected_version=expected_version,
            note=note,
            changes=lambda locked: {
                "closed_at": now,
                "closed_on_time": bool(locked.deadline_at and now <= locked.deadline_at),
            },
        )
    else:
        if not note.strip():
            raise DomainError(_("核查不通过必须说明原因。"))
        deadline = WorkCalendar().add(now, case.category.deadline_amount, case.category.deadline_unit)
        case, event = _transition(
            case=case,
            action="verify_fail",
            actor=actor,
            expected_version=expected_version,
            note=note,
            # Rework starts a new clock and a new escalation ladder.
            changes=lambda locked: {
                "rework_count": locked.rework_count + 1,
                "deadline_at": deadline,
                "clock_started_at": now,
                "escalation_level": EscalationLevel.NOTICE,
                "handled_at": None,
            },
            data={"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
        )
        notify(
            _assignee_accounts(case),
            target=case,
            title=_notice_title(case),
            kind="rework",
            message=Message(gettext_noop("{code} 核查未通过，请返工：{reason}"), code=case.code, reason=note),
        )
    _attach_photos(case, event, photos, PhotoStage.CHECK, actor)
    return case


@transaction.atomic
def case_suspend(*, actor, case: Case, plan: str, review_on: date, expected_version: int | None = None) -> Case:
    """挂账: cannot be fixed now; kept on the register with a plan and a review date."""
    if not plan.strip():
        raise DomainError(_("挂账必须填写整改计划。"))
    if review_on <= timezone.localdate():
        raise DomainError(_("复查日期必须晚于今天。"))
    case, _event = _transition(
        case=case,
        action="suspend",
        actor=actor,
        expected_version=expected_version,
        note=plan,
        changes={"suspension_plan": plan, "review_on": review_on},
    )
    return case


@transaction.atomic
def case_void(*, actor, case: Case, reason: str, expected_version: int | None = None) -> Case:
    if not reason.strip():
        raise DomainError(_("作废必须说明理由。"))
    case, _event = _transition(case=case, action="void", actor=actor, expected_version=expected_version, note=reason)
    return case


# Escalation ------------------------------------------------------------------------------


@transaction.atomic
def cases_escalate(*, now: datetime | None = None) -> dict[str, int]:
    """Climb the ladder for overdue cases: 催办 at the deadline, 督办告知书 after
    CASE_SUPERVISE_AFTER_HOURS working hours, the next 通报 after CASE_BULLETIN_AFTER_HOURS.

    Idempotent: each level is applied once per dispatch (dispatch resets the level).
    """
    now = now or timezone.now()
    calendar = WorkCalendar()
    counts = {"reminded": 0, "supervised": 0, "listed": 0}
    overdue = (
        Case.objects.select_for_update(of=("self",))
        .filter(status=CaseStatus.DISPATCHED, deadline_at__lte=now, escalation_level__lt=EscalationLevel.LISTED)
        .select_related("jurisdiction", "category", "assignee_unit", "assignee_staff")
    )
    counts["hotline_overdue"] = _hotline_answers_overdue(now)
    for case in overdue:
        late = calendar.working_hours_between(case.deadline_at, now)
        target = EscalationLevel.REMINDED
        if late >= settings.CASE_SUPERVISE_AFTER_HOURS:
            target = EscalationLevel.SUPERVISED
        if late >= settings.CASE_BULLETIN_AFTER_HOURS:
            target = EscalationLevel.LISTED
        for level in range(case.escalation_level + 1, target + 1):
            _escalate_to(case, level)
            counts[{1: "reminded", 2: "supervised", 3: "listed"}[level]] += 1
    return counts


def _hotline_answers_overdue(now: datetime) -> int:
    """12345 records not answered by their answer time: the dispatchers are told once."""
    late = (
        Case.objects.filter(source=CaseSource.HOTLINE, answered_at__isnull=True, answer_due_at__lt=now)
        .exclude(events__action="hotline_overdue")
        .select_related("jurisdiction", "category")
    )
    count = 0
    for case in late:
        message = Message(
            gettext_noop("热线工单 {code} 已超过答复时限，请尽快答复来电人。"), code=case.hotline_ticket or case.code
        )
        _event(case, action="hotline_overdue", actor=None, note=message.in_default_language(), from_status=case.status)
        notify(_dispatchers_of(case), target=case, title=_notice_title(case), kind="hotline_overdue", message=message)
        count += 1
    return count


def _escalate_to(case: Case, level: int) -> None:
    changes = {"escalation_level": level}
    if level == EscalationLevel.LISTED:
        changes["listed_for_bulletin"] = True
    # Not a version bump: escalation does not conflict with what a person is editing.
    Case.objects.filter(pk=case.pk).update(**changes, updated_at=timezone.now())
    for name, value in changes.items():
        setattr(case, name, value)
    action = {1: "remind", 2: "supervise", 3: "list"}[level]
    messages = {
        1: gettext_noop("催办：{code} {category} 已超期，请立即整改。"),
        2: gettext_noop("督办告知：{code} {category} 超期未整改，已向上级发出督办告知书。"),
        3: gettext_noop("{code} {category} 严重超期，已列入下期通报。"),
    }
    message = Message(messages[level], code=case.code, category=term(case.category.name))
    _event(case, action=action, actor=None, note=message.in_default_language(), from_status=case.status)
    audit_record(actor=None, obj=case, action=f"cases.case.{action}", data={"escalation_level": level})
    recipients = list(_assignee_accounts(case))
    if level >= EscalationLevel.SUPERVISED:
        recipients += list(_dispatchers_of(case))
    notify(recipients, target=case, title=_notice_title(case), kind=action, message=message)


# Hotline -----------------------------------------------------------------------------------


@transaction.atomic
def case_hotline_viewed(*, actor, case: Case) -> Case:
    """The 12345 clock: viewed the same day (first view by staff is recorded)."""
    first_view = case.source == CaseSource.HOTLINE and case.viewed_at is None and actor.role in workflow.DISPATCHERS
    if first_view and Case.objects.filter(pk=case.pk, viewed_at__isnull=True).update(viewed_at=timezone.now()):
        case.refresh_from_db()
        _event(case, action="hotline_view", actor=actor, from_status=case.status)
        audit_record(actor=actor, obj=case, action="cases.case.hotline_viewed", data={})
    return case


@transaction.atomic
def case_hotline_answer(*, actor, case: Case, answer: str) -> Case:
    if case.source != CaseSource.HOTLINE:
        raise DomainError(_("只有热线案件需要答复。"))
    if actor.role not in workflow.DISPATCHERS:
        raise PermissionDeniedForRole()
    ensure_in_scope(actor, case, "view")
    if not answer.strip():
        raise DomainError(_("请填写答复内容。"))
    if not Case.objects.filter(pk=case.pk, answered_at__isnull=True).update(answered_at=timezone.now()):
        raise DomainError(_("该热线工单已答复。"))
    case.refresh_from_db()
    _event(case, action="hotline_answer", actor=actor, note=answer, from_status=case.status)
    audit_record(actor=actor, obj=case, action="cases.case.hotline_answer", data={"answer": answer})
    return case


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def case_add_photos(*, actor, case: Case, photos, note: str = "", stage: str | None = None) -> list[CasePhoto]:
    """More photos for an open case: a second reporter of the same problem, the dispatcher,
    the assignee (整改后) or a checker (核查). Leaders and other units may only look."""
    ensure_in_scope(actor, case, "view")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    assignee = workflow.is_assignee(locked, actor)
    if not workflow.may_add_photos(locked, actor):
        raise PermissionDeniedForRole()
    if not locked.is_open:
        raise DomainError(_("案件已办结，不能再补充照片。"))
    if not photos:
        raise DomainError(_("请选择照片。"))
    # The stage follows who is adding: the assignee shows the fix, a checker the check,
    # everyone else the problem. A caller may name it but not choose another.
    if assignee:
        own_stage = PhotoStage.AFTER
    elif locked.status == CaseStatus.HANDLED and actor.role in workflow.CHECKERS:
        own_stage = PhotoStage.CHECK
    else:
        own_stage = PhotoStage.BEFORE
    if stage not in (None, "", own_stage):
        raise DomainError(_("您只能补充“{stage}”照片。").format(stage=PhotoStage(own_stage).label))
    stage = own_stage
    event = _event(locked, action="photo", actor=actor, note=note, from_status=locked.status)
    added = _attach_photos(locked, event, photos, stage, actor)
    audit_record(
        actor=actor,
        obj=locked,
        action="cases.case.photo_added",
        data={"stage": str(PhotoStage(stage).label), "count": len(added), "note": note},
    )
    return added


@transaction.atomic
def category_save(*, actor, category: Category | None, data: dict) -> Category:
    """Add or edit a problem category (administrators); the change is audited."""
    if actor is not None and not actor.can("cases.category", "change" if category else "add"):
        raise PermissionDeniedForRole()
    if category is None:
        return tracked_create(obj=Category(**data), actor=actor, action="cases.category.created", fields=list(data))
    return tracked_update(
        obj=category, actor=actor, changes=data, expected_version=None, action="cases.category.updated"
    )
