"""The results of a survey (issue 13): the street desk opens the results page of a survey with 9
hand-computed answers (apps/surveys/tests/world_results.py), reads n, the three rates with their
Wilson intervals and the sample warning, switches to age groups, sees the chart drawn (canvas),
downloads the answers (.xlsx, no device hash); the page is photographed on desktop and phone."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def test_the_desk_reads_and_exports_the_results(new_page, transactional_db):
    from apps.surveys.tests.world_results import results_survey
    from tests.builders import PASSWORD, build_org

    org = build_org()
    survey = results_survey(org.street_a, org.comm_a1, org.comm_a2)
    url = reverse("surveys:questionnaire_results", args=[survey.pk])

    page = new_page(viewport=DESKTOP)
    login(page, "t_street", PASSWORD)
    page.goto(url)
    assert page.get_by_test_id("respondents").inner_text() == "9"
    awareness = page.get_by_test_id("rate-awareness")
    assert awareness.get_by_test_id("rate-value").inner_text() == "77.8%"
    assert "45.3%–93.7%" in awareness.get_by_test_id("rate-interval").inner_text()
    assert "35.4%–87.9%" in page.get_by_test_id("rate-behaviour").get_by_test_id("rate-interval").inner_text()
    assert "40.9%–92.9%" in page.get_by_test_id("rate-satisfaction").get_by_test_id("rate-interval").inner_text()
    assert "已答 9 / 计划 50" in page.get_by_test_id("sample-warning").inner_text()
    page.locator("[data-testid=results-chart][data-ready='1'] canvas").first.wait_for()
    shot(page, "surveys-results-desktop")

    page.get_by_test_id("group-select").select_option("age_group")
    page.wait_for_url("**group=age_group**")
    rows = page.get_by_test_id("group-row")
    assert rows.count() == 2  # 25–34 and 65+ (answered or planned)
    old = page.locator("[data-testid=group-row][data-key='65+']")
    assert "已答 5 / 计划 20" in old.inner_text()
    assert "60.0%" in old.inner_text()
    assert page.locator("[data-testid=results-chart] canvas").count() >= 1

    with page.expect_download() as info:
        page.get_by_test_id("export-link").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert len(list(book.active.iter_rows())) == 10
    assert not any("results-device" in str(c) for c in cells)

    phone = new_page(viewport=PHONE)
    login(phone, "t_comm", PASSWORD)
    phone.goto(url)
    phone.locator("[data-testid=results-chart][data-ready='1'] canvas").first.wait_for()
    assert phone.get_by_test_id("export-link").count() == 0  # the street's rows stay with the street
    assert_no_horizontal_overflow(phone)
    shot(phone, "surveys-results-phone")
