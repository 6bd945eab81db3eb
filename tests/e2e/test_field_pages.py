"""Field pages on a phone: a refused report keeps its photo and fields; voiding asks first; a
fixed deduction is a switch saved through the outbox; the task list marks overdue sheets and pages."""

import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from apps.accounts.models import User
from apps.cases.models import Case
from apps.inspections import services as inspection_services
from apps.inspections.models import InspectionResult
from apps.inspections.tests.factories import make_checklist
from apps.inspections.views import sheets as sheet_views
from apps.organization.models import Jurisdiction, UnitType

from .conftest import PHONE, SHOTS, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

LOOK_AT = Path("/tmp/shots")  # noqa: S108 - a copy for reviewers, next to the usual artifacts


def _shot(page, name):
    shot(page, f"field-{name}")
    LOOK_AT.mkdir(parents=True, exist_ok=True)
    (LOOK_AT / f"field-{name}.png").write_bytes((SHOTS / f"field-{name}.png").read_bytes())


def _photo(tmp_path, name, color):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _eventually(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the server never got it"
        time.sleep(0.1)


def test_refused_report_keeps_photo_and_voiding_asks_first(new_page, browser, live_server, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    grid_user = User.objects.get(username="grid")
    grid = Jurisdiction.objects.get(pk=grid_user.jurisdiction_id)

    # The phone's GPS is off by a city: the server refuses the point, with the reason.
    phone = new_page(viewport=PHONE, geolocation={"latitude": 39.9, "longitude": 116.4}, permissions=["geolocation"])
    login(phone, "grid")
    phone.goto("/cases/report/")
    phone.get_by_test_id("photos").set_input_files(_photo(tmp_path, "before.jpg", (150, 90, 40)))
    phone.select_option("#id_category", label="暴露垃圾")
    phone.click("[data-locate]")
    phone.wait_for_function("() => document.querySelector('[name=lat]').value !== ''")
    phone.fill("#id_address", "幸福小区东门")
    phone.fill("#id_description", "垃圾桶旁堆放生活垃圾")
    phone.click("button[type=submit]")
    phone.wait_for_selector(".form-errors")
    assert "不在您的辖区范围内" in phone.locator(".form-errors").inner_text()
    assert not Case.objects.filter(reporter=grid_user).exists()
    # Everything entered is still there, the photo as a kept thumbnail.
    assert phone.locator("#id_category option:checked").inner_text() == "暴露垃圾"
    assert phone.input_value("#id_address") == "幸福小区东门"
    assert phone.input_value("#id_description") == "垃圾桶旁堆放生活垃圾"
    assert phone.input_value("[name=lat]").startswith("39.9")
    kept = phone.get_by_test_id("kept-photos")
    assert kept.locator("img").count() == 1 and kept.locator("input[type=checkbox]").is_checked()
    assert_no_horizontal_overflow(phone)
    _shot(phone, "report-after-error")

    # The GPS is right again: locate, send, without choosing the photo again.
    phone.context.set_geolocation({"latitude": float(grid.center_lat), "longitude": float(grid.center_lng)})
    phone.click("[data-locate]")
    phone.wait_for_function("() => !document.querySelector('[name=lat]').value.startsWith('39.9')")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/cases/*/")
    case = Case.objects.get(reporter=grid_user)
    assert case.photos.count() == 1 and case.address == "幸福小区东门" and case.jurisdiction_id == grid.pk

    # 作废 asks first: "cancel" changes nothing, "OK" voids.
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    answers, questions = [False], []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if answers[0] else dialog.dismiss()

    page = context.new_page()
    page.on("dialog", answer)
    login(page, "dongyuan")
    page.goto(case.get_absolute_url())
    void_form = page.locator("form[data-action=void]")
    void_form.locator("textarea[name=note]").fill("重复上报")
    void_form.get_by_test_id("action-void").click()
    page.wait_for_timeout(300)
    assert questions == ["作废后案件不再办理，确定作废吗？"]
    case.refresh_from_db()
    assert case.status == "reported" and page.url.endswith(case.get_absolute_url())
    answers[0] = True
    void_form.get_by_test_id("action-void").click()
    page.wait_for_load_state()
    _eventually(lambda: Case.objects.get(pk=case.pk).status == "voided")
    assert len(questions) == 2
    context.close()


def test_task_list_and_fixed_deduction_switch(new_page, demo, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = User.objects.get(username="cwb")
    inspector = User.objects.get(username="inspector")
    street = User.objects.get(username="street")
    template = make_checklist(
        office,
        "t-field",
        "门店现场检查表",
        [
            ("1", "门前无暴露垃圾", "10", "per_occurrence", "2", "6", False, False),
            ("2", "未设置禁烟标识", "5", "fixed", "3", None, False, False),
            ("3", "无证经营", "5", "pass_fail", "0", None, False, True),
        ],
    )
    plan = inspection_services.plan_create(
        actor=street,
        data={
            "name": "门店月度检查",
            "jurisdiction": street.jurisdiction,
            "template": template,
            "kind": "monthly_joint",
            "sample_mode": "count",
            "sample_count": 2,  # per unit type: a short round, so the screenshots stay readable
            "is_active": True,
            "inspectors": [inspector],
            "unit_types": list(UnitType.objects.filter(code__in=["shop", "property", "catering"])),
        },
    )
    today = timezone.localdate()
    late = inspection_services.round_open(
        actor=street,
        plan=plan,
        period_start=today - timedelta(days=10),
        period_end=today - timedelta(days=3),
        deadline=today - timedelta(days=3),
        seed=1,
    )
    inspection_services.round_open(
        actor=street,
        plan=plan,
        period_start=today,
        period_end=today + timedelta(days=7),
        deadline=today + timedelta(days=7),
        seed=1,
    )
    late_count = late.inspections.filter(inspector=inspector).count()
    assert late_count >= 2
    # A page holds the late round and one sheet of the next: two pages.
    monkeypatch.setattr(sheet_views, "TASKS_PER_PAGE", late_count + 1)

    phone = new_page(viewport=PHONE)
    login(phone, "inspector")
    phone.goto("/inspections/")
    tasks = phone.get_by_test_id("my-inspections")
    assert tasks.get_by_test_id("overdue").count() == late_count
    assert tasks.get_by_test_id("task-group").count() == 2
    assert "已超期" in tasks.get_by_test_id("task-group").first.inner_text()
    assert "已超期" not in tasks.get_by_test_id("task-group").nth(1).inner_text()
    assert_no_horizontal_overflow(phone)
    _shot(phone, "task-list")
    phone.get_by_test_id("task-pagination").get_by_role("link", name="下一页").click()
    phone.wait_for_url("**tasks_page=2**")
    assert phone.get_by_test_id("my-inspections").get_by_test_id("overdue").count() == 0
    _shot(phone, "task-list-page2")

    # The fixed item is one switch; the per-occurrence item keeps its stepper.
    phone.goto("/inspections/")
    phone.get_by_test_id("my-inspections").locator("tr[data-overdue]").first.get_by_role("link").click()
    phone.wait_for_url("**/fill/")
    fixed = phone.locator(".sheet-item[data-code='2']")
    assert fixed.locator("[data-step]").count() == 0 and fixed.locator("input[name=occurrences]").count() == 0
    switch = fixed.get_by_test_id("fixed-toggle")
    assert switch.inner_text().strip() == "不扣分"
    _shot(phone, "sheet-toggle-off")
    switch.click()
    assert switch.inner_text().strip() == "扣分"
    assert fixed.locator(".item-deduction span").inner_text() == "3"
    assert phone.locator(".sheet-item[data-code='1'] [data-step]").count() == 2
    phone.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'ok'")
    sheet_id = int(phone.locator("#sheet").get_attribute("data-sheet"))
    _eventually(lambda: InspectionResult.objects.filter(inspection_id=sheet_id, item__code="2", occurrences=1).exists())
    result = InspectionResult.objects.get(inspection_id=sheet_id, item__code="2")
    assert result.deduction == 3
    assert phone.locator("#total").inner_text() == "17.0"
    _shot(phone, "sheet-toggle")

    # Off again: saved as no occurrence.
    switch.click()
    _eventually(lambda: InspectionResult.objects.get(pk=result.pk).occurrences == 0)
    # After a reload the switch shows what was saved.
    switch.click()
    _eventually(lambda: InspectionResult.objects.get(pk=result.pk).occurrences == 1)
    phone.reload()
    assert phone.locator(".sheet-item[data-code='2'] input[name=found]").is_checked()


def test_an_appeal_decision_asks_the_question_of_the_picked_step(
    browser, live_server, transactional_db, settings, tmp_path
):
    from apps.inspections.tests.factories import build_inspections
    from apps.inspections.workflow import APPEAL_WORKFLOW
    from tests.builders import PASSWORD, build_org

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_inspections(build_org())
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page = context.new_page()
    page.on("dialog", answer)
    login(page, world.street.username, PASSWORD)
    page.goto(world.appeal.get_absolute_url())
    form = page.get_by_test_id("appeal-decision")
    form.locator("input[name=decision][value=uphold]").check()
    form.locator("textarea[name=note]").fill("照片显示仍有垃圾")
    form.get_by_role("button").click()
    page.wait_for_timeout(300)
    assert questions == [str(APPEAL_WORKFLOW["uphold"].confirm)]
    world.appeal.refresh_from_db()
    assert world.appeal.status == "pending"  # "cancel": nothing sent
    context.close()
