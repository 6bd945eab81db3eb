from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cases.tests.conftest import jpeg
from apps.education.services import boards as services

pytestmark = pytest.mark.django_db


def _overdue_board(o):
    # installed two periods back, never updated: the last complete month was missed
    today = timezone.localdate()
    installed = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    return services.board_create(
        actor=o.community, jurisdiction=o.grid_a1, name="幸福路宣传栏", place="幸福路12号", installed_on=installed
    )


def test_grid_worker_updates_with_photo_and_flag_clears(client, org):
    board = _overdue_board(org)
    client.force_login(org.grid)
    page = client.get(reverse("education:board_list"))
    assert 'data-testid="board-overdue"' in page.content.decode()
    response = client.post(
        reverse("education:board_update", args=[board.pk]),
        {"updated_on": timezone.localdate().isoformat(), "topic": "冬季防病", "photos": jpeg()},
    )
    assert response.status_code == 302
    page = client.get(reverse("education:board_list"))
    assert 'data-testid="board-overdue"' not in page.content.decode()


def test_update_without_photo_shows_message_and_saves_nothing(client, org):
    board = _overdue_board(org)
    client.force_login(org.community)
    response = client.post(
        reverse("education:board_update", args=[board.pk]), {"updated_on": date(2026, 11, 2).isoformat(), "topic": "x"}
    )
    assert response.status_code == 400
    assert "请至少上传一张宣传栏照片" in response.content.decode()
    assert not board.updates.exists()


def test_failed_check_page_shows_case_codes(client, org):
    from apps.cases.categories import ensure_categories
    from apps.education.services import smokefree

    ensure_categories()
    place = smokefree.place_create(
        actor=org.community, jurisdiction=org.grid_a1, name="站", kind="medical", signs_required=3
    )
    client.force_login(org.inspector)
    response = client.post(
        reverse("education:place_check", args=[place.pk]),
        {"checked_on": timezone.localdate().isoformat(), "signs_found": "3", "tobacco_ads": "on"},
    )
    assert response.status_code == 302
    check = place.checks.get()
    assert check.result == "fail" and len(check.case_codes) == 1
    assert check.case_codes[0] in client.get(place.get_absolute_url()).content.decode()
