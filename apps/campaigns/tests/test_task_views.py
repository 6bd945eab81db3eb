"""Task pages: the table (filters, quick progress through HTMX, bulk assign), generation, the
area roll-up's arithmetic, my tasks and the home widgets (bounded queries)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.campaigns.models import Campaign, Task
from apps.campaigns.services import tasks as services


@pytest.mark.django_db
def test_generate_button_and_table(client, camp):
    client.force_login(camp.street)
    response = client.post(reverse("campaigns:tasks_generate", args=[camp.campaign.pk]))
    assert response.status_code == 302
    table = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]))
    assert [t.item.code for t in table.context["rows"]] == ["1.1", "1.2", "2.1", "2.2"]
    assert client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]) + "?status=x").status_code == 400
    assert client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]) + "?area=abc").status_code == 400
    filtered = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]) + f"?area={camp.comm_a1.pk}")
    assert [t.pk for t in filtered.context["rows"]] == [camp.task.pk]


@pytest.mark.django_db
def test_bulk_assign_through_the_page(client, camp):
    services.tasks_generate(actor=camp.office, campaign=camp.campaign)
    rows = Task.objects.filter(campaign=camp.campaign, jurisdiction=camp.street_a)
    client.force_login(camp.street)
    response = client.post(
        reverse("campaigns:tasks_assign", args=[camp.campaign.pk]),
        {
            "task": [f"{t.pk}:{t.version}" for t in rows],
            "jurisdiction": camp.comm_a2.pk,
            "assignee": camp.community_other.pk,
            "deadline": "2026-08-01",
        },
    )
    assert response.status_code == 302
    assert set(
        Task.objects.filter(pk__in=[t.pk for t in rows]).values_list("jurisdiction", "assignee", "deadline")
    ) == {(camp.comm_a2.pk, camp.community_other.pk, date(2026, 8, 1))}
    # Malformed selections are refused with a message, nothing written.
    client.post(reverse("campaigns:tasks_assign", args=[camp.campaign.pk]), {"task": ["x:y"], "deadline": "2026-09-01"})
    assert not Task.objects.filter(deadline=date(2026, 9, 1)).exists()


@pytest.mark.django_db
def test_quick_progress_through_htmx(client, camp):
    client.force_login(camp.community)
    url = reverse("campaigns:task_progress", args=[camp.task.pk])
    response = client.post(url, {"progress": "60", "version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="task-' in response.content.decode() and 'aria-valuenow="60"' in response.content.decode()
    stale = client.post(url, {"progress": "70", "version": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    assert client.post(url, {"progress": "170", "version": "2"}).status_code == 302
    camp.task.refresh_from_db()
    assert camp.task.progress == 60


@pytest.mark.django_db
def test_complete_from_the_task_page(client, camp):
    client.force_login(camp.community)
    page = client.get(reverse("campaigns:task_detail", args=[camp.task.pk]))
    assert {t.name for t in page.context["steps"]} == {"start", "complete", "cancel"}
    client.post(reverse("campaigns:task_transition", args=[camp.task.pk, "complete"]), {"version": "1", "note": ""})
    camp.task.refresh_from_db()
    assert camp.task.status == "open"  # the note is required
    client.post(
        reverse("campaigns:task_transition", args=[camp.task.pk, "complete"]), {"version": "1", "note": "已成立"}
    )
    camp.task.refresh_from_db()
    assert camp.task.status == "done" and camp.task.progress == 100
    assert client.post(reverse("campaigns:task_transition", args=[camp.task.pk, "nope"])).status_code == 404


@pytest.mark.django_db
def test_edit_page_offers_people_of_the_area_only(client, camp):
    client.force_login(camp.street)
    response = client.get(reverse("campaigns:task_edit", args=[camp.task.pk]))
    people = set(response.context["form"].fields["assignee"].queryset)
    assert {camp.community, camp.grid, camp.unit_contact} <= people
    assert camp.community_other not in people and camp.leader not in people
    client.force_login(camp.grid)
    camp.task.assignee = camp.grid
    camp.task.save()
    assert client.get(reverse("campaigns:task_edit", args=[camp.task.pk])).status_code == 403


@pytest.mark.django_db
def test_area_rollup_counts_children_and_sub_campaigns(client, camp):
    today = timezone.localdate()
    services.tasks_generate(actor=camp.office, campaign=camp.campaign)  # 3 tasks at 甲街道 itself
    Task.objects.filter(pk=camp.task.pk).update(progress=100, status="done")  # 甲一社区: 1 done
    Task.objects.create(
        campaign=camp.campaign, jurisdiction=camp.estate_a1, title="小区", progress=40, deadline=today - timedelta(1)
    )
    Task.objects.create(
        campaign=camp.campaign, jurisdiction=camp.comm_a2, title="甲二", progress=30, status="cancelled"
    )
    sub = Campaign.objects.create(
        title="甲二社区创建",
        level="provincial_community",
        jurisdiction=camp.comm_a2,
        standard_version=camp.standard_version,
        parent=camp.campaign,
        starts_on=camp.campaign.starts_on,
        ends_on=camp.campaign.ends_on,
    )
    Task.objects.create(campaign=sub, jurisdiction=camp.comm_a2, title="甲二子项目任务", progress=50)
    client.force_login(camp.street)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:area_tasks", args=[camp.campaign.pk]))
    assert response.status_code == 200
    rows = {r["area"].name: r for r in response.context["rows"]}
    # 甲一社区: the done task (100) and the overdue estate task (40): average 70, 1 of 2 done = 50%.
    assert (rows["甲一社区"]["total"], rows["甲一社区"]["done"], rows["甲一社区"]["overdue"]) == (2, 1, 1)
    assert rows["甲一社区"]["progress"] == 70 and rows["甲一社区"]["done_rate"] == 50
    # 甲二社区: the cancelled task is left out; the sub-campaign's task counts.
    assert (rows["甲二社区"]["total"], rows["甲二社区"]["progress"]) == (1, 50)
    assert rows["甲街道"]["total"] == 3 and rows["甲街道"].get("own")
    assert len(queries) < 20


@pytest.mark.django_db
def test_my_tasks_and_home_widget(client, camp):
    for n in range(12):
        Task.objects.create(
            campaign=camp.campaign,
            jurisdiction=camp.comm_a1,
            title=f"任务{n}",
            assignee=camp.community,
            deadline=timezone.localdate() - timedelta(days=1),
        )
    client.force_login(camp.community)
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/")
    body = home.content.decode()
    assert "我的创卫任务" in body and 'data-testid="task-overdue"' in body
    few = len(queries)
    Task.objects.create(campaign=camp.campaign, jurisdiction=camp.comm_a1, title="再一个", assignee=camp.community)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) == few  # bounded: not one query per task
    mine = client.get(reverse("campaigns:task_list") + "?mine=1&status=open")
    assert mine.context["page"].paginator.count == 14
    # Nobody's tasks: no panel.
    client.force_login(camp.community_b)
    assert "我的创卫任务" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_overdue_by_area_widget_for_street(client, camp):
    Task.objects.filter(pk=camp.task.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    client.force_login(camp.street)
    body = client.get("/").content.decode()
    assert 'data-widget="campaigns.overdue_areas"' in body and "甲一社区" in body


@pytest.mark.django_db
def test_the_table_has_a_select_all_box_for_bulk_assign(client, camp):
    client.force_login(camp.street)
    page = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk])).content.decode()
    # app.js ticks every box the selector names: exactly the rows' boxes of the bulk-assign form.
    assert 'data-check-all="input[form=bulk-assign][name=task]"' in page
    assert f'name="task" value="{camp.task.pk}:{camp.task.version}" form="bulk-assign"' in page
    client.force_login(camp.leader)
    page = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]))
    assert page.status_code != 200 or "data-check-all" not in page.content.decode()


@pytest.mark.django_db
def test_task_page_links_its_ledger_item_only_where_it_opens(client, camp):
    url = reverse("campaigns:ledger_item", args=[camp.campaign.pk, camp.task.item_id])
    for user in (camp.community, camp.street):
        client.force_login(user)
        page = client.get(reverse("campaigns:task_detail", args=[camp.task.pk]))
        assert page.context["ledger_url"] == url
        assert client.get(url).status_code == 200
    # A task of another item of the district's campaign, outside the community's area: its
    # assignee (the community of 甲一社区) sees the task but not that item's ledger page.
    other = Task.objects.create(
        campaign=camp.campaign,
        item=camp.standard_version.items_by_code["2.2"],
        jurisdiction=camp.comm_a2,
        title="别处的任务",
        assignee=camp.community,
    )
    client.force_login(camp.community)
    page = client.get(reverse("campaigns:task_detail", args=[other.pk]))
    assert page.status_code == 200 and page.context["ledger_url"] is None
    assert client.get(reverse("campaigns:ledger_item", args=[camp.campaign.pk, other.item_id])).status_code == 404
    handmade = Task.objects.create(campaign=camp.campaign, jurisdiction=camp.comm_a1, title="手工任务")
    assert client.get(reverse("campaigns:task_detail", args=[handmade.pk])).context["ledger_url"] is None


@pytest.mark.django_db
def test_my_tasks_list_and_widget_agree_for_a_unit_contact(camp):
    """ "My tasks" has one definition (workflow.mine_q): a unit's task given to somebody
    else is that person's, not the unit contact's, on the list as on the home widget."""
    from apps.campaigns.selectors.tasks import my_open_tasks, task_list

    unit_task = Task.objects.create(
        campaign=camp.campaign, jurisdiction=camp.comm_a1, title="单位任务", unit=camp.unit_a1
    )
    Task.objects.create(
        campaign=camp.campaign,
        jurisdiction=camp.comm_a1,
        title="单位任务（已交给社区）",
        unit=camp.unit_a1,
        assignee=camp.community,
    )
    listed = set(task_list(user=camp.unit_contact, filters={"mine": "1"}).values_list("pk", flat=True))
    widget = {t.pk for t in my_open_tasks(user=camp.unit_contact)}
    assert listed == widget == {unit_task.pk}
