"""Who reads which part of a campaign's ledger (apps/campaigns/areas.py): unit contacts only the
uploads of their own tasks, workers the documents of the tasks given to them, the sync only for
the campaign's managers."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.campaigns.models import EvidenceDocument, EvidenceLink, EvidenceRule, Task
from apps.campaigns.selectors import ledger as selectors
from apps.campaigns.services import evidence_sync
from apps.campaigns.tests.world_ledger import pdf_bytes
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db

FOREIGN = "C-999 暴露垃圾 人民路2号"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _part(user, campaign):
    return selectors.ledger_part(user, campaign) if hasattr(selectors, "ledger_part") else None


def item(camp, code):
    return camp.standard_version.items_by_code[code]


def foreign_record(camp, code="1.1"):
    """A closed case linked by a rule in 幸福小区 (the unit's territory) that is not the unit's."""
    return EvidenceLink.objects.create(
        campaign=camp.campaign,
        item=item(camp, code),
        kind="rule",
        source="cases.closed",
        object_id="999",
        title=FOREIGN,
        occurred_on=date(2026, 7, 1),
        jurisdiction_path=camp.estate_a1.path,
        url="/cases/999/",
    )


def upload_as(client, user, task, title="我的上传"):
    client.force_login(user)
    f = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    return client.post(
        reverse("campaigns:task_evidence_upload", args=[task.pk]),
        {"title": title, "occurred_on": "2026-07-02", "file": f},
    )


def test_parts_of_a_street_campaign(camp):
    from apps.campaigns.areas import EMPTY, WHOLE, Part, area_path, user_part

    c = camp.campaign
    assert user_part(camp.street, c) == WHOLE and user_part(camp.office, c) == WHOLE
    assert user_part(camp.community, c) == Part(path=camp.comm_a1.path)
    assert user_part(camp.street_other, c) == EMPTY
    assert user_part(camp.unit_contact, c) == Part(tasks_of=(camp.unit_contact.pk, camp.unit_a1.pk))
    assert area_path(camp.unit_contact, c) is None
    assert area_path(camp.grid, c) == camp.grid_a1.path


def test_unit_contact_sees_campaigns_of_its_tasks_only(client, camp):
    client.force_login(camp.unit_contact)
    url = reverse("campaigns:campaign_detail", args=[camp.campaign.pk])
    assert client.get(url).status_code == 404  # its territory lies in the campaign, but no task
    Task.objects.create(
        campaign=camp.campaign, item=item(camp, "1.1"), jurisdiction=camp.comm_a1, title="x", unit=camp.unit_a1
    )
    assert client.get(url).status_code == 200


def test_unit_contact_reads_only_its_own_tasks_pieces(client, camp):
    foreign_record(camp)
    # another item with a task in its 社区 but not given to the unit: not the unit's business
    Task.objects.create(campaign=camp.campaign, item=item(camp, "2.1"), jurisdiction=camp.comm_a1, title="别人的")
    task = Task.objects.create(
        campaign=camp.campaign, item=item(camp, "1.1"), jurisdiction=camp.comm_a1, title="单位任务", unit=camp.unit_a1
    )
    assert upload_as(client, camp.unit_contact, task).status_code == 302
    pk = camp.campaign.pk
    api = client.get("/api/v1/campaign-evidence/")
    assert api.status_code == 200
    assert FOREIGN not in api.content.decode() and "我的上传" in api.content.decode()
    page = client.get(reverse("campaigns:ledger_item", args=[pk, item(camp, "1.1").pk]))
    assert page.status_code == 200
    assert FOREIGN not in page.content.decode() and "我的上传" in page.content.decode()
    timeline = client.get(reverse("campaigns:ledger_timeline", args=[pk])).content.decode()
    assert FOREIGN not in timeline and "我的上传" in timeline
    ledger = client.get(reverse("campaigns:ledger", args=[pk])).content.decode()
    assert "无暴露垃圾" not in ledger and "成立创卫领导小组" in ledger
    missing = client.get(reverse("campaigns:ledger_missing", args=[pk])).content.decode()
    assert "无暴露垃圾" not in missing
    rows = selectors.missing(campaign=camp.campaign, jurisdiction_path=_part(camp.unit_contact, camp.campaign))
    assert {entry["item"].code for entry in rows} <= {"1.1"}
    assert client.get(reverse("campaigns:ledger_item", args=[pk, item(camp, "2.1").pk])).status_code == 404
    xlsx = client.get(reverse("campaigns:ledger_missing", args=[pk]) + "?export=xlsx")
    assert xlsx.status_code == 200


@pytest.mark.parametrize("who", ["grid", "unit_contact"])
def test_worker_opens_the_document_of_its_task(client, camp, who):
    user = getattr(camp, who)
    given = {"assignee": camp.grid} if who == "grid" else {"unit": camp.unit_a1}
    task = Task.objects.create(
        campaign=camp.campaign, item=item(camp, "1.1"), jurisdiction=camp.comm_a1, title="w", **given
    )
    response = upload_as(client, user, task)
    document = EvidenceDocument.objects.get(task=task)
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert client.get(document.get_absolute_url()).status_code == 200
    download = client.get(reverse("campaigns:document_download", args=[document.pk]))
    assert download.status_code == 200
    # another worker's document stays out of reach
    client.force_login(camp.community_b)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_sync_only_for_managers_of_the_campaign_and_audited(client, camp, django_capture_on_commit_callbacks):
    pk = camp.campaign.pk
    client.force_login(camp.community)  # sees its street's campaign, does not manage it
    assert client.post(reverse("campaigns:ledger_sync", args=[pk])).status_code == 403
    assert 'data-testid="sync-now"' not in client.get(reverse("campaigns:ledger", args=[pk])).content.decode()
    client.force_login(camp.street)
    assert 'data-testid="sync-now"' in client.get(reverse("campaigns:ledger", args=[pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(reverse("campaigns:ledger_sync", args=[pk])).status_code == 302
    event = AuditEvent.objects.get(action="campaigns.campaign.ledger_sync_requested")
    assert event.actor_id == camp.street.pk and event.object_id == str(pk)


def test_sync_flag_and_lock_live_in_the_shared_cache(camp, monkeypatch):
    from django.core.cache import caches

    shared = caches["shared"]
    rule = EvidenceRule.objects.create(campaign=camp.campaign, item=item(camp, "1.1"), source="cases.closed")
    shared.set(evidence_sync.sync_requested_key(camp.campaign.pk), rule.created_at, 60)
    monkeypatch.setattr(evidence_sync, "cache", None, raising=False)
    assert evidence_sync.sync_running(camp.campaign)
    # a run of the same campaign holds the lock: the next one does nothing
    assert shared.add(evidence_sync.lock_key(camp.campaign.pk), "x", 60)
    assert evidence_sync.campaign_evidence_sync_one(camp.campaign.pk) == 0
    rule.refresh_from_db()
    assert rule.synced_at is None
    shared.delete(evidence_sync.lock_key(camp.campaign.pk))
    evidence_sync.campaign_evidence_sync_one(camp.campaign.pk)
    rule.refresh_from_db()
    assert rule.synced_at is not None
    assert not shared.get(evidence_sync.lock_key(camp.campaign.pk))  # released


def test_sync_jobs_have_a_long_jobs_time_limits(settings):
    for job in (evidence_sync.campaign_evidence_sync, evidence_sync.campaign_evidence_sync_one):
        assert (job.soft_time_limit, job.time_limit) == (
            settings.DATA_JOB_SOFT_TIME_LIMIT,
            settings.DATA_JOB_TIME_LIMIT,
        )  # not the short default of every task


def test_readiness_widget_does_not_build_the_ledger(camp, monkeypatch):
    foreign_record(camp)
    expected = {
        user: selectors.ledger(campaign=camp.campaign, jurisdiction_path=_part(user, camp.campaign))["campaign"]
        for user in (camp.street, camp.community)
    }
    camp.campaign.status = "active"
    camp.campaign.save(update_fields=["status"])

    def boom(**kwargs):
        raise AssertionError("the widget must not build the ledger page")

    monkeypatch.setattr(selectors, "ledger", boom)
    for user, share in expected.items():
        rows = selectors.visible_readiness(user)
        mine = next(row for row in rows if row["campaign"].pk == camp.campaign.pk)
        assert (mine["share"].ready, mine["share"].total) == (share.ready, share.total)
    with CaptureQueriesContext(connection) as ctx:
        selectors.visible_readiness(camp.street)
    assert len(ctx.captured_queries) <= 5
