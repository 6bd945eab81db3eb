"""A campaign walked as people do it: the office creates a campaign for the street with its phases
and groups, generates the task table from the standard and hands tasks to a community; the
community worker finds the task on the home page and updates its progress."""

import pytest

from apps.accounts.models import User
from apps.campaigns.models import Campaign, Task
from apps.organization.models import WorkGroup

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_office_plans_and_hands_out_community_updates(new_page, demo):
    community_user = User.objects.get(username="dongyuan")
    community = community_user.jurisdiction
    groups = list(WorkGroup.objects.filter(jurisdiction=demo.street).order_by("id")[:2])

    page = new_page()
    login(page, "cwb")
    page.click(".mainnav a:has-text('创建项目')")
    page.get_by_test_id("campaign-create").click()
    page.fill("#id_title", "城关街道国家卫生城市复审")
    page.select_option("#id_level", "national_city")
    page.select_option("#id_jurisdiction", str(demo.street.pk))
    page.select_option("#id_standard_version", index=1)
    # The four phases are already there; name the groups and their duties.
    assert page.locator("#id_phases-3-name").input_value() == "考核验收"
    page.select_option("#id_groups-0-group", str(groups[0].pk))
    page.select_option("#id_groups-0-role", "leadership")
    page.fill("#id_groups-0-duties", "统筹部署创卫工作")
    page.select_option("#id_groups-1-group", str(groups[1].pk))
    page.fill("#id_groups-1-duties", "收集整理台账资料")
    page.get_by_test_id("campaign-save").click()
    page.wait_for_selector("[data-testid=campaign-title]")
    campaign = Campaign.objects.get(title="城关街道国家卫生城市复审")
    assert campaign.phases.count() == 4 and campaign.groups.count() == 2
    page.get_by_test_id("campaign-step-start").click()
    page.wait_for_selector("[data-testid=campaign-status]:has-text('创建中')")
    assert page.locator("[data-current='1']").count() == 1  # today's phase highlighted

    page.get_by_test_id("generate-tasks").click()
    page.wait_for_selector("[data-testid=task-table]")
    tasks = list(Task.objects.filter(campaign=campaign).order_by("item__sort", "id"))
    assert len(tasks) == campaign.standard_version.items.count() > 2
    # Hand the first two to 东园社区 and its worker.
    for task in tasks[:2]:
        page.get_by_test_id(f"select-{task.pk}").check()
    page.select_option("#bulk-assign select[name=jurisdiction]", str(community.pk))
    page.get_by_test_id("bulk-assign-submit").click()
    page.wait_for_selector("text=已分配 2 项任务。")
    for task in tasks[:2]:
        page.get_by_test_id(f"select-{task.pk}").check()
    page.select_option("#bulk-assign select[name=assignee]", str(community_user.pk))
    page.get_by_test_id("bulk-assign-submit").click()
    page.wait_for_selector("text=已分配 2 项任务。")
    assert set(Task.objects.filter(pk__in=[t.pk for t in tasks[:2]]).values_list("jurisdiction", "assignee")) == {
        (community.pk, community_user.pk)
    }
    # Quick progress in the table (HTMX swaps the row in place; the checkbox stays).
    row = page.locator(f"#task-{tasks[2].pk}")
    row.locator("input[name=progress]").fill("30")
    row.locator("button").click()
    page.wait_for_selector(f"#task-{tasks[2].pk} [aria-valuenow='30']")
    assert page.get_by_test_id(f"select-{tasks[2].pk}").count() == 1
    assert Task.objects.get(pk=tasks[2].pk).progress == 30
    shot(page, "campaign-task-table")
    page.goto(f"/campaigns/{campaign.pk}/")
    shot(page, "campaign-detail")
    page.get_by_test_id("tab-areas").click()
    page.wait_for_selector("[data-testid=area-table]")
    assert page.locator(f"[data-area='{community.pk}'] td").nth(1).inner_text().strip() == "2"
    shot(page, "campaign-area-table")

    worker = new_page()
    login(worker, "dongyuan")
    # The home panel lists the most urgent of the worker's open tasks (the demo gives dongyuan
    # others due sooner); its 全部 link lists them all, this one included.
    worker.locator("[data-widget='campaigns.my_tasks'] .widget-head a").click()
    worker.wait_for_selector("[data-testid=my-task-table]")
    worker.locator(f"[data-testid=my-task-table] a[href='/campaigns/tasks/{tasks[0].pk}/']").click()
    worker.wait_for_selector("[data-testid=task-progress-form]")
    worker.fill("[data-testid=task-progress-form] input[name=progress]", "60")
    worker.click("[data-testid=task-progress-form] button")
    worker.wait_for_selector("text=进度已更新。")
    assert worker.get_by_test_id("task-progress").inner_text().startswith("60%")
    assert worker.get_by_test_id("task-status").inner_text() == "进行中"
    shot(worker, "campaign-task-detail")
