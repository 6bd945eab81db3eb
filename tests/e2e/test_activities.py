"""爱国卫生活动 on a phone: the community logs a drive with 120 人次, 3 吨 and 50 处 in one screen
(photo from the camera input); the community's and the street's totals include it once."""

import io
import time
from decimal import Decimal

import pytest
from PIL import Image

from apps.accounts.models import User

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    path = tmp_path / "drive.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (40, 140, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _row(page, pk) -> dict:
    row = page.get_by_test_id(f"totals-row-{pk}")
    return {
        "drives": int(row.get_by_test_id("drives").inner_text()),
        "people": int(row.get_by_test_id("people").inner_text()),
    }


def _cell(page, pk, header) -> Decimal:
    """The value under the column `header` in the row of node `pk` (0 when the column is absent)."""
    headers = [h.strip() for h in page.locator("[data-testid=totals-table] tr").first.locator("th").all_inner_texts()]
    if header not in headers:
        return Decimal(0)
    cells = page.get_by_test_id(f"totals-row-{pk}").locator("td").all_inner_texts()
    return Decimal(cells[headers.index(header)].strip())


def test_community_logs_a_drive_on_a_phone_and_totals_count_it_once(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    community_user = User.objects.get(username="dongyuan")
    community = community_user.jurisdiction
    street = community.parent

    desk = new_page()
    login(desk, "street")
    desk.goto(f"/activities/totals/?jurisdiction={street.pk}")
    street_before = _row(desk, street.pk)
    community_before = _row(desk, community.pk)
    tonnes_before = _cell(desk, street.pk, "清运垃圾（吨）")
    spots_before = _cell(desk, street.pk, "清理卫生死角（处）")

    phone = new_page(viewport=PHONE)
    login(phone, "dongyuan")
    started = time.monotonic()
    phone.goto("/activities/")
    phone.get_by_test_id("activity-new").click()
    phone.get_by_test_id("kind-cleanup").click()
    phone.fill("#id_place", "东苑小区")
    phone.fill("#id_people_resident", "90")
    phone.fill("#id_people_party_cadre", "30")
    # The drive's preset rows: 垃圾 吨, 车, 卫生死角 处.
    phone.fill("#id_out-0-quantity", "3")
    phone.fill("#id_out-2-quantity", "50")
    phone.set_input_files("#id_photos", _photo(tmp_path))
    assert_no_horizontal_overflow(phone)
    shot(phone, "activities-phone-form")
    # One screenful or two: each output row shows its measure and quantity, material and
    # location are folded in a per-row 更多.
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 1600, height
    phone.get_by_test_id("activity-save").click()
    phone.wait_for_url("**/activities/*/")
    assert time.monotonic() - started < 60
    assert phone.get_by_test_id("activity-status").inner_text() == "已开展"
    assert "120" in phone.get_by_test_id("activity-people").inner_text()
    outputs = phone.get_by_test_id("activity-outputs").inner_text()
    assert "3 吨" in outputs and "50 处" in outputs
    shot(phone, "activities-phone-detail")

    # The community's own totals page and list bar.
    phone.goto("/activities/totals/")
    assert _row(phone, community.pk)["people"] == community_before["people"] + 120
    phone.goto(f"/activities/?jurisdiction={community.pk}&status=held")
    assert int(phone.get_by_test_id("total-people").inner_text()) == community_before["people"] + 120

    # The street: once, not once per level.
    desk.goto(f"/activities/totals/?jurisdiction={street.pk}")
    after = _row(desk, street.pk)
    assert after["drives"] == street_before["drives"] + 1
    assert after["people"] == street_before["people"] + 120
    assert _cell(desk, street.pk, "清运垃圾（吨）") == tonnes_before + 3
    assert _cell(desk, street.pk, "清理卫生死角（处）") == spots_before + 50
    assert _row(desk, community.pk)["people"] == community_before["people"] + 120
    shot(desk, "activities-street-totals")
    # The street's figure links to exactly its records.
    desk.get_by_test_id(f"totals-row-{street.pk}").get_by_test_id("people").click()
    assert int(desk.get_by_test_id("total-people").inner_text()) == after["people"]
