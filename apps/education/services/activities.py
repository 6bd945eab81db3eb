"""Writes of health-education activities: the lifecycle as data (EDU_WORKFLOW: 计划中 → 已开展;
计划中 → 已取消 with a reason), the record with its material lines and photos saved as one
(keyword-only, atomic, scope-checked, versioned, audited), and the public phone sign-in (one per
device, only on the activity's day, never for a cancelled one)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import DESK_ROLES, Role
from apps.core.workflow import Workflow, transition
from apps.organization.models import Unit
from apps.photos.services import photos_prepared, save_photo

from ..choices import ACTIVITY_KINDS, EduStatus
from ..models import MAX_QUANTITY, ActivitySignIn, EducationActivity, EducationActivityPhoto, MaterialLine

RECORDERS = DESK_ROLES | {Role.GRID}
HEADER_FIELDS = [
    "kind",
    "topic",
    "held_on",
    "place",
    "speaker",
    "organiser_unit",
    "audience",
    "attendance",
    "description",
]
NOT_YOURS = gettext_lazy("该活动由其他层级登记，只能由登记的辖区修改。")


def owns(activity, user) -> bool:
    """May `user` change `activity`? Its jurisdiction lies in the user's subtree (a community
    sees the street's lecture, the street's record stays the street's); a grid worker only
    the records they entered."""
    if user is None or user.role == Role.ADMIN:
        return True
    if user.role == Role.GRID:
        return activity.created_by_id == user.pk
    own = user.jurisdiction
    return bool(own and activity.jurisdiction.path.startswith(own.path))


def _date_has_come(activity, user) -> bool:
    return owns(activity, user) and activity.held_on <= timezone.localdate()


EDU_WORKFLOW = Workflow(
    model=EducationActivity,
    audit_prefix="education.educationactivity",
    lock_related=("jurisdiction",),
    invalid_message=gettext_lazy("活动当前为“{status}”，不能{action}。"),
    finished={EduStatus.HELD: gettext_lazy("已开展"), EduStatus.CANCELLED: gettext_lazy("已取消")},
    transitions=[
        transition(
            "hold",
            [EduStatus.PLANNED],
            EduStatus.HELD,
            gettext_lazy("登记为已开展"),
            roles=RECORDERS,
            allowed=_date_has_come,
            denied=lambda a, u: NOT_YOURS if not owns(a, u) else gettext_lazy("活动日期未到，不能登记为已开展。"),
            style="primary",
        ),
        transition(
            "cancel",
            [EduStatus.PLANNED],
            EduStatus.CANCELLED,
            gettext_lazy("取消活动"),
            roles=DESK_ROLES,
            allowed=owns,
            denied=NOT_YOURS,
            confirm=gettext_lazy("取消后该活动不再计入开课率，确定取消吗？"),
        ),
    ],
)

REASON_REQUIRED = {"cancel"}


def may_edit(user, activity) -> bool:
    """THE rule for correcting an activity (pages hide the button by it, the service enforces it)."""
    return (
        activity.status != EduStatus.CANCELLED
        and user.can("education.educationactivity", "change")
        and owns(activity, user)
    )


def clean_materials(rows) -> list[dict]:
    """Material lines (title, quantity, unit); an empty row is skipped, a quantity must be
    1–MAX_QUANTITY."""
    clean = []
    for row in rows or []:
        title = (row.get("title") or "").strip()
        quantity = row.get("quantity")
        if not title and not quantity:
            continue
        if not title:
            raise DomainError(_("请填写资料名称。"))
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            raise DomainError(_("「{title}」的数量应为整数。").format(title=title)) from None
        if not 1 <= quantity <= MAX_QUANTITY:
            raise DomainError(_("「{title}」的数量应为 1 至 {max}。").format(title=title, max=MAX_QUANTITY))
        clean.append({"title": title[:100], "quantity": quantity, "unit": (row.get("unit") or "份").strip()[:10]})
    return clean


def _materials_text(activity) -> list[str]:
    return [str(m) for m in activity.materials.all()]


def _record(activity) -> dict:
    data = snapshot(activity, HEADER_FIELDS)
    data["materials"] = _materials_text(activity)
    return data


def _write_materials(activity, rows: list[dict]) -> None:
    """The lines as typed replace the old ones (a materials line is part of the record; the
    record's audit event keeps the old and new lines)."""
    activity.materials.all().delete()
    for sort, row in enumerate(rows, start=1):
        line = MaterialLine(activity=activity, sort=sort, **row)
        line.full_clean()
        line.save()


def _check_unit(actor, unit) -> None:
    if unit is not None and actor is not None and not Unit.objects.restrict(actor, "view").filter(pk=unit.pk).exists():
        raise OutsideJurisdiction()


def _check_attendance(activity) -> None:
    if activity.attendance < activity.signed_in:
        raise DomainError(_("参加人次不能少于扫码签到人次（{n}）。").format(n=activity.signed_in))


def _attach_photos(activity, processed_all, actor) -> None:
    uploader = actor if getattr(actor, "pk", None) else None
    for processed in processed_all:
        save_photo(EducationActivityPhoto(activity=activity, uploaded_by=uploader), processed)


@photos_prepared()
@transaction.atomic
def activity_create(
    *,
    actor,
    jurisdiction,
    kind: str,
    topic: str,
    held_on,
    place: str = "",
    speaker: str = "",
    organiser_unit=None,
    audience: str = "residents",
    attendance: int = 0,
    description: str = "",
    materials=(),
    photos=(),
):
    """Record a planned activity (its step to 已开展 follows, once its day has come)."""
    if actor is not None and actor.role not in RECORDERS:
        raise PermissionDeniedForRole()
    ensure_role_allows(actor, EducationActivity, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    _check_unit(actor, organiser_unit)
    if kind not in ACTIVITY_KINDS:
        raise DomainError(_("宣传栏更新请在宣传栏中登记。"))
    rows = clean_materials(materials)
    activity = EducationActivity(
        jurisdiction=jurisdiction,
        kind=kind,
        topic=topic,
        held_on=held_on,
        place=place,
        speaker=speaker,
        organiser_unit=organiser_unit,
        audience=audience,
        attendance=attendance or 0,
        description=description,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.full_clean()
    activity.save()
    _write_materials(activity, rows)
    _attach_photos(activity, photos, actor)
    audit_record(
        actor=actor, obj=activity, action="education.educationactivity.created", data={"after": _record(activity)}
    )
    return activity


@photos_prepared()
@transaction.atomic
def activity_update(*, actor, activity, expected_version: int | None, changes: dict, materials=None, photos=()):
    """A versioned correction: header fields, the material lines (when given) and more photos."""
    locked = (
        EducationActivity.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=activity.pk)
    )
    if actor is not None:
        ensure_in_scope(actor, locked, "change")
        if not owns(locked, actor):
            raise PermissionDeniedForRole(NOT_YOURS)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status == EduStatus.CANCELLED:
        raise DomainError(_("已取消的活动不能修改。"))
    before = _record(locked)
    for name, value in changes.items():
        if name not in HEADER_FIELDS:
            raise DomainError(_("该字段不能修改。"))
        setattr(locked, name, value)
    if locked.kind not in ACTIVITY_KINDS:
        raise DomainError(_("宣传栏更新请在宣传栏中登记。"))
    if "organiser_unit" in changes:
        _check_unit(actor, locked.organiser_unit)
    if locked.status == EduStatus.HELD and locked.held_on > timezone.localdate():
        raise DomainError(_("已开展的活动，日期不能晚于今天。"))
    _check_attendance(locked)
    locked.full_clean()
    if materials is not None:
        _write_materials(locked, clean_materials(materials))
    _attach_photos(locked, photos, actor)
    changed = diff(before, _record(locked))
    if not changed and not photos:
        return locked
    locked.version += 1
    locked.save()
    data = {"changes": changed}
    if photos:
        data["photos_added"] = len(photos)
    audit_record(actor=actor, obj=locked, action="education.educationactivity.updated", data=data)
    return locked


@transaction.atomic
def activity_transition(*, actor, activity, name: str, expected_version: int | None = None, reason: str = ""):
    """One step of EDU_WORKFLOW (登记为已开展, 取消活动); cancelling needs a reason."""
    changes = None
    if name in REASON_REQUIRED:
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("请填写取消原因。"))
        changes = {"cancel_reason": reason[:200]}
    return EDU_WORKFLOW.perform(
        name, obj=activity, actor=actor, expected_version=expected_version, changes=changes, note=reason or None
    )


# The public sign-in -------------------------------------------------------------------------


class SignInClosed(DomainError):
    default_message = gettext_lazy("该活动今天不开放签到。")


class AlreadySignedIn(DomainError):
    default_message = gettext_lazy("这部手机已经签到过了，谢谢参与。")


def signin_open(activity, today=None) -> bool:
    """Sign-in is open on the activity's day (Asia/Shanghai) while it is not cancelled."""
    today = today or timezone.localdate()
    return activity.status != EduStatus.CANCELLED and activity.held_on == today


@transaction.atomic
def signin_record(*, activity, device: str, today=None) -> ActivitySignIn:
    """One phone sign-in (no person: `device` is the page's device hash); counted into
    `signed_in` and, when attendance falls behind, into `attendance` too."""
    locked = EducationActivity.objects.select_for_update().get(pk=activity.pk)
    if not signin_open(locked, today):
        raise SignInClosed()
    if ActivitySignIn.objects.filter(activity=locked, device=device).exists():
        raise AlreadySignedIn()
    try:
        with transaction.atomic():
            row = ActivitySignIn.objects.create(activity=locked, device=device)
    except IntegrityError:
        raise AlreadySignedIn() from None
    EducationActivity.objects.filter(pk=locked.pk).update(signed_in=F("signed_in") + 1)
    EducationActivity.objects.filter(pk=locked.pk, attendance__lt=F("signed_in")).update(attendance=F("signed_in"))
    return row
