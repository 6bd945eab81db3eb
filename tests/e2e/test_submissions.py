"""报送 (issue 15 §5): the street asks for the year's summaries, 东苑社区 submits its final report
from the 报送 page, the street sees it 已报 in its list and roll-up and returns it with a reason,
and the community sees 退回 with the reason (its report a draft again)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.reports.choices import ReportKind, ReportStatus
from apps.reports.models import Report, ReportPart

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _final_report(community, author):
    today = timezone.localdate()
    report = Report.objects.create(
        jurisdiction=community,
        kind=ReportKind.YEAR_SUMMARY,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        title=f"{community.name}{today.year}年创卫工作总结",
        office=community.name,
        status=ReportStatus.FINAL,
        created_by=author,
        finalized_by=author,
        finalized_at=timezone.now(),
    )
    ReportPart.objects.create(report=report, key="opening", kind="opening", order=1, text="今年共开展活动999次。")
    return report


def test_submit_return_and_see_the_reason(new_page, demo):
    east = demo.communities[0]
    report = _final_report(east, User.objects.get(username="dongyuan"))
    today = timezone.localdate()

    # The street asks its communities for the year's summaries, due in two days.
    street = new_page(viewport=DESKTOP)
    login(street, "street")
    street.click(".mainnav a[data-nav='submissions']")
    street.wait_for_url("**/reports/submissions/")
    assert f"年度工作总结（{today.year}年度）" in street.locator("h1").inner_text()
    rows = street.locator("[data-testid=submission-rows] tr[data-sender]")
    assert rows.count() == len(demo.communities)
    # The demo's first other community has submitted its summary already; the rest have not.
    statuses = rows.evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert statuses.count("submitted") == 1 and statuses.count("missing") == len(demo.communities) - 1
    street.fill("[data-testid=call-form] input[name=deadline]", (today + timedelta(days=2)).isoformat())
    street.click("[data-testid=call-create]")
    street.wait_for_selector("[data-testid=submission-call]")
    assert (today + timedelta(days=2)).isoformat() in street.locator("[data-testid=submission-call]").inner_text()

    # 东苑社区 submits its final report from its panel.
    community = new_page(viewport=DESKTOP)
    login(community, "dongyuan")
    community.goto("/reports/submissions/")
    panel = community.locator(f"[data-testid=submission-panel][data-report='{report.pk}']")
    assert panel.locator("[data-testid=submission-status]").get_attribute("data-status") == "missing"
    shot(community, "submissions-community-before")
    panel.locator("[data-testid=submission-submit]").click()  # the confirmation is accepted
    community.wait_for_selector("[data-testid=submission-status][data-status='submitted']")
    assert "已报送" in community.locator(".messages").inner_text()
    assert community.locator("[data-testid=submission-submit]").count() == 0

    # The street sees it 已报, the roll-up computed from the records, and returns it.
    street.goto("/reports/submissions/")
    row = street.locator(f"[data-testid=submission-rows] tr[data-sender='{east.pk}']")
    assert row.get_attribute("data-status") == "submitted"
    assert report.title in row.inner_text()
    cases = street.locator("[data-group='cases'][data-loaded='1']")
    cases.wait_for()
    names = cases.locator("[data-testid=rollup] tr[data-row] td:first-child").all_inner_texts()
    assert names[0] == demo.street.name and east.name in names
    assert "999" not in cases.inner_text()
    shot(street, "submissions-street-submitted")
    row.locator("[data-testid=row-return-open]").click()
    row.locator("textarea[name=reason]").fill("入户宣传数字与台账不符，请核对后重报")
    shot(street, "submissions-street-return-form")
    row.locator("[data-testid=row-return]").click()
    street.wait_for_selector(f"tr[data-sender='{east.pk}'][data-status='returned']")
    reason = street.locator(f"tr[data-sender='{east.pk}'] [data-testid=row-reason]")
    assert "入户宣传数字与台账不符" in reason.inner_text()

    # The community sees 退回 with the reason; its report is a draft again.
    community.goto("/reports/submissions/")
    panel = community.locator(f"[data-testid=submission-panel][data-report='{report.pk}']")
    assert panel.locator("[data-testid=submission-status]").get_attribute("data-status") == "returned"
    assert "入户宣传数字与台账不符" in panel.locator("[data-testid=submission-reason]").inner_text()
    assert "修改并定稿后可重新报送" in panel.locator("[data-testid=submission-blocked]").inner_text()
    shot(community, "submissions-community-returned")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    # On a phone the list fits.
    phone = new_page(viewport=PHONE)
    login(phone, "street")
    phone.goto("/reports/submissions/")
    phone.wait_for_selector("[data-group='cases'][data-loaded='1']")
    assert_no_horizontal_overflow(phone)
    shot(phone, "submissions-street-390")
