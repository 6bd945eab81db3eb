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


def test_the_case_list_pages_by_key_past_the_numbered_pages(new_page, demo, monkeypatch):
    """Numbered pages first, then "下一页" by key (?cursor=), the filter kept on every page, and
    back by "上一页" and "第一页" (issue 14). Pages of 2 rows, 2 numbered pages, to see it on the demo."""
    from apps.accounts.models import User
    from apps.cases.models import Case
    from apps.cases.views import CaseListView
    from apps.core.roles import Role

    monkeypatch.setattr(CaseListView, "paginate_by", 2)
    monkeypatch.setattr(CaseListView, "numbered_pages", 2)
    office = User.objects.filter(role=Role.OFFICE).order_by("id").first()
    patrol = Case.objects.restrict(office).filter(source="patrol").order_by("-created_at", "-id")
    expected = list(patrol.values_list("code", flat=True))
    assert len(expected) > 4, "the demo needs more than the numbered pages of patrol cases"
    page = new_page()
    login(page, office.username)
    page.goto("/cases/?source=patrol")
    table = page.get_by_test_id("case-table")
    pager = page.get_by_test_id("pagination")
    seen = table.locator("td > a").all_inner_texts()
    while pager.get_by_role("link", name="下一页").count():
        pager.get_by_role("link", name="下一页").click()
        page.wait_for_load_state()
        assert "source=patrol" in page.url
        seen += table.locator("td > a").all_inner_texts()
    assert "cursor=" in page.url
    assert seen == expected
    pager.get_by_role("link", name="上一页").click()
    page.wait_for_url("**cursor=**")
    last_start = 4 + 2 * ((len(expected) - 5) // 2)  # the last page's first row
    assert table.locator("td > a").all_inner_texts() == expected[last_start - 2 : last_start]
    pager.get_by_test_id("first-page").click()
    page.wait_for_load_state()
    assert "cursor" not in page.url and "source=patrol" in page.url
    assert table.locator("td > a").all_inner_texts() == expected[:2]
