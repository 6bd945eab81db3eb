"""The register/edit/deactivate pages of boards and smoke-free places: saved through the
services, bad input answered with a message (never a 500), a stale version refused."""

import pytest
from django.urls import reverse

from apps.education.models import Board, SmokeFreePlace
from apps.education.services import boards as services
from apps.education.services import smokefree

pytestmark = pytest.mark.django_db


def _board(o):
    from datetime import date

    return services.board_create(
        actor=o.community,
        jurisdiction=o.grid_a1,
        name="幸福路宣传栏",
        place="幸福路12号",
        installed_on=date(2026, 1, 1),
    )


def test_desk_registers_board_and_bad_input_shows_messages(client, org):
    client.force_login(org.community)
    assert 'data-testid="board-new"' in client.get(reverse("education:board_list")).content.decode()
    bad = client.post(
        reverse("education:board_create"),
        {"jurisdiction": org.grid_a1.pk, "name": "", "place": "x", "cadence": "monthly", "installed_on": "2099-01-01"},
    )
    assert bad.status_code == 400
    assert not Board.objects.exists()
    future = client.post(
        reverse("education:board_create"),
        {
            "jurisdiction": org.grid_a1.pk,
            "name": "甲",
            "place": "x",
            "cadence": "monthly",
            "installed_on": "2099-01-01",
        },
    )
    assert future.status_code == 400 and "设立日期不能晚于今天" in future.content.decode()
    ok = client.post(
        reverse("education:board_create"),
        {
            "jurisdiction": org.grid_a1.pk,
            "name": "甲",
            "place": "x",
            "cadence": "quarterly",
            "installed_on": "2026-01-01",
            "lat": "31.2",
            "lng": "121.4",
        },
    )
    assert ok.status_code == 302
    assert Board.objects.get().cadence == "quarterly"


def test_grid_sees_no_board_buttons(client, org):
    board = _board(org)
    client.force_login(org.grid)
    assert 'data-testid="board-new"' not in client.get(reverse("education:board_list")).content.decode()
    page = client.get(board.get_absolute_url()).content.decode()
    assert 'data-testid="board-edit"' not in page and 'data-testid="board-deactivate"' not in page


def test_edit_refuses_stale_version_and_deactivate(client, org):
    board = _board(org)
    client.force_login(org.community)
    url = reverse("education:board_edit", args=[board.pk])
    data = {"name": "新名", "place": "x", "cadence": "monthly", "installed_on": "2026-01-01", "version": board.version}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "name": "再改"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    board.refresh_from_db()
    assert board.name == "新名"
    client.post(reverse("education:board_deactivate", args=[board.pk]), {"version": board.version})
    board.refresh_from_db()
    assert not board.is_active
    garbage = client.post(reverse("education:board_deactivate", args=[board.pk]), {"version": "x"})
    assert garbage.status_code == 302


def test_place_create_and_edit(client, org):
    client.force_login(org.community)
    bad = client.post(
        reverse("education:place_create"),
        {"jurisdiction": org.grid_a1.pk, "name": "站", "kind": "medical", "signs_required": "-1", "signs_posted": "0"},
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("education:place_create"),
        {"jurisdiction": org.grid_a1.pk, "name": "站", "kind": "medical", "signs_required": "3", "signs_posted": "2"},
    )
    assert ok.status_code == 302
    place = SmokeFreePlace.objects.get()
    edit = client.post(
        reverse("education:place_edit", args=[place.pk]),
        {"name": "站", "kind": "medical", "signs_required": "3", "signs_posted": "3", "version": place.version},
    )
    assert edit.status_code == 302
    place.refresh_from_db()
    assert place.signs_posted == 3
    assert smokefree.place_edit  # the service exists


def test_list_filters_and_on_time_share(client, org):
    from datetime import date, timedelta

    from django.utils import timezone

    from apps.cases.tests.conftest import jpeg

    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    installed = (last_month - timedelta(days=1)).replace(day=1)
    kept = services.board_create(
        actor=org.community, jurisdiction=org.grid_a1, name="甲栏", place="x", installed_on=installed
    )
    services.board_create(actor=org.community, jurisdiction=org.grid_a1, name="乙栏", place="y", installed_on=installed)
    services.board_update_record(actor=org.community, board=kept, updated_on=last_month, topic="t", photos=[jpeg()])
    client.force_login(org.community)
    page = client.get(reverse("education:board_list")).content.decode()
    assert "50.0%" in page and "1/2" in page
    overdue = client.get(reverse("education:board_list"), {"overdue": "1"}).content.decode()
    assert "乙栏" in overdue and "甲栏" not in overdue
    assert client.get(reverse("education:board_list"), {"cadence": "nope"}).status_code == 400
    assert client.get(reverse("education:board_list"), {"jurisdiction": "x"}).status_code == 400
    assert date.today()


def test_place_list_filters_by_last_result(client, org):
    place = smokefree.place_create(
        actor=org.community, jurisdiction=org.grid_a1, name="站", kind="medical", signs_required=1
    )
    smokefree.place_create(actor=org.community, jurisdiction=org.grid_a1, name="校", kind="school", signs_required=1)
    smokefree.check_record(actor=org.community, place=place, checked_on=place.created_at.date(), signs_found=1)
    client.force_login(org.community)
    passed = client.get(reverse("education:place_list"), {"last_result": "pass"}).content.decode()
    assert "站" in passed and ">校<" not in passed
    never = client.get(reverse("education:place_list"), {"last_result": "none"}).content.decode()
    assert ">校<" in never
    assert client.get(reverse("education:place_list"), {"kind": "bogus"}).status_code == 400
