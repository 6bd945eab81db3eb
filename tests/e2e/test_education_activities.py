"""健康教育 plans and activities (issue 13, part 1): the community desk makes this year's plan
(this month: 3 lectures and 1 training class), records a lecture with its materials and a photo
and marks it held; a resident signs in on a phone-sized page (a second time: refused); the plan
page shows 开课率 = min(1, 3) + min(0, 1) = 1 of 4 = 25.0 %."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from apps.accounts.models import User
from apps.education.models import EducationActivity, EducationPlan

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    path = tmp_path / "lecture.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 120, 200)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_plan_lecture_signin_and_course_rate(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()  # one read: the plan's month and the lecture's day agree
    month = today.month
    # The community starts this year's plan afresh: the demo's plan and activities of 东苑社区
    # (whose held lectures would change the hand-computed rate) are removed first.
    community = User.objects.get(username="dongyuan").jurisdiction
    EducationActivity.objects.filter(jurisdiction__path__startswith=community.path).delete()
    EducationPlan.objects.filter(jurisdiction=community, year=today.year).delete()

    desk = new_page()
    login(desk, "dongyuan")
    desk.goto("/education/")
    shot(desk, "education-home-desktop")
    desk.goto("/education/plans/new/")
    desk.fill("#id_title", "东园社区健康教育计划")
    desk.fill(f"input[name=t_lecture_{month}]", "-2")
    desk.get_by_test_id("plan-save").click()
    assert "不能为负数" in desk.get_by_test_id("plan-errors").inner_text()
    desk.fill(f"input[name=t_lecture_{month}]", "3")
    desk.fill(f"input[name=t_training_{month}]", "1")
    desk.get_by_test_id("plan-save").click()
    desk.wait_for_url("**/education/plans/*/")
    plan_url = desk.url
    assert desk.get_by_test_id("plan-year-rate").inner_text().strip() == "0.0%"

    desk.goto("/education/activities/new/")
    desk.select_option("#id_kind", "lecture")
    desk.fill("#id_topic", "冬季呼吸道传染病防治讲座")
    desk.fill("#id_held_on", today.isoformat())
    desk.fill("#id_place", "社区活动室")
    desk.fill("#id_speaker", "社区卫生服务中心 王医生")
    desk.fill("#id_attendance", "30")
    desk.fill("input[name=mat-0-title]", "健康读本")
    desk.fill("input[name=mat-0-quantity]", "30")
    desk.fill("input[name=mat-0-unit]", "册")
    desk.set_input_files("input[name=photos]", _photo(tmp_path))
    desk.get_by_test_id("activity-save").click()
    desk.wait_for_url("**/education/activities/*/")
    desk.get_by_test_id("activity-step-hold").click()
    assert desk.get_by_test_id("activity-status").inner_text() == "已开展"
    assert "健康读本" in desk.get_by_test_id("activity-materials").inner_text()
    shot(desk, "education-activity-desktop")
    link = desk.get_by_test_id("signin-link").get_attribute("href")

    phone = new_page(viewport=PHONE)
    phone.goto(link)
    assert phone.get_by_test_id("signin-topic").inner_text() == "冬季呼吸道传染病防治讲座"
    assert_no_horizontal_overflow(phone)
    shot(phone, "education-signin-phone")
    phone.get_by_test_id("signin-button").click()
    phone.get_by_test_id("signin-done").wait_for()
    phone.goto(link)
    phone.get_by_test_id("signin-button").click()
    phone.get_by_test_id("signin-duplicate").wait_for()
    shot(phone, "education-signin-again-phone")
    activity = EducationActivity.objects.get(topic="冬季呼吸道传染病防治讲座")
    assert (activity.signed_in, activity.attendance, activity.materials.get().quantity) == (1, 30, 30)
    assert activity.photos.count() == 1

    desk.goto(plan_url)
    assert desk.get_by_test_id("plan-year-rate").inner_text().strip() == "25.0%"
    quarter = (month - 1) // 3 + 1
    assert desk.get_by_test_id(f"plan-q{quarter}-rate").inner_text().strip() == "25.0%"
    shot(desk, "education-plan-desktop")
    phone_desk = new_page(viewport=PHONE)
    login(phone_desk, "dongyuan")
    phone_desk.goto(plan_url)
    assert_no_horizontal_overflow(phone_desk)
    shot(phone_desk, "education-plan-phone")
    phone_desk.goto("/education/activities/new/")
    assert_no_horizontal_overflow(phone_desk)
    shot(phone_desk, "education-activity-form-phone")
