"""The ledger pages, the document download and the API."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.campaigns.models import EvidenceLink, Task
from apps.campaigns.services import evidence as services
from apps.campaigns.tests.world_ledger import closed_case, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def item(camp, code):
    return camp.standard_version.items_by_code[code]


def upload(camp, actor=None, code="1.1", title="成立文件"):
    return services.evidence_upload(
        actor=actor or camp.community,
        campaign=camp.campaign,
        item=item(camp, code),
        requirement=item(camp, code).requirements.first(),
        title=title,
        occurred_on=date(2026, 6, 2),
        upload=SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"),
    )


def test_ledger_page_shows_readiness_and_rows(client, camp):
    upload(camp)
    client.force_login(camp.office)
    response = client.get(reverse("campaigns:ledger", args=[camp.campaign.pk]))
    assert response.status_code == 200
    data = response.context["data"]
    assert (data["campaign"].ready, data["campaign"].total) == (1, 4)
    assert [row.item.code for row in data["rows"]] == ["1.1", "1.2", "2.1", "2.2"]
    html = response.content.decode()
    assert 'data-testid="campaign-readiness">25.0%' in html
    not_ready = client.get(reverse("campaigns:ledger", args=[camp.campaign.pk]), {"ready": "0"}).context["data"]
    assert [row.item.code for row in not_ready["rows"]] == ["1.2", "2.1", "2.2"]
    assert client.get(reverse("campaigns:ledger", args=[camp.campaign.pk]), {"ready": "x"}).status_code == 400
    assert client.get(reverse("campaigns:ledger", args=[camp.campaign.pk]), {"section": "99999"}).status_code == 400


def test_ledger_query_count_is_bounded(client, camp, django_assert_max_num_queries):
    for n in range(30):
        Task.objects.create(campaign=camp.campaign, item=item(camp, "2.1"), jurisdiction=camp.comm_a1, title=f"t{n}")
    EvidenceLink.objects.bulk_create(
        EvidenceLink(
            campaign=camp.campaign,
            item=item(camp, "2.1"),
            kind="rule",
            source="cases.closed",
            object_id=str(n),
            title=f"r{n}",
            occurred_on=date(2026, 7, 1),
            jurisdiction_path=camp.comm_a1.path,
        )
        for n in range(200)
    )
    client.force_login(camp.community)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("campaigns:ledger", args=[camp.campaign.pk]))
    assert response.status_code == 200


def test_community_sees_only_items_with_tasks_in_its_area(client, camp):
    client.force_login(camp.community)
    data = client.get(reverse("campaigns:ledger", args=[camp.campaign.pk])).context["data"]
    assert [row.item.code for row in data["rows"]] == ["1.1"]
    assert (
        client.get(reverse("campaigns:ledger_item", args=[camp.campaign.pk, item(camp, "2.1").pk])).status_code == 404
    )
    client.force_login(camp.community_b)
    assert client.get(reverse("campaigns:ledger", args=[camp.campaign.pk])).status_code == 404


def test_item_page_upload_link_and_unlink(client, camp):
    case = closed_case(camp, "C-1", date(2026, 7, 1))
    client.force_login(camp.community)
    url = reverse("campaigns:ledger_item", args=[camp.campaign.pk, item(camp, "1.1").pk])
    page = client.get(url, {"source": "cases.closed"})
    assert page.status_code == 200 and [r.object_id for r in page.context["records"]] == [str(case.pk)]
    bad = client.post(
        reverse("campaigns:evidence_upload", args=[camp.campaign.pk, item(camp, "1.1").pk]),
        {"title": "x", "occurred_on": "2026-07-01", "file": SimpleUploadedFile("x.pdf", b"GIF89a....")},
    )
    assert bad.status_code == 400 and "只能上传" in bad.content.decode()
    good = client.post(
        reverse("campaigns:evidence_upload", args=[camp.campaign.pk, item(camp, "1.1").pk]),
        {"title": "成立文件", "occurred_on": "2026-07-01", "file": SimpleUploadedFile("x.pdf", pdf_bytes())},
    )
    assert good.status_code == 302
    linked = client.post(
        reverse("campaigns:evidence_link", args=[camp.campaign.pk, item(camp, "1.1").pk]),
        {"source": "cases.closed", "object_id": str(case.pk)},
    )
    assert linked.status_code == 302
    link = EvidenceLink.objects.get(source="cases.closed")
    assert client.post(reverse("campaigns:evidence_unlink", args=[link.pk])).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert "<s>" in html and f"/cases/{case.pk}/" in html
    timeline = client.get(reverse("campaigns:ledger_timeline", args=[camp.campaign.pk]))
    assert timeline.status_code == 200 and len(timeline.context["rows"]) == 2


def test_document_download_is_scoped_and_an_attachment(client, camp):
    document = upload(camp)
    client.force_login(camp.street)
    response = client.get(reverse("campaigns:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(camp.community_other)
    assert client.get(reverse("campaigns:document_download", args=[document.pk])).status_code == 404
    client.force_login(camp.street_other)
    assert client.get(reverse("campaigns:document_detail", args=[document.pk])).status_code == 404


def test_missing_list_and_export(client, camp):
    client.force_login(camp.office)
    response = client.get(reverse("campaigns:ledger_missing", args=[camp.campaign.pk]))
    assert [e["item"].code for e in response.context["entries"]] == ["1.1", "1.2", "2.1", "2.2"]
    export = client.get(reverse("campaigns:ledger_missing", args=[camp.campaign.pk]), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "1.1" and "领导小组成立文件" in rows[1][2]
    assert any(row[0] == "2.1" and row[3] == 2 for row in rows)  # 检查记录 needs 2


def test_sync_button_runs_in_the_background(client, camp, django_capture_on_commit_callbacks):
    services.evidence_rules_from_standard(campaign=camp.campaign, actor=camp.office)
    closed_case(camp, "C-1", date(2026, 7, 1))
    client.force_login(camp.street)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("campaigns:ledger_sync", args=[camp.campaign.pk]))
    assert response.status_code == 302 and len(queued) == 1
    running = client.get(reverse("campaigns:ledger_sync", args=[camp.campaign.pk]))
    assert 'data-running="1"' in running.content.decode() and "hx-get" in running.content.decode()
    queued[0]()  # the worker's turn (tests run Celery eagerly)
    assert EvidenceLink.objects.filter(source="cases.closed").count() == 1
    fragment = client.get(reverse("campaigns:ledger_sync", args=[camp.campaign.pk]))
    assert 'data-running="0"' in fragment.content.decode()


def test_rules_page(client, camp):
    client.force_login(camp.street)
    url = reverse("campaigns:evidence_rules", args=[camp.campaign.pk])
    assert client.post(url, {"action": "from_standard"}).status_code == 302
    assert len(client.get(url).context["rules"]) == 2
    bad = client.post(url, {"action": "create", "item": item(camp, "1.2").pk, "source": "nope"})
    assert bad.status_code == 400
    ok = client.post(url, {"action": "create", "item": item(camp, "1.2").pk, "source": "inspections.ranking"})
    assert ok.status_code == 302
    # New rules take effect at the next sync: 立即关联 is offered right there.
    sync = reverse("campaigns:ledger_sync", args=[camp.campaign.pk])
    assert f'action="{sync}"' in client.get(url).content.decode()
    client.force_login(camp.community)
    assert client.post(url, {"action": "from_standard"}).status_code == 403
    assert f'action="{sync}"' not in client.get(url).content.decode()


def test_api_lists_scoped_links(client, camp):
    upload(camp)
    upload(camp, actor=camp.street, title="街道文件")
    client.force_login(camp.community)
    response = client.get("/api/v1/campaign-evidence/", {"campaign": camp.campaign.pk})
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == ["成立文件"]
    client.force_login(camp.street)
    assert len(client.get("/api/v1/campaign-evidence/", {"item": item(camp, "1.1").pk}).json()["results"]) == 2
    assert client.get("/api/v1/campaign-evidence/", {"campaign": "x"}).status_code == 400


def test_rule_edit(client, camp):
    rule = services.rule_create(
        actor=camp.street, campaign=camp.campaign, item=item(camp, "2.2"), source="cases.closed"
    )
    client.force_login(camp.street)
    url = reverse("campaigns:evidence_rules", args=[camp.campaign.pk])
    page = client.get(url, {"edit": rule.pk})
    assert page.status_code == 200 and page.context["form"].initial["source"] == "cases.closed"
    assert client.get(url, {"edit": "x"}).status_code == 404
    response = client.post(
        url,
        {
            "action": "update",
            "rule": rule.pk,
            "item": item(camp, "2.2").pk,
            "source": "cases.closed",
            "category": "exposed_garbage",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.category == "exposed_garbage"
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="campaigns.evidencerule.updated", object_id=str(rule.pk)).exists()


def test_task_upload_by_the_grid_worker_it_is_assigned_to(client, camp):
    camp.task.assignee = camp.grid
    camp.task.save()
    url = reverse("campaigns:task_evidence_upload", args=[camp.task.pk])
    client.force_login(camp.grid)
    page = client.get(url)
    assert page.status_code == 200
    # The way back to the task the upload is for.
    assert f'href="/campaigns/tasks/{camp.task.pk}/" data-testid="back-to-task"' in page.content.decode()
    response = client.post(
        url, {"title": "现场照片", "occurred_on": "2026-07-01", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(source="campaigns.upload")
    assert link.item == camp.task.item and link.jurisdiction_path == camp.task.jurisdiction.path
    assert link.document.task == camp.task
    other = Task.objects.create(
        campaign=camp.campaign, item=item(camp, "1.2"), jurisdiction=camp.comm_a1, title="别人的"
    )
    assert client.get(reverse("campaigns:task_evidence_upload", args=[other.pk])).status_code in (403, 404)


def test_rule_form_dates_are_date_inputs_and_the_ledger_nav_marks_its_page(client, camp):
    client.force_login(camp.street)
    page = client.get(reverse("campaigns:evidence_rules", args=[camp.campaign.pk])).content.decode()
    assert '<input type="date" name="starts_on"' in page and '<input type="date" name="ends_on"' in page
    # The sub-navigation is drawn as buttons like the campaign's tabs, the current one marked.
    assert '<nav class="toolbar subnav" data-testid="ledger-nav">' in page
    current = page.split('data-testid="ledger-nav">')[1].split("</nav>")[0]
    rules_url = reverse("campaigns:evidence_rules", args=[camp.campaign.pk])
    assert f'class="btn btn-small btn-primary" href="{rules_url}" aria-current="page"' in current


def test_rule_category_shows_the_source_label(client, camp):
    """The rules page and the item's 关联规则 box show a category's label, not its code (the
    code only when the source no longer offers it)."""
    from apps.campaigns.models import EvidenceRule

    labelled = services.rule_create(
        actor=camp.street, campaign=camp.campaign, item=item(camp, "1.1"), source="meetings.minutes", category="regular"
    )
    gone = services.rule_create(
        actor=camp.street, campaign=camp.campaign, item=item(camp, "1.1"), source="cases.closed"
    )
    EvidenceRule.objects.filter(pk=gone.pk).update(category="no_such_category")
    client.force_login(camp.street)
    pages = [
        client.get(reverse("campaigns:evidence_rules", args=[camp.campaign.pk])),
        client.get(reverse("campaigns:ledger_item", args=[camp.campaign.pk, item(camp, "1.1").pk])),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<td>例会</td>" in html or " · 例会" in html
        assert ">regular<" not in html and " · regular" not in html
        assert "no_such_category" in html
        rule = next(r for r in page.context["rules"] if r.pk == labelled.pk)
        assert rule.category_label == "例会"
