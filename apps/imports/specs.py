"""What can be imported: the template columns, cross-row checks and the bulk write.

Each spec validates every row against what the importing user may see (a code
outside their jurisdiction is "not found", exactly as in the views) and writes all
rows in one transaction, with one audit event per created record. A spec also gives
the template's example row (`example`), built from the same lookup tables as the
checks, so the example is always a row the importer would accept.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import snapshot
from apps.core.models import AuditEvent
from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, JurisdictionLevel, License, Staff, Unit, UnitType

from .columns import (
    CellError,
    ChoiceColumn,
    Column,
    DateColumn,
    DecimalColumn,
    IntColumn,
    LookupColumn,
    PhoneColumn,
)

BATCH = 1000


def _audit_rows(actor, objects, action: str, fields: list[str], job_id: int) -> list[AuditEvent]:
    content_type = ContentType.objects.get_for_model(type(objects[0])) if objects else None
    now = timezone.now()
    return [
        AuditEvent(
            occurred_at=now,
            actor=actor,
            actor_name=actor.display_name,
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            jurisdiction_path=obj.audit_scope().get("jurisdiction_path", ""),
            unit_id=obj.audit_scope().get("unit_id"),
            data={"after": snapshot(obj, fields), "import_job": job_id},
        )
        for obj in objects
    ]


def _scoped_jurisdictions(actor) -> dict[str, Jurisdiction]:
    nodes = Jurisdiction.objects.restrict(actor, "view").select_related("level")
    return {j.code: j for j in nodes.only("id", "code", "path", "depth", "name", "level__rank")}


def _example_code(actor, scope: dict[str, Jurisdiction]) -> str:
    """A code the actor may use: their own jurisdiction's, else the first in their scope."""
    own = getattr(actor, "jurisdiction", None)
    if own is not None and own.code in scope:
        return own.code
    return next(iter(scope), "")


def _first(options: list[str], preferred: str) -> str:
    return preferred if preferred in options else next(iter(options), "")


class ImportSpec:
    source = ""
    title = ""
    model = None
    # The list a finished import links to ("查看…"): a URL name and its label.
    result_url_name = "organization:jurisdiction_list"
    result_label = gettext_lazy("查看辖区")

    def columns(self) -> list[Column]:
        return []

    def prepare(self, actor, columns) -> None:
        """Fill lookup tables for the actor's scope (one query per table, not per row)."""

    def example(self, actor, columns) -> dict:
        """One realistic row (by column key) for the template; called after `prepare`."""
        return {}

    def check_row(self, values: dict, row_number: int, state: dict) -> list[tuple[str, str]]:
        """Cross-field and cross-row checks; returns (column header, message) pairs."""
        return []

    def write(self, actor, rows: list[dict], job_id: int) -> int:
        return 0


class UnitImport(ImportSpec):
    source = "units"
    title = gettext_lazy("单位")
    model = Unit
    result_url_name = "organization:unit_list"
    result_label = gettext_lazy("查看单位")

    def columns(self):
        return [
            Column(_("单位名称"), "name", required=True, max_length=200),
            LookupColumn(_("单位类型"), "unit_type", required=True, message=_("单位类型“{value}”不存在")),
            LookupColumn(
                _("所在辖区代码"),
                "jurisdiction",
                required=True,
                max_length=40,
                jurisdiction_code=True,
                message=_("辖区代码“{value}”不存在或不在您的管辖范围内"),
            ),
            Column(_("地址"), "address"),
            DecimalColumn(_("纬度"), "lat", minimum=Decimal(-90), maximum=Decimal(90)),
            DecimalColumn(_("经度"), "lng", minimum=Decimal(-180), maximum=Decimal(180)),
            Column(_("联系人"), "contact_name", max_length=50),
            PhoneColumn(_("联系电话"), "contact_phone", max_length=30),
            ChoiceColumn(_("经营状态"), "status", choices=UnitStatus.choices, default=UnitStatus.OPERATING),
            Column(_("统一社会信用代码"), "credit_code", max_length=18),
            Column(_("证照类型"), "license_kind", max_length=50),
            Column(_("证照编号"), "license_number", max_length=60),
            DateColumn(_("证照有效期至"), "license_expires_on"),
        ]

    def prepare(self, actor, columns):
        by_key = {c.key: c for c in columns}
        types = {t.name: t for t in UnitType.objects.filter(is_active=True)}
        by_key["unit_type"].offered = list(types)
        types.update({t.code: t for t in list(types.values())})
        by_key["unit_type"].lookup = types
        by_key["jurisdiction"].lookup = _scoped_jurisdictions(actor)

    def example(self, actor, columns):
        by_key = {c.key: c for c in columns}
        return {
            "name": _("锦绣花园物业服务有限公司"),
            "unit_type": _first(by_key["unit_type"].options(), "物业公司"),
            "jurisdiction": _example_code(actor, by_key["jurisdiction"].lookup),
            "address": _("人民路88号锦绣花园"),
            "lat": Decimal("31.467800"),
            "lng": Decimal("104.679500"),
            "contact_name": _("王丽"),
            "contact_phone": "13912345678",
            "status": str(UnitStatus.OPERATING.label),
            "credit_code": "91510703MA6AB1CD2E",
            "license_kind": _("营业执照"),
            "license_number": "510703000123456",
            "license_expires_on": date(2030, 12, 31),
        }

    def check_row(self, values, row_number, state):
        errors = []
        if (values.get("lat") is None) != (values.get("lng") is None):
            errors.append((_("经度"), _("经纬度必须同时填写或同时为空")))
        if values.get("license_number") and not values.get("license_kind"):
            errors.append((_("证照类型"), _("填写了证照编号时必须填写证照类型")))
        key = (values.get("name"), getattr(values.get("jurisdiction"), "pk", None))
        seen = state.setdefault("seen", {})
        if key in seen:
            errors.append((_("单位名称"), _("与第 {row} 行重复（同一辖区内同名单位）").format(row=seen[key])))
        else:
            seen[key] = row_number
        return errors

    def write(self, actor, rows, job_id):
        fields = [
            "unit_type",
            "name",
            "credit_code",
            "jurisdiction",
            "address",
            "lat",
            "lng",
            "contact_name",
            "contact_phone",
            "status",
        ]
        created = 0
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            units = Unit.objects.bulk_create([Unit(**{f: row[f] for f in fields}) for row in chunk])
            License.objects.bulk_create(
                [
                    License(
                        unit=unit,
                        kind=row["license_kind"],
                        number=row["license_number"],
                        expires_on=row["license_expires_on"],
                    )
                    for unit, row in zip(units, chunk, strict=True)
                    if row.get("license_number")
                ]
            )
            AuditEvent.objects.bulk_create(_audit_rows(actor, units, "organization.unit.created", fields, job_id))
            created += len(units)
        return created


class JurisdictionImport(ImportSpec):
    """Parents come before children: a parent code must exist already or on an earlier row."""

    source = "jurisdictions"
    title = gettext_lazy("辖区")
    model = Jurisdiction

    def columns(self):
        return [
            Column(_("区划代码"), "code", required=True, max_length=40),
            Column(_("名称"), "name", required=True, max_length=100),
            LookupColumn(_("层级"), "level", required=True, message=_("层级“{value}”不存在")),
            Column(
                _("上级区划代码"),
                "parent_code",
                required=True,
                max_length=40,
                jurisdiction_code=True,
                help=_("也可以是本文件前面行中新增的区划代码"),
            ),
            IntColumn(_("人口"), "population"),
            IntColumn(_("户数"), "households"),
            DecimalColumn(_("面积（平方公里）"), "area_km2", minimum=Decimal(0), maximum=Decimal(10**6), places=3),
            DecimalColumn(_("中心纬度"), "center_lat", minimum=Decimal(-90), maximum=Decimal(90)),
            DecimalColumn(_("中心经度"), "center_lng", minimum=Decimal(-180), maximum=Decimal(180)),
        ]

    def prepare(self, actor, columns):
        by_key = {c.key: c for c in columns}
        levels = {lv.name: lv for lv in JurisdictionLevel.objects.all()}
        by_key["level"].offered = list(levels)
        levels.update({lv.code: lv for lv in list(levels.values())})
        by_key["level"].lookup = levels
        self.in_scope = _scoped_jurisdictions(actor)
        self.existing_codes = set(Jurisdiction.objects.values_list("code", flat=True))

    @staticmethod
    def _example_names() -> dict[str, str]:
        return {
            "district": _("锦绣区"),
            "street": _("锦绣街道"),
            "community": _("锦绣社区"),
            "estate": _("锦绣花园小区"),
            "grid": _("锦绣花园第一网格"),
            "building": _("锦绣花园1栋"),
        }

    def example(self, actor, columns):
        """A new node one level below the actor's own jurisdiction (a 小区 under a 社区)."""
        parent_code = _example_code(actor, self.in_scope)
        parent = self.in_scope.get(parent_code)
        levels = [
            lv
            for lv in {c.key: c for c in columns}["level"].lookup.values()
            if parent is None or lv.rank > parent.level.rank
        ]
        level = min(levels, key=lambda lv: lv.rank, default=None)
        return {
            "code": f"{parent_code}-09" if parent_code else "510703001009",
            "name": self._example_names().get(getattr(level, "code", ""), _("锦绣花园小区")),
            "level": level.name if level else "",
            "parent_code": parent_code,
            "population": 2600,
            "households": 910,
            "area_km2": Decimal("0.350"),
            "center_lat": Decimal("31.467800"),
            "center_lng": Decimal("104.679500"),
        }

    def check_row(self, values, row_number, state):
        errors = []
        file_codes = state.setdefault("codes", {})
        code, parent_code, level = values.get("code"), values.get("parent_code"), values.get("level")
        if code:
            if code in self.existing_codes:
                errors.append((_("区划代码"), _("区划代码“{code}”已存在").format(code=code)))
            elif code in file_codes:
                errors.append((_("区划代码"), _("与第 {row} 行的区划代码重复").format(row=file_codes[code][0])))
        parent_level = None
        if parent_code:
            if parent_code in self.in_scope:
                parent_level = self.in_scope[parent_code].level.rank
            elif parent_code in file_codes:
                parent_level = file_codes[parent_code][1]
            else:
                errors.append(
                    (
                        _("上级区划代码"),
                        _("上级“{code}”不存在、不在您的管辖范围内，或未出现在前面的行中").format(code=parent_code),
                    )
                )
        if level and parent_level is not None and parent_level >= level.rank:
            errors.append((_("层级"), _("层级必须低于上级辖区的层级")))
        if values.get("households") and values.get("population") and values["households"] > values["population"]:
            errors.append((_("户数"), _("户数不能大于人口数")))
        if code and code not in file_codes:
            file_codes[code] = (row_number, level.rank if level else 99)
        return errors

    def write(self, actor, rows, job_id):
        """Insert in waves: rows whose parent already exists, then their children, and so on."""
        fields = ["code", "name", "level", "population", "households", "area_km2", "center_lat", "center_lng"]
        known = dict(self.in_scope)
        pending = list(rows)
        created_all = []
        while pending:
            wave = [row for row in pending if row["parent_code"] in known]
            if not wave:  # cannot happen after validation; guard against an endless loop
                raise RuntimeError("unresolvable parent codes")
            pending = [row for row in pending if row["parent_code"] not in known]
            for start in range(0, len(wave), BATCH):
                chunk = wave[start : start + BATCH]
                nodes = [Jurisdiction(parent=known[row["parent_code"]], **{f: row[f] for f in fields}) for row in chunk]
                nodes = Jurisdiction.objects.bulk_create(nodes)
                for node in nodes:
                    node.path = Jurisdiction.child_path(node.parent.path, node.pk)
                    node.depth = node.parent.depth + 1
                    known[node.code] = node
                Jurisdiction.objects.bulk_update(nodes, ["path", "depth"])
                created_all.extend(nodes)
        for start in range(0, len(created_all), BATCH):
            AuditEvent.objects.bulk_create(
                _audit_rows(
                    actor,
                    created_all[start : start + BATCH],
                    "organization.jurisdiction.created",
                    ["parent", *fields],
                    job_id,
                )
            )
        return len(created_all)


class StaffImport(ImportSpec):
    source = "staff"
    title = gettext_lazy("人员")
    model = Staff
    result_url_name = "organization:staff_list"
    result_label = gettext_lazy("查看人员")

    def columns(self):
        return [
            Column(_("姓名"), "name", required=True, max_length=50),
            LookupColumn(
                _("所属辖区代码"),
                "jurisdiction",
                required=True,
                max_length=40,
                jurisdiction_code=True,
                message=_("辖区代码“{value}”不存在或不在您的管辖范围内"),
            ),
            Column(_("职务/岗位"), "post", max_length=100),
            PhoneColumn(_("联系电话"), "phone", max_length=30),
        ]

    def prepare(self, actor, columns):
        {c.key: c for c in columns}["jurisdiction"].lookup = _scoped_jurisdictions(actor)

    def example(self, actor, columns):
        return {
            "name": _("王丽"),
            "jurisdiction": _example_code(actor, {c.key: c for c in columns}["jurisdiction"].lookup),
            "post": _("网格员"),
            "phone": "13912345678",
        }

    def write(self, actor, rows, job_id):
        fields = ["name", "jurisdiction", "post", "phone"]
        created = 0
        for start in range(0, len(rows), BATCH):
            people = Staff.objects.bulk_create(
                [Staff(**{f: row[f] for f in fields}) for row in rows[start : start + BATCH]]
            )
            AuditEvent.objects.bulk_create(_audit_rows(actor, people, "organization.staff.created", fields, job_id))
            created += len(people)
        return created


# Specs keep per-run lookup state: instantiate one per job.
IMPORT_SPECS: dict[str, type[ImportSpec]] = {
    spec.source: spec for spec in (JurisdictionImport, UnitImport, StaffImport)
}


def check_cell(column: Column, raw):
    """(value, error message or None) for one cell."""
    try:
        return column.parse(raw), None
    except CellError as error:
        return None, str(error)
