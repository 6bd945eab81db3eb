"""Writes on standards: the standard's header, its content (sections, items, indicators, evidence
requirements), imports of a whole tree, and the shipped standards.

Versioning: every content edit goes to the standard's current version. If a campaign already
runs against that version (`StandardVersion.in_use`), the whole tree is first copied into a new
version, the edit is applied to the copy and the standard's `current_version` moves to it (audited
as `standards.standard.version_created`); the campaign keeps the text it is assessed against. An
unused version is edited in place. Every edit locks the standard's row and bumps its `version`, so
an editor working from a stale page is refused (`ConcurrentEdit`).

Permissions: `standards.standard` change (office, admin). Standards are not scoped by jurisdiction.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.core.evidence import figures, sources
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update

from .choices import ItemKind, MeasureKind
from .models import (
    EDITOR_PATH,
    EvidenceRequirement,
    Standard,
    StandardIndicator,
    StandardItem,
    StandardSection,
    StandardVersion,
)

STANDARD_FIELDS = ["code", "name", "kind", "issuer", "year", "description", "is_active", "is_example"]
SECTION_FIELDS = ["code", "name", "sort", "is_example"]
ITEM_FIELDS = ["section", "code", "text", "method", "kind", "points", "evidence_note", "is_example", "sort"]
INDICATOR_FIELDS = ["name", "measure", "comparator", "threshold", "unit", "figure_key", "is_example", "sort"]
REQUIREMENT_FIELDS = ["name", "min_count", "source", "category", "tag", "sort"]
PERCENT_UNITS = {"%", "％"}
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def edit(service):
    """A write on standards: atomic, and audited under the editor's jurisdiction (models.EDITOR_PATH)."""

    @functools.wraps(service)
    def wrapped(*args, actor, **kwargs):
        jurisdiction = getattr(actor, "jurisdiction", None)
        token = EDITOR_PATH.set(jurisdiction.path if jurisdiction is not None else "")
        try:
            with transaction.atomic():
                return service(*args, actor=actor, **kwargs)
        finally:
            EDITOR_PATH.reset(token)

    return wrapped


# The standard's header ------------------------------------------------------------------------


@edit
def standard_create(*, actor, data: dict) -> Standard:
    """A new standard with an empty version 1 (sections and items are added or imported next)."""
    ensure_role_allows(actor, Standard, "add")
    standard = Standard(**{name: data[name] for name in STANDARD_FIELDS if name in data})
    tracked_create(obj=standard, actor=actor, action="standards.standard.created", fields=STANDARD_FIELDS)
    version = StandardVersion.objects.create(
        standard=standard, number=1, created_by=_user(actor), note=data.get("note", ""), source=data.get("source", "")
    )
    Standard.objects.filter(pk=standard.pk).update(current_version=version)
    standard.current_version = version
    return standard


@edit
def standard_update(*, actor, standard: Standard, data: dict, expected_version: int | None) -> Standard:
    """Change the header (name, kind, issuer, year, description, active); the code stays."""
    ensure_in_scope(actor, standard, "change")
    fields = [name for name in STANDARD_FIELDS if name in data and name != "code"]
    return tracked_update(
        obj=standard,
        actor=actor,
        changes={name: data[name] for name in fields},
        expected_version=expected_version,
        action="standards.standard.updated",
    )


# Versions -----------------------------------------------------------------------------------


@dataclass
class Copy:
    """Where each row of the edited version went: old id -> new id per kind (empty: edited in place)."""

    version: StandardVersion
    copied: bool = False
    ids: dict[str, dict[int, int]] = field(
        default_factory=lambda: {"section": {}, "item": {}, "indicator": {}, "requirement": {}}
    )

    def target(self, model, obj):
        """The row an edit aimed at `obj` (of the version the page showed) lands on."""
        if obj is None:
            return None
        kind = {
            StandardSection: "section",
            StandardItem: "item",
            StandardIndicator: "indicator",
            EvidenceRequirement: "requirement",
        }[model]
        pk = self.ids[kind].get(obj.pk) if self.copied else obj.pk
        target = model.objects.filter(pk=pk).first() if pk else None
        if target is None or _version_id(target) != self.version.pk:
            raise DomainError(_("该内容不属于当前版本，请刷新页面后重试。"))
        return target


def _version_id(obj) -> int:
    if isinstance(obj, (StandardSection, StandardItem)):
        return obj.version_id
    return obj.item.version_id


def version_copy(*, source: StandardVersion, number: int, actor, note: str = "") -> Copy:
    """A new version of the same standard holding a copy of `source`'s whole tree."""
    copy = StandardVersion.objects.create(
        standard=source.standard,
        number=number,
        created_by=_user(actor),
        note=note,
        source=source.source,
    )
    result = Copy(version=copy, copied=True)
    sections = list(source.sections.all())
    new_sections = StandardSection.objects.bulk_create(
        [
            StandardSection(version=copy, code=s.code, name=s.name, sort=s.sort, is_example=s.is_example)
            for s in sections
        ]
    )
    result.ids["section"] = {old.pk: new.pk for old, new in zip(sections, new_sections, strict=True)}
    items = list(StandardItem.objects.filter(version=source).order_by("pk"))
    new_items = StandardItem.objects.bulk_create(
        [
            StandardItem(
                version=copy,
                section_id=result.ids["section"][item.section_id],
                **{name: getattr(item, name) for name in ITEM_FIELDS if name != "section"},
            )
            for item in items
        ]
    )
    result.ids["item"] = {old.pk: new.pk for old, new in zip(items, new_items, strict=True)}
    indicators = list(StandardIndicator.objects.filter(item__version=source).order_by("pk"))
    new_indicators = StandardIndicator.objects.bulk_create(
        [
            StandardIndicator(
                item_id=result.ids["item"][x.item_id], **{name: getattr(x, name) for name in INDICATOR_FIELDS}
            )
            for x in indicators
        ]
    )
    result.ids["indicator"] = {old.pk: new.pk for old, new in zip(indicators, new_indicators, strict=True)}
    requirements = list(EvidenceRequirement.objects.filter(item__version=source).order_by("pk"))
    new_requirements = EvidenceRequirement.objects.bulk_create(
        [
            EvidenceRequirement(
                item_id=result.ids["item"][r.item_id], **{name: getattr(r, name) for name in REQUIREMENT_FIELDS}
            )
            for r in requirements
        ]
    )
    result.ids["requirement"] = {old.pk: new.pk for old, new in zip(requirements, new_requirements, strict=True)}
    return result


def _writable_version(actor, standard: Standard, expected_version: int | None) -> tuple[Standard, Copy]:
    """Lock the standard and give the version edits go to: the current one if no campaign uses it,
    else a copy that becomes current. Bumps the standard's `version` either way."""
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    current = locked.current_version
    if current is not None and not current.in_use:
        Standard.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
        locked.version += 1
        return locked, Copy(version=current)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if current is None:
        copy = Copy(version=StandardVersion.objects.create(standard=locked, number=number, created_by=_user(actor)))
    else:
        copy = version_copy(source=current, number=number, actor=actor, note=_("修改已被创建项目使用的版本时自动生成"))
    locked.current_version = copy.version
    locked.version += 1
    locked.save(update_fields=["current_version", "version", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="standards.standard.version_created",
        data={"changes": {"current_version": [current.number if current else None, number]}},
    )
    return locked, copy


def _audit_content(actor, standard, action, version, part, before=None, after=None):
    """One audit row on the standard for a content edit: which part, in which version, what changed."""
    data = {"part": part, "version_number": version.number}
    if before is not None and after is not None:
        data["changes"] = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    elif after is not None:
        data["after"] = {"part": part, "version_number": version.number, **after}
    audit_record(actor=actor, obj=standard, action=action, data=data)


def _prefixed(prefix: str, values: dict) -> dict:
    return {f"{prefix}.{key}": value for key, value in values.items()}


def _next_sort(queryset) -> int:
    return (queryset.aggregate(n=Max("sort"))["n"] or 0) + 1


def _apply(obj, data: dict, fields: list[str]) -> None:
    for name in fields:
        if name in data and data[name] is not None:
            setattr(obj, name, data[name])
        elif name in data and name in ("points", "threshold"):
            setattr(obj, name, None)


def _clean(obj, exclude: list[str]) -> None:
    """The model's own validation (kind and points, min counts), as a DomainError-free ValidationError
    the views show on their fields."""
    obj.full_clean(exclude=exclude, validate_constraints=False)


# Content: one save path and one delete path for sections, items, indicators and requirements ---


def _content_save(
    *,
    actor,
    standard: Standard,
    expected_version: int | None,
    kind: str,
    model,
    obj,
    owners: list,
    fields: list[str],
    data,
    new,
    check,
    label,
):
    """The edit every content save makes: scope, current version only (of `obj` and its
    `owners`), the writable version (a copy when in use), the row the page meant in it (`obj`, or
    `new(copy)` for an addition), the changes (`data`, or `data(copy)` when it names rows that
    move with the copy), `check(target, copy, before)`, save, and one audit row
    (standards.standard.<kind>_added / <kind>_changed) with the before/after values."""
    ensure_in_scope(actor, standard, "change")
    for owner in (obj, *owners):
        _ensure_current(standard, owner)
    standard, copy = _writable_version(actor, standard, expected_version)
    target = copy.target(model, obj)
    before = snapshot(target, fields) if target else None
    if target is None:
        target = new(copy)
    _apply(target, data(copy) if callable(data) else data, fields)
    check(target, copy, before or {})
    target.save()
    after = snapshot(target, fields)
    action = f"standards.standard.{kind}_changed" if before else f"standards.standard.{kind}_added"
    previous = _prefixed(kind, before) if before else None
    _audit_content(actor, standard, action, copy.version, label(target), previous, _prefixed(kind, after))
    return target


def _content_delete(*, actor, standard: Standard, expected_version: int | None, kind: str, model, obj, owner, label):
    """Remove a row of the current version (from a copy when the version is in use), audited as
    standards.standard.<kind>_removed; a section takes its items with it (counted)."""
    ensure_in_scope(actor, standard, "change")
    _ensure_current(standard, owner)
    standard, copy = _writable_version(actor, standard, expected_version)
    target = copy.target(model, obj)
    text = label(target)
    after = {"items_removed": target.items.count()} if model is StandardSection else {}
    target.delete()
    _audit_content(actor, standard, f"standards.standard.{kind}_removed", copy.version, text, after=after)


def _code_name(target) -> str:
    return f"{target.item.code} {target.name}"


# Sections -----------------------------------------------------------------------------------


def _check_section(section: StandardSection, copy: Copy, before: dict) -> None:
    section.code, section.name = (section.code or "").strip(), (section.name or "").strip()
    if copy.version.sections.filter(code=section.code).exclude(pk=section.pk).exists():
        raise ValidationError({"code": _("大项编号“{code}”在本版本中已存在。").format(code=section.code)})
    _clean(section, ["version"])


@edit
def section_save(
    *,
    actor,
    standard: Standard,
    data: dict,
    section: StandardSection | None = None,
    expected_version: int | None = None,
) -> StandardSection:
    """Add a 大项 or change one (code unique in the version)."""
    return _content_save(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="section",
        model=StandardSection,
        obj=section,
        owners=[],
        fields=SECTION_FIELDS,
        data=data,
        new=lambda copy: StandardSection(version=copy.version, sort=_next_sort(copy.version.sections)),
        check=_check_section,
        label=str,
    )


@edit
def section_delete(*, actor, standard: Standard, section: StandardSection, expected_version: int | None = None) -> None:
    """Remove a 大项 with its items (from a copy when the version is in use)."""
    _content_delete(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="section",
        model=StandardSection,
        obj=section,
        owner=section,
        label=str,
    )


# Items --------------------------------------------------------------------------------------


def _check_item(item: StandardItem, version: StandardVersion) -> None:
    if not (item.text or "").strip():
        raise ValidationError({"text": _("请填写条文。")})
    if version.items.filter(code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": _("小项编号“{code}”在本版本中已存在。").format(code=item.code)})
    if item.kind != ItemKind.SCORED:
        item.points = item.points or None
    _clean(item, ["version", "section"])


@edit
def item_save(
    *, actor, standard: Standard, data: dict, item: StandardItem | None = None, expected_version: int | None = None
) -> StandardItem:
    """Add a 小项 (to `data["section"]`) or change one. On a version in use this first copies the
    version: the section and item named by the page are found again in the copy."""
    ensure_in_scope(actor, standard, "change")
    section = data.get("section") or (item.section if item else None)
    if section is None:
        raise ValidationError({"section": _("请选择大项。")})

    def check(target, copy, before):
        if not target.sort:
            target.sort = _next_sort(copy.version.items.filter(section=target.section))
        _check_item(target, copy.version)

    return _content_save(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="item",
        model=StandardItem,
        obj=item,
        owners=[section],
        fields=ITEM_FIELDS,
        data=lambda copy: {**data, "section": copy.target(StandardSection, section)},
        new=lambda copy: StandardItem(version=copy.version, sort=0),
        check=check,
        label=str,
    )


@edit
def item_delete(*, actor, standard: Standard, item: StandardItem, expected_version: int | None = None) -> None:
    _content_delete(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="item",
        model=StandardItem,
        obj=item,
        owner=item,
        label=str,
    )


# Indicators ---------------------------------------------------------------------------------


def check_indicator_values(*, measure: str, threshold: Decimal | None, unit: str) -> dict[str, str]:
    """Errors by field for an indicator's threshold: never negative; a rate (or a value in %) at
    most 100. Shared by the forms' service and the import."""
    errors = {}
    if threshold is not None and threshold < 0:
        errors["threshold"] = _("达标值不能为负数。")
    elif (
        threshold is not None
        and threshold > 100
        and ((unit or "").strip() in PERCENT_UNITS or measure == MeasureKind.RATE)
    ):
        errors["threshold"] = _("比率的达标值不能超过 100%。")
    if measure == MeasureKind.RATE and (unit or "").strip() not in PERCENT_UNITS | {""}:
        errors["unit"] = _("比率的单位应为 %。")
    return errors


def _check_indicator(indicator: StandardIndicator, previous_key: str) -> None:
    if indicator.measure == MeasureKind.RATE and not (indicator.unit or "").strip():
        indicator.unit = "%"
    errors = check_indicator_values(measure=indicator.measure, threshold=indicator.threshold, unit=indicator.unit)
    if indicator.figure_key and indicator.figure_key not in figures() and indicator.figure_key != previous_key:
        errors["figure_key"] = _("系统数据“{key}”不存在。").format(key=indicator.figure_key)
    if not (indicator.name or "").strip():
        errors["name"] = _("请填写指标名称。")
    if errors:
        raise ValidationError(errors)
    _clean(indicator, ["item"])


@edit
def indicator_save(
    *,
    actor,
    standard: Standard,
    data: dict,
    item: StandardItem | None = None,
    indicator: StandardIndicator | None = None,
    expected_version: int | None = None,
) -> StandardIndicator:
    """Add an indicator to `item` or change `indicator` (threshold checks in `check_indicator_values`)."""
    item = item or indicator.item

    def new(copy):
        owner = copy.target(StandardItem, item)
        return StandardIndicator(item=owner, sort=_next_sort(owner.indicators))

    return _content_save(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="indicator",
        model=StandardIndicator,
        obj=indicator,
        owners=[item],
        fields=INDICATOR_FIELDS,
        data=data,
        new=new,
        check=lambda target, copy, before: _check_indicator(target, before.get("figure_key") or ""),
        label=_code_name,
    )


@edit
def indicator_delete(
    *, actor, standard: Standard, indicator: StandardIndicator, expected_version: int | None = None
) -> None:
    _content_delete(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="indicator",
        model=StandardIndicator,
        obj=indicator,
        owner=indicator.item,
        label=_code_name,
    )


# Evidence requirements ----------------------------------------------------------------------


def _check_requirement(requirement: EvidenceRequirement, copy: Copy, before: dict) -> None:
    source = requirement.source
    if source and source not in sources() and source != (before.get("source") or ""):
        raise ValidationError({"source": _("自动关联数据“{key}”不存在。").format(key=source)})
    if not (requirement.name or "").strip():
        raise ValidationError({"name": _("请填写资料名称。")})
    _clean(requirement, ["item"])


@edit
def requirement_save(
    *,
    actor,
    standard: Standard,
    data: dict,
    item: StandardItem | None = None,
    requirement: EvidenceRequirement | None = None,
    expected_version: int | None = None,
) -> EvidenceRequirement:
    """Add a piece of evidence `item` needs, or change one. `source` must be a registered evidence
    source (apps/core/evidence.py) or empty (manual upload)."""
    item = item or requirement.item

    def new(copy):
        owner = copy.target(StandardItem, item)
        return EvidenceRequirement(item=owner, sort=_next_sort(owner.requirements))

    return _content_save(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="requirement",
        model=EvidenceRequirement,
        obj=requirement,
        owners=[item],
        fields=REQUIREMENT_FIELDS,
        data=data,
        new=new,
        check=_check_requirement,
        label=_code_name,
    )


@edit
def requirement_delete(
    *, actor, standard: Standard, requirement: EvidenceRequirement, expected_version: int | None = None
) -> None:
    _content_delete(
        actor=actor,
        standard=standard,
        expected_version=expected_version,
        kind="requirement",
        model=EvidenceRequirement,
        obj=requirement,
        owner=requirement.item,
        label=_code_name,
    )


def _ensure_current(standard: Standard, obj) -> None:
    """Edits address the current version only (older versions are read-only history)."""
    if obj is not None and _version_id(obj) != standard.current_version_id:
        raise DomainError(_("历史版本不能修改。"))


# A whole tree (imports and the shipped standards) -------------------------------------------


def write_tree(version: StandardVersion, sections: list[dict], *, models=None) -> int:
    """Insert `sections` (dicts: code, name, is_example, items: [dicts with the item fields,
    `indicators` and `requirements` lists]) into an empty `version`. Returns the number of items.

    `models` are a migration's historical models (section, item, indicator, requirement)."""
    section_model, item_model, indicator_model, requirement_model = models or (
        StandardSection,
        StandardItem,
        StandardIndicator,
        EvidenceRequirement,
    )
    count = 0
    for section_sort, spec in enumerate(sections, start=1):
        section = section_model.objects.create(
            version=version,
            code=spec["code"],
            name=spec["name"],
            sort=section_sort,
            is_example=spec.get("is_example", False),
        )
        for item_sort, entry in enumerate(spec["items"], start=1):
            item = item_model.objects.create(
                version=version,
                section=section,
                code=entry["code"],
                text=entry["text"],
                method=entry.get("method", ""),
                kind=entry.get("kind", ItemKind.PLAIN),
                points=entry.get("points"),
                evidence_note=entry.get("evidence_note", ""),
                is_example=entry.get("is_example", True),
                sort=item_sort,
            )
            count += 1
            for sort, x in enumerate(entry.get("indicators", []), start=1):
                threshold = x.get("threshold")
                indicator_model.objects.create(
                    item=item,
                    name=x["name"],
                    measure=x.get("measure", MeasureKind.RATE),
                    comparator=x.get("comparator", "gte"),
                    threshold=Decimal(threshold) if threshold not in (None, "") else None,
                    unit=x.get("unit", ""),
                    figure_key=x.get("figure_key", ""),
                    is_example=x.get("is_example", True),
                    sort=sort,
                )
            for sort, requirement in enumerate(entry.get("requirements", []), start=1):
                # (name, minimum count[, source key of the automatic link[, the source's category]])
                name, min_count, source, category = (*requirement, "", "")[:4]
                requirement_model.objects.create(
                    item=item, name=name, min_count=min_count, source=source, category=category, sort=sort
                )
    return count


@edit
def standard_import(*, actor, code: str, header: dict, sections: list[dict], source: str, job_id: int) -> tuple:
    """Load an imported tree: a new standard (version 1), or a new version of an existing one (the
    current version is filled in place only when it is unused and still empty). Returns
    (standard, version, items written). Called by the import job, inside its transaction."""
    existing = Standard.objects.select_for_update().filter(code=code).first()
    if existing is None:
        ensure_role_allows(actor, Standard, "add")
        standard = standard_create(actor=actor, data={**header, "code": code, "source": source})
        version = standard.current_version
    else:
        ensure_in_scope(actor, existing, "change")
        standard, current = existing, existing.current_version
        if current is not None and not current.in_use and not current.sections.exists():
            version = current
            StandardVersion.objects.filter(pk=version.pk).update(source=source)
        else:
            number = (standard.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = StandardVersion.objects.create(
                standard=standard, number=number, created_by=_user(actor), source=source, note=_("导入")
            )
        standard.current_version = version
        standard.version += 1
        standard.save(update_fields=["current_version", "version", "updated_at"])
    count = write_tree(version, sections)
    audit_record(
        actor=actor,
        obj=standard,
        action="standards.standard.imported",
        data={"version_number": version.number, "sections": len(sections), "items": count, "import_job": job_id},
    )
    return standard, version, count


def install_starter_standards(get_model=None) -> int:
    """Create the shipped standards that are missing (by code); returns how many were made.

    `get_model` is a migration's `apps.get_model` (historical models) or Django's registry."""
    from django.apps import apps as registry

    from .starters import starter_standards

    get_model = get_model or registry.get_model
    standard_model = get_model("standards", "Standard")
    version_model = get_model("standards", "StandardVersion")
    models = tuple(
        get_model("standards", name)
        for name in ("StandardSection", "StandardItem", "StandardIndicator", "EvidenceRequirement")
    )
    created = 0
    for spec in starter_standards():
        if standard_model.objects.filter(code=spec["code"]).exists():
            continue
        with transaction.atomic():
            standard = standard_model.objects.create(
                **{key: spec[key] for key in ("code", "name", "kind", "issuer", "year", "description", "is_example")}
            )
            version = version_model.objects.create(standard=standard, number=1, note="系统提供", source="示例文档 001")
            write_tree(version, spec["sections"], models=models)
            standard.current_version = version
            standard.save(update_fields=["current_version"])
            created += 1
    return created
