"""Writes of the bulletin-board register (宣传栏): register, edit, deactivate a board; record an
update with its photos (at least one); the daily overdue sweep. Keyword-only, atomic,
scope- and role-checked, audited. The punctuality rules are in punctuality.py."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import DESK_ROLES
from apps.core.services import tracked_create, tracked_update
from apps.photos.services import photos_prepared, save_photo

from .. import punctuality
from ..models import Board, BoardUpdate, BoardUpdatePhoto
from ..roles import BOARD_UPDATERS

OVERDUE_KIND = "education_board_overdue"
BOARD_FIELDS = ["name", "place", "lat", "lng", "width_m", "height_m", "owner_unit", "cadence", "installed_on"]


@transaction.atomic
def board_create(*, actor, jurisdiction, **fields) -> Board:
    ensure_role_allows(actor, Board, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    board = Board(jurisdiction=jurisdiction, **{k: v for k, v in fields.items() if k in BOARD_FIELDS})
    if board.installed_on and board.installed_on > timezone.localdate():
        raise DomainError(_("设立日期不能晚于今天。"))
    return tracked_create(obj=board, actor=actor, action="education.board.created", fields=BOARD_FIELDS)


@transaction.atomic
def board_edit(*, actor, board: Board, changes: dict, expected_version: int | None) -> Board:
    ensure_role_allows(actor, Board, "change")
    ensure_in_scope(actor, board, "change")
    changes = {k: v for k, v in changes.items() if k in BOARD_FIELDS}
    return tracked_update(
        obj=board, actor=actor, changes=changes, expected_version=expected_version, action="education.board.updated"
    )


@transaction.atomic
def board_deactivate(*, actor, board: Board, expected_version: int | None) -> Board:
    ensure_role_allows(actor, Board, "change")
    ensure_in_scope(actor, board, "change")
    return tracked_update(
        obj=board,
        actor=actor,
        changes={"is_active": False},
        expected_version=expected_version,
        action="education.board.deactivated",
    )


def ensure_updater(actor, board: Board) -> None:
    """Desk roles and grid workers (roles.BOARD_UPDATERS), on a board they can see."""
    if getattr(actor, "role", None) not in BOARD_UPDATERS:
        raise PermissionDeniedForRole()
    ensure_in_scope(actor, board, "view")


@photos_prepared("photos")
@transaction.atomic
def board_update_record(
    *, actor, board: Board, updated_on: date, topic: str, note: str = "", photos=None, today: date | None = None
) -> BoardUpdate:
    ensure_updater(actor, board)
    locked = Board.objects.select_for_update().get(pk=board.pk)
    today = today or timezone.localdate()
    if not locked.is_active:
        raise DomainError(_("该宣传栏已停用，不能登记更新。"))
    if updated_on is None:
        raise DomainError(_("请填写更换日期。"))
    if updated_on > today:
        raise DomainError(_("更换日期不能晚于今天。"))
    if updated_on < locked.installed_on:
        raise DomainError(_("更换日期不能早于宣传栏设立日期。"))
    topic = (topic or "").strip()
    if not topic:
        raise DomainError(_("请填写更新主题。"))
    if not photos:
        raise DomainError(_("请至少上传一张宣传栏照片。"))
    update = BoardUpdate(
        board=locked,
        updated_on=updated_on,
        topic=topic[:100],
        note=(note or "").strip()[:500],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    update.full_clean()
    update.save()
    for processed in photos:
        save_photo(BoardUpdatePhoto(update=update), processed)
    if locked.last_updated_on is None or updated_on > locked.last_updated_on:
        locked.last_updated_on = updated_on
        locked.save(update_fields=["last_updated_on"])
    audit_record(
        actor=actor,
        obj=update,
        action="education.boardupdate.created",
        data={"after": {"board": locked.name, "updated_on": updated_on.isoformat(), "topic": update.topic}},
    )
    return update


def update_days(board: Board) -> list[date]:
    return list(board.updates.values_list("updated_on", flat=True))


def overdue_of(board: Board, today: date, days=None):
    if not board.is_active:
        return None
    return punctuality.overdue_period(
        board.cadence, board.installed_on, days if days is not None else update_days(board), today
    )


def _desk_users(jurisdiction):
    """The desk of the board's jurisdiction, or of its nearest level that has one (a board at a
    grid is the community desk's)."""
    from apps.accounts.models import User

    ids = [int(part) for part in jurisdiction.path.strip("/").split("/") if part.isdigit()] or [jurisdiction.pk]
    users = list(User.objects.filter(is_active=True, role__in=DESK_ROLES, jurisdiction_id__in=ids))
    for jid in reversed(ids):
        nearest = [u for u in users if u.jurisdiction_id == jid]
        if nearest:
            return nearest
    return []


def overdue_sweep(*, today: date | None = None) -> int:
    """Notify the desk of each overdue board's jurisdiction once per missed period: the missed
    period's key is stored in `notified_period`, and a board already notified for it is skipped
    (so no reminder every day). Returns the number of boards notified."""
    from apps.notifications.messages import Message
    from apps.notifications.services import notify

    today = today or timezone.localdate()
    sent = 0
    for board in Board.objects.filter(is_active=True).select_related("jurisdiction"):
        missed = overdue_of(board, today)
        if missed is None or board.notified_period == missed.key:
            continue
        with transaction.atomic():
            locked = Board.objects.select_for_update().get(pk=board.pk)
            if locked.notified_period == missed.key:
                continue
            notify(
                _desk_users(locked.jurisdiction),
                kind=OVERDUE_KIND,
                message=Message(
                    gettext_noop("宣传栏「{board}」在 {period} 没有更换内容，请尽快更新。"),
                    board=locked.name,
                    period=missed.key,
                ),
                target=locked,
            )
            locked.notified_period = missed.key
            locked.save(update_fields=["notified_period"])
            sent += 1
    return sent
