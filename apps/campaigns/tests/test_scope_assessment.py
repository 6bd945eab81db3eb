"""The self-assessment and gap pages of a community on its street's campaign: its area's items and
readiness (as on the ledger tab); the one-item row computes one item; no query per task."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.campaigns.models import EvidenceLink, Task
from apps.campaigns.selectors import assessment as selectors

pytestmark = pytest.mark.django_db


def item(camp, code):
    return camp.standard_version.items_by_code[code]


def link(camp, code, path, object_id):
    return EvidenceLink.objects.create(
        campaign=camp.campaign,
        item=item(camp, code),
        requirement=item(camp, code).requirements.first(),
        kind="linked",
        source="cases.closed",
        object_id=object_id,
        title=f"记录{object_id}",
        occurred_on=date(2026, 7, 1),
        jurisdiction_path=path,
    )


def test_community_sees_its_areas_items_and_readiness(client, camp):
    # 1.1 has camp.task in 甲一社区; 2.1 only concerns 甲二社区; 1.1's evidence is in 甲二社区
    Task.objects.create(campaign=camp.campaign, item=item(camp, "2.1"), jurisdiction=camp.comm_a2, title="甲二的")
    link(camp, "1.1", camp.comm_a2.path, "1")
    client.force_login(camp.community)
    pk = camp.campaign.pk
    page = client.get(reverse("campaigns:assessment", args=[pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "成立创卫领导小组" in body and "无暴露垃圾" not in body
    assert 'data-testid="scope-note"' in body and "甲一社区" in body
    rows = {row.item.code: row for row in page.context["rows"]}
    assert set(rows) == {"1.1"}
    assert not rows["1.1"].readiness.ready  # the piece is 甲二社区's, not 甲一社区's
    assert page.context["readiness_percent"] == 0
    assert page.context["totals"].max_score == 16  # the score stays the whole campaign's (10 + 6)
    gaps = client.get(reverse("campaigns:gaps", args=[pk])).content.decode()
    assert "无暴露垃圾" not in gaps
    assert client.get(reverse("campaigns:assessment_item", args=[pk, item(camp, "2.1").pk])).status_code == 404
    # the street reads the whole campaign: 1.1 ready there
    client.force_login(camp.street)
    page = client.get(reverse("campaigns:assessment", args=[pk]))
    rows = {row.item.code: row for row in page.context["rows"]}
    assert set(rows) == {"1.1", "1.2", "2.1", "2.2"} and rows["1.1"].readiness.ready
    assert 'data-testid="scope-note"' not in page.content.decode()


def test_figures_are_computed_for_the_users_area(camp, monkeypatch):
    seen = []

    class Figure:
        label = "按期结案率"

        def compute(self, path, start, end):
            seen.append(path)

    monkeypatch.setattr(selectors, "figures", lambda: {"cases.on_time_rate": Figure()})
    Task.objects.create(campaign=camp.campaign, item=item(camp, "2.2"), jurisdiction=camp.comm_a1, title="结案")
    selectors.assessment_rows(campaign=camp.campaign, user=camp.community)
    selectors.assessment_rows(campaign=camp.campaign, user=camp.street)
    assert seen == [camp.comm_a1.path, camp.street_a.path]


def test_item_row_computes_only_its_item(camp, monkeypatch):
    asked = []
    real = selectors.item_readiness

    def spy(**kwargs):
        asked.append(list(kwargs["item_ids"]))
        return real(**kwargs)

    computed = []
    monkeypatch.setattr(selectors, "item_readiness", spy)
    monkeypatch.setattr(selectors, "compute_figures", lambda keys, *a, **k: computed.append(sorted(keys)) or {})
    row = selectors.item_row(campaign=camp.campaign, item=item(camp, "1.1"), user=camp.street)
    assert row.item.code == "1.1"
    assert asked == [[item(camp, "1.1").pk]]
    assert computed == []  # 1.1 has no indicator: no figure is computed


def test_gap_list_has_no_query_per_task(client, camp):
    client.force_login(camp.street)
    url = reverse("campaigns:gaps", args=[camp.campaign.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(6):
        Task.objects.create(campaign=camp.campaign, item=item(camp, "2.1"), jurisdiction=camp.comm_a1, title=f"t{n}")
    assert count() == before


def test_visible_campaign_not_changeable_answers_403(client, camp):
    client.force_login(camp.community)  # sees 甲街道's campaign, changes only its own
    pk = camp.campaign.pk
    response = client.post(
        reverse("campaigns:assessment_item", args=[pk, item(camp, "1.1").pk]), {"result": "met", "version": "0"}
    )
    assert response.status_code == 403
    assert client.post(reverse("campaigns:tasks_generate", args=[pk])).status_code == 403
    assert not Task.objects.filter(campaign=camp.campaign, origin="standard").exclude(pk=camp.task.pk).exists()
