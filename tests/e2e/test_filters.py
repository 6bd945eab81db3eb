"""A person filters the case list by a date range typed the wrong way round (issue 9, input)."""

import pytest

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_an_invalid_date_range_is_explained_and_the_form_keeps_it(new_page, demo):
    page = new_page()
    login(page, "cwb")
    page.goto("/cases/")
    rows_before = page.get_by_test_id("case-table").locator("tr").count()
    assert rows_before > 1
    page.fill("input[name=q]", "路")
    page.fill("input[name=created_from]", "2026-03-31")
    page.fill("input[name=created_to]", "2026-03-01")
    with page.expect_response(lambda r: "/cases/?" in r.url) as answer:
        page.get_by_role("button", name="筛选").click()
    assert answer.value.status == 400
    errors = page.get_by_test_id("filter-errors")
    assert "「上报日期起」不能晚于「上报日期止」。" in errors.inner_text()
    # The form keeps what was typed, so the person fixes one date instead of starting over.
    assert page.input_value("input[name=created_from]") == "2026-03-31"
    assert page.input_value("input[name=created_to]") == "2026-03-01"
    assert page.input_value("input[name=q]") == "路"
    shot(page, "case-list-invalid-date-range")
    # Fixed: the list answers again, the message is gone.
    page.fill("input[name=created_from]", "2026-01-01")
    page.fill("input[name=q]", "")
    with page.expect_response(lambda r: "/cases/?" in r.url) as answer:
        page.get_by_role("button", name="筛选").click()
    assert answer.value.status == 200
    assert page.get_by_test_id("filter-errors").count() == 0
