"""Writes of the yearly health-education plan: one per jurisdiction and year, its targets a grid
of kind × 12 months saved as one (keyword-only, atomic, scope- and role-checked, versioned,
audited with the grid before and after)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import Role

from ..choices import EduKind
from ..models import MAX_PLANNED, EducationPlan, PlanTarget

PLAN_FIELDS = ["title", "notes"]
NOT_YOURS = gettext_lazy("该计划由其他层级制定，只能由制定的辖区修改。")


def owns_plan(plan, user) -> bool:
    """The plan's jurisdiction lies in the user's subtree (a community reads the street's plan
    but does not change it)."""
    if user is None or user.role == Role.ADMIN:
        return True
    own = user.jurisdiction
    return bool(own and plan.jurisdiction.path.startswith(own.path))


def clean_targets(targets: dict) -> dict[tuple[str, int], int]:
    """{(kind, month): sessions} checked: a known kind, months 1–12, 0–MAX_PLANNED sessions."""
    clean = {}
    for (kind, month), value in (targets or {}).items():
        if kind not in EduKind.values:
            raise DomainError(_("未知的活动类型：{kind}").format(kind=kind))
        month = int(month)
        if not 1 <= month <= 12:
            raise DomainError(_("月份应为 1 至 12。"))
        try:
            n = int(value or 0)
        except (TypeError, ValueError):
            raise DomainError(_("计划场次应为整数。")) from None
        if n < 0 or n > MAX_PLANNED:
            raise DomainError(_("计划场次应为 0 至 {max} 之间的整数。").format(max=MAX_PLANNED))
        if n:
            clean[(kind, month)] = n
    return clean


def targets_of(plan) -> dict[tuple[str, int], int]:
    return {(t.kind, t.month): t.planned for t in plan.targets.all()}


def _targets_text(targets: dict) -> list[str]:
    return [f"{EduKind(kind).label} {month}月 {n}" for (kind, month), n in sorted(targets.items())]


def _write_targets(plan, targets: dict) -> None:
    existing = {(t.kind, t.month): t for t in plan.targets.all()}
    for key, row in existing.items():
        if key not in targets:
            row.delete()  # a target set back to 0 is not stored (a grid cell, not a record)
    for (kind, month), n in targets.items():
        row = existing.get((kind, month))
        if row is None:
            PlanTarget.objects.create(plan=plan, kind=kind, month=month, planned=n)
        elif row.planned != n:
            row.planned = n
            row.save(update_fields=["planned"])


@transaction.atomic
def plan_create(*, actor, jurisdiction, year: int, title: str, notes: str = "", targets: dict | None = None):
    ensure_role_allows(actor, EducationPlan, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    clean = clean_targets(targets)
    if EducationPlan.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise DomainError(_("{place}已有{year}年度的健康教育计划。").format(place=jurisdiction.name, year=year))
    plan = EducationPlan(
        jurisdiction=jurisdiction,
        year=year,
        title=(title or "").strip() or _("{year}年健康教育工作计划").format(year=year),
        notes=notes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    plan.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise DomainError(
            _("{place}已有{year}年度的健康教育计划。").format(place=jurisdiction.name, year=year)
        ) from None
    _write_targets(plan, clean)
    data = snapshot(plan, ["jurisdiction", "year", *PLAN_FIELDS])
    data["targets"] = _targets_text(clean)
    audit_record(actor=actor, obj=plan, action="education.educationplan.created", data={"after": data})
    return plan


@transaction.atomic
def plan_update(*, actor, plan, expected_version: int | None, changes: dict, targets: dict | None = None):
    """Title, notes and the whole target grid as one versioned edit (a stale version raises
    ConcurrentEdit; nothing is half-saved)."""
    locked = EducationPlan.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=plan.pk)
    if actor is not None:
        ensure_in_scope(actor, locked, "change")
        if not owns_plan(locked, actor):
            raise PermissionDeniedForRole(NOT_YOURS)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    before = snapshot(locked, PLAN_FIELDS)
    before["targets"] = _targets_text(targets_of(locked))
    for name, value in changes.items():
        if name not in PLAN_FIELDS:
            raise DomainError(_("该字段不能修改。"))
        setattr(locked, name, value)
    locked.full_clean(validate_constraints=False)
    if targets is not None:
        _write_targets(locked, clean_targets(targets))
    after = snapshot(locked, PLAN_FIELDS)
    after["targets"] = _targets_text(targets_of(locked))
    changed = diff(before, after)
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    audit_record(actor=actor, obj=locked, action="education.educationplan.updated", data={"changes": changed})
    return locked
