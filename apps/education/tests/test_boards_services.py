from datetime import date

import pytest

from apps.cases.tests.conftest import jpeg
from apps.core.exceptions import DomainError
from apps.education.models import Board, BoardUpdate
from apps.education.services import boards as services
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _board(o, **extra):
    fields = {"name": "幸福路宣传栏", "place": "幸福路口", "cadence": "monthly", "installed_on": date(2026, 1, 1)}
    fields.update(extra)
    return services.board_create(actor=o.community, jurisdiction=o.grid_a1, **fields)


def test_update_needs_photo_and_sane_date(org):
    board = _board(org)
    today = date(2026, 11, 20)
    with pytest.raises(DomainError):
        services.board_update_record(
            actor=org.grid, board=board, updated_on=today, topic="控烟", photos=[], today=today
        )
    with pytest.raises(DomainError):
        services.board_update_record(
            actor=org.grid, board=board, updated_on=date(2026, 11, 21), topic="控烟", photos=[jpeg()], today=today
        )
    with pytest.raises(DomainError):
        services.board_update_record(
            actor=org.grid, board=board, updated_on=date(2025, 12, 31), topic="控烟", photos=[jpeg()], today=today
        )
    assert not BoardUpdate.objects.exists()
    services.board_update_record(
        actor=org.grid, board=board, updated_on=date(2026, 11, 3), topic="控烟", photos=[jpeg()], today=today
    )
    board.refresh_from_db()
    assert board.last_updated_on == date(2026, 11, 3)
    assert board.updates.get().photos.count() == 1


def test_other_community_and_leader_may_not_update(org):
    board = _board(org)
    for actor in (org.community_other, org.leader):
        with pytest.raises(DomainError):
            services.board_update_record(
                actor=actor, board=board, updated_on=date(2026, 11, 3), topic="x", photos=[jpeg()]
            )


def test_sweep_notifies_once_per_missed_period(org):
    board = _board(org)
    services.board_update_record(
        actor=org.community, board=board, updated_on=date(2026, 10, 10), topic="秋季防病", photos=[jpeg()]
    )
    assert services.overdue_sweep(today=date(2026, 11, 30)) == 0  # October on time, November still running
    assert services.overdue_sweep(today=date(2026, 12, 1)) == 1  # November missed
    assert services.overdue_sweep(today=date(2026, 12, 2)) == 0  # not again the next day
    notes = Notification.objects.filter(kind=services.OVERDUE_KIND)
    assert set(notes.values_list("recipient", flat=True)) == {org.community.pk}
    board.refresh_from_db()
    assert board.notified_period == "2026-11"
    # January: December missed too → one new notice for 2026-12
    assert services.overdue_sweep(today=date(2027, 1, 2)) == 1
    assert Board.objects.get(pk=board.pk).notified_period == "2026-12"


def test_inactive_board_never_notified(org):
    board = _board(org)
    services.board_deactivate(actor=org.community, board=board, expected_version=board.version)
    assert services.overdue_sweep(today=date(2026, 12, 1)) == 0
