"""Writes of the activities app: every function keyword-only, atomic, scope-checked,
version-checked (a stale version raises ConcurrentEdit: "该记录已被他人修改") and audited.

An activity's status moves only through `workflow.ACTIVITY_WORKFLOW`; a correction of a held
activity is a versioned edit whose audit event carries the whole record before and after
(participants, outputs and areas as text). Nothing is deleted: activities are cancelled,
output lines cleared to zero, sign-ups withdrawn, volunteers and teams made inactive.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update
from apps.organization.models import Jurisdiction, Unit
from apps.photos.services import photos_prepared, save_photo

from .choices import ActivityStatus, ParticipantKind
from .models import (
    MAX_COUNT,
    Activity,
    ActivityPhoto,
    Output,
    OutputMeasure,
    Participation,
    SignUp,
    Volunteer,
    VolunteerTeam,
)
from .workflow import ACTIVITY_WORKFLOW, RECORDERS, owns

HEADER_FIELDS = ["kind", "title", "held_on", "place", "organiser", "organiser_unit", "description"]


# Output measures (the office's reference table) -------------------------------------------


@transaction.atomic
def measure_create(*, actor, code: str, name: str, unit: str, category: str, sort: int = 100) -> OutputMeasure:
    ensure_role_allows(actor, OutputMeasure, "add")
    measure = OutputMeasure(code=code, name=name, unit=unit, category=category, sort=sort)
    return tracked_create(
        obj=measure, actor=actor, action="activities.outputmeasure.created", fields=["code", "name", "unit", "category"]
    )


@transaction.atomic
def measure_update(
    *, actor, measure: OutputMeasure, changes: dict, expected_version: int | None = None
) -> OutputMeasure:
    """Name, unit wording, category, order, active (a stale version raises ConcurrentEdit).
    A measure keeps its code: the figures and the links name it."""
    ensure_role_allows(actor, OutputMeasure, "change")
    allowed = {"name", "unit", "category", "sort", "is_active"}
    return tracked_update(
        obj=measure,
        actor=actor,
        changes={k: v for k, v in changes.items() if k in allowed},
        expected_version=expected_version,
        action="activities.outputmeasure.updated",
    )


# Activities -------------------------------------------------------------------------------


def _check_place(actor, jurisdiction: Jurisdiction, areas, organiser_unit: Unit | None) -> None:
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    for area in areas:
        if not area.path.startswith(jurisdiction.path):
            raise DomainError(
                _("覆盖区域「{area}」不在组织辖区「{owner}」范围内。").format(area=area.name, owner=jurisdiction.name)
            )
    if organiser_unit is not None and not Unit.objects.restrict(actor, "view").filter(pk=organiser_unit.pk).exists():
        raise OutsideJurisdiction()


def _check_counts(participants: dict) -> dict[str, int]:
    clean = {}
    for kind, count in (participants or {}).items():
        if kind not in ParticipantKind.values:
            raise DomainError(_("未知的参与人员类别。"))
        count = int(count or 0)
        if count < 0 or count > MAX_COUNT:
            raise DomainError(_("人次应为 0 至 {max} 之间的整数。").format(max=MAX_COUNT))
        clean[kind] = count
    return clean


def _check_outputs(outputs) -> list[dict]:
    rows = []
    for row in outputs or []:
        measure, quantity = row.get("measure"), row.get("quantity")
        if measure is None or quantity is None:
            continue
        quantity = Decimal(quantity)
        if quantity < 0:
            raise DomainError(
                _("「{measure}」的数量不能为负数（单位：{unit}）。").format(
                    measure=measure.label, unit=measure.unit_label
                )
            )
        rows.append({**row, "quantity": quantity})
    return rows


def _participants_text(activity: Activity) -> list[str]:
    rows = activity.participants.filter(count__gt=0).order_by("id")
    return [f"{row.get_kind_display()} {row.count}" for row in rows]


def _outputs_text(activity: Activity) -> list[str]:
    rows = activity.outputs.filter(quantity__gt=0).select_related("measure")
    return [str(row) for row in rows]


def _areas_text(activity: Activity) -> list[str]:
    return list(activity.areas.order_by("path").values_list("name", flat=True))


def _record(activity: Activity) -> dict:
    """The activity as its audit event shows it, before and after a change."""
    data = snapshot(activity, HEADER_FIELDS)
    data["areas"] = _areas_text(activity)
    data["participants"] = _participants_text(activity)
    data["outputs"] = _outputs_text(activity)
    return data


def _write_participants(activity: Activity, participants: dict[str, int]) -> None:
    existing = {p.kind: p for p in activity.participants.all()}
    for kind, count in participants.items():
        row = existing.get(kind)
        if row is None:
            if count:
                Participation.objects.create(activity=activity, kind=kind, count=count)
        elif row.count != count:
            row.count = count
            row.save(update_fields=["count"])


def _write_outputs(activity: Activity, outputs: list[dict]) -> None:
    """Rows with an `id` are corrected in place (a removed line is cleared to 0, never deleted);
    rows without one are added after the others."""
    existing = {o.pk: o for o in activity.outputs.all()}
    next_sort = (activity.outputs.aggregate(top=Max("sort"))["top"] or 0) + 1
    for row in outputs:
        current = existing.get(row.get("id")) if row.get("id") else None
        if current is not None:
            current.measure, current.quantity = row["measure"], row["quantity"]
            current.material, current.location = row.get("material", ""), row.get("location", "")
            current.full_clean()
            current.save()
            continue
        if not row["quantity"] and not row.get("material"):
            continue  # an empty preset row
        if not row["measure"].is_active:
            raise DomainError(_("计量项「{name}」已停用。").format(name=row["measure"].label))
        output = Output(
            activity=activity,
            measure=row["measure"],
            quantity=row["quantity"],
            material=row.get("material", ""),
            location=row.get("location", ""),
            sort=next_sort,
        )
        output.full_clean()
        output.save()
        next_sort += 1


def _attach_photos(activity: Activity, processed_all, actor) -> None:
    uploader = actor if getattr(actor, "pk", None) else None
    for processed in processed_all:
        save_photo(ActivityPhoto(activity=activity, uploaded_by=uploader), processed)


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    held_on,
    jurisdiction: Jurisdiction,
    place: str = "",
    areas=(),
    organiser: str = "",
    organiser_unit: Unit | None = None,
    description: str = "",
    participants: dict | None = None,
    outputs=(),
    photos=(),
    held: bool = True,
) -> Activity:
    """Record an activity. `held=True` (the phone's 登记活动, the date today or earlier) records
    it and takes the 登记为已开展 step at once; `held=False` plans it (a future date allowed, so
    volunteers can sign up). Scope: the owner and every covered area inside the actor's subtree,
    the areas inside the owner's. Audits the creation, then the step."""
    if actor is not None and actor.role not in RECORDERS:
        raise PermissionDeniedForRole()
    ensure_role_allows(actor, Activity, "add")
    areas = list(areas or [])
    _check_place(actor, jurisdiction, areas, organiser_unit)
    if held and held_on > timezone.localdate():
        raise DomainError(_("活动日期在今天之后：请登记为计划中，活动开展后再登记成效。"))
    counts = _check_counts(participants)
    rows = _check_outputs(outputs)
    activity = Activity(
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        jurisdiction=jurisdiction,
        organiser=organiser,
        organiser_unit=organiser_unit,
        description=description,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.full_clean()
    activity.save()
    activity.areas.set(areas)
    _write_participants(activity, counts)
    _write_outputs(activity, rows)
    _attach_photos(activity, photos, actor)
    audit_record(actor=actor, obj=activity, action="activities.activity.created", data={"after": _record(activity)})
    if held:
        activity = ACTIVITY_WORKFLOW.perform("hold", obj=activity, actor=actor)
    return activity


@photos_prepared()
@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    expected_version: int | None,
    changes: dict,
    areas=None,
    participants: dict | None = None,
    outputs=(),
    photos=(),
) -> Activity:
    """Correct an activity (a versioned edit): header fields, covered areas, 人次 per kind,
    output lines (corrected in place, new ones added) and more photos. Locks the row, refuses
    a stale version and a cancelled record, and audits the whole record before and after."""
    locked = Activity.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=activity.pk)
    if actor is not None:
        ensure_in_scope(actor, locked, "change")
        if not owns(locked, actor):
            raise PermissionDeniedForRole(_("该活动由其他层级登记，只能由登记的辖区修改。"))
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status == ActivityStatus.CANCELLED:
        raise DomainError(_("已取消的活动不能修改。"))
    before = _record(locked)
    for name, value in changes.items():
        if name not in HEADER_FIELDS:
            raise DomainError(_("该字段不能修改。"))
        setattr(locked, name, value)
    if locked.status == ActivityStatus.HELD and locked.held_on > timezone.localdate():
        raise DomainError(_("已开展的活动，日期不能晚于今天。"))
    area_list = list(areas) if areas is not None else list(locked.areas.all())
    _check_place(actor, locked.jurisdiction, area_list, locked.organiser_unit)
    locked.full_clean()
    if areas is not None:
        locked.areas.set(area_list)
    if participants is not None:
        _write_participants(locked, _check_counts(participants))
    _write_outputs(locked, _check_outputs(outputs))
    _attach_photos(locked, photos, actor)
    after = _record(locked)
    changed = diff(before, after)
    if not changed and not photos:
        return locked
    locked.version += 1
    locked.save()
    data = {"changes": changed}
    if photos:
        data["photos_added"] = len(photos)
    audit_record(actor=actor, obj=locked, action="activities.activity.updated", data=data)
    return locked


@transaction.atomic
def activity_transition(
    *, actor, activity: Activity, name: str, expected_version: int | None = None, reason: str = ""
) -> Activity:
    """One step of the table (登记为已开展, 取消活动). Cancelling needs a reason."""
    changes = None
    if name == "cancel":
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("请填写取消原因。"))
        changes = {"cancel_reason": reason[:200]}
    return ACTIVITY_WORKFLOW.perform(
        name, obj=activity, actor=actor, expected_version=expected_version, changes=changes, note=reason or None
    )


@transaction.atomic
def activity_volunteers_from_attendance(*, actor, activity: Activity, expected_version: int | None) -> Activity:
    """志愿者人次 = the volunteers marked present (signed up, not withdrawn)."""
    attended = activity.signups.filter(attended=True, withdrawn_at__isnull=True).count()
    counts = {p.kind: p.count for p in activity.participants.all()}
    counts[ParticipantKind.VOLUNTEER] = attended
    return activity_update(
        actor=actor, activity=activity, expected_version=expected_version, changes={}, participants=counts
    )


# Volunteers -------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, actor, name: str, jurisdiction: Jurisdiction, description: str = "") -> VolunteerTeam:
    ensure_role_allows(actor, VolunteerTeam, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    team = VolunteerTeam(name=name, jurisdiction=jurisdiction, description=description)
    return tracked_create(
        obj=team, actor=actor, action="activities.volunteerteam.created", fields=["name", "jurisdiction"]
    )


@transaction.atomic
def team_update(*, actor, team: VolunteerTeam, changes: dict, expected_version: int | None) -> VolunteerTeam:
    ensure_in_scope(actor, team, "change")
    if "jurisdiction" in changes:
        ensure_jurisdiction_in_scope(actor, changes["jurisdiction"])
    return tracked_update(
        obj=team,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="activities.volunteerteam.updated",
    )


def _check_team(actor, team, jurisdiction) -> None:
    if team is None:
        return
    if not VolunteerTeam.objects.restrict(actor, "view").filter(pk=team.pk).exists():
        raise OutsideJurisdiction()


VOLUNTEER_FIELDS = ["full_name", "phone", "team", "skills", "jurisdiction", "is_active"]


@transaction.atomic
def volunteer_create(
    *, actor, full_name: str, jurisdiction: Jurisdiction, phone: str = "", team=None, skills: str = ""
) -> Volunteer:
    ensure_role_allows(actor, Volunteer, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    _check_team(actor, team, jurisdiction)
    volunteer = Volunteer(full_name=full_name, phone=phone, team=team, skills=skills, jurisdiction=jurisdiction)
    return tracked_create(obj=volunteer, actor=actor, action="activities.volunteer.created", fields=VOLUNTEER_FIELDS)


@transaction.atomic
def volunteer_update(*, actor, volunteer: Volunteer, changes: dict, expected_version: int | None) -> Volunteer:
    ensure_in_scope(actor, volunteer, "change")
    if "jurisdiction" in changes:
        ensure_jurisdiction_in_scope(actor, changes["jurisdiction"])
    _check_team(actor, changes.get("team"), changes.get("jurisdiction"))
    changes = {k: v for k, v in changes.items() if k in VOLUNTEER_FIELDS}
    return tracked_update(
        obj=volunteer,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="activities.volunteer.updated",
    )


# Sign-ups ---------------------------------------------------------------------------------


def _check_signup_activity(actor, activity: Activity) -> None:
    ensure_in_scope(actor, activity, "view")
    if actor is not None and not owns(activity, actor):
        raise PermissionDeniedForRole(_("该活动由其他层级登记，只能由登记的辖区管理报名。"))
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("活动已取消，不能报名或登记到场。"))


@transaction.atomic
def signup_create(*, actor, activity: Activity, volunteer: Volunteer) -> SignUp:
    """The desk signs a volunteer up (again, if they had withdrawn)."""
    ensure_role_allows(actor, SignUp, "add")
    activity = Activity.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=activity.pk)
    _check_signup_activity(actor, activity)
    ensure_in_scope(actor, volunteer, "view")
    if not volunteer.is_active:
        raise DomainError(_("该志愿者已不在册。"))
    existing = SignUp.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
    if existing is not None:
        if existing.withdrawn_at is None:
            raise DomainError(_("该志愿者已报名此活动。"))
        return tracked_update(
            obj=existing,
            actor=actor,
            changes={"withdrawn_at": None},
            expected_version=None,
            action="activities.signup.created",
        )
    signup = SignUp(activity=activity, volunteer=volunteer, signed_by=actor if getattr(actor, "pk", None) else None)
    return tracked_create(obj=signup, actor=actor, action="activities.signup.created", fields=["volunteer"])


@transaction.atomic
def signup_record(*, actor, signup: SignUp, attended: bool | None, hours, expected_version: int | None) -> SignUp:
    """到场 and 服务时长 (0–24 hours; none when absent), once the activity's date has come."""
    ensure_role_allows(actor, SignUp, "change")
    _check_signup_activity(actor, signup.activity)
    if signup.withdrawn_at is not None:
        raise DomainError(_("该报名已退出。"))
    if signup.activity.held_on > timezone.localdate():
        raise DomainError(_("活动尚未开展，不能登记到场和服务时长。"))
    hours = Decimal(hours or 0)
    if attended is not True and hours:
        raise DomainError(_("未到场的志愿者不能登记服务时长。"))
    return tracked_update(
        obj=signup,
        actor=actor,
        changes={"attended": attended, "hours": hours},
        expected_version=expected_version,
        action="activities.signup.recorded",
    )


@transaction.atomic
def signup_withdraw(*, actor, signup: SignUp, expected_version: int | None) -> SignUp:
    ensure_role_allows(actor, SignUp, "change")
    _check_signup_activity(actor, signup.activity)
    if signup.withdrawn_at is not None:
        raise DomainError(_("该报名已退出。"))
    return tracked_update(
        obj=signup,
        actor=actor,
        changes={"withdrawn_at": timezone.now(), "attended": None, "hours": Decimal(0)},
        expected_version=expected_version,
        action="activities.signup.withdrawn",
    )
