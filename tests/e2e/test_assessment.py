"""The street assesses its campaign: two items (a failing prerequisite shows first), the gap list
turns a gap into a task in one step, then a mock assessment with tasks from its weakest items."""

from types import SimpleNamespace

import pytest

from apps.accounts.models import User
from apps.campaigns.models import MockAssessment, Task
from apps.campaigns.tests.factories import make_campaign, make_standard

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_street_self_assessment_gaps_and_mock(new_page, demo):
    street_user = User.objects.get(username="street")
    version = make_standard(code="e2e-assess")
    campaign = make_campaign(SimpleNamespace(office=street_user), version, demo.street, title="东城街道创建省卫生社区")
    items = version.items_by_code
    page = new_page()
    login(page, "street")

    page.goto(f"/campaigns/{campaign.pk}/assessment/")
    assert "必备条件尚未自查" in page.locator('[data-testid="prereq-banner"]').inner_text()
    # 按期结案率 comes from the cases app's figure (through the registry), with a link to its source.
    figure = page.locator('[data-figure="cases.on_time_rate"], [data-figure="empty"]')
    assert figure.count() == 1 and page.locator('[data-figure="unknown"]').count() == 0
    if figure.get_attribute("data-figure") == "cases.on_time_rate":
        assert figure.get_by_role("link", name="数据来源").count() == 1
    form = page.locator('[data-testid="assess-form-1.1"]')
    form.locator("select[name=result]").select_option("unmet")
    form.locator("textarea[name=note]").fill("领导小组文件未印发")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已保存 1.1 的自查结果" in page.locator(".messages").inner_text()
    form = page.locator('[data-testid="assess-form-2.1"]')
    form.locator("select[name=result]").select_option("partly")
    form.locator("input[name=score]").fill("6")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    banner = page.locator('[data-testid="prereq-banner"]')
    assert "必备条件未达标（1.1）" in banner.inner_text()
    assert page.locator('[data-testid="total-score"]').inner_text() == "6/16"
    # The failing prerequisite is the first item of the page.
    assert page.locator("tr[data-item]").first.get_attribute("data-item") == "1.1"
    shot(page, "assessment")

    page.click("text=缺项清单")
    rows = page.locator('[data-testid="gaps"] tr[data-item]')
    assert rows.first.get_attribute("data-item") == "1.1"
    gap = page.locator('[data-testid="gap-task-2.1"]')
    community = demo.communities[0]
    gap.locator("select[name=jurisdiction]").select_option(str(community.pk))
    gap.locator("input[name=deadline]").fill("2026-12-20")
    gap.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已为 2.1 生成任务" in page.locator(".messages").inner_text()
    task = Task.objects.get(campaign=campaign, origin="gap")
    assert task.jurisdiction == community and task.item == items["2.1"]
    assert task.title in page.locator(f"#gap-{items['2.1'].pk}").inner_text()
    shot(page, "assessment_gaps")

    page.click("text=模拟考核")
    page.click("text=新建模拟考核")
    page.fill("#id_sample_size", "5")
    page.select_option("#id_jurisdiction", str(demo.street.pk))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.wait_for_url("**/campaigns/mocks/*/")
    mock = MockAssessment.objects.get(campaign=campaign)
    assert page.locator('[data-testid="sample"] tr').count() == 1 + len(mock.sample) == 6
    page.wait_for_selector('[data-testid="sample-map"][data-ready="1"]')  # the sampled places on the map
    for code, result, score in [("1.1", "met", ""), ("2.1", "partly", "4"), ("2.2", "unmet", "")]:
        form = page.locator(f'[data-testid="mock-form-{code}"]')
        form.locator("select[name=result]").select_option(result)
        if score:
            form.locator("input[name=score]").fill(score)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert f"已保存 {code} 的评分" in page.locator(".messages").inner_text()
    assert page.locator('[data-testid="total-score"]').inner_text() == "4/16"
    weakest = page.locator('[data-testid="weakest"] tr[data-item]')
    assert [weakest.nth(i).get_attribute("data-item") for i in range(weakest.count())] == ["2.2", "2.1"]
    tasks = page.locator('[data-testid="mock-tasks"]')
    tasks.locator("input[name=count]").fill("2")
    tasks.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已为最薄弱的 2 个小项生成整改任务" in page.locator(".messages").inner_text()
    assert set(Task.objects.filter(campaign=campaign, origin="mock").values_list("item__code", flat=True)) == {
        "2.1",
        "2.2",
    }
    page.click('[data-testid="mock-submit"]')  # confirmation accepted by the fixture
    page.wait_for_load_state()
    assert page.locator('[data-testid="mock-status"]').inner_text() == "已完成"
    assert page.locator('[data-testid="frozen"]').is_visible()
    shot(page, "assessment_mock")
