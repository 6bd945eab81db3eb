"""The self-assessment and gap pages."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.campaigns.models import ItemAssessment, Task
from apps.campaigns.services.assessment import item_assess
from apps.cases.categories import ensure_categories
from apps.cases.models import Case, Category
from apps.core.evidence import FigureSource, FigureValue
from apps.core.registry import AppEntries, registry
from apps.standards.models import EvidenceRequirement, StandardIndicator, StandardItem

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"campaigns:{name}", args=args)


def test_assessment_page_prerequisite_first_with_banner(client, camp, monkeypatch):
    source = FigureSource(
        "cases.on_time_rate", "按期结案率", "%", lambda p, s, e: FigureValue(D("92.5"), url="/cases/statistics/")
    )
    monkeypatch.setitem(registry.apps, "test_figures", AppEntries(label="test_figures", figures=[source]))
    item_assess(
        actor=camp.street, campaign=camp.campaign, item=camp.standard_version.items_by_code["1.1"], result="unmet"
    )
    client.force_login(camp.street)
    page = client.get(url("assessment", camp.campaign.pk)).content.decode()
    assert 'data-testid="prereq-banner"' in page and "必备条件未达标（1.1）" in page
    assert page.index('data-item="1.1"') < page.index('data-item="1.2"') < page.index('data-item="2.1"')
    assert "92.5%" in page and 'href="/cases/statistics/"' in page
    assert 'data-testid="assess-form-2.1"' in page


def test_unknown_figure_reads_no_data(client, camp):
    StandardIndicator.objects.filter(figure_key="cases.on_time_rate").update(figure_key="nobody.registers_this")
    client.force_login(camp.street)
    page = client.get(url("assessment", camp.campaign.pk)).content.decode()
    assert "暂无此项系统数据" in page and "必备条件尚未自查" in page


def test_community_reads_without_forms(client, camp):
    client.force_login(camp.community)
    response = client.get(url("assessment", camp.campaign.pk))
    assert response.status_code == 200 and "assess-form" not in response.content.decode()
    item = camp.standard_version.items_by_code["2.1"]
    response = client.post(url("assessment_item", camp.campaign.pk, item.pk), {"result": "met", "version": 0})
    assert response.status_code == 404 and not ItemAssessment.objects.exists()


def test_item_post_saves_and_a_stale_version_shows_a_message(client, camp):
    item = camp.standard_version.items_by_code["2.1"]
    client.force_login(camp.street)
    response = client.post(
        url("assessment_item", camp.campaign.pk, item.pk),
        {"result": "partly", "score": "6.5", "note": "x", "version": 0},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    assert ItemAssessment.objects.get(item=item).score == D("6.5")
    response = client.post(url("assessment_item", camp.campaign.pk, item.pk), {"result": "met", "version": 0})
    assert response.status_code == 400 and "该记录已被他人修改" in response.content.decode()
    response = client.post(url("assessment_item", camp.campaign.pk, item.pk), {"result": "partly", "version": 1})
    assert response.status_code == 400 and "请填写得分" in response.content.decode()
    assert ItemAssessment.objects.get(item=item).result == "partly"


def test_other_street_gets_404(client, camp):
    client.force_login(camp.street_other)
    assert client.get(url("assessment", camp.campaign.pk)).status_code == 404
    assert client.get(url("gaps", camp.campaign.pk)).status_code == 404


def test_gap_list_and_one_step_actions(client, camp):
    ensure_categories()
    category = Category.objects.get(code="inspection_finding")
    item = camp.standard_version.items_by_code["2.1"]
    client.force_login(camp.street)
    page = client.get(url("gaps", camp.campaign.pk)).content.decode()
    assert page.index('id="gap-') and 'data-testid="gap-task-2.1"' in page
    assert "缺少资料" in page and "检查记录" in page
    response = client.post(
        url("gap_task", camp.campaign.pk, item.pk), {"jurisdiction": camp.comm_a2.pk, "deadline": "2026-09-30"}
    )
    assert response.status_code == 302
    task = Task.objects.get(origin="gap")
    assert task.jurisdiction == camp.comm_a2 and task.item == item
    page = client.get(response["Location"]).content.decode()
    assert "已为 2.1 生成任务" in page and task.title in page  # the open task shows on its gap
    response = client.post(
        url("gap_case", camp.campaign.pk, item.pk),
        {"category": category.pk, "jurisdiction": camp.comm_a1.pk, "description": "垃圾"},
        follow=True,
    )
    case = Case.objects.get()
    assert case.code in response.content.decode()
    response = client.post(url("gap_task", camp.campaign.pk, item.pk), {"jurisdiction": camp.comm_b1.pk}, follow=True)
    assert Task.objects.filter(origin="gap").count() == 1 and "msg-error" in response.content.decode()


def test_pages_take_the_same_queries_however_many_items(client, camp):
    def queries(page):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        return len(ctx)

    client.force_login(camp.street)
    pages = [url("assessment", camp.campaign.pk), url("gaps", camp.campaign.pk)]
    before = [queries(page) for page in pages]
    section = camp.standard_version.items_by_code["2.1"].section
    for n in range(10):
        item = StandardItem.objects.create(
            version=camp.standard_version, section=section, code=f"3.{n}", text="新增", kind="scored", points=5, sort=9
        )
        StandardIndicator.objects.create(item=item, name="指标", threshold=1)
        EvidenceRequirement.objects.create(item=item, name="资料")
        item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="unmet")
    assert [queries(page) for page in pages] == before
