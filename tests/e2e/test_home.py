"""Each demo role's home page shows that role's work, and one link of every panel opens.

The demo street gets, through the real services, what a day holds: the grid worker's own
reports (one refused), an inspection round of the street's property companies for the
inspector (the demo unit's sheet submitted, so its appeal window is open) and a published
ranking. Screenshots of every home page on a phone and a desktop go to /tmp/shots/.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.cases.models import Category
from apps.cases.tests.conftest import jpeg
from apps.inspections import services as inspection_services
from apps.inspections.tests.factories import make_checklist
from apps.organization.models import UnitType

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "shots"  # /tmp/shots/home-<role>-<width>.png


@pytest.fixture
def day(demo, settings, tmp_path):
    """The demo street plus the day's work the home pages show."""
    settings.MEDIA_ROOT = tmp_path
    users = {u.username: u for u in User.objects.filter(username__in=["grid", "dongyuan", "street", "cwb", "unit"])}
    grid, community = users["grid"], users["dongyuan"]
    garbage = Category.objects.get(code="exposed_garbage")
    report = {"category": garbage, "jurisdiction": grid.jurisdiction, "photos": [jpeg()], "address": "东苑小区3栋"}
    kept = case_services.case_report(actor=grid, description="楼道口垃圾", **report)
    kept = case_services.case_register(actor=community, case=kept)
    kept = case_services.case_dispatch(actor=community, case=kept, unit=users["unit"].unit)
    refused = case_services.case_report(actor=grid, description="重复上报", **report)
    case_services.case_report(actor=grid, description="绿化带卫生死角", **report)  # waits for 立案
    refused = case_services.case_reject(actor=community, case=refused, reason="与已有案件重复")

    template = make_checklist(
        users["cwb"],
        "home-e2e",
        "物业小区检查表",
        [("1.1", "无暴露垃圾", "10", "per_occurrence", "2", None, False, False)],
    )
    plan = inspection_services.plan_create(
        actor=users["street"],
        data={
            "name": "城关街道物业月度检查",
            "jurisdiction": demo["street"],
            "template": template,
            "kind": "monthly_joint",
            "unit_types": [UnitType.objects.get(code="property")],
            "sample_mode": "all",
            "is_active": True,
            "inspectors": [User.objects.get(username="inspector")],
        },
    )
    today = timezone.localdate()
    round_ = inspection_services.round_open(
        actor=users["street"], plan=plan, period_start=today - timedelta(days=3), period_end=today, deadline=today
    )
    sheet = round_.inspections.get(target_unit=users["unit"].unit)
    inspector = sheet.inspector
    item = template.items["1.1"]
    inspection_services.inspection_save_item(
        actor=inspector, inspection=sheet, item_id=item.pk, occurrences=2, note="楼道口垃圾", stamp=1
    )
    sheet = inspection_services.inspection_submit(actor=inspector, inspection=sheet, open_cases=False)
    inspection_services.ranking_publish(
        actor=users["street"],
        node=demo["street"],
        period_kind="month",
        day=today,
        level_key="unit:property",
        title="",
        issuer="城关街道创卫办",
    )
    return {"kept": kept, "refused": refused, "sheet": sheet, "round": round_}


def _open(page, username, viewport, role):
    page.set_viewport_size(viewport)
    login(page, username)
    page.goto("/")
    page.wait_for_selector("[data-testid=home-panels]")
    assert_no_horizontal_overflow(page)


def _shots(page, role):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.goto("/")
        page.wait_for_selector("[data-testid=home-panels]")
        assert_no_horizontal_overflow(page)
        page.screenshot(path=str(SHOTS / f"home-{role}-{name}.png"), full_page=True)


def _panel(page, key):
    return page.locator(f"[data-panel='{key}']")


def _click_opens(page, locator):
    """Click a link on the home page; the page it opens answers 200. Back home afterwards."""
    assert locator.count() > 0, locator
    with page.expect_navigation() as navigation:
        locator.first.click()
    response = navigation.value
    assert response is not None and response.status == 200, (page.url, response and response.status)
    page.goto("/")


def _keys(page):
    return page.locator("[data-panel]").evaluate_all("nodes => nodes.map(n => n.dataset.panel)")


def test_grid_worker_home(new_page, day):
    page = new_page(viewport=PHONE)
    _open(page, "grid", PHONE, "grid")
    assert _keys(page)[:3] == ["cases.report", "cases.my_reports", "cases.sent_back"]
    button = page.get_by_test_id("home-report")
    box = button.bounding_box()
    # The first thing under the bar on a phone, and big enough for a thumb.
    assert box["y"] + box["height"] <= PHONE["height"] / 2, box
    assert box["height"] >= 56 and box["width"] >= 300, box
    assert day["kept"].code in page.get_by_test_id("my-reports").inner_text()
    sent_back = page.get_by_test_id("sent-back").inner_text()
    assert day["refused"].code in sent_back and "与已有案件重复" in sent_back
    _click_opens(page, button)
    _click_opens(page, page.get_by_test_id("my-reports").locator("a"))
    _click_opens(page, page.get_by_test_id("sent-back").locator("a"))
    _shots(page, "grid")


def test_community_home(new_page, day):
    page = new_page()
    _open(page, "dongyuan", DESKTOP, "community")
    assert _keys(page)[:2] == ["cases.queue", "cases.briefing"]
    reported = int(page.get_by_test_id("queue-reported").locator(".num").inner_text())
    assert reported >= 1  # the grid worker's report waits for 立案
    page.get_by_test_id("queue-reported").click()
    page.wait_for_url("**/cases/?status=reported")
    assert page.locator("[data-testid=case-table] tr, table tr").count() >= 2
    page.goto("/")
    _click_opens(page, page.get_by_test_id("queue-overdue"))
    _click_opens(page, page.get_by_test_id("briefing-link"))
    _click_opens(page, _panel(page, "organization.area").locator("table a"))
    _shots(page, "community")


def test_unit_contact_home(new_page, day):
    page = new_page(viewport=PHONE)
    _open(page, "unit", PHONE, "unit")
    assert _keys(page)[:4] == [
        "cases.unit_open",
        "core.notices",
        "inspections.appeal_windows",
        "inspections.my_scores",
    ]
    cases = page.get_by_test_id("unit-open-cases")
    assert day["kept"].code in cases.inner_text()
    assert "剩余" in cases.get_by_test_id("time-left").first.inner_text()
    assert "周明" not in page.locator("main").inner_text()  # who reported stays hidden from the unit
    windows = page.get_by_test_id("appeal-windows")
    assert "物业小区检查表" in windows.inner_text()
    assert str(day["sheet"].percent) in page.get_by_test_id("my-scores").inner_text()
    _click_opens(page, cases.locator("a"))
    _click_opens(page, page.get_by_test_id("notices-all"))
    _click_opens(page, windows.get_by_role("link", name="申诉"))
    _click_opens(page, page.get_by_test_id("my-scores").locator("a"))
    _shots(page, "unit")


def test_inspector_home(new_page, day):
    page = new_page()
    _open(page, "inspector", DESKTOP, "inspector")
    assert _keys(page)[:2] == ["inspections.todays_sheets", "cases.to_verify"]
    sheets = page.get_by_test_id("todays-sheets")
    assert sheets.locator("li").count() >= 1
    assert "物业小区检查表" in sheets.inner_text()
    _click_opens(page, page.get_by_test_id("sheets-all"))
    _click_opens(page, page.get_by_test_id("to-verify-all"))
    _click_opens(page, sheets.get_by_role("link", name="开始检查"))
    _shots(page, "inspector")


@pytest.mark.parametrize("username,role", [("street", "street"), ("cwb", "office"), ("leader", "leader")])
def test_street_office_and_leader_home(new_page, day, username, role):
    page = new_page()
    _open(page, username, DESKTOP, role)
    # Agreements awaiting signature or expiring are the desks' work; leaders read the coverage page.
    desk = ["agreements.due"] if role != "leader" else []
    # The week's Aedes household surveys (issue 12) are the street's and communities' panel.
    aedes = ["pestcontrol.aedes_week"] if role == "street" else []
    assert _keys(page) == [
        "cases.kpis",
        "inspections.ranking_movement",
        "core.notices",
        "campaigns.overdue_areas",
        *desk,
        "campaigns.ledger_readiness",
        "activities.month",
        *(["pestcontrol.operations", "education.overview"] if role != "leader" else []),
        *aedes,
        # The tiny demo has a board overdue in the street (issue 13) and the street's open survey.
        *(["education.boards_pending"] if role == "street" else []),
        "surveys.open",
        "organization.area",
    ]
    assert page.get_by_test_id("kpi-on-time").locator(".num").inner_text().endswith(("%", "—"))
    if role == "leader":
        panels = page.get_by_test_id("home-panels")
        assert panels.locator(".btn, button, form").count() == 0  # read only
    _click_opens(page, page.get_by_test_id("kpi-on-time"))
    _click_opens(page, page.get_by_test_id("kpi-overdue"))
    _click_opens(page, page.get_by_test_id("published-link"))
    _click_opens(page, page.get_by_test_id("notices-all"))
    page.wait_for_selector(".map[data-ready='1']")
    _click_opens(page, _panel(page, "organization.area").locator("table a"))
    _shots(page, role)
