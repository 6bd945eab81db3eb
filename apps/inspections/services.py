"""Writes to inspections: checklists (versioned), plans and rounds (sampled), score sheets
(saved item by item, frozen on submission), findings → cases, corrections, appeals and
published rankings (recalculated when a score changes). Every write is audited.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.cases.choices import CaseSource
from apps.cases.models import Category
from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import Role
from apps.core.services import tracked_create, tracked_update
from apps.notifications.services import notify
from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, Unit
from apps.photos.services import process_upload, save_photo

from . import scoring, selectors
from .choices import AppealStatus, FlagKind, InspectionStatus, PlanKind, SampleMode, ScoreChangeKind, TargetKind
from .models import (
    Appeal,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    FlagAward,
    Inspection,
    InspectionPhoto,
    InspectionPlan,
    InspectionResult,
    InspectionRound,
    PublishedRanking,
    RankingScheme,
    ScoreChange,
)

FINDING_CATEGORY_CODE = "inspection_finding"
REVIEWERS = {Role.ADMIN, Role.OFFICE, Role.STREET}
INSPECTORS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.INSPECTOR}


# Checklists ----------------------------------------------------------------------------------

TEMPLATE_FIELDS = ["code", "name", "description", "target_kind", "level", "is_example", "is_active"]
ITEM_FIELDS = ["code", "text", "max_score", "rule", "deduction", "cap", "photo_required", "veto", "category", "sort"]


@transaction.atomic
def checklist_create(*, actor, data: dict) -> ChecklistTemplate:
    """A new template with an empty version 1 (sections and items are added next)."""
    ensure_role_allows(actor, ChecklistTemplate, "add")
    template = ChecklistTemplate(**{name: data.get(name) for name in TEMPLATE_FIELDS if name in data})
    tracked_create(obj=template, actor=actor, action="inspections.checklisttemplate.created", fields=TEMPLATE_FIELDS)
    template.unit_types.set(data.get("unit_types") or [])
    version = ChecklistVersion.objects.create(template=template, number=1, created_by=_user(actor))
    template.current_version = version
    template.save(update_fields=["current_version"])
    return template


@transaction.atomic
def checklist_update(*, actor, template: ChecklistTemplate, data: dict, expected_version: int | None):
    ensure_in_scope(actor, template, "change")
    fields = [name for name in TEMPLATE_FIELDS if name in data and name != "code"]
    template = tracked_update(
        obj=template,
        actor=actor,
        changes={name: data[name] for name in fields},
        expected_version=expected_version,
        action="inspections.checklisttemplate.updated",
    )
    if "unit_types" in data:
        template.unit_types.set(data["unit_types"])
    return template


def _writable_version(
    actor, template: ChecklistTemplate, expected_version: int | None = None
) -> tuple[ChecklistVersion, dict[int, int]]:
    """The version edits go to: the current one if no sheet used it yet, else a new copy.

    Returns the version and the map old item id -> new item id (identity when no copy was made),
    so an edit aimed at an item of the old version lands on its copy. Every edit bumps the
    template's `version`, so a second editor working from a stale page is refused.
    """
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    current = locked.current_version
    if current is not None and not current.in_use:
        ChecklistTemplate.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
        return current, {item_id: item_id for item_id in current.items.values_list("id", flat=True)}
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = ChecklistVersion.objects.create(
        template=locked, number=number, created_by=_user(actor), note=_("修改使用中的检查表时自动生成")
    )
    item_map: dict[int, int] = {}
    if current is not None:
        for section in current.sections.prefetch_related("items"):
            new_section = ChecklistSection.objects.create(version=copy, name=section.name, sort=section.sort)
            for item in section.items.all():
                old_id = item.pk
                item.pk, item.id, item.version, item.section = None, None, copy, new_section
                item.save()
                item_map[old_id] = item.pk
    locked.current_version = copy
    locked.version += 1
    locked.save(update_fields=["current_version", "version", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="inspections.checklisttemplate.version_created",
        data={"changes": {"current_version": [current.number if current else None, number]}},
    )
    return copy, item_map


@transaction.atomic
def checklist_section_add(*, actor, template: ChecklistTemplate, name: str) -> ChecklistSection:
    ensure_in_scope(actor, template, "change")
    if not name.strip():
        raise DomainError(_("请填写大类名称。"))
    version, _map = _writable_version(actor, template)
    sort = (version.sections.aggregate(n=Max("sort"))["n"] or 0) + 1
    section = ChecklistSection.objects.create(version=version, name=name.strip(), sort=sort)
    audit_record(
        actor=actor,
        obj=template,
        action="inspections.checklisttemplate.updated",
        data={"after": {"note": _("新增大类：{name}（第{n}版）").format(name=section.name, n=version.number)}},
    )
    return section


@transaction.atomic
def checklist_item_save(
    *, actor, template: ChecklistTemplate, data: dict, item: ChecklistItem | None = None
) -> ChecklistItem:
    """Add or change an item. On a version in use this first copies the version (past sheets keep theirs)."""
    ensure_in_scope(actor, template, "change")
    version, item_map = _writable_version(actor, template, data.get("version"))
    section = data.get("section") or (item.section if item is not None else None)
    if section is None:
        raise DomainError(_("请选择检查项目大类。"))
    if section.version_id != version.pk:
        section = version.sections.filter(name=section.name, sort=section.sort).first()
        if section is None:
            raise DomainError(_("所选大类不属于当前版本。"))
    before = None
    if item is not None:
        target_id = item_map.get(item.pk)
        if target_id is None:
            raise DomainError(_("该检查项目不属于当前版本。"))
        item = ChecklistItem.objects.get(pk=target_id)
        before = snapshot(item, ITEM_FIELDS)
    else:
        item = ChecklistItem(version=version)
    item.section = section
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if item.sort in (None, 0) and before is None:
        item.sort = (version.items.filter(section=section).aggregate(n=Max("sort"))["n"] or 0) + 1
    if version.items.filter(code=item.code).exclude(pk=item.pk).exists():
        raise DomainError(_("编号“{code}”已存在。").format(code=item.code))
    item.full_clean(exclude=["version", "section"])
    item.save()
    after = snapshot(item, ITEM_FIELDS)
    audit_record(
        actor=actor,
        obj=template,
        action="inspections.checklisttemplate.updated",
        data={"changes": {f"{item.code}.{k}": [before.get(k), v] for k, v in after.items() if before.get(k) != v}}
        if before
        else {"after": {"note": _("新增检查项目：{item}（第{n}版）").format(item=item, n=version.number)}},
    )
    return item


@transaction.atomic
def checklist_item_delete(*, actor, template: ChecklistTemplate, item: ChecklistItem) -> None:
    ensure_in_scope(actor, template, "change")
    version, item_map = _writable_version(actor, template)
    target = ChecklistItem.objects.filter(pk=item_map.get(item.pk), version=version).first()
    if target is None:
        raise DomainError(_("该检查项目不属于当前版本。"))
    label = str(target)
    target.delete()
    audit_record(
        actor=actor,
        obj=template,
        action="inspections.checklisttemplate.updated",
        data={"after": {"note": _("删除检查项目：{item}（第{n}版）").format(item=label, n=version.number)}},
    )


def install_starter_templates(get_model=None) -> int:
    """Create the shipped example templates that are missing (by code). Returns how many were made.

    `get_model` is a migration's `apps.get_model` (historical models) or Django's registry.
    """
    from django.apps import apps as registry

    from .starters import STARTER_TEMPLATES

    get_model = get_model or registry.get_model
    template_model = get_model("inspections", "ChecklistTemplate")
    version_model = get_model("inspections", "ChecklistVersion")
    section_model = get_model("inspections", "ChecklistSection")
    item_model = get_model("inspections", "ChecklistItem")
    level_model = get_model("organization", "JurisdictionLevel")
    unit_type_model = get_model("organization", "UnitType")
    categories = dict(get_model("cases", "Category").objects.values_list("code", "id"))
    created = 0
    for spec in STARTER_TEMPLATES:
        if template_model.objects.filter(code=spec["code"]).exists():
            continue
        with transaction.atomic():
            template = template_model.objects.create(
                code=spec["code"],
                name=spec["name"],
                description=spec["description"],
                target_kind=spec["target_kind"],
                level=level_model.objects.filter(code=spec["level"]).first() if spec["level"] else None,
                is_example=True,
            )
            template.unit_types.set(unit_type_model.objects.filter(code__in=spec["unit_types"]))
            version = version_model.objects.create(template=template, number=1, note="系统示例")
            for section_sort, section_spec in enumerate(spec["sections"], start=1):
                section = section_model.objects.create(version=version, name=section_spec["name"], sort=section_sort)
                for item_sort, item in enumerate(section_spec["items"], start=1):
                    item_model.objects.create(
                        version=version,
                        section=section,
                        code=item["code"],
                        text=item["text"],
                        max_score=Decimal(item["max_score"]),
                        rule=item["rule"],
                        deduction=Decimal(item["deduction"]),
                        cap=Decimal(item["cap"]) if item["cap"] is not None else None,
                        photo_required=item["photo_required"],
                        veto=item["veto"],
                        category_id=categories.get(item["category"] or FINDING_CATEGORY_CODE),
                        sort=item_sort,
                    )
            template.current_version = version
            template.save(update_fields=["current_version"])
            created += 1
    return created


# Plans and rounds ----------------------------------------------------------------------------

PLAN_FIELDS = ["name", "jurisdiction", "template", "kind", "sample_mode", "sample_count", "sample_share", "is_active"]


def _check_plan(actor, data: dict) -> None:
    ensure_jurisdiction_in_scope(actor, data["jurisdiction"])
    for inspector in data.get("inspectors") or []:
        if inspector.role not in INSPECTORS or not inspector.is_active:
            raise DomainError(_("{name} 不能担任检查人员。").format(name=inspector.display_name))
    template = data["template"]
    if template.current_version is None or not template.current_version.items.exists():
        raise DomainError(_("所选检查表还没有检查项目。"))


@transaction.atomic
def plan_create(*, actor, data: dict) -> InspectionPlan:
    ensure_role_allows(actor, InspectionPlan, "add")
    _check_plan(actor, data)
    plan = InspectionPlan(created_by=_user(actor), **{name: data.get(name) for name in PLAN_FIELDS if name in data})
    tracked_create(obj=plan, actor=actor, action="inspections.inspectionplan.created", fields=PLAN_FIELDS)
    plan.unit_types.set(data.get("unit_types") or [])
    plan.inspectors.set(data.get("inspectors") or [])
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, data: dict, expected_version: int | None) -> InspectionPlan:
    ensure_in_scope(actor, plan, "change")
    _check_plan(actor, data)
    plan = tracked_update(
        obj=plan,
        actor=actor,
        changes={name: data[name] for name in PLAN_FIELDS if name in data},
        expected_version=expected_version,
        action="inspections.inspectionplan.updated",
    )
    plan.unit_types.set(data.get("unit_types") or [])
    plan.inspectors.set(data.get("inspectors") or [])
    return plan


def default_round_dates(kind: str, day: date) -> tuple[date, date, date]:
    """(start, end, deadline) of the round of `kind` that contains `day`."""
    if kind == PlanKind.DAILY:
        return day, day, day
    if kind == PlanKind.TWICE_WEEKLY:  # Monday–Wednesday and Thursday–Sunday
        monday = day - timedelta(days=day.weekday())
        start, end = (
            (monday, monday + timedelta(days=2))
            if day.weekday() < 3
            else (
                monday + timedelta(days=3),
                monday + timedelta(days=6),
            )
        )
        return start, end, end
    period = "quarter" if kind == PlanKind.QUARTERLY else "month"
    start, end = selectors.period_bounds(period, day)
    return start, end, end


def plan_targets(plan: InspectionPlan) -> dict[str, list]:
    """Candidate targets grouped by kind label: units by type, or the jurisdictions of the template's level."""
    template = plan.template
    if template.target_kind == TargetKind.JURISDICTION:
        nodes = Jurisdiction.objects.filter(path__within=plan.jurisdiction.path, level=template.level).order_by("id")
        return {str(template.level): list(nodes)}
    types = list(plan.unit_types.all()) or list(template.unit_types.all())
    units = (
        Unit.objects.filter(jurisdiction__path__within=plan.jurisdiction.path, unit_type__in=types)
        .exclude(status=UnitStatus.CANCELLED)
        .select_related("unit_type", "jurisdiction")
        .order_by("id")
    )
    grouped: dict[str, list] = {str(t): [] for t in types}
    for unit in units:
        grouped[str(unit.unit_type)].append(unit)
    return grouped


def draw_sample(groups: dict[str, list], *, mode: str, count: int | None, share: int | None, seed: int) -> dict:
    """Draw per group; the same seed and candidates always give the same targets.

    Each group gets its own generator seeded with (seed, group name), so adding a unit of
    one type does not change the draw of another. Candidates are ordered by id first.
    """
    drawn = {}
    for name in sorted(groups):
        population = sorted(groups[name], key=lambda obj: obj.pk)
        if mode == SampleMode.ALL:
            k = len(population)
        elif mode == SampleMode.COUNT:
            k = min(count or 0, len(population))
        else:
            k = min(len(population), max(1, round(len(population) * (share or 0) / 100))) if population else 0
        rng = random.Random(f"{seed}:{name}")
        drawn[name] = sorted(rng.sample(population, k), key=lambda obj: obj.pk)
    return drawn


def _belongs_to(user, unit: Unit | None, place: Jurisdiction | None = None) -> bool:
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


def _may_be_assigned(user, unit: Unit | None, place: Jurisdiction) -> bool:
    """An inspector gets a sheet only inside their own area, and never for their own work."""
    in_area = user.role == Role.ADMIN or (user.jurisdiction_id and place.path.startswith(user.jurisdiction.path))
    return bool(in_area) and not _belongs_to(user, unit, place)


@transaction.atomic
def round_open(
    *, actor, plan: InspectionPlan, period_start: date, period_end: date, deadline: date, seed: int | None = None
) -> InspectionRound:
    """Open a round: draw the targets (seed recorded) and give each sheet an inspector in turn."""
    ensure_in_scope(actor, plan, "change")
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)  # one round number at a time
    if not plan.is_active:
        raise DomainError(_("该检查计划已停用。"))
    version = plan.template.current_version
    if version is None or not version.items.exists():
        raise DomainError(_("所选检查表还没有检查项目。"))
    inspectors = list(plan.inspectors.filter(is_active=True).select_related("jurisdiction").order_by("id"))
    if not inspectors:
        raise DomainError(_("请先为检查计划指定检查人员。"))
    seed = seed if seed is not None else secrets.randbelow(10**9)
    drawn = draw_sample(
        plan_targets(plan), mode=plan.sample_mode, count=plan.sample_count, share=plan.sample_share, seed=seed
    )
    targets = [target for group in drawn.values() for target in group]
    if not targets:
        raise DomainError(_("检查范围内没有符合条件的检查对象。"))
    number = (plan.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    sampling = [
        {"group": name, "candidates": len(group), "drawn": len(drawn[name])}
        for name, group in sorted(plan_targets(plan).items())
    ]
    round_ = InspectionRound(
        plan=plan,
        number=number,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        seed=seed,
        sampling=sampling,
        created_by=_user(actor),
    )
    tracked_create(
        obj=round_,
        actor=actor,
        action="inspections.inspectionround.created",
        fields=["number", "period_start", "period_end", "deadline", "seed"],
    )
    sheets = []
    for turn, target in enumerate(targets):
        unit = target if isinstance(target, Unit) else None
        place = unit.jurisdiction if unit else target
        choices = [user for user in inspectors if _may_be_assigned(user, unit, place)]
        inspector = choices[turn % len(choices)] if choices else None
        sheets.append(
            Inspection(
                round=round_,
                checklist=version,
                target_unit=unit,
                target_jurisdiction=place,
                inspector=inspector,
                max_total=version.max_total,
            )
        )
    Inspection.objects.bulk_create(sheets)
    return round_


@transaction.atomic
def rounds_open_due(*, today: date | None = None) -> int:
    """Beat task: open the next round of every active recurring plan whose last round has ended."""
    today = today or timezone.localdate()
    opened = 0
    for plan in InspectionPlan.objects.filter(is_active=True).exclude(kind=PlanKind.UNANNOUNCED):
        last = plan.rounds.order_by("-period_end").first()
        if last is not None and last.period_end >= today:
            continue
        if last is None:
            continue  # the first round is opened by a person, who checks the sample
        start, end, deadline = default_round_dates(plan.kind, today)
        try:
            round_open(actor=None, plan=plan, period_start=start, period_end=end, deadline=deadline)
            opened += 1
        except DomainError:
            continue
    return opened


# Doing an inspection -------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


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
    if _belongs_to(actor, locked.target_unit, locked.target_jurisdiction):
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


def _begin(locked: Inspection, actor) -> None:
    """待检查 → 检查中 on the first opening or entry; the inspector who starts keeps the sheet."""
    if locked.status != InspectionStatus.PLANNED:
        return
    locked.status, locked.started_at = InspectionStatus.IN_PROGRESS, timezone.now()
    locked.inspector = locked.inspector or actor
    locked.version += 1
    locked.save(update_fields=["status", "started_at", "inspector", "version", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="inspections.inspection.started",
        data={"changes": {"status": [str(InspectionStatus.PLANNED.label), str(InspectionStatus.IN_PROGRESS.label)]}},
    )


@transaction.atomic
def inspection_start(*, actor, inspection: Inspection) -> Inspection:
    locked = _lock_sheet(inspection, actor)
    _begin(locked, actor)
    return locked


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
    _begin(locked, actor)
    _apply_score(locked)
    locked.save(update_fields=["max_total", "total", "percent", "vetoed", "updated_at"])
    return result, locked, applied


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
    return _store_photo(upload, result=result, actor=actor, client_key=client_key)


def _store_photo(upload, *, actor, result=None, appeal=None, client_key: str = "") -> InspectionPhoto:
    photo = InspectionPhoto(result=result, appeal=appeal, client_key=client_key[:64], uploaded_by=_user(actor))
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
        raise ConcurrentEdit()
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
    score = _apply_score(locked)
    now = timezone.now()
    scheme = selectors.ranking_scheme_for(locked.target_jurisdiction)
    locked.started_at = locked.started_at or now
    # The day of the visit counts, not of the upload: a sheet filled on 31 March and sent on
    # 1 April (after a dead phone battery) belongs to March.
    locked.status, locked.submitted_at = InspectionStatus.SUBMITTED, now
    locked.inspected_on = timezone.localdate(locked.started_at)
    locked.inspector = locked.inspector or actor
    locked.original_total, locked.original_percent = locked.total, locked.percent
    locked.appeal_until = timezone.localdate(now) + timedelta(days=scheme.appeal_days)
    locked.representative_name = representative_name.strip()
    locked.representative_confirmed = representative_confirmed
    locked.summary = summary.strip()
    locked.version += 1
    locked.save()
    locked.results.update(original_deduction=F("deduction"))
    audit_record(
        actor=actor,
        obj=locked,
        action="inspections.inspection.submitted",
        data={
            "changes": {"status": [str(InspectionStatus.IN_PROGRESS.label), str(InspectionStatus.SUBMITTED.label)]},
            "after": {
                "total": str(score.total),
                "percent": str(score.percent),
                "vetoed": score.vetoed,
                "deductions": [f"{r.item.code} -{r.deduction}" for r in deducted],
            },
        },
    )
    if open_cases:
        for result in deducted:
            finding_open_case(actor=actor, result=result)
    if locked.target_unit_id:
        contacts = User.objects.filter(is_active=True, role=Role.UNIT_CONTACT, unit_id=locked.target_unit_id)
        notify(
            contacts,
            target=locked,
            kind="inspection",
            message=_("检查结果：{target} 得分 {total}（{percent}分），如有异议请于 {until} 前申诉。").format(
                target=locked.target_label, total=locked.total, percent=locked.percent, until=locked.appeal_until
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


def _change_score(
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
    return _change_score(
        actor=actor,
        result=result,
        occurrences=occurrences,
        passed=passed,
        kind=ScoreChangeKind.CORRECTION,
        reason=reason.strip(),
    )


@transaction.atomic
def appeal_submit(*, actor, result: InspectionResult, reason: str, photos=()) -> Appeal:
    """申诉: the inspected unit's contact contests one deduction within the appeal window."""
    result = InspectionResult.objects.select_for_update().get(pk=result.pk)
    inspection = Inspection.objects.get(pk=result.inspection_id)
    if actor.role != Role.UNIT_CONTACT or actor.unit_id != inspection.target_unit_id:
        raise PermissionDeniedForRole(_("只有被检查单位可以申诉。"))
    if inspection.status != InspectionStatus.SUBMITTED or result.deduction <= 0:
        raise DomainError(_("只能对已提交检查中的扣分项申诉。"))
    if inspection.appeal_until and timezone.localdate() > inspection.appeal_until:
        raise DomainError(_("申诉期限已过（截止 {until}）。").format(until=inspection.appeal_until))
    if result.appeals.exists():
        raise DomainError(_("该扣分项已申诉过，不能重复申诉。"))
    if not reason.strip():
        raise DomainError(_("请填写申诉理由。"))
    appeal = Appeal(result=result, inspection=inspection, reason=reason.strip(), submitted_by=actor)
    tracked_create(obj=appeal, actor=actor, action="inspections.appeal.created", fields=["result", "reason", "status"])
    for upload in photos:
        _store_photo(upload, actor=actor, appeal=appeal)
    reviewers = User.objects.filter(
        is_active=True,
        role__in=[Role.STREET, Role.OFFICE],
        jurisdiction_id__in=inspection.target_jurisdiction.ancestor_ids,
    )
    notify(
        reviewers,
        target=appeal,
        kind="appeal",
        message=_("{target} 对检查扣分项 {item} 提出申诉，请复核。").format(
            target=inspection.target_label, item=result.item.code
        ),
        link=appeal.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, overturn: bool, note: str, expected_version: int | None = None) -> Appeal:
    """Uphold or overturn. Overturning removes the deduction (the original stays on record) and re-ranks."""
    if actor.role not in REVIEWERS:
        raise PermissionDeniedForRole(_("只有创卫办或街道可以复核申诉。"))
    ensure_in_scope(actor, appeal, "view")
    locked = Appeal.objects.select_for_update().select_related("result__item", "inspection").get(pk=appeal.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status != AppealStatus.PENDING:
        raise DomainError(_("该申诉已复核。"))
    if locked.inspection.inspector_id == actor.pk:
        raise PermissionDeniedForRole(_("检查人不能复核针对本人检查的申诉。"))
    if not note.strip():
        raise DomainError(_("请填写复核意见。"))
    status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
    locked = tracked_update(
        obj=locked,
        actor=actor,
        changes={"status": status, "reviewer": actor, "decision_note": note.strip(), "decided_at": timezone.now()},
        expected_version=None,
        action=f"inspections.appeal.{status}",
    )
    if overturn:
        _change_score(
            actor=actor,
            result=locked.result,
            occurrences=0,
            passed=True,
            kind=ScoreChangeKind.APPEAL,
            reason=note.strip(),
            appeal=locked,
        )
    notify(
        [locked.submitted_by],
        target=locked,
        kind="appeal",
        message=_("申诉复核结果：{item} {status}。").format(
            item=locked.result.item.code, status=locked.get_status_display()
        ),
        link=locked.get_absolute_url(),
    )
    return locked


# Rankings ------------------------------------------------------------------------------------


@transaction.atomic
def scheme_save(*, actor, node: Jurisdiction, data: dict) -> RankingScheme:
    ensure_role_allows(actor, RankingScheme, "change")
    ensure_jurisdiction_in_scope(actor, node)
    fields = ["weight_inspection", "weight_closure", "weight_recurrence", "red_flags", "yellow_flags", "appeal_days"]
    scheme = RankingScheme.objects.filter(jurisdiction=node).first()
    if scheme is None:
        scheme = RankingScheme(jurisdiction=node, **{name: data[name] for name in fields})
        return tracked_create(obj=scheme, actor=actor, action="inspections.rankingscheme.created", fields=fields)
    return tracked_update(
        obj=scheme,
        actor=actor,
        changes={name: data[name] for name in fields},
        expected_version=data.get("version"),
        action="inspections.rankingscheme.updated",
    )


def _rules(result: selectors.RankingResult) -> dict:
    return {"red_flags": result.red_flags, "yellow_flags": result.yellow_flags}


def _sync_flags(published: PublishedRanking, rows: list[dict]) -> None:
    """Award flags of the rows; revoke (keep, dated) flags the new rows no longer carry."""
    wanted = {(row["flag"], row["key"]): row for row in rows if row["flag"]}
    now = timezone.now()
    for award in published.flags.filter(revoked_at__isnull=True):
        if (award.kind, award.target_key) not in wanted:
            award.revoked_at = now
            award.save(update_fields=["revoked_at"])
        else:
            row = wanted.pop((award.kind, award.target_key))
            award.rank = row["rank"]
            award.composite = Decimal(row["composite"]) if row["composite"] is not None else None
            award.save(update_fields=["rank", "composite"])
    FlagAward.objects.bulk_create(
        [
            FlagAward(
                ranking=published,
                kind=FlagKind(kind),
                target_key=key,
                target_label=row["label"],
                rank=row["rank"],
                composite=Decimal(row["composite"]) if row["composite"] is not None else None,
            )
            for (kind, key), row in wanted.items()
        ]
    )


@transaction.atomic
def ranking_publish(
    *,
    actor,
    node: Jurisdiction,
    period_kind: str,
    day: date,
    level_key: str,
    title: str,
    issuer: str,
    number: str = "",
    requirements: str = "",
    is_public: bool = True,
) -> PublishedRanking:
    """Publish (or republish) a period's ranking: rows, weights and flags are frozen and audited."""
    ensure_role_allows(actor, PublishedRanking, "add")
    ensure_jurisdiction_in_scope(actor, node)
    result = selectors.ranking_compute(node=node, period_kind=period_kind, day=day, level_key=level_key)
    if not result.rows:
        raise DomainError(_("本期没有已提交的检查，无法发布评比结果。"))
    rows = [row.as_json() for row in result.rows]
    values = {
        "period_end": result.end,
        "level_label": selectors.level_label(level_key),
        "title": title.strip()
        or _("关于{period}{level}检查评比情况的通报").format(
            period=result.label, level=selectors.level_label(level_key)
        ),
        "number": number.strip(),
        "issuer": issuer.strip() or str(node),
        "weights": {k: str(v) for k, v in result.weights.items()},
        "rules": _rules(result),
        "rows": rows,
        "requirements": requirements.strip(),
        "is_public": is_public,
    }
    published = (
        PublishedRanking.objects.select_for_update()
        .filter(jurisdiction=node, period_kind=period_kind, period_start=result.start, level_key=level_key)
        .first()
    )
    if published is None:
        published = PublishedRanking(
            jurisdiction=node,
            period_kind=period_kind,
            period_start=result.start,
            level_key=level_key,
            published_by=actor,
            **values,
        )
        try:
            with transaction.atomic():  # two people publishing the same period at once: one wins
                tracked_create(
                    obj=published,
                    actor=actor,
                    action="inspections.publishedranking.created",
                    fields=["title", "period_start", "period_end", "level_label", "is_public"],
                )
        except IntegrityError:
            raise ConcurrentEdit() from None
    else:
        values["revision"] = published.revision + 1
        values["published_by"] = actor
        published = tracked_update(
            obj=published,
            actor=actor,
            changes=values,
            expected_version=None,
            action="inspections.publishedranking.updated",
        )
    _sync_flags(published, rows)
    return published


def _published_scheme(published: PublishedRanking) -> RankingScheme:
    """The weights and flag rules the ranking was published with (not today's, which may differ)."""
    weights, rules = published.weights, published.rules
    return RankingScheme(
        jurisdiction=published.jurisdiction,
        weight_inspection=Decimal(weights["inspection"]),
        weight_closure=Decimal(weights["closure"]),
        weight_recurrence=Decimal(weights["recurrence"]),
        red_flags=rules.get("red_flags", 1),
        yellow_flags=rules.get("yellow_flags", 0),
    )


def _counts_in(published: PublishedRanking, day: date) -> bool:
    """A sheet of `day` counts in this ranking, or in the previous period its movement column uses."""
    if published.period_start <= day <= published.period_end:
        return True
    previous_start, previous_end = selectors.previous_period(published.period_kind, published.period_start)
    return previous_start <= day <= previous_end


def rankings_recalculate_for(*, actor, inspection: Inspection, reason: str) -> list[PublishedRanking]:
    """Recompute every published ranking the sheet counts in (its period or the one after, for the
    movement column; an ancestor scope), with the weights and rules it was published with."""
    if inspection.inspected_on is None:
        return []
    day = inspection.inspected_on
    candidates = PublishedRanking.objects.select_for_update().filter(
        jurisdiction_id__in=inspection.target_jurisdiction.ancestor_ids,
        period_end__gte=day,
        period_start__lte=day + timedelta(days=400),  # the next period of any kind starts within a year
    )
    updated = []
    for published in (p for p in candidates if _counts_in(p, day)):
        result = selectors.ranking_compute(
            node=published.jurisdiction,
            period_kind=published.period_kind,
            day=published.period_start,
            level_key=published.level_key,
            scheme=_published_scheme(published),
        )
        rows = [row.as_json() for row in result.rows]
        if rows == published.rows:
            continue
        before = {row["key"]: (row["rank"], row["composite"], row["flag"]) for row in published.rows}
        after = {row["key"]: (row["rank"], row["composite"], row["flag"]) for row in rows}
        labels = {row["key"]: row["label"] for row in [*published.rows, *rows]}
        changed = {
            labels[key]: [_rank_text(before.get(key)), _rank_text(after.get(key))]
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        }
        published.rows, published.revision = rows, published.revision + 1
        published.version += 1
        published.save(update_fields=["rows", "revision", "version", "updated_at"])
        _sync_flags(published, rows)
        audit_record(
            actor=actor,
            obj=published,
            action="inspections.publishedranking.recalculated",
            data={"changes": changed or {_("排名"): [_("名次不变"), _("得分或升降已更新")]}, "note": reason},
        )
        updated.append(published)
    return updated


def _rank_text(value) -> str | None:
    if value is None:
        return None
    rank, composite, flag = value
    flag_text = {"red": _("红旗"), "yellow": _("黄旗")}.get(flag, "")
    return _("第{rank}名 {composite}分 {flag}").format(rank=rank, composite=composite, flag=flag_text).strip()


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
        if _belongs_to(actor, unit):
            raise PermissionDeniedForRole(_("检查人员不能检查本人所在的单位或本社区。"))
        place = unit.jurisdiction
    else:
        if jurisdiction is None:
            raise DomainError(_("请选择被检查的辖区。"))
        if jurisdiction.level_id != template.level_id:
            raise DomainError(_("该检查表用于检查{level}。").format(level=template.level))
        ensure_jurisdiction_in_scope(actor, jurisdiction)
        if _belongs_to(actor, None, jurisdiction):
            raise PermissionDeniedForRole(_("检查人员不能检查本人所在的单位或本社区。"))
        unit, place = None, jurisdiction
    with transaction.atomic():
        inspection = Inspection(
            checklist=version,
            target_unit=unit,
            target_jurisdiction=place,
            inspector=actor,
            status=InspectionStatus.IN_PROGRESS,
            started_at=timezone.now(),
            max_total=version.max_total,
        )
        return tracked_create(
            obj=inspection,
            actor=actor,
            action="inspections.inspection.created",
            fields=["checklist", "target_unit", "target_jurisdiction", "inspector", "status"],
        )
