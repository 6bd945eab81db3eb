"""Logging in as each demo role: the menu, the jurisdiction, scope by URL, screenshots."""

import pytest

from apps.organization.models import Unit

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

CASES = ["首页", "案件", "晨会", "统计", "检查", "评比"]
CAMPAIGNS = ["会议", "创建项目", "创卫任务"]
ACTIVITIES = ["责任书", "爱国卫生活动", "志愿者", "除四害", "健康教育", "问卷调查"]
ORG = ["辖区", "单位", "责任区", "人员", "领导/工作小组"]
# 驾驶舱 and 工作文稿 for the desk roles and readers; 报送 for the desk roles and leaders (not inspectors).
REPORTS = ["驾驶舱", "数据汇总", "工作文稿", "报送"]
MANAGERS = [*CASES, *CAMPAIGNS, "创建标准", *ACTIVITIES, *REPORTS, *ORG, "账号", "基础数据", "导入导出", "审计日志"]
MENUS = {
    "admin": MANAGERS,
    "cwb": MANAGERS,
    "street": MANAGERS,
    "dongyuan": [*CASES, *CAMPAIGNS, "创建标准", *ACTIVITIES, *REPORTS, *ORG, "导入导出", "审计日志"],
    # The morning briefing and statistics are the desk's pages; grid workers patrol and do not score.
    # Grid workers and unit contacts work the campaign tasks given to them; the standards are the desk's.
    "grid": [c for c in CASES if c not in ("晨会", "统计", "检查")] + [*CAMPAIGNS, *ACTIVITIES, *ORG, "导入导出"],
    "inspector": [c for c in CASES if c not in ("晨会", "统计")]
    + [*CAMPAIGNS, "创建标准", *ACTIVITIES, "驾驶舱", "数据汇总", "工作文稿", *ORG, "导入导出"],
    "unit": [c for c in CASES if c not in ("晨会", "统计")] + [*CAMPAIGNS, "责任书", "单位", "责任区", "导入导出"],
    "leader": [*CASES, *CAMPAIGNS, "创建标准", *ACTIVITIES, *REPORTS, *ORG, "导入导出", "审计日志"],
}
HOME_TITLE = {
    "admin": "江城市",
    "cwb": "城东区",
    "street": "城关街道",
    "dongyuan": "东苑社区",
    "grid": "东苑社区第1网格",
    "inspector": "城关街道",
    "leader": "城关街道",
}


def test_each_role_sees_its_menu_and_its_jurisdiction(new_page, demo):
    page = new_page()
    for username, menu in MENUS.items():
        login(page, username)
        assert page.locator(".mainnav a").all_inner_texts() == menu, username
        title = page.get_by_test_id("home-jurisdiction").inner_text()
        if username == "unit":
            assert "物业" in title
        else:
            assert title.startswith(HOME_TITLE[username]), (username, title)
        page.click("text=退出")
        page.wait_for_url("**/accounts/login/")


def test_street_home_counts_are_real(new_page, demo):
    page = new_page()
    login(page, "street")
    assert page.get_by_test_id("stat-population").inner_text() == "52,000"
    assert page.get_by_test_id("stat-units").inner_text() == "300"
    page.wait_for_selector(".chart[data-ready='1']")
    page.wait_for_selector(".map[data-ready='1']")
    assert page.locator(".leaflet-interactive").count() >= 6  # the six community boundaries


def test_unit_of_another_community_answers_404(new_page, demo):
    west_unit = Unit.objects.filter(jurisdiction__path__startswith=demo["communities"][1].path).first()
    page = new_page()
    login(page, "dongyuan")
    response = page.goto(f"/org/units/{west_unit.pk}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    # The same URL works for the street office above both communities.
    page.click("text=退出")
    login(page, "street")
    assert page.goto(f"/org/units/{west_unit.pk}/").status == 200
    assert page.get_by_test_id("unit-name").inner_text().startswith(west_unit.name)


def test_wrong_role_gets_a_clear_403(new_page, demo):
    page = new_page()
    login(page, "grid")
    response = page.goto("/org/units/new/")
    assert response.status == 403
    assert "无权" in page.locator("h1").inner_text()


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_screenshots_login_home_units(new_page, demo, viewport, label):
    page = new_page(viewport=viewport)
    page.goto("/accounts/login/")
    assert_no_horizontal_overflow(page)
    shot(page, f"login-{label}")
    login(page, "dongyuan")
    page.wait_for_selector(".chart[data-ready='1']")
    assert_no_horizontal_overflow(page)
    shot(page, f"home-{label}")
    page.goto("/org/units/")
    assert page.get_by_test_id("unit-table").locator("tr").count() > 10
    assert_no_horizontal_overflow(page)
    shot(page, f"units-{label}")
    if label == "phone":
        assert page.locator(".mainnav").is_hidden()
        page.click("label.nav-toggle-label")
        assert page.locator(".mainnav").is_visible()


def test_language_switch_to_english(new_page, demo):
    page = new_page()
    login(page, "street")
    page.click("text=English")
    page.wait_for_load_state()
    assert "Units" in page.locator(".mainnav").inner_text()
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert "单位" in page.locator(".mainnav").inner_text()


def test_language_switch_to_traditional_chinese_and_back(new_page, demo):
    """繁體中文 (issue 15): the header's switch offers the other two languages; in zh-hant the
    menu, the header and the page are in Traditional characters, and 简体中文 switches back."""
    page = new_page()
    login(page, "street")
    switch = page.locator(".usermenu form").first
    assert switch.get_by_role("button").all_inner_texts() == ["繁體中文", "English"]
    switch.get_by_role("button", name="繁體中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    nav = page.locator(".mainnav").inner_text()
    assert "單位" in nav and "单位" not in nav
    assert "修改密碼" in page.locator(".usermenu").inner_text()
    assert page.locator(".brand").inner_text() == "創衛通"
    shot(page, "home-zh-hant")
    assert page.locator(".usermenu form").first.get_by_role("button").all_inner_texts() == ["简体中文", "English"]
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert "单位" in page.locator(".mainnav").inner_text()
