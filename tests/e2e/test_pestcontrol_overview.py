"""除四害's one menu entry: the overview shows each role its area's year grade per pest, this
week's household surveys and the month's operations, and every tab it shows opens."""

import pytest

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

PESTS = ["rat", "mosquito", "fly", "cockroach"]


@pytest.mark.parametrize("username", ["dongyuan", "street", "leader", "grid"])
def test_overview_and_its_tabs(new_page, demo, username):
    page = new_page()
    login(page, username)
    page.get_by_role("navigation").get_by_role("link", name="除四害").first.click()
    page.wait_for_url("**/pestcontrol/")
    grades = page.get_by_test_id("overview-grades")
    for pest in PESTS:
        assert grades.get_by_test_id(f"overview-grade-{pest}").count() == 1
    # One grade cell per pest (A … 未达C级, or — without surveys); the small demo grades most in
    # a community and above. A grid worker's area is the grid, where the demo surveys nothing.
    shown = grades.locator("[data-grade]").evaluate_all("els => els.map(e => e.dataset.grade)")
    assert len(shown) == 4 and sum(1 for grade in shown if grade) >= (0 if username == "grid" else 2), shown
    # The demo's household surveys are this week's, in the desk's and the leader's area.
    assert page.get_by_test_id("overview-aedes").count() == 1
    # The month's operations are shown even when none is recorded yet (the first of a month).
    assert page.locator("[data-widget='pestcontrol.operations']").count() == 1
    shot(page, f"pestcontrol-overview-{username}")
    tabs = page.get_by_test_id("pest-tabs").get_by_role("link")
    hrefs = tabs.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 5, hrefs
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href
        assert page.get_by_test_id("pest-tabs").count() == 1, href


def test_overview_on_a_phone(new_page, demo):
    page = new_page(viewport=PHONE)
    login(page, "dongyuan")
    page.goto("/pestcontrol/")
    assert page.get_by_test_id("overview-grades").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "pestcontrol-overview-phone")
