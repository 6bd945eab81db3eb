"""The campaigns API: scoped reads with phases and groups; PATCH of a task's progress with versions."""

import pytest

from apps.campaigns.models import CampaignGroup


@pytest.mark.django_db
def test_campaign_list_and_detail(client, camp):
    CampaignGroup.objects.create(campaign=camp.campaign, group=camp.group_a1, duties="社区任务")
    client.force_login(camp.community)
    rows = client.get("/api/v1/campaigns/").json()["results"]
    assert {r["title"] for r in rows} == {"甲街道创建省卫生社区"}
    detail = client.get(f"/api/v1/campaigns/{camp.campaign.pk}/").json()
    assert [p["name"] for p in detail["phases"]] == ["宣传发动", "自查整改", "查漏补缺", "考核验收"]
    assert detail["groups"] == [
        {"group": camp.group_a1.pk, "name": "甲一创卫小组", "role": "working", "duties": "社区任务"}
    ]
    assert client.get(f"/api/v1/campaigns/{camp.campaign_b.pk}/").status_code == 404


@pytest.mark.django_db
def test_task_list_filters(client, camp):
    client.force_login(camp.street)
    rows = client.get(f"/api/v1/campaign-tasks/?campaign={camp.campaign.pk}&status=open").json()["results"]
    assert [r["id"] for r in rows] == [camp.task.pk]
    assert client.get("/api/v1/campaign-tasks/?status=bogus").status_code == 400
    assert client.get(f"/api/v1/campaign-tasks/?campaign={camp.campaign_b.pk}").json()["results"] == []


@pytest.mark.django_db
def test_patch_progress_with_version(client, camp):
    client.force_login(camp.community)
    url = f"/api/v1/campaign-tasks/{camp.task.pk}/"
    missing = client.patch(url, {"progress": 30}, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    ok = client.patch(url, {"progress": 30, "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["progress"] == 30 and ok.json()["status"] == "in_progress"
    stale = client.patch(url, {"progress": 40, "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert client.patch(url, {"progress": 140, "version": 3}, content_type="application/json").status_code == 400
    client.force_login(camp.leader)
    assert client.patch(url, {"progress": 50, "version": 3}, content_type="application/json").status_code == 403
    client.force_login(camp.community_other)
    assert client.patch(url, {"progress": 50, "version": 3}, content_type="application/json").status_code == 404
    assert client.put(url, {"progress": 50, "version": 3}, content_type="application/json").status_code == 405
