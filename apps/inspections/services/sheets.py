"""Score sheets: started, saved item by item, frozen on submission; findings open cases; corrections re-rank."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.cases.choices import CaseSource
from apps.cases.models import Category
from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope
from apps.core.roles import Role
from apps.core.services import tracked_create
from apps.notifications.messages import Message
from apps.notifications.services import notify
from apps.organization.models import Jurisdiction, Unit
from apps.photos.services import photos_prepared, process_upload, save_photo

from .. import scoring
from ..choices import InspectionStatus, ScoreChangeKind, TargetKind
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    ScoreChange,
)
from ..rankings import ranking_scheme_for, rankings_recalculate_for
from ..workflow import SHEET_WORKFLOW
from .common import FINDING_CATEGORY_CODE, INSPECTORS, REVIEWERS, acting_user, judges_own_work


def _lock_sheet(inspection: Inspection, actor) -> Inspection:
    """Lock the sheet and check `actor` may fill it in: its inspector (or, if none, one in scope)."""
    locked = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("target_unit", "checklist")
        .get(pk=inspection.pk)
    )
    if actor.role not in INSPECTORS:
        raise PermissionDeniedForRole()
    ensure_in_scope(actor, locked, "view")
    if locked.inspector_id and locked.inspector_id != actor.pk:
        raise PermissionDeniedForRole(_("该检查已分配给其他检查人员。"))
    if judges_own_work(actor, locked.target_unit, locked.target_jurisdiction):
        raise PermissionDeniedForRole(_("检查人员不能检查本人所在的单位或本社区。"))
    if locked.status == InspectionStatus.SUBMITTED:
        raise DomainError(_("检查已提交，不能再修改；如需更正请提交更正申请。"))
    return locked


def _item_of(inspection: Inspection, item_id) -> ChecklistItem:
    item = ChecklistItem.objects.filter(pk=item_id, version_id=inspection.checklist_id).first()
    if item is None:
        raise DomainError(_("该检查项目不属于本次检查。"))
    return item


def _finding(item: ChecklistItem, occurrences: int, passed: bool) -> tuple[int, bool]:
    """Normalise the input to the item's rule: pass/fail items have no count, counted items no flag."""
    if occurrences < 0 or occurrences > 999:
        raise DomainError(_("问题处数必须在 0 到 999 之间。"))
    if item.rule == "pass_fail":
        return 0, passed
    return occurrences, occurrences == 0


def _score(inspection: Inspection) -> scoring.InspectionScore:
    results = {r.item_id: r for r in inspection.results.select_related("item")}
    items = ChecklistItem.objects.filter(version_id=inspection.checklist_id)
    return scoring.score_inspection(
        [results[i.pk].as_result() if i.pk in results else scoring.ItemResult(i.as_rule()) for i in items]
    )


def _apply_score(inspection: Inspection) -> scoring.InspectionScore:
    score = _score(inspection)
    inspection.max_total, inspection.total, inspection.percent = score.max_total, score.total, score.percent
    inspection.vetoed = score.vetoed
    return score


def _begin(locked: Inspection, actor) -> Inspection:
    """待检查 → 检查中 on the first opening or entry; the inspector who starts keeps the sheet."""
    if locked.status != InspectionStatus.PLANNED:
        return locked
    return SHEET_WORKFLOW.perform(
        "start",
        obj=locked,
        actor=actor,
        changes=lambda row: {"started_at": timezone.now(), "inspector": row.inspector or actor},
    )


@transaction.atomic
def inspection_start(*, actor, inspection: Inspection) -> Inspection:
    return _begin(_lock_sheet(inspection, actor), actor)


@transaction.atomic
def inspection_save_item(
    *, actor, inspection: Inspection, item_id, occurrences: int = 0, passed: bool = True, note: str = "", stamp: int = 0
) -> tuple[InspectionResult, Inspection, bool]:
    """Save one item's finding (a draft until submission); returns (result, sheet, applied).

    `stamp` is the phone's edit time in ms: a replay of an older edit after a lost
    connection (stamp below the stored one) is ignored, so the newest entry always wins.
    """
    locked = _lock_sheet(inspection, actor)
    item = _item_of(locked, item_id)
    occurrences, passed = _finding(item, occurrences, passed)
    result, _created = InspectionResult.objects.select_for_update().get_or_create(inspection=locked, item=item)
    applied = stamp >= result.client_stamp
    if applied:
        result.occurrences, result.passed, result.note, result.client_stamp = occurrences, passed, note.strip(), stamp
        result.deduction = scoring.item_deduction(result.as_result())
        result.save()
    locked = _begin(locked, actor)
    _apply_score(locked)
    locked.save(update_fields=["max_total", "total", "percent", "vetoed", "updated_at"])
    return result, locked, applied


@photos_prepared("upload")  # decoded before the transaction opens
@transaction.atomic
def inspection_add_photo(*, actor, inspection: Inspection, item_id, upload, client_key: str = "") -> InspectionPhoto:
    """Attach a deduction photo; a retried upload with the same `client_key` is stored once."""
    locked = _lock_sheet(inspection, actor)
    item = _item_of(locked, item_id)
    result, _created = InspectionResult.objects.get_or_create(inspection=locked, item=item)
    if client_key:
        existing = InspectionPhoto.objects.filter(result=result, client_key=client_key).first()
        if existing is not None:
            return existing
    return store_photo(upload, result=result, actor=actor, client_key=client_key)


def store_photo(upload, *, actor, result=None, appeal=None, client_key: str = "") -> InspectionPhoto:
    """Store one photo; `upload` is normally already processed (services wrapped in
    `photos_prepared`), so no decoding happens inside their transaction."""
    photo = InspectionPhoto(result=result, appeal=appeal, client_key=client_key[:64], uploaded_by=acting_user(actor))
    return save_photo(photo, process_upload(upload))


@transaction.atomic
def inspection_delete_photo(*, actor, photo: InspectionPhoto) -> None:
    if photo.result_id is None:
        raise DomainError(_("只能删除检查中的照片。"))
    _lock_sheet(photo.result.inspection, actor)
    photo.delete()


@transaction.atomic
def inspection_submit(
    *,
    actor,
    inspection: Inspection,
    representative_name: str = "",
    representative_confirmed: bool = False,
    summary: str = "",
    open_cases: bool = True,
    expected_version: int | None = None,
) -> Inspection:
    """Freeze the sheet: check every deduction has its note (and photo where required), record the
    original score, start the appeal window and, by default, open a rectification case per deduction."""
    locked = _lock_sheet(inspection, actor)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()  # before the checks below, so a stale page hears why first
    deducted = list(locked.results.filter(deduction__gt=0).select_related("item").prefetch_related("photos"))
    problems = []
    for result in deducted:
        if not result.note:
            problems.append(_("{code} 扣分须填写说明").format(code=result.item.code))
        if result.item.photo_required and not result.photos.all():
            problems.append(_("{code} 扣分须拍照").format(code=result.item.code))
    if problems:
        raise DomainError(_("不能提交：{problems}。").format(problems="；".join(problems)))
    if representative_confirmed and not representative_name.strip():
        raise DomainError(_("被检查方确认时请填写代表姓名。"))
    score = _score(locked)
    now = timezone.now()
    started = locked.started_at or now
    scheme = ranking_scheme_for(locked.target_jurisdiction)
    locked = SHEET_WORKFLOW.perform(
        "submit",
        obj=locked,
        actor=actor,
        expected_version=expected_version,
        changes={
            "max_total": score.max_total,
            "total": score.total,
            "percent": score.percent,
            "vetoed": score.vetoed,
            "original_total": score.total,
            "original_percent": score.percent,
            "started_at": started,
            "submitted_at": now,
            # The day of the visit counts, not of the upload: a sheet filled on 31 March and sent
            # on 1 April (after a dead phone battery) belongs to March.
            "inspected_on": timezone.localdate(started),
            "inspector": locked.inspector or actor,
            "appeal_until": timezone.localdate(now) + timedelta(days=scheme.appeal_days),
            "representative_name": representative_name.strip(),
            "representative_confirmed": representative_confirmed,
            "summary": summary.strip(),
        },
        data={
            "after": {
                "total": str(score.total),
                "percent": str(score.percent),
                "vetoed": score.vetoed,
                "deductions": [f"{r.item.code} -{r.deduction}" for r in deducted],
            },
        },
    )
    locked.results.update(original_deduction=F("deduction"))
    if open_cases:
        for result in deducted:
            finding_open_case(actor=actor, result=result)
    if locked.target_unit_id:
        contacts = User.objects.filter(is_active=True, role=Role.UNIT_CONTACT, unit_id=locked.target_unit_id)
        notify(
            contacts,
            target=locked,
            title=Message(
                gettext_noop("{target} 检查（{template}）"),
                target=locked.target_label,
                template=locked.checklist.template.name,
            ),
            kind="inspection",
            message=Message(
                gettext_noop("检查结果：{target} 得分 {total}（{percent}分），如有异议请于 {until} 前申诉。"),
                target=locked.target_label,
                total=locked.total,
                percent=locked.percent,
                until=locked.appeal_until,
            ),
            link=locked.get_absolute_url(),
        )
    return locked


# Findings -> cases ---------------------------------------------------------------------------


@transaction.atomic
def finding_open_case(*, actor, result: InspectionResult):
    """Open a rectification case (source 检查发现) for a deduction; dispatched to the unit at once.

    An inspection is an on-site finding by an authorised inspector, so the case skips 核实:
    the system registers it and sends it to the inspected unit with the category's deadline.
    For a 小区/社区 target the case waits for the community to dispatch it.
    """
    result = InspectionResult.objects.select_for_update().select_related("inspection", "item").get(pk=result.pk)
    inspection = result.inspection
    if inspection.status != InspectionStatus.SUBMITTED:
        raise DomainError(_("检查提交后才能生成整改案件。"))
    if result.deduction <= 0:
        raise DomainError(_("只有扣分项目才能生成整改案件。"))
    if result.case_id:
        return result.case
    photos = [File(photo.image.open("rb"), name="photo.jpg") for photo in result.photos.all()]
    category = result.item.category
    if category is None or not category.is_active or (category.photo_required and not photos):
        category = Category.objects.get(code=FINDING_CATEGORY_CODE)  # needs no photo: the sheet is the evidence
    unit = inspection.target_unit
    try:
        case = case_services.case_report(
            actor=actor,
            category=category,
            source=CaseSource.INSPECTION,
            description=_("【检查扣分】{item}：{note}（{sheet}，扣{deduction}分）").format(
                item=result.item, note=result.note, sheet=inspection, deduction=result.deduction
            ),
            address=unit.address if unit else "",
            jurisdiction=inspection.target_jurisdiction,
            photos=photos,
        )
    finally:
        for photo in photos:
            photo.close()
    if unit is not None:
        case = case_services.case_register(actor=None, case=case, note=_("检查发现，自动立案"))
        case = case_services.case_dispatch(actor=None, case=case, unit=unit, note=_("检查扣分项，限期整改"))
    result.case = case
    result.save(update_fields=["case", "updated_at"])
    audit_record(
        actor=actor,
        obj=inspection,
        action="inspections.inspection.case_opened",
        data={"after": {"note": f"{result.item.code} → {case.code}"}},
    )
    return case


# Corrections and appeals ---------------------------------------------------------------------


def change_score(
    *, actor, result: InspectionResult, occurrences: int, passed: bool, kind: str, reason: str, appeal=None
) -> ScoreChange:
    """Change one item of a submitted sheet, recompute the sheet, keep the before/after and re-rank."""
    inspection = Inspection.objects.select_for_update().get(pk=result.inspection_id)
    result = InspectionResult.objects.select_for_update().select_related("item").get(pk=result.pk)
    occurrences, passed = _finding(result.item, occurrences, passed)
    deduction_before, total_before = result.deduction, inspection.total
    result.occurrences, result.passed = occurrences, passed
    result.deduction = scoring.item_deduction(result.as_result())
    result.save(update_fields=["occurrences", "passed", "deduction", "updated_at"])
    _apply_score(inspection)
    inspection.version += 1
    inspection.save(update_fields=["total", "percent", "vetoed", "max_total", "version", "updated_at"])
    change = ScoreChange.objects.create(
        inspection=inspection,
        result=result,
        appeal=appeal,
        kind=kind,
        reason=reason,
        deduction_before=deduction_before,
        deduction_after=result.deduction,
        total_before=total_before,
        total_after=inspection.total,
        actor=actor,
    )
    audit_record(
        actor=actor,
        obj=inspection,
        action=f"inspections.inspection.{kind}",
        data={
            "changes": {
                "deduction": [f"{result.item.code} -{deduction_before}", f"{result.item.code} -{result.deduction}"],
                "total": [str(total_before), str(inspection.total)],
            },
            "note": reason,
        },
    )
    rankings_recalculate_for(actor=actor, inspection=inspection, reason=reason)
    return change


@transaction.atomic
def inspection_correct(
    *, actor, inspection: Inspection, item: ChecklistItem, occurrences: int, passed: bool, reason: str
) -> ScoreChange:
    """更正 a submitted sheet (a miscount, a wrong item): reviewers or the sheet's own inspector, with a reason."""
    ensure_in_scope(actor, inspection, "view")
    if actor.role not in REVIEWERS and actor.pk != inspection.inspector_id:
        raise PermissionDeniedForRole(_("只有检查人本人或创卫办、街道可以更正检查结果。"))
    if inspection.status != InspectionStatus.SUBMITTED:
        raise DomainError(_("检查尚未提交，可直接修改。"))
    if item.version_id != inspection.checklist_id:
        raise DomainError(_("该检查项目不属于本次检查。"))
    if not reason.strip():
        raise DomainError(_("更正必须说明理由。"))
    result, _created = InspectionResult.objects.get_or_create(
        inspection=inspection, item=item, defaults={"original_deduction": Decimal(0)}
    )
    if result.appeals.exists() and (actor.role not in REVIEWERS or actor.pk == inspection.inspector_id):
        # An appealed item is the reviewers' to change: the inspector may not pre-empt or undo the decision.
        raise PermissionDeniedForRole(_("该扣分项已有申诉，只能由复核人员更正。"))
    return change_score(
        actor=actor,
        result=result,
        occurrences=occurrences,
        passed=passed,
        kind=ScoreChangeKind.CORRECTION,
        reason=reason.strip(),
    )


def inspection_create(
    *, actor, template: ChecklistTemplate, unit: Unit | None = None, jurisdiction: Jurisdiction | None = None
) -> Inspection:
    """An ad-hoc sheet outside any plan (an unannounced visit, a complaint follow-up), done by `actor`."""
    if actor.role not in INSPECTORS:
        raise PermissionDeniedForRole()
    version = template.current_version
    if version is None or not version.items.exists() or not template.is_active:
        raise DomainError(_("所选检查表还没有检查项目。"))
    if template.target_kind == TargetKind.UNIT:
        if unit is None:
            raise DomainError(_("请选择被检查单位。"))
        ensure_in_scope(actor, unit, "view")
        if judges_own_work(actor, unit):
            raise PermissionDeniedForRole(_("检查人员不能检查本人所在的单位或本社区。"))
        place = unit.jurisdiction
    else:
        if jurisdiction is None:
            raise DomainError(_("请选择被检查的辖区。"))
        if jurisdiction.level_id != template.level_id:
            raise DomainError(_("该检查表用于检查{level}。").format(level=template.level))
        ensure_jurisdiction_in_scope(actor, jurisdiction)
        if judges_own_work(actor, None, jurisdiction):
            raise PermissionDeniedForRole(_("检查人员不能检查本人所在的单位或本社区。"))
        unit, place = None, jurisdiction
    with transaction.atomic():
        inspection = Inspection(
            checklist=version,
            target_unit=unit,
            target_jurisdiction=place,
            inspector=actor,
            max_total=version.max_total,
        )
        tracked_create(
            obj=inspection,
            actor=actor,
            action="inspections.inspection.created",
            fields=["checklist", "target_unit", "target_jurisdiction", "inspector", "status"],
        )
        return _begin(inspection, actor)  # created 待检查, started at once: the inspector is on site
