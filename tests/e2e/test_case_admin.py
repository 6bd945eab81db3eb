"""The office's case tools: the 12345 hotline entry, the notifications inbox, the working
calendar and the problem categories."""

import pytest

from apps.cases.models import Case, Category
from apps.worktime.models import CalendarDay

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_hotline_record_and_answer(new_page, demo):
    page = new_page()
    login(page, "dongyuan")
    page.click(".mainnav >> text=案件")
    page.click("text=登记热线")
    page.fill("#id_hotline_ticket", "12345-20261122-0007")
    page.fill("#id_received_at", "2026-11-20T09:30")
    page.fill("#id_reporter_phone", "13800138000")
    page.select_option("#id_category", label="占道经营")
    page.fill("#id_address", "人民路与文化路口")
    page.select_option("#id_jurisdiction", label=page.locator("#id_jurisdiction option").nth(1).inner_text())
    shot(page, "hotline-desktop")
    page.click("button[type=submit]")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(hotline_ticket="12345-20261122-0007")
    assert case.source == "hotline" and case.viewed_at is not None  # opened by staff on the same page
    page.locator("form[action$='/answer/'] textarea").fill("已联系城管中队，今日处理")
    page.locator("form[action$='/answer/'] button").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.answered_at is not None
    assert "热线答复" in page.get_by_test_id("case-timeline").inner_text()


def test_notifications_inbox(new_page, demo):
    page = new_page()
    login(page, "unit")
    link = page.get_by_test_id("notifications-link")
    link.click()
    rows = page.get_by_test_id("notifications").locator("tr")
    assert rows.count() >= 2  # header + the dispatch notices of the demo cases
    shot(page, "notifications-desktop")
    page.click("text=全部标为已读")
    page.wait_for_load_state()
    assert page.get_by_test_id("notifications-link").locator(".notif-count").count() == 0


def test_office_edits_the_working_calendar_and_admin_a_category(new_page, demo):
    page = new_page()
    login(page, "cwb")
    page.click(".mainnav >> text=基础数据")
    page.click("text=工作日历")
    assert "国庆节" in page.get_by_test_id("calendar-days").inner_text()
    form = page.get_by_test_id("calendar-form")
    form.locator("#id_date").fill("2026-12-31")
    form.locator("#id_note").fill("跨年临时放假")
    form.locator("button").click()
    page.wait_for_load_state()
    assert CalendarDay.objects.get(date="2026-12-31").is_workday is False
    assert "跨年临时放假" in page.get_by_test_id("calendar-days").inner_text()
    page.get_by_test_id("calendar-days").locator("tr", has_text="跨年临时放假").locator("button").click()
    page.wait_for_load_state()
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()
    shot(page, "calendar-desktop")
    page.click("text=退出")

    login(page, "admin")
    page.goto("/cases/categories/")
    page.get_by_test_id("category-sanitation").locator("tr", has_text="暴露垃圾").locator("text=编辑").click()
    page.fill("#id_deadline_amount", "6")
    page.click("button[type=submit]")
    page.wait_for_url("**/cases/categories/")
    assert Category.objects.get(code="exposed_garbage").deadline_amount == 6
    assert "6 工作小时" in page.get_by_test_id("category-sanitation").inner_text()
    shot(page, "categories-desktop")
