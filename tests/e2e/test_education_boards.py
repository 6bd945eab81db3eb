"""Bulletin boards and smoke-free checks on a phone (issue 13): a board whose last month was
missed goes overdue, the sweep notifies the desk once, the grid worker posts the new content
with a photo on a phone-sized page and the flag clears; a failed smoke-free check opens a case."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from apps.accounts.models import User
from apps.education.models import SmokeFreeCheck
from apps.education.services import boards, smokefree
from apps.notifications.models import Notification

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    path = tmp_path / "board.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (60, 110, 70)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_overdue_board_updated_on_a_phone_and_failed_check_opens_case(new_page, demo, tmp_path):
    grid = User.objects.get(username="grid")
    today = timezone.localdate()
    installed = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    board = boards.board_create(
        actor=None, jurisdiction=grid.jurisdiction, name="E2E宣传栏", place="幸福路12号", installed_on=installed
    )
    assert boards.overdue_sweep(today=today) >= 1
    assert boards.overdue_sweep(today=today) == 0  # once per missed period
    assert Notification.objects.filter(kind=boards.OVERDUE_KIND, target_id=board.pk).exists()

    phone = new_page(viewport=PHONE)
    login(phone, "grid")
    phone.goto(f"/education/boards/{board.pk}/")
    assert phone.get_by_test_id("board-overdue").is_visible()
    form = phone.get_by_test_id("board-update-form")
    form.locator("#id_topic").fill("冬季防病")
    form.locator("#id_photos").set_input_files(_photo(tmp_path))
    shot(phone, "education_board_update_phone")
    assert_no_horizontal_overflow(phone)
    form.locator("button[type=submit]").click()
    phone.wait_for_url(f"**/education/boards/{board.pk}/")
    assert phone.get_by_test_id("board-overdue").count() == 0
    board.refresh_from_db()
    assert board.last_updated_on == today

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
