"""The one module of pestcontrol that touches the cases app (pyproject's import contract): a
positive breeding site found in a household survey becomes a rectification case of category
病媒孳生地 (`breeding_site`) with the visit's photos, reported through the cases services (which
check the reporter's role and scope, and require the photo for this category)."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.cases.choices import CaseSource
from apps.cases.models import Case, Category
from apps.cases.services import case_report
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.roles import Role

from ..models import HouseholdVisit

CATEGORY_CODE = "breeding_site"


def source_for(actor) -> str:
    """检查发现 for the desk and inspectors; 巡查发现 for grid workers (what the cases app lets each report)."""
    if actor is not None and actor.role == Role.GRID:
        return CaseSource.PATROL
    return CaseSource.INSPECTION


@transaction.atomic
def open_breeding_site_case(*, actor, visit: HouseholdVisit) -> Case:
    locked = HouseholdVisit.objects.select_for_update().get(pk=visit.pk)
    if locked.case_id:
        return Case.objects.get(pk=locked.case_id)
    category = Category.objects.filter(code=CATEGORY_CODE, is_active=True).first()
    if category is None:
        raise DomainError(_("案件类别「病媒孳生地」未启用，无法生成案件。"))
    stored = list(locked.photos.all())
    if not stored:
        raise DomainError(_("该类问题必须拍照上报。"))
    photos = [File(photo.image.open("rb"), name="photo.jpg") for photo in stored]
    kinds = ", ".join(
        f"{record.get_container_type_display()} {record.positive}/{record.wet}"
        for record in locked.containers.filter(positive__gt=0)
    )
    try:
        case = case_report(
            actor=actor,
            category=category,
            source=source_for(actor),
            description=_("【伊蚊入户调查】{address} 发现阳性容器 {positive} 个（{kinds}），幼虫/蛹 {larvae}。").format(
                address=locked.address, positive=locked.containers_positive, kinds=kinds, larvae=locked.larvae
            )[:1000],
            address=locked.address,
            lat=locked.lat,
            lng=locked.lng,
            jurisdiction=locked.jurisdiction,
            photos=photos,
        )
    finally:
        for photo in photos:
            photo.close()
    locked.case = case
    locked.save(update_fields=["case"])
    audit_record(
        actor=actor,
        obj=locked,
        action="pestcontrol.householdvisit.case_opened",
        data={"after": {"case": case.code, "address": locked.address}},
    )
    return case
