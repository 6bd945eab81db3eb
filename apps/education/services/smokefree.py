"""Writes of the smoke-free places (控烟): register a place, record a check. The check's result
is computed from its findings (never typed): 不合格 when smoking, butts, ashtrays or tobacco
ads were seen, or fewer no-smoking signs were found than the place requires; a failed check
opens one rectification case per finding (case_link) in the same transaction: a case the cases
app refuses leaves nothing behind, and the inspector's second try records the check once."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update
from apps.photos.services import photos_prepared, save_photo

from ..choices import CheckResult
from ..models import SmokeFreeCheck, SmokeFreeCheckPhoto, SmokeFreePlace
from ..roles import PLACE_CHECKERS

PLACE_FIELDS = ["name", "kind", "unit", "address", "signs_required", "signs_posted"]
FLAGS = ("smoking_seen", "butts_seen", "ashtrays_seen", "tobacco_ads")


@transaction.atomic
def place_create(*, actor, jurisdiction, **fields) -> SmokeFreePlace:
    ensure_role_allows(actor, SmokeFreePlace, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    place = SmokeFreePlace(jurisdiction=jurisdiction, **{k: v for k, v in fields.items() if k in PLACE_FIELDS})
    return tracked_create(obj=place, actor=actor, action="education.smokefreeplace.created", fields=PLACE_FIELDS)


@transaction.atomic
def place_edit(*, actor, place: SmokeFreePlace, changes: dict, expected_version: int | None) -> SmokeFreePlace:
    ensure_role_allows(actor, SmokeFreePlace, "change")
    ensure_in_scope(actor, place, "change")
    changes = {k: v for k, v in changes.items() if k in PLACE_FIELDS}
    return tracked_update(
        obj=place,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="education.smokefreeplace.updated",
    )


def findings(check: SmokeFreeCheck, signs_required: int) -> list[str]:
    """The failed findings' field names, in a fixed order (signs first)."""
    found = ["signs_found"] if check.signs_found < signs_required else []
    return found + [flag for flag in FLAGS if getattr(check, flag)]


def result_of(check: SmokeFreeCheck, signs_required: int) -> str:
    return CheckResult.FAIL if findings(check, signs_required) else CheckResult.PASS


@photos_prepared("photos")
@transaction.atomic
def _check_record(*, actor, place, checked_on, signs_found, note="", photos=None, today=None, **flags):
    if getattr(actor, "role", None) not in PLACE_CHECKERS:
        raise PermissionDeniedForRole()
    ensure_in_scope(actor, place, "view")
    locked = SmokeFreePlace.objects.select_for_update().get(pk=place.pk)
    today = today or timezone.localdate()
    if checked_on is None or checked_on > today:
        raise DomainError(_("检查日期不能晚于今天。"))
    if not locked.is_active:
        raise DomainError(_("该场所已停用，不能登记检查。"))
    check = SmokeFreeCheck(
        place=locked,
        checked_on=checked_on,
        signs_found=signs_found,
        note=(note or "").strip()[:500],
        checked_by=actor if getattr(actor, "pk", None) else None,
        **{flag: bool(flags.get(flag)) for flag in FLAGS},
    )
    check.result = result_of(check, locked.signs_required)
    check.full_clean()
    check.save()
    for processed in photos or []:
        save_photo(SmokeFreeCheckPhoto(check_record=check), processed)
    audit_record(
        actor=actor,
        obj=check,
        action="education.smokefreecheck.created",
        data={"after": {"place": locked.name, "checked_on": checked_on.isoformat(), "result": check.result}},
    )
    return check


def check_record(*, actor, place: SmokeFreePlace, checked_on: date, signs_found: int, open_cases=True, **kwargs):
    """Record the check; a failed one then opens its cases (one per finding), in the same
    transaction: a refused case leaves no check behind (a second try would record it twice)."""
    with transaction.atomic():
        check = _check_record(actor=actor, place=place, checked_on=checked_on, signs_found=signs_found, **kwargs)
        if check.result == CheckResult.FAIL and open_cases:
            from .case_link import open_finding_cases

            open_finding_cases(actor=actor, check=check, findings=findings(check, place.signs_required))
            check.refresh_from_db()
    return check
