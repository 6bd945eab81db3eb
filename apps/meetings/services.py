"""Writes of meetings: plan, edit, hold (minutes), close, cancel, sign-in, decisions and their
follow-ups, attachments. Every service is keyword-only and atomic, checks role and scope, refuses
a stale version ("该记录已被他人修改") and audits with labelled actions (entries.py)."""

import calendar
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.documents.uploads import EXTENSIONS, check_document
from apps.organization.models import Staff, Unit, WorkGroup
from apps.photos.services import photos_prepared, save_photo

from . import campaign_link, selectors
from .choices import InviteSource, MeetingStatus, Recurrence, SignInMethod
from .models import Attendee, Decision, Meeting, MeetingDocument, MeetingPhoto
from .workflow import DECISION_WORKFLOW, MEETING_WORKFLOW, manages

MEETING_FIELDS = [
    "kind",
    "recurrence",
    "topic",
    "jurisdiction",
    "campaign",
    "starts_at",
    "place",
    "host",
    "recorder",
    "guests",
]
DECISION_FIELDS = ["number", "kind", "text", "owner_user", "owner_unit", "owner_jurisdiction", "deadline", "task"]
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD)
# Times a person can type that make sense for a meeting (and keep the series' arithmetic in range).
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(480))
PLAN_AHEAD = timedelta(days=366)
DEADLINE_AHEAD = timedelta(days=3 * 366)


class SignInRefused(DomainError):
    default_message = gettext_lazy("不能签到。")


def _now():
    return timezone.now()


def _ensure_manages(actor, meeting: Meeting) -> None:
    if actor is None:
        return
    ensure_in_scope(actor, meeting, "view")
    if not manages(meeting, actor):
        raise PermissionDeniedForRole(_("只有会议所属辖区的管理人员或记录人可以办理。"))


def _check_campaign(actor, campaign, jurisdiction) -> None:
    if campaign is None:
        return
    if not campaign_link.campaign_covers(campaign, jurisdiction):
        raise ValidationError({"campaign": _("所选创建项目的范围不包括会议所属辖区。")})
    if actor is not None and not campaign_link.campaigns_covering(actor, jurisdiction).filter(pk=campaign.pk).exists():
        raise OutsideJurisdiction()


def _check_invitation(actor, *, jurisdiction, recorder, groups, units, people) -> None:
    """The services, not the form, decide who may be invited or record: the recorder manages the
    meeting and every invitee sees it, so each must lie in the actor's scope (people: plus the
    cadres of the levels above the meeting's place, see selectors.invitable_people)."""
    if actor is None:
        return
    allowed = selectors.invitable_people(actor, jurisdiction)
    wanted = {p.pk for p in people}
    if wanted - set(allowed.filter(pk__in=wanted).values_list("pk", flat=True)):
        raise ValidationError({"people": _("参加人员超出了您的管辖范围。")})
    if recorder is not None and not allowed.filter(pk=recorder.pk).exists():
        raise ValidationError({"recorder": _("记录人超出了您的管辖范围。")})
    group_ids = {g.pk for g in groups}
    if group_ids - set(WorkGroup.objects.restrict(actor, "view").filter(pk__in=group_ids).values_list("pk", flat=True)):
        raise ValidationError({"groups": _("参加小组超出了您的管辖范围。")})
    unit_ids = {u.pk for u in units}
    if unit_ids - set(Unit.objects.restrict(actor, "view").filter(pk__in=unit_ids).values_list("pk", flat=True)):
        raise ValidationError({"units": _("参加单位超出了您的管辖范围。")})


def _check_starts_at(starts_at) -> None:
    if starts_at is None:
        return
    if starts_at < EARLIEST:
        raise ValidationError({"starts_at": _("会议时间不能早于2000年。")})
    if starts_at > _now() + PLAN_AHEAD:
        raise ValidationError({"starts_at": _("会议时间不能晚于一年以后。")})


def _post_of(user=None, staff=None) -> str:
    if staff is not None:
        place = staff.unit.name if staff.unit_id else staff.jurisdiction.name
        return f"{place} {staff.post}".strip()
    if user is not None:
        if user.unit_id:
            return user.unit.name
        record = getattr(user, "staff_record", None)
        if record is not None:
            return _post_of(staff=record)
        return user.jurisdiction.name if user.jurisdiction_id else ""
    return ""


def _invitees(groups, units, people) -> list[dict]:
    """Who is invited, one entry per person (a person in two groups is invited once): people by
    name first, then group members, then each unit's contacts and staff."""
    seen_users, seen_staff, rows = set(), set(), []

    def add(source, user=None, staff=None):
        if staff is not None and user is None:
            user = staff.account
        if user is not None and staff is None:
            staff = getattr(user, "staff_record", None)
        if (user is not None and user.pk in seen_users) or (staff is not None and staff.pk in seen_staff):
            return
        if user is not None:
            seen_users.add(user.pk)
        if staff is not None:
            seen_staff.add(staff.pk)
        name = staff.name if staff is not None else (user.display_name if user else "")
        rows.append(
            {"user": user, "staff": staff, "name": name[:50], "post": _post_of(user, staff)[:200], "source": source}
        )

    for user in people:
        add(InviteSource.PERSON, user=user)
    for group in groups:
        for member in group.members.select_related("staff__account", "staff__unit", "staff__jurisdiction"):
            if member.staff.is_active:
                add(InviteSource.GROUP, staff=member.staff)
    for unit in units:
        for user in User.objects.filter(unit=unit, is_active=True).select_related("unit"):
            add(InviteSource.UNIT, user=user)
        for staff in Staff.objects.filter(unit=unit, is_active=True).select_related("account", "unit", "jurisdiction"):
            add(InviteSource.UNIT, staff=staff)
    return rows


def _sync_attendees(meeting: Meeting, groups, units, people) -> tuple[int, int]:
    """Bring the attendee rows in line with the invitation: new people added, people no longer
    invited kept off the list (their row and any sign-in stay). Returns (added, withdrawn)."""
    wanted = _invitees(groups, units, people)
    existing = list(meeting.attendees.all())
    by_user = {a.user_id: a for a in existing if a.user_id}
    by_staff = {a.staff_id: a for a in existing if a.staff_id}
    kept, added = set(), 0
    for row in wanted:
        found = (row["user"] and by_user.get(row["user"].pk)) or (row["staff"] and by_staff.get(row["staff"].pk))
        if found:
            kept.add(found.pk)
            if not found.invited:
                found.invited = True
                found.save(update_fields=["invited"])
            continue
        Attendee.objects.create(meeting=meeting, **row)
        added += 1
    withdrawn = [a.pk for a in existing if a.invited and a.pk not in kept]
    Attendee.objects.filter(pk__in=withdrawn).update(invited=False)
    return added, len(withdrawn)


def _invitation_text(groups, units, people) -> list[str]:
    """The invitation as the audit trail lists it: groups, units, people by name."""
    return [*(g.name for g in groups), *(u.name for u in units), *(p.display_name for p in people)]


@transaction.atomic
def meeting_create(*, actor, groups=(), units=(), people=(), **fields) -> Meeting:
    """Plan a meeting of a jurisdiction in the actor's subtree, invite groups, units and people
    (expanded to one attendee per person). Audited as meetings.meeting.created."""
    ensure_role_allows(actor, Meeting, "add")
    jurisdiction = fields["jurisdiction"]
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    _check_campaign(actor, fields.get("campaign"), jurisdiction)
    _check_starts_at(fields.get("starts_at"))
    _check_invitation(
        actor, jurisdiction=jurisdiction, recorder=fields.get("recorder"), groups=groups, units=units, people=people
    )
    meeting = Meeting(created_by=actor if getattr(actor, "pk", None) else None, **fields)
    meeting.full_clean()
    meeting.save()
    meeting.invited_groups.set(groups)
    meeting.invited_units.set(units)
    _sync_attendees(meeting, groups, units, people)
    after = snapshot(meeting, MEETING_FIELDS) | {"invited": _invitation_text(groups, units, people)}
    audit_record(actor=actor, obj=meeting, action="meetings.meeting.created", data={"after": after})
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, changes: dict, expected_version, groups=None, units=None, people=None
) -> Meeting:
    """Edit the header and the invitation of a planned or held meeting (not once archived or
    cancelled). Locks the row, refuses a stale version, audits before/after."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=meeting.pk)
    _ensure_manages(actor, locked)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status not in OPEN_STATUSES:
        raise DomainError(_("会议已归档或已取消，不能修改。"))
    jurisdiction = changes.get("jurisdiction", locked.jurisdiction)
    if jurisdiction != locked.jurisdiction:
        ensure_jurisdiction_in_scope(actor, jurisdiction)
        if locked.decisions.exists():  # their owners were checked against the old area
            raise DomainError(_("已有议定事项的会议不能更换召开辖区。"))
    if "campaign" in changes and changes["campaign"] != locked.campaign and locked.decisions.exists():
        raise DomainError(_("已有议定事项的会议不能更换创建项目。"))
    _check_campaign(actor, changes.get("campaign", locked.campaign), jurisdiction)
    if locked.status == MeetingStatus.HELD and "held_at" in changes:
        _check_held_at(changes["held_at"])
    if "starts_at" in changes and changes["starts_at"] != locked.starts_at:
        _check_starts_at(changes["starts_at"])
    if "recorder" in changes and changes["recorder"] != locked.recorder:
        _check_invitation(
            actor, jurisdiction=jurisdiction, recorder=changes["recorder"], groups=(), units=(), people=()
        )
    if groups is not None:
        _check_invitation(
            actor, jurisdiction=jurisdiction, recorder=None, groups=groups, units=units or [], people=people or []
        )
    before = snapshot(locked, list(changes))
    old_invited = _invitation_text(locked.invited_groups.all(), locked.invited_units.all(), _people(locked))
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    after = snapshot(locked, list(changes))
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if groups is not None:
        locked.invited_groups.set(groups)
        locked.invited_units.set(units or [])
        _sync_attendees(locked, groups, units or [], people or [])
        new_invited = _invitation_text(groups, units or [], people or [])
        if new_invited != old_invited:
            changed["invited"] = [old_invited, new_invited]
    if changed:
        locked.version += 1
        locked.save(update_fields=[*changes, "version", "updated_at"])
        audit_record(actor=actor, obj=locked, action="meetings.meeting.updated", data={"changes": changed})
    return locked


def _people(meeting) -> list:
    return [
        a.user
        for a in meeting.attendees.filter(source=InviteSource.PERSON, invited=True, user__isnull=False).select_related(
            "user"
        )
    ]


def _check_held_at(held_at) -> None:
    if held_at is None:
        raise ValidationError({"held_at": _("请填写会议召开时间。")})
    if held_at > _now():
        raise ValidationError({"held_at": _("会议召开时间不能晚于现在。")})
    if held_at < EARLIEST:
        raise ValidationError({"held_at": _("会议召开时间不能早于2000年。")})


def next_start(starts_at: datetime, recurrence: str) -> datetime | None:
    """The next meeting of a series: a week later, or the same day of the next month (the last
    day when that month is shorter), at the same local time."""
    if recurrence == Recurrence.WEEKLY:
        return starts_at + timedelta(days=7)
    if recurrence == Recurrence.MONTHLY:
        local = timezone.localtime(starts_at)
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        day = min(local.day, calendar.monthrange(year, month)[1])
        return local.replace(year=year, month=month, day=day)
    return None


@transaction.atomic
def meeting_hold(
    *, actor, meeting: Meeting, held_at, points: str, expected_version, host: str | None = None
) -> Meeting:
    """召开: the minutes are recorded (the time it was held, never in the future, and the points).
    A recurring meeting schedules the next of its series (same header and invitation,
    `previous` = this one), whose page then shows this meeting's decisions. Audited as
    meetings.meeting.hold (and .created for the next one, by the system on the actor's behalf)."""
    _check_held_at(held_at)
    if not (points or "").strip():
        raise ValidationError({"points": _("请填写会议主要内容记录。")})
    changes = {"held_at": held_at, "points": points.strip()}
    if host is not None:
        changes["host"] = host
    # The audit entry gets the record's before/after, read from the locked row (filled in by
    # `record`, which the engine calls before it audits).
    audited = {"held_at": held_at.isoformat()}

    def record(locked):
        before = snapshot(locked, list(changes))
        audited.update(
            {k: [before[k], changes[k]] for k in ("host", "points") if k in changes and before[k] != changes[k]}
        )
        return changes

    held = MEETING_WORKFLOW.perform(
        "hold", obj=meeting, actor=actor, expected_version=expected_version, changes=record, data=audited
    )
    upcoming = next_start(held.starts_at, held.recurrence)
    if upcoming is not None and not held.next_meetings.exists():
        people = _people(held)
        fields = {name: getattr(held, name) for name in MEETING_FIELDS}
        fields["starts_at"] = upcoming
        follow = Meeting(created_by=held.created_by, previous=held, **fields)
        follow.full_clean()
        follow.save()
        groups, units = list(held.invited_groups.all()), list(held.invited_units.all())
        follow.invited_groups.set(groups)
        follow.invited_units.set(units)
        _sync_attendees(follow, groups, units, people)
        after = snapshot(follow, MEETING_FIELDS) | {"previous": str(held)}
        audit_record(actor=actor, obj=follow, action="meetings.meeting.scheduled", data={"after": after})
    return held


@transaction.atomic
def meeting_transition(*, actor, meeting: Meeting, name: str, expected_version, reason: str = "") -> Meeting:
    """归档 or 取消 (with a reason) through the table; 召开 has its own service (meeting_hold)."""
    if name == "hold":
        raise DomainError(_("请通过“记录召开”填写会议记录。"))
    changes = {}
    if name == "cancel":
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写取消原因。")})
        changes["cancel_reason"] = reason[:200]
    return MEETING_WORKFLOW.perform(
        name,
        obj=meeting,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        note=reason or None,
    )


# Sign-in ---------------------------------------------------------------------------------


@transaction.atomic
def attendee_sign_in(*, actor, meeting: Meeting, attendee: Attendee | None = None, signed_at=None) -> Attendee:
    """签到. Without `attendee`: the actor signs themself in (they must be invited), now. With
    one: the recorder (or a manager of the meeting) signs that person in, at `signed_at` (when
    empty: now on the day, the meeting's time afterwards; never in the future, always on the
    meeting's day). A self sign-in only on the meeting's day. Refused once the meeting is
    archived or cancelled, and for a meeting whose day has not come. Audited as
    meetings.meeting.signed_in on the meeting, with the person and the method."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=meeting.pk)
    ensure_in_scope(actor, locked, "view")
    if locked.status not in OPEN_STATUSES:
        raise SignInRefused(_("会议已归档或已取消，不能签到。"))
    now = _now()
    day = timezone.localdate(locked.occurred_at)
    if day > timezone.localdate(now):
        raise SignInRefused(_("会议当天才能签到。"))
    if attendee is None:
        attendee = locked.attendees.filter(user_id=actor.pk, invited=True).first()
        if attendee is None:
            raise SignInRefused(_("您不在本次会议的邀请名单中。"))
        if day < timezone.localdate(now):  # a phone sign-in days later would inflate attendance
            raise SignInRefused(_("会议当天已过，不能再签到，请联系记录人补签。"))
        method, moment = SignInMethod.SELF, now
    else:
        if not manages(locked, actor):
            raise PermissionDeniedForRole(_("只有记录人或会议管理人员可以代签。"))
        if attendee.meeting_id != locked.pk or not attendee.invited:
            raise SignInRefused(_("此人不在本次会议的邀请名单中。"))
        # 补签 after the day: at the meeting's time unless the recorder gives one of that day.
        default = now if day == timezone.localdate(now) else locked.occurred_at
        method, moment = SignInMethod.RECORDER, signed_at or default
        if moment > now:
            raise ValidationError({"signed_at": _("签到时间不能晚于现在。")})
        if timezone.localdate(moment) != day:
            raise ValidationError({"signed_at": _("签到时间须在会议当天。")})
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.signed_at is not None:
        raise SignInRefused(_("{name}已签到。").format(name=attendee.name))
    attendee.signed_at, attendee.method, attendee.signed_by = moment, method, actor
    attendee.save(update_fields=["signed_at", "method", "signed_by"])
    audit_record(
        actor=actor,
        obj=locked,
        action="meetings.meeting.signed_in",
        data={"attendee": attendee.name, "method": str(SignInMethod(method).label), "signed_at": moment.isoformat()},
    )
    return attendee


# Decisions -------------------------------------------------------------------------------


def _check_owner(meeting: Meeting, *, owner_user, owner_unit, owner_jurisdiction) -> None:
    """A decision's owner (person, unit, area) must lie in the meeting's area: the form offers
    only those, and this check holds whatever the caller sends."""
    path = meeting.jurisdiction.path
    if owner_jurisdiction is not None and not owner_jurisdiction.path.startswith(path):
        raise ValidationError({"owner_jurisdiction": _("责任区域必须在会议所属辖区内。")})
    if owner_unit is not None and not owner_unit.jurisdiction.path.startswith(path):
        raise ValidationError({"owner_unit": _("责任单位必须在会议所属辖区内。")})
    if owner_user is not None and not selectors.people_in_area(path).filter(pk=owner_user.pk).exists():
        raise ValidationError({"owner_user": _("责任人必须是会议所属辖区的人员。")})


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    kind: str,
    deadline=None,
    owner_user=None,
    owner_unit=None,
    owner_jurisdiction=None,
) -> Decision:
    """Record a decision of a planned or held meeting. When the meeting names a campaign, the
    decision becomes a task of its breakdown (origin 会议决定, through the campaigns' service);
    otherwise it is a stand-alone follow-up. The owner (person, unit or area) must be visible to
    the actor; an area must lie in the meeting's. Audited as meetings.decision.created."""
    ensure_role_allows(actor, Decision, "add")
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("jurisdiction", "campaign").get(pk=meeting.pk)
    )
    _ensure_manages(actor, locked)
    if locked.status not in OPEN_STATUSES:
        raise DomainError(_("会议已归档或已取消，不能再添加议定事项。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写议定事项。")})
    _check_owner(locked, owner_user=owner_user, owner_unit=owner_unit, owner_jurisdiction=owner_jurisdiction)
    day = timezone.localdate(locked.occurred_at)
    if deadline is not None and not day <= deadline <= day + DEADLINE_AHEAD:
        raise ValidationError({"deadline": _("完成时限须在会议日期之后三年以内。")})
    if locked.campaign_id and deadline is None:
        raise ValidationError({"deadline": _("关联创建项目的议定事项须填写完成时限。")})
    number = (locked.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision(
        meeting=locked,
        number=number,
        kind=kind,
        text=text,
        deadline=deadline,
        owner_user=owner_user,
        owner_unit=owner_unit,
        owner_jurisdiction=owner_jurisdiction,
    )
    decision.full_clean()
    if locked.campaign_id:
        note = _("{day}{topic}（第{number}项）").format(
            day=timezone.localtime(locked.starts_at).strftime("%Y-%m-%d"), topic=locked.topic, number=number
        )
        decision.task = campaign_link.make_task(actor=actor, decision=decision, origin_note=note)
    decision.save()
    audit_record(
        actor=actor,
        obj=decision,
        action="meetings.decision.created",
        data={"after": snapshot(decision, DECISION_FIELDS)},
    )
    return decision


@transaction.atomic
def decision_transition(*, actor, decision: Decision, name: str, expected_version, note: str = "") -> Decision:
    """落实 or 取消 of a stand-alone follow-up (a linked decision moves with its campaign task)."""
    changes = {}
    if name == "complete":
        changes = {"done_at": _now(), "done_note": (note or "").strip()[:200]}
    return DECISION_WORKFLOW.perform(
        name, obj=decision, actor=actor, expected_version=expected_version, changes=changes, note=note or None
    )


# Attachments -----------------------------------------------------------------------------


@photos_prepared()
@transaction.atomic
def attachments_add(*, actor, meeting: Meeting, document=None, photos=()) -> tuple[MeetingDocument | None, list]:
    """A slide deck or document (checked by its content: PDF, Word, Excel, photo) and photos
    (checked and resized by the photo service before the transaction), saved together or not
    at all: a refused document leaves no photo behind and a refused photo no document.
    Audited as meetings.meeting.document_added / photo_added."""
    # The status is read on the locked row: an archive or a cancel racing the upload waits.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=meeting.pk)
    _ensure_manages(actor, meeting)
    if meeting.status not in OPEN_STATUSES:
        raise DomainError(_("会议已归档或已取消，不能再上传附件。"))
    if document is None and not photos:
        raise ValidationError(_("请选择要上传的文件或照片。"))
    saved_document = None
    if document is not None:
        content_type = check_document(document)
        name = (getattr(document, "name", "") or _("会议材料"))[-200:]
        if "." not in name:
            name += EXTENSIONS.get(content_type, "")
        saved_document = MeetingDocument(meeting=meeting, name=name, content_type=content_type, uploaded_by=actor)
        saved_document.file.save(f"document{EXTENSIONS.get(content_type, '')}", document, save=False)
        saved_document.save()
        audit_record(actor=actor, obj=meeting, action="meetings.meeting.document_added", data={"document": name})
    saved = [save_photo(MeetingPhoto(meeting=meeting, uploaded_by=actor), p) for p in photos]
    if saved:
        audit_record(actor=actor, obj=meeting, action="meetings.meeting.photo_added", data={"photos": len(saved)})
    return saved_document, saved
