"""Bulletin boards and smoke-free checks (issue 13): the community desk registers a board through
the form; a board whose last month was missed goes overdue, the sweep notifies the desk once,
the grid worker posts last month's content with a photo on a phone-sized page, the flag clears
and the on-time share of last month moves from 0/2 to 1/2 (50.0%); a failed smoke-free check
opens its cases. The world is built directly in the database (no demo: much faster)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from apps.cases.categories import ensure_categories
from apps.education.models import SmokeFreeCheck
from apps.education.services import boards, smokefree
from apps.notifications.models import Notification
from tests.builders import PASSWORD, build_org

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    path = tmp_path / "board.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (60, 110, 70)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_overdue_board_updated_on_a_phone_and_failed_check_opens_case(new_page, transactional_db, tmp_path):
    o = build_org()
    ensure_categories()
    grid = o.grid
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    installed = (last_month - timedelta(days=1)).replace(day=1)
    board = boards.board_create(
        actor=None, jurisdiction=grid.jurisdiction, name="E2E宣传栏", place="幸福路12号", installed_on=installed
    )
    assert boards.overdue_sweep(today=today) >= 1
    assert boards.overdue_sweep(today=today) == 0  # once per missed period
    assert Notification.objects.filter(kind=boards.OVERDUE_KIND, target_id=board.pk).exists()

    desk = new_page(viewport=DESKTOP)
    login(desk, o.community.username, PASSWORD)
    desk.goto("/education/boards/")
    desk.get_by_test_id("board-new").click()
    form = desk.get_by_test_id("board-form")
    form.locator("#id_name").fill("桌面登记宣传栏")
    form.locator("#id_place").fill("社区服务中心门口")
    form.locator("#id_installed_on").fill(installed.isoformat())
    form.locator("#id_lat").fill("31.467000")
    form.locator("#id_lng").fill("104.683000")
    shot(desk, "education_board_form")
    desk.get_by_test_id("board-save").click()
    desk.wait_for_url("**/education/boards/*/")
    desk.goto("/education/boards/")
    # last month: two boards due (the overdue one and the new one), none updated in it
    assert desk.get_by_test_id("board-on-time-total").inner_text().strip() == "0.0%"
    assert desk.get_by_test_id("board-overdue").count() == 2

    phone = new_page(viewport=PHONE)
    login(phone, grid.username, PASSWORD)
    phone.goto(f"/education/boards/{board.pk}/")
    assert phone.get_by_test_id("board-overdue").is_visible()
    form = phone.get_by_test_id("board-update-form")
    form.locator("#id_updated_on").fill(last_month.replace(day=15).isoformat())
    form.locator("#id_topic").fill("冬季防病")
    form.locator("#id_photos").set_input_files(_photo(tmp_path))
    shot(phone, "education_board_update_phone")
    assert_no_horizontal_overflow(phone)
    form.locator("button[type=submit]").click()
    phone.wait_for_url(f"**/education/boards/{board.pk}/")
    assert phone.get_by_test_id("board-overdue").count() == 0
    board.refresh_from_db()
    assert board.last_updated_on == last_month.replace(day=15)
    desk.goto("/education/boards/")
    assert desk.get_by_test_id("board-on-time-total").inner_text().strip() == "50.0%"  # 1 of 2 due
    assert desk.get_by_test_id("board-overdue").count() == 1
    shot(desk, "education_board_list")

    place = smokefree.place_create(
        actor=None, jurisdiction=grid.jurisdiction, name="E2E卫生服务站", kind="medical", signs_required=3
    )
    phone.goto(f"/education/places/{place.pk}/")
    check_form = phone.get_by_test_id("place-check-form")
    check_form.locator("#id_signs_found").fill("1")
    check_form.locator("#id_butts_seen").check()
    check_form.locator("button[type=submit]").click()
    phone.wait_for_url(f"**/education/places/{place.pk}/")
    check = SmokeFreeCheck.objects.get(place=place)
    assert check.result == "fail" and len(check.case_codes) == 2
    assert check.case_codes[0] in phone.get_by_test_id("place-checks").inner_text()
    shot(phone, "education_place_phone")
