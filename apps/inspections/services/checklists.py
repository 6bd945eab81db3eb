"""Checklists: templates with versioned sections and items; a version in use is copied before an edit."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update

from ..models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
)
from .common import FINDING_CATEGORY_CODE, acting_user

TEMPLATE_FIELDS = ["code", "name", "description", "target_kind", "level", "is_example", "is_active"]
ITEM_FIELDS = ["code", "text", "max_score", "rule", "deduction", "cap", "photo_required", "veto", "category", "sort"]


@transaction.atomic
def checklist_create(*, actor, data: dict) -> ChecklistTemplate:
    """A new template with an empty version 1 (sections and items are added next)."""
    ensure_role_allows(actor, ChecklistTemplate, "add")
    template = ChecklistTemplate(**{name: data.get(name) for name in TEMPLATE_FIELDS if name in data})
    tracked_create(obj=template, actor=actor, action="inspections.checklisttemplate.created", fields=TEMPLATE_FIELDS)
    template.unit_types.set(data.get("unit_types") or [])
    version = ChecklistVersion.objects.create(template=template, number=1, created_by=acting_user(actor))
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
        template=locked, number=number, created_by=acting_user(actor), note=_("修改使用中的检查表时自动生成")
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

    from ..starters import starter_templates

    get_model = get_model or registry.get_model
    template_model = get_model("inspections", "ChecklistTemplate")
    version_model = get_model("inspections", "ChecklistVersion")
    section_model = get_model("inspections", "ChecklistSection")
    item_model = get_model("inspections", "ChecklistItem")
    level_model = get_model("organization", "JurisdictionLevel")
    unit_type_model = get_model("organization", "UnitType")
    categories = dict(get_model("cases", "Category").objects.values_list("code", "id"))
    created = 0
    for spec in starter_templates():
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
