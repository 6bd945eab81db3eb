"""The one module of education that touches the cases app: each finding of a failed smoke-free
check becomes a rectification case of category 检查扣分问题 (`inspection_finding`), reported
through the cases services (which check the reporter's role and scope); the case codes are
stored on the check."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.cases.choices import CaseSource
from apps.cases.models import Category
from apps.cases.services import case_report
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.roles import Role

from ..models import SmokeFreeCheck

CATEGORY_CODE = "inspection_finding"


def _labels():
    return {
        "signs_found": _("禁烟标识不足"),
        "smoking_seen": _("发现吸烟"),
        "butts_seen": _("发现烟头"),
        "ashtrays_seen": _("摆放烟具"),
        "tobacco_ads": _("烟草广告"),
    }


@transaction.atomic
def open_finding_cases(*, actor, check: SmokeFreeCheck, findings: list[str]) -> list[str]:
    """`findings`: the failed findings' field names (services/smokefree.py `findings`)."""
    locked = SmokeFreeCheck.objects.select_for_update().select_related("place__jurisdiction").get(pk=check.pk)
    if locked.case_codes:
        return locked.case_codes
    category = Category.objects.filter(code=CATEGORY_CODE, is_active=True).first()
    if category is None:
        raise DomainError(_("案件类别「检查扣分问题」未启用，无法生成案件。"))
    place = locked.place
    source = CaseSource.PATROL if getattr(actor, "role", None) == Role.GRID else CaseSource.INSPECTION
    codes = []
    for finding in findings:
        case = case_report(
            actor=actor,
            category=category,
            source=source,
            description=_("【控烟检查】{place} {date}：{finding}。").format(
                place=place.name, date=locked.checked_on.isoformat(), finding=_labels()[finding]
            )[:1000],
            address=place.address or place.name,
            jurisdiction=place.jurisdiction,
        )
        codes.append(case.code)
    locked.case_codes = codes
    locked.save(update_fields=["case_codes"])
    audit_record(
        actor=actor, obj=locked, action="education.smokefreecheck.cases_opened", data={"after": {"cases": codes}}
    )
    return codes
