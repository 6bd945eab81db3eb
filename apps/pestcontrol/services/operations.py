"""Writes of 除四害作业: campaigns (their lifecycle on the core workflow engine), operations with
their drug lines (optionally drawn from a store: the issue movement is written in the same
transaction), versioned corrections, photos, and the household follow-up checks (回访).

Quantities are never typed: a drug line is packages × package size (g or ml, copied from the
product and editable), its kg or L computed (OperationDrug.quantity)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import DESK_ROLES, Role
from apps.core.services import tracked_update
from apps.core.workflow import Workflow, transition
from apps.organization.models import License, Unit
from apps.photos.services import photos_prepared, save_photo

from .. import methods
from ..choices import CampaignKind, CampaignStatus, ControlMethod, ExecutorKind, MovementKind, PackageUnit, Pest
from ..models import FollowUpCheck, Operation, OperationDrug, OperationPhoto, PestCampaign
from ..models.operations import MAX_PACKAGE_SIZE, MAX_PACKAGES
from . import drugs as drug_services

# Ownership -----------------------------------------------------------------------------------


def owns(obj, user) -> bool:
    """May `user` change `obj` (a campaign or an operation)? Its jurisdiction lies in the user's
    subtree (a community sees the street's campaign but does not edit it); a grid worker or an
    inspector only the records they entered."""
    if user is None or user.role == Role.ADMIN:
        return True
    if user.role in (Role.GRID, Role.INSPECTOR):
        return getattr(obj, "created_by_id", None) == user.pk
    own = user.jurisdiction
    return bool(own and obj.jurisdiction.path.startswith(own.path))


# Grid workers and inspectors have no "change" permission on operations, yet may correct the
# records they entered themselves (`owns`).
OWN_RECORD_EDITORS = frozenset({Role.GRID, Role.INSPECTOR})


def may_edit_operation(user, operation) -> bool:
    """THE rule for correcting an operation: a recorder (desk, grid, inspector) with the change
    permission — or a grid worker/inspector — who `owns` it (grid and inspector: entered it)."""
    if user is None:
        return True
    if user.role not in RECORDERS:
        return False
    may = user.can("pestcontrol.operation", "change") or user.role in OWN_RECORD_EDITORS
    return may and owns(operation, user)


NOT_YOURS = gettext_lazy("该记录由其他层级登记，只能由登记的辖区修改。")


def _date_has_come(campaign, user) -> bool:
    return owns(campaign, user) and campaign.start_date <= timezone.localdate()


CAMPAIGN_WORKFLOW = Workflow(
    model=PestCampaign,
    audit_prefix="pestcontrol.pestcampaign",
    lock_related=("jurisdiction",),
    invalid_message=gettext_lazy("行动当前为“{status}”，不能{action}。"),
    finished={CampaignStatus.HELD: gettext_lazy("已开展"), CampaignStatus.CANCELLED: gettext_lazy("已取消")},
    transitions=[
        transition(
            "hold",
            [CampaignStatus.PLANNED],
            CampaignStatus.HELD,
            gettext_lazy("登记为已开展"),
            roles=DESK_ROLES,
            allowed=_date_has_come,
            denied=lambda c, u: NOT_YOURS if not owns(c, u) else gettext_lazy("行动尚未开始，不能登记为已开展。"),
            style="primary",
        ),
        transition(
            "cancel",
            [CampaignStatus.PLANNED],
            CampaignStatus.CANCELLED,
            gettext_lazy("取消行动"),
            roles=DESK_ROLES,
            allowed=owns,
            denied=NOT_YOURS,
            confirm=gettext_lazy("取消后该行动不再计入统计，确定取消吗？"),
        ),
    ],
)

CAMPAIGN_REASON_REQUIRED = {"cancel"}

# Campaigns -----------------------------------------------------------------------------------

CAMPAIGN_FIELDS = [
    "kind",
    "title",
    "pests",
    "start_date",
    "end_date",
    "unified_at",
    "standard",
    "product",
    "description",
]


def _clean_choices(values, choices, label) -> list[str]:
    values = list(dict.fromkeys(str(v) for v in (values or [])))
    for value in values:
        if value not in choices.values:
            raise DomainError(_("未知的{label}：{value}").format(label=label, value=value))
    return values


def _check_campaign(campaign: PestCampaign) -> None:
    campaign.pests = _clean_choices(campaign.pests, Pest, _("防制对象"))
    if campaign.end_date and campaign.start_date and campaign.end_date < campaign.start_date:
        raise DomainError(_("结束日期不能早于开始日期。"))
    if campaign.kind == CampaignKind.UNIFIED:
        if campaign.unified_at is None:
            raise DomainError(_("统一行动请填写统一行动时间。"))
        day = timezone.localtime(campaign.unified_at).date()
        if not (campaign.start_date <= day <= campaign.end_date):
            raise DomainError(_("统一行动时间应在行动起止日期之内。"))
    if campaign.product_id:
        drug_services.ensure_product_usable(campaign.product)


@transaction.atomic
def campaign_create(*, actor, jurisdiction, **fields) -> PestCampaign:
    ensure_role_allows(actor, PestCampaign, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    fields = {k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS}
    campaign = PestCampaign(
        jurisdiction=jurisdiction, created_by=actor if getattr(actor, "pk", None) else None, **fields
    )
    _check_campaign(campaign)
    campaign.full_clean(exclude=["pests"])  # checked above (an empty list is allowed)
    campaign.save()
    audit_record(
        actor=actor,
        obj=campaign,
        action="pestcontrol.pestcampaign.created",
        data={"after": snapshot(campaign, ["jurisdiction", *CAMPAIGN_FIELDS])},
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: PestCampaign, changes: dict, expected_version: int | None) -> PestCampaign:
    """Correct a campaign (versioned). A cancelled one is closed; a held 统一行动 keeps its time,
    standard and drug once operations were recorded under it (they were checked against them)."""
    locked = PestCampaign.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=campaign.pk)
    if actor is not None:
        ensure_in_scope(actor, locked, "change")
        if not owns(locked, actor):
            raise PermissionDeniedForRole(NOT_YOURS)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status == CampaignStatus.CANCELLED:
        raise DomainError(_("已取消的行动不能修改。"))
    changes = {k: v for k, v in changes.items() if k in CAMPAIGN_FIELDS}
    if locked.operations.exists():
        for name in ("kind", "unified_at", "product"):
            if name in changes and changes[name] != getattr(locked, name):
                raise DomainError(_("行动下已登记作业，不能再修改行动类型、统一行动时间和统一药物。"))
    start, end = changes.get("start_date") or locked.start_date, changes.get("end_date") or locked.end_date
    outside = locked.operations.exclude(performed_on__gte=start, performed_on__lte=end).order_by("performed_on")
    first = outside.first()
    if first is not None:
        raise DomainError(
            _("行动下已有 {date} 的作业，起止日期应包含已登记作业的日期。").format(date=first.performed_on.isoformat())
        )
    before = snapshot(locked, CAMPAIGN_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_campaign(locked)
    locked.full_clean(exclude=["pests"])
    changed = diff(before, snapshot(locked, CAMPAIGN_FIELDS))
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    audit_record(actor=actor, obj=locked, action="pestcontrol.pestcampaign.updated", data={"changes": changed})
    return locked


@transaction.atomic
def campaign_transition(
    *, actor, campaign: PestCampaign, name: str, expected_version: int | None = None, reason: str = ""
) -> PestCampaign:
    changes = None
    if name == "cancel":
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("请填写取消原因。"))
        changes = {"cancel_reason": reason[:200]}
    return CAMPAIGN_WORKFLOW.perform(
        name, obj=campaign, actor=actor, expected_version=expected_version, changes=changes, note=reason or None
    )


# Operations ----------------------------------------------------------------------------------

OPERATION_FIELDS = [
    "campaign",
    "kind",
    "performed_on",
    "started_at",
    "pests",
    "methods",
    "place",
    "area_m2",
    "drains_cleared",
    "channels_cleared",
    "breeding_sites_cleared",
    "households_covered",
    "executor_kind",
    "contractor",
    "team",
    "notes",
]
RECORDERS = frozenset(DESK_ROLES | {Role.GRID, Role.INSPECTOR})


def licensed_contractors():
    """Units with a licence on record that has not expired."""
    today = timezone.localdate()
    valid = License.objects.exclude(expires_on__lt=today)
    return Unit.objects.filter(pk__in=valid.values("unit_id"))


def contractor_choices(user):
    """Licensed units a user may name: registered in their area or in an area above it (a
    district-wide pest-control company)."""
    qs = licensed_contractors()
    own = getattr(user, "jurisdiction", None)
    if user is None or user.role == Role.ADMIN or own is None:
        return qs.order_by("name")
    ancestors = [int(pk) for pk in own.path.strip("/").split("/") if pk]
    from django.db.models import Q

    return qs.filter(Q(jurisdiction__path__startswith=own.path) | Q(jurisdiction_id__in=ancestors)).order_by("name")


def unified_defaults(campaign: PestCampaign) -> dict:
    """What an operation under a 统一行动 takes from it: date, time and drug."""
    if campaign is None or campaign.kind != CampaignKind.UNIFIED or campaign.unified_at is None:
        return {}
    at = timezone.localtime(campaign.unified_at)
    return {
        "performed_on": at.date(),
        "started_at": at.time().replace(second=0, microsecond=0),
        "product": campaign.product,
    }


def _check_operation(actor, op: Operation, lines: list[dict]) -> None:
    op.pests = _clean_choices(op.pests, Pest, _("防制对象"))
    op.methods = _clean_choices(op.methods, ControlMethod, _("防制方法"))
    if not op.pests:
        raise DomainError(_("请选择防制对象。"))
    if op.performed_on > timezone.localdate():
        raise DomainError(_("作业日期不能晚于今天。"))
    if op.executor_kind == ExecutorKind.CONTRACTOR:
        if op.contractor_id is None:
            raise DomainError(_("由防制公司实施的作业请选择防制公司。"))
        if not contractor_choices(actor).filter(pk=op.contractor_id).exists():
            raise DomainError(
                _("「{unit}」没有有效的证照记录，不能作为防制公司。请先在单位档案中登记其资质证照。").format(
                    unit=op.contractor.name
                )
            )
    else:
        op.contractor = None
    campaign = op.campaign
    if campaign is not None:
        if not PestCampaign.objects.restrict(actor, "view").filter(pk=campaign.pk).exists() if actor else False:
            raise OutsideJurisdiction()
        if not op.jurisdiction.path.startswith(campaign.jurisdiction.path):
            raise DomainError(_("作业辖区不在行动「{title}」的范围内。").format(title=campaign.title))
        if campaign.status == CampaignStatus.CANCELLED:
            raise DomainError(_("行动「{title}」已取消，不能再登记作业。").format(title=campaign.title))
        if not (campaign.start_date <= op.performed_on <= campaign.end_date):
            raise DomainError(
                _("作业日期应在行动「{title}」的起止日期（{start} 至 {end}）之内。").format(
                    title=campaign.title, start=campaign.start_date.isoformat(), end=campaign.end_date.isoformat()
                )
            )
        unified = unified_defaults(campaign)
        if unified:
            if op.performed_on != unified["performed_on"] or (
                op.started_at is not None and op.started_at.replace(second=0) != unified["started_at"]
            ):
                raise DomainError(
                    _("统一行动的作业时间应为 {at}。").format(
                        at=datetime.combine(unified["performed_on"], unified["started_at"]).strftime("%Y-%m-%d %H:%M")
                    )
                )
            op.started_at = unified["started_at"]
            product = unified["product"]
            if product is not None:
                for line in lines:
                    if line["product"].pk != product.pk:
                        raise DomainError(
                            _("统一行动使用统一药物「{product}」，不能登记其他药物。").format(product=product.name)
                        )


def _clean_lines(lines) -> list[dict]:
    rows = []
    for line in lines or []:
        product = line.get("product")
        if product is None:
            continue
        packages = int(line.get("packages") or 0)
        if packages < 1 or packages > MAX_PACKAGES:
            raise DomainError(
                _("「{product}」的数量应为 1 至 {max} 的整数。").format(product=product.name, max=MAX_PACKAGES)
            )
        given = line.get("package_size")
        size = Decimal(product.package_size if given is None or given == "" else given)
        if size <= 0 or size > MAX_PACKAGE_SIZE:
            raise DomainError(_("「{product}」的规格应大于 0。").format(product=product.name))
        unit = line.get("package_unit") or product.package_unit
        if unit not in PackageUnit.values:
            raise DomainError(_("规格单位应为克或毫升。"))
        if unit != product.package_unit:
            # A bait sold by weight is not recorded by volume: the kg and L totals would mix.
            raise DomainError(
                _("「{product}」按{unit}计量，规格单位不能改为其他单位。").format(
                    product=product.name, unit=PackageUnit(product.package_unit).label
                )
            )
        rows.append(
            {
                "id": line.get("id"),
                "product": product,
                "packages": packages,
                "package_size": size,
                "package_unit": unit,
                "store": line.get("store"),
                "batch_no": (line.get("batch_no") or "").strip(),
            }
        )
    return rows


def _write_lines(actor, op: Operation, rows: list[dict]) -> None:
    """New lines are added (drawn from a store when one is named: an issue movement in the same
    transaction); lines with an `id` are corrected in place unless they drew on the store (a
    ledger movement is never edited: return the stock and record a new line instead)."""
    existing = {d.pk: d for d in op.drugs.all()}
    for row in rows:
        current = existing.get(row["id"]) if row["id"] else None
        if current is not None:
            if current.movement_id and (current.packages != row["packages"] or current.product_id != row["product"].pk):
                raise DomainError(_("从库房出库的用药记录不能修改数量或药物；如有差错请办理退回入库后重新登记。"))
            if current.movement_id:
                continue
            if current.product_id != row["product"].pk:
                drug_services.ensure_product_usable(row["product"])
            current.product = row["product"]
            current.packages, current.package_size, current.package_unit = (
                row["packages"],
                row["package_size"],
                row["package_unit"],
            )
            current.full_clean()
            current.save()
            continue
        drug_services.ensure_product_usable(row["product"])
        movement = None
        if row["store"] is not None:
            if not row["batch_no"]:
                raise DomainError(_("从库房领用请填写批号。"))
            movement = drug_services.movement_create(
                actor=actor,
                store=row["store"],
                kind=MovementKind.ISSUE,
                product=row["product"],
                batch_no=row["batch_no"],
                packages=row["packages"],
                moved_on=op.performed_on,
                to_jurisdiction=op.jurisdiction,
                note=_("作业用药（作业编号 {pk}）").format(pk=op.pk),
            )
        line = OperationDrug(
            operation=op,
            product=row["product"],
            packages=row["packages"],
            package_size=row["package_size"],
            package_unit=row["package_unit"],
            movement=movement,
        )
        line.full_clean()
        line.save()


def _drugs_text(op: Operation) -> list[str]:
    return [
        f"{d} = {d.quantity} {'kg' if d.package_unit == PackageUnit.GRAM else 'L'}"
        for d in op.drugs.select_related("product")
    ]


def _record(op: Operation) -> dict:
    data = snapshot(op, OPERATION_FIELDS)
    data["started_at"] = op.started_at.strftime("%H:%M") if op.started_at else None
    with translation.override(settings.LANGUAGE_CODE):  # labels, as the trail shows every field
        data["pests"] = [str(Pest(v).label) for v in op.pests if v in Pest.values]
        data["methods"] = [str(ControlMethod(v).label) for v in op.methods if v in ControlMethod.values]
    data["drugs"] = _drugs_text(op)
    return data


def _attach_photos(op: Operation, processed_all, actor) -> None:
    uploader = actor if getattr(actor, "pk", None) else None
    for processed in processed_all:
        save_photo(OperationPhoto(operation=op, uploaded_by=uploader), processed)


@photos_prepared()
@transaction.atomic
def operation_create(*, actor, jurisdiction, drugs=(), photos=(), **fields) -> Operation:
    """Record an operation with its drug lines and photos. Under a 统一行动 the date and time are
    the campaign's (taken when not given, refused when different) and every drug line its drug."""
    if actor is not None and actor.role not in RECORDERS:
        raise PermissionDeniedForRole()
    ensure_role_allows(actor, Operation, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    fields = {k: v for k, v in fields.items() if k in OPERATION_FIELDS}
    campaign = fields.get("campaign")
    unified = unified_defaults(campaign)
    if unified:
        fields.setdefault("performed_on", unified["performed_on"])
        if not fields.get("started_at"):
            fields["started_at"] = unified["started_at"]
    if fields.get("performed_on") is None:
        fields["performed_on"] = timezone.localdate()
    op = Operation(jurisdiction=jurisdiction, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    rows = _clean_lines(drugs)
    _check_operation(actor, op, rows)
    op.full_clean(exclude=["pests", "methods"])  # checked above (no method is allowed)
    op.save()
    _write_lines(actor, op, rows)
    _attach_photos(op, photos, actor)
    audit_record(actor=actor, obj=op, action="pestcontrol.operation.created", data={"after": _record(op)})
    return op


@photos_prepared()
@transaction.atomic
def operation_update(
    *, actor, operation: Operation, expected_version: int | None, changes: dict, drugs=(), photos=()
) -> Operation:
    """Correct an operation (a versioned edit): header fields, drug lines (corrected in place or
    added), more photos. Refuses a stale version; audits the whole record before and after."""
    locked = Operation.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=operation.pk)
    if actor is not None:
        ensure_in_scope(actor, locked, "view")
        if not may_edit_operation(actor, locked):
            raise PermissionDeniedForRole(NOT_YOURS if actor.role in RECORDERS else None)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    before = _record(locked)
    for name, value in changes.items():
        if name not in OPERATION_FIELDS:
            raise DomainError(_("该字段不能修改。"))
        setattr(locked, name, value)
    rows = _clean_lines(drugs)
    all_lines = rows + [
        {"product": d.product} for d in locked.drugs.select_related("product") if d.pk not in {r["id"] for r in rows}
    ]
    _check_operation(actor, locked, all_lines)
    locked.full_clean(exclude=["pests", "methods"])
    _write_lines(actor, locked, rows)
    _attach_photos(locked, photos, actor)
    changed = diff(before, _record(locked))
    if not changed and not photos:
        return locked
    locked.version += 1
    locked.save()
    data = {"changes": changed}
    if photos:
        data["photos_added"] = len(photos)
    audit_record(actor=actor, obj=locked, action="pestcontrol.operation.updated", data=data)
    return locked


# Follow-up checks ----------------------------------------------------------------------------


def target_rate() -> Decimal:
    return Decimal(str(getattr(settings, "PEST_FOLLOWUP_TARGET_RATE", 98)))


def followup_rates(checked: int, bought: int, retained: int) -> dict:
    """购药率 and 保留率 (percent, 2 decimals; None without households checked) and whether each
    falls below the target (PEST_FOLLOWUP_TARGET_RATE)."""
    purchase, retention = methods.rate(bought, checked), methods.rate(retained, checked)
    target = target_rate()
    return {
        "purchase_rate": purchase,
        "retention_rate": retention,
        "purchase_low": purchase is not None and purchase < target,
        "retention_low": retention is not None and retention < target,
        "target": target,
    }


def _check_counts(checked, bought, retained) -> tuple[int, int, int]:
    checked, bought, retained = int(checked or 0), int(bought or 0), int(retained or 0)
    if checked < 1:
        raise DomainError(_("回访户数应至少为 1。"))
    if bought < 0 or retained < 0:
        raise DomainError(_("户数不能为负数。"))
    if bought > checked or retained > checked:
        raise DomainError(_("购药户数和药物保留户数不能大于回访户数。"))
    return checked, bought, retained


@transaction.atomic
def followup_create(
    *, actor, operation: Operation, checked_on, households_checked, households_bought, households_retained, notes=""
) -> FollowUpCheck:
    ensure_role_allows(actor, FollowUpCheck, "add")
    if actor is not None:
        ensure_in_scope(actor, operation, "view")
        ensure_jurisdiction_in_scope(actor, operation.jurisdiction)
    if checked_on < operation.performed_on:
        raise DomainError(_("回访日期不能早于作业日期。"))
    if checked_on > timezone.localdate():
        raise DomainError(_("回访日期不能晚于今天。"))
    checked, bought, retained = _check_counts(households_checked, households_bought, households_retained)
    check = FollowUpCheck(
        operation=operation,
        checked_on=checked_on,
        households_checked=checked,
        households_bought=bought,
        households_retained=retained,
        notes=notes,
        checked_by=actor if getattr(actor, "pk", None) else None,
    )
    check.full_clean()
    check.save()
    audit_record(
        actor=actor,
        obj=operation,
        action="pestcontrol.followupcheck.created",
        data={
            "after": snapshot(check, ["checked_on", "households_checked", "households_bought", "households_retained"])
        },
    )
    return check


@transaction.atomic
def followup_update(*, actor, check: FollowUpCheck, changes: dict, expected_version: int | None) -> FollowUpCheck:
    """Correct a follow-up check (versioned): validated against the locked row — counts within the
    households checked, the date not before the operation nor after today."""
    ensure_role_allows(actor, FollowUpCheck, "change")
    locked = FollowUpCheck.objects.select_for_update(of=("self",)).select_related("operation__jurisdiction")
    locked = locked.get(pk=check.pk)
    if actor is not None:
        ensure_in_scope(actor, locked.operation, "view")
        ensure_jurisdiction_in_scope(actor, locked.operation.jurisdiction)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    allowed = {"checked_on", "households_checked", "households_bought", "households_retained", "notes"}
    changes = {k: v for k, v in changes.items() if k in allowed}
    merged = {
        name: changes.get(name, getattr(locked, name))
        for name in ("households_checked", "households_bought", "households_retained")
    }
    _check_counts(*merged.values())
    checked_on = changes.get("checked_on") or locked.checked_on
    if checked_on < locked.operation.performed_on:
        raise DomainError(_("回访日期不能早于作业日期。"))
    if checked_on > timezone.localdate():
        raise DomainError(_("回访日期不能晚于今天。"))
    return tracked_update(
        obj=locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="pestcontrol.followupcheck.updated",
    )
