"""Writes to one agreement: signing (with the photo or scan of the signed page), refusal, renewal,
cancellation; and the daily sweep that marks ended terms expired and reminds the issuing desks.
Every status change goes through `workflow.AGREEMENT_WORKFLOW` (lock, table, role, scope, version,
changed fields only, audit)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core import personal
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_in_scope, ensure_role_allows
from apps.core.roles import Role
from apps.documents.uploads import PDF, check_document
from apps.notifications.messages import Message
from apps.notifications.services import notify
from apps.photos.services import photos_prepared, save_photo

from ..choices import AgreementStatus
from ..models import Agreement, AgreementPhoto, AgreementScan
from ..workflow import AGREEMENT_WORKFLOW
from .numbers import reserve_numbers

PHONE = re.compile(r"^[0-9+\-\s]{7,20}$")
DESK_ROLES = (Role.OFFICE, Role.STREET, Role.COMMUNITY)


def _check_signatory(name: str, phone: str, signed_on: date | None) -> None:
    if not (name or "").strip():
        raise DomainError(_("请填写签订人姓名。"))
    if len(name) > 50:
        raise DomainError(_("签订人姓名最多 50 个字。"))
    if phone and not PHONE.match(phone):
        raise DomainError(_("签订人电话格式不正确。"))
    if signed_on is None:
        raise DomainError(_("请填写签订日期。"))
    if signed_on > timezone.localdate():
        raise DomainError(_("签订日期不能晚于今天。"))


def _check_scan(scan) -> None:
    if scan is None:
        return
    if check_document(scan) != PDF:
        raise DomainError(_("扫描件请上传 PDF 文件；照片请用“拍照/照片”上传。"))


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def agreement_sign(
    *,
    actor,
    agreement: Agreement,
    signatory_name: str,
    signatory_phone: str = "",
    signed_on: date | None,
    photos=(),
    scan=None,
    expected_version: int | None = None,
) -> Agreement:
    """登记签订: the signatory (name, phone), the date (not in the future) and at least one photo
    or a PDF scan of the signed page. Audited with the masked signatory."""
    _check_signatory(signatory_name, signatory_phone, signed_on)
    if not photos and scan is None:
        raise DomainError(_("请拍照或上传签字页。"))
    _check_scan(scan)
    if signed_on < timezone.localdate(agreement.created_at):
        raise DomainError(_("签订日期不能早于责任书生成日期。"))
    changes = {
        "signatory_name": signatory_name.strip(),
        "signatory_phone": signatory_phone.strip(),
        "signed_on": signed_on,
    }
    locked = AGREEMENT_WORKFLOW.perform(
        "sign",
        obj=agreement,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        data={
            "signatory_name": personal.in_records(
                Agreement(signatory_name=changes["signatory_name"]), "signatory_name"
            ),
            "signed_on": signed_on.isoformat(),
            "photos": len(photos),
        },
    )
    uploader = actor if getattr(actor, "pk", None) else None
    for processed in photos:
        save_photo(
            AgreementPhoto(agreement=locked, taken_lat=processed.lat, taken_lng=processed.lng, uploaded_by=uploader),
            processed,
        )
    if scan is not None:
        scan.seek(0)
        stored = AgreementScan(agreement=locked, name=(getattr(scan, "name", "") or "scan.pdf")[:150], content_type=PDF)
        stored.uploaded_by = uploader
        stored.file.save(f"{locked.pk}.pdf", ContentFile(scan.read()), save=True)
    return locked


@transaction.atomic
def agreement_refuse(*, actor, agreement: Agreement, reason: str, expected_version: int | None = None) -> Agreement:
    """登记拒签 with the reason the party gave (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写拒签原因。"))
    if len(reason) > 500:
        raise DomainError(_("拒签原因最多 500 个字。"))
    return AGREEMENT_WORKFLOW.perform(
        "refuse",
        obj=agreement,
        actor=actor,
        expected_version=expected_version,
        changes={"refused_reason": reason},
        note=reason,
    )


@transaction.atomic
def agreement_cancel(*, actor, agreement: Agreement, note: str = "", expected_version: int | None = None) -> Agreement:
    """作废: the party then counts as lacking one until a new agreement is generated."""
    return AGREEMENT_WORKFLOW.perform(
        "cancel",
        obj=agreement,
        actor=actor,
        expected_version=expected_version,
        changes={"status_note": (note or "")[:500]},
        note=note or None,
    )


@transaction.atomic
def agreement_renew(
    *, actor, agreement: Agreement, starts_on: date, ends_on: date, expected_version: int | None = None
) -> Agreement:
    """续签: a new agreement with the type's current template for the same party and zone, for the
    new term; the old one becomes 已续签替代 and is no longer the party's latest."""
    ensure_role_allows(actor, Agreement, "add")
    if ends_on < starts_on:
        raise DomainError(_("期限止不能早于期限起。"))
    if (ends_on - starts_on).days > 3660:
        raise DomainError(_("期限最长 10 年。"))
    template = agreement.agreement_type.templates.filter(is_active=True, current_version__isnull=False).first()
    if template is None:
        raise DomainError(_("该类型没有可用的模板。"))
    old = AGREEMENT_WORKFLOW.perform(
        "supersede",
        obj=agreement,
        actor=actor,
        expected_version=expected_version,
        changes={"is_latest": False},
    )
    version = template.current_version
    number = reserve_numbers(agreement.agreement_type.prefix, starts_on.year, 1)[0]
    new = Agreement.objects.create(
        number=number,
        agreement_type=old.agreement_type,
        template_version=version,
        jurisdiction=old.jurisdiction,
        party_unit=old.party_unit,
        party_jurisdiction=old.party_jurisdiction,
        party_name=old.party_name,
        party_path=old.party_path,
        zone=old.zone,
        duties=version.duties,
        starts_on=starts_on,
        ends_on=ends_on,
        parent=old.parent,
        renews=old,
        created_by=actor,
    )
    ensure_in_scope(actor, new, "view")
    audit_record(actor=actor, obj=new, action="agreements.agreement.renewed", data={"renews": old.number})
    return new


# The daily sweep ------------------------------------------------------------------------------


def _desk_users(jurisdiction_ids):
    return User.objects.filter(is_active=True, role__in=DESK_ROLES, jurisdiction_id__in=jurisdiction_ids)


def _list_link(jurisdiction_id: int, **query) -> str:
    from urllib.parse import urlencode

    return reverse("agreements:agreement_list") + "?" + urlencode({"issuer": jurisdiction_id, **query})


def agreements_expire_and_remind(*, today: date | None = None) -> dict[str, int]:
    """Mark signed agreements whose term ended as expired (the workflow's system step, one audit
    row each), then remind each issuing jurisdiction's desk users, once per agreement, of the
    agreements that end within AGREEMENT_REMIND_DAYS days (one notification per issuer)."""
    today = today or timezone.localdate()
    expired_by_issuer: dict[int, int] = {}
    ended = Agreement.objects.filter(status=AgreementStatus.SIGNED, ends_on__lt=today).only("pk", "jurisdiction_id")
    for agreement in ended.iterator(chunk_size=500):
        with transaction.atomic():
            AGREEMENT_WORKFLOW.perform("expire", obj=agreement, actor=None)
        expired_by_issuer[agreement.jurisdiction_id] = expired_by_issuer.get(agreement.jurisdiction_id, 0) + 1
    horizon = today + timedelta(days=settings.AGREEMENT_REMIND_DAYS)
    due = Agreement.objects.filter(
        status=AgreementStatus.SIGNED,
        is_latest=True,
        ends_on__gte=today,
        ends_on__lte=horizon,
        reminded_on__isnull=True,
    )
    due_by_issuer: dict[int, int] = {}
    for row in due.values("jurisdiction_id").order_by().annotate(n=Count("pk")):
        due_by_issuer[row["jurisdiction_id"]] = row["n"]
    with transaction.atomic():
        due.update(reminded_on=today)
        for issuer_id, count in due_by_issuer.items():
            notify(
                _desk_users([issuer_id]),
                kind="agreements_expiring",
                title=Message(gettext_noop("责任书到期提醒")),
                message=Message(
                    gettext_noop("有 {n} 份责任书将在 {days} 天内到期，请及时续签。"),
                    n=count,
                    days=settings.AGREEMENT_REMIND_DAYS,
                ),
                link=_list_link(issuer_id, expiring="1"),
            )
        for issuer_id, count in expired_by_issuer.items():
            notify(
                _desk_users([issuer_id]),
                kind="agreements_expired",
                title=Message(gettext_noop("责任书到期提醒")),
                message=Message(gettext_noop("有 {n} 份责任书已到期，请及时续签。"), n=count),
                link=_list_link(issuer_id, standing="expired"),
            )
    return {"expired": sum(expired_by_issuer.values()), "reminded": sum(due_by_issuer.values())}
