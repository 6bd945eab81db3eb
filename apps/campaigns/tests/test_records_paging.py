"""Evidence records beyond a source's cap: rules page through every record, a manual link looks its
record up directly, the link picker skips linked records before its limit and searches; and the
upload edges (orphan files, a task without an item)."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.campaigns.demo_ledger import pdf_bytes
from apps.campaigns.models import EvidenceDocument, EvidenceLink, EvidenceRule, Task
from apps.campaigns.services import evidence as services
from apps.campaigns.services import evidence_sync as sync
from apps.campaigns.tests.world_ledger import closed_case
from apps.core.evidence import EvidenceSource
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def item(camp, code):
    return camp.standard_version.items_by_code[code]


def cases(camp, n):
    """n closed cases in 甲一社区, C-1 the oldest (closed 07-02) … C-n the newest."""
    return [closed_case(camp, f"C-{k}", date(2026, 7, k)) for k in range(1, n + 1)]


def closed_rule(camp):
    return EvidenceRule.objects.create(campaign=camp.campaign, item=item(camp, "2.2"), source="cases.closed")


# Rules ---------------------------------------------------------------------------------------


def test_rule_run_pages_past_the_sources_cap(camp, monkeypatch):
    monkeypatch.setattr("apps.cases.evidence.RECORD_LIMIT", 2)  # a source cap smaller than the records
    monkeypatch.setattr(sync, "PAGE", 2)
    made = cases(camp, 5)
    rule = closed_rule(camp)
    assert sync.rule_run(rule=rule) == 5
    linked = set(EvidenceLink.objects.filter(rule=rule).values_list("object_id", flat=True))
    assert linked == {str(case.pk) for case in made}  # the oldest too
    assert "cut" not in AuditEvent.objects.get(action="campaigns.evidencerule.synced").data


def test_rule_run_reports_a_cut(camp, monkeypatch):
    monkeypatch.setattr(sync, "PAGE", 2)
    monkeypatch.setattr(sync, "RUN_LIMIT", 4)
    cases(camp, 5)
    rule = closed_rule(camp)
    assert sync.rule_run(rule=rule) == 4
    assert AuditEvent.objects.get(action="campaigns.evidencerule.synced").data == {"added": 4, "cut": True}


def test_rule_run_counts_only_rows_it_inserted(camp, monkeypatch):
    """A concurrent run (the button and the beat) inserts one of the records first: not counted."""
    made = cases(camp, 3)
    rule = closed_rule(camp)
    real = sync.sources()["cases.closed"]

    def records(query):
        if not EvidenceLink.objects.filter(object_id=str(made[0].pk)).exists():
            EvidenceLink.objects.create(
                campaign=camp.campaign,
                item=rule.item,
                kind="rule",
                source="cases.closed",
                object_id=str(made[0].pk),
                title="另一次运行",
                occurred_on=date(2026, 7, 2),
                jurisdiction_path=camp.comm_a1.path,
                rule=rule,
            )
        return real.records(query)

    monkeypatch.setattr(sync, "sources", lambda: {"cases.closed": replace(real, records=records)})
    assert sync.rule_run(rule=rule) == 2
    assert EvidenceLink.objects.filter(rule=rule).count() == 3
    assert AuditEvent.objects.get(action="campaigns.evidencerule.synced").data == {"added": 2}


# Manual links --------------------------------------------------------------------------------


def test_manual_link_looks_its_record_up_directly(camp, monkeypatch):
    made = cases(camp, 3)
    real = services.sources()["cases.closed"]
    queries = []

    def records(query):
        queries.append(query)
        return real.records(query)

    spy = EvidenceSource(key="cases.closed", label="spy", records=records)
    monkeypatch.setattr(services, "sources", lambda: {"cases.closed": spy})
    link = services.evidence_link(
        actor=camp.community,
        campaign=camp.campaign,
        item=item(camp, "2.2"),
        source="cases.closed",
        object_id=str(made[0].pk),  # the oldest
    )
    assert link.title.startswith("C-1 ")
    [query] = queries
    assert query.object_ids == (str(made[0].pk),) and query.limit == 1
    assert query.jurisdiction_path == camp.comm_a1.path  # still the community's area and the period
    assert (query.start, query.end) == (camp.campaign.starts_on, camp.campaign.ends_on)


def test_record_choices_skip_excluded_before_the_limit(camp, monkeypatch):
    monkeypatch.setattr(services, "PICK_WINDOW", 2)
    made = cases(camp, 5)
    newest_three = [str(case.pk) for case in made[2:]]
    choices, more = services.record_choices(
        actor=camp.community, campaign=camp.campaign, source_key="cases.closed", limit=1, exclude_ids=newest_three
    )
    assert [r.object_id for r in choices] == [str(made[1].pk)] and more == 4
    choices, more = services.record_choices(
        actor=camp.community,
        campaign=camp.campaign,
        source_key="cases.closed",
        limit=1,
        exclude_ids=newest_three,
        offset=more,
    )
    assert [r.object_id for r in choices] == [str(made[0].pk)]
    searched, _more = services.record_choices(
        actor=camp.community, campaign=camp.campaign, source_key="cases.closed", search="C-2"
    )
    assert [r.object_id for r in searched] == [str(made[1].pk)]


def test_link_picker_pages_past_linked_records_and_searches(client, camp, monkeypatch):
    from apps.campaigns.views import ledger as views

    monkeypatch.setattr(views, "PICK_PAGE", 2)
    made = cases(camp, 5)
    for case in made[2:]:  # the 3 newest are in the item's ledger already
        services.evidence_link(
            actor=camp.community,
            campaign=camp.campaign,
            item=item(camp, "2.2"),
            source="cases.closed",
            object_id=case.pk,
        )
    client.force_login(camp.community)
    url = reverse("campaigns:ledger_item", args=[camp.campaign.pk, item(camp, "2.2").pk])
    page = client.get(url, {"source": "cases.closed"})
    assert [r.object_id for r in page.context["records"]] == [str(made[1].pk), str(made[0].pk)]
    assert 'data-testid="more-records"' in page.content.decode()
    page = client.get(url, {"source": "cases.closed", "q": "C-1"})
    assert [r.object_id for r in page.context["records"]] == [str(made[0].pk)]
    assert client.get(url, {"source": "cases.closed", "from": "x"}).status_code == 200
    assert client.get(url, {"source": "cases.closed", "from": "9" * 40}).status_code == 200


# Uploads -------------------------------------------------------------------------------------


def stored_files(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_failed_upload_leaves_no_file(camp, tmp_path, monkeypatch):
    def upload(title="会议记录"):
        return services.evidence_upload(
            actor=camp.community,
            campaign=camp.campaign,
            item=item(camp, "1.1"),
            requirement=None,
            title=title,
            occurred_on=date(2026, 7, 1),
            upload=SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"),
        )

    with pytest.raises(Exception):  # noqa: B017 - the row refuses a 300-character title
        upload("长" * 300)
    assert stored_files(tmp_path) == [] and not EvidenceDocument.objects.exists()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EvidenceLink.objects, "create", broken)
    with pytest.raises(RuntimeError):
        upload()
    assert stored_files(tmp_path) == [] and not EvidenceDocument.objects.exists()


def test_task_upload_refuses_a_task_without_item(client, camp):
    task = Task.objects.create(
        campaign=camp.campaign, jurisdiction=camp.comm_a1, title="无小项的任务", assignee=camp.grid
    )
    client.force_login(camp.grid)
    url = reverse("campaigns:task_evidence_upload", args=[task.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    response = client.post(
        url,
        {
            "item": item(camp, "1.1").pk,
            "title": "随便哪个小项",
            "occurred_on": "2026-07-01",
            "file": SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302 and not EvidenceDocument.objects.exists()
