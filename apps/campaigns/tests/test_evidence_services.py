"""Rules, sync, manual links, uploads and superseding of the evidence ledger."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.campaigns.demo_ledger import pdf_bytes, png_bytes
from apps.campaigns.models import EvidenceDocument, EvidenceLink, EvidenceRule
from apps.campaigns.selectors.ledger import item_readiness, ledger, readiness_summary
from apps.campaigns.services import evidence as services
from apps.campaigns.services.evidence_sync import evidence_sync
from apps.campaigns.tests.world_ledger import closed_case
from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.models import AuditEvent
from apps.documents.uploads import DocumentRefused, check_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="记录.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def item(camp, code):
    return camp.standard_version.items_by_code[code]


# Uploads -------------------------------------------------------------------------------------


def test_check_document_by_content():
    assert check_document(pdf()) == "application/pdf"
    assert check_document(SimpleUploadedFile("a.png", png_bytes())) == "image/png"
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    assert check_document(SimpleUploadedFile("x.docx", buffer.getvalue())).endswith("wordprocessingml.document")
    assert check_document(SimpleUploadedFile("x.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 500))
    with pytest.raises(DocumentRefused, match="只能上传"):
        check_document(SimpleUploadedFile("evil.pdf", b"<html>not a pdf</html>"))
    with pytest.raises(DocumentRefused, match="只能上传"):  # a zip that is no Office file
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.txt", "x")
        check_document(SimpleUploadedFile("x.docx", buffer.getvalue()))


def test_too_big_is_refused(settings):
    settings.CHUANGWEI_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(DocumentRefused, match="文件过大"):
        check_document(pdf())


def test_png_bomb_is_refused_from_its_header():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    with pytest.raises(DocumentRefused, match=r"像素|尺寸"):
        check_document(SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_upload_stores_document_and_link(camp):
    document = services.evidence_upload(
        actor=camp.community,
        campaign=camp.campaign,
        item=item(camp, "1.1"),
        requirement=item(camp, "1.1").requirements.get(),
        title="成立文件",
        occurred_on=date(2026, 6, 2),
        upload=pdf(),
    )
    assert document.jurisdiction == camp.comm_a1  # the community's own area
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    assert document.original_name == "记录.pdf"
    link = EvidenceLink.objects.get(document=document)
    assert (link.source, link.kind, link.jurisdiction_path) == ("campaigns.upload", "upload", camp.comm_a1.path)
    assert AuditEvent.objects.filter(action="campaigns.evidencedocument.uploaded").count() == 1
    assert item_readiness(campaign=camp.campaign, item_ids=[item(camp, "1.1").pk])[item(camp, "1.1").pk].ready


def test_upload_of_bad_type_stores_nothing(camp):
    with pytest.raises(DomainError, match="只能上传"):
        services.evidence_upload(
            actor=camp.community,
            campaign=camp.campaign,
            item=item(camp, "1.1"),
            requirement=None,
            title="x",
            occurred_on=date(2026, 6, 2),
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not EvidenceDocument.objects.exists() and not EvidenceLink.objects.exists()


def test_upload_outside_area_and_by_readers_is_refused(camp):
    for actor in (camp.community_b, camp.leader):
        with pytest.raises(DomainError):
            services.evidence_upload(
                actor=actor,
                campaign=camp.campaign,
                item=item(camp, "1.1"),
                requirement=None,
                title="x",
                occurred_on=date(2026, 6, 2),
                upload=pdf(),
            )


def test_grid_uploads_only_for_their_own_task(camp):
    camp.task.assignee = camp.grid
    camp.task.save()
    document = services.evidence_upload(
        actor=camp.grid,
        campaign=camp.campaign,
        item=camp.task.item,
        requirement=None,
        task=camp.task,
        title="照片",
        occurred_on=date(2026, 6, 2),
        upload=SimpleUploadedFile("a.png", png_bytes()),
    )
    assert document.jurisdiction == camp.task.jurisdiction
    with pytest.raises(OutsideJurisdiction):
        services.evidence_upload(
            actor=camp.grid,
            campaign=camp.campaign,
            item=camp.task.item,
            requirement=None,
            title="照片",
            occurred_on=date(2026, 6, 2),
            upload=pdf(),
        )


def test_supersede_keeps_history(camp):
    old = services.evidence_upload(
        actor=camp.community,
        campaign=camp.campaign,
        item=item(camp, "1.1"),
        requirement=None,
        title="v1",
        occurred_on=date(2026, 6, 2),
        upload=pdf(),
    )
    new = services.document_supersede(actor=camp.community, document=old, upload=pdf("v2.pdf"), title="v2")
    old.refresh_from_db()
    assert not old.is_current and new.is_current and new.supersedes == old
    assert old.file.storage.exists(old.file.name)  # nothing deleted
    link = EvidenceLink.objects.get(campaign=camp.campaign, source="campaigns.upload")
    assert link.document == new and link.title == "v2"
    with pytest.raises(DomainError):
        services.document_supersede(actor=camp.community, document=old, upload=pdf())


# Rules and sync ------------------------------------------------------------------------------


def test_rules_from_standard_and_sync_is_idempotent(camp):
    created = services.evidence_rules_from_standard(campaign=camp.campaign, actor=camp.office)
    assert created == 2  # 2.1 -> inspections.sheet, 2.2 -> cases.closed
    assert services.evidence_rules_from_standard(campaign=camp.campaign, actor=camp.office) == 0
    inside = closed_case(camp, "C-1", date(2026, 7, 1))
    closed_case(camp, "C-2", date(2026, 5, 1))  # before the campaign
    closed_case(camp, "C-3", date(2026, 7, 1), jurisdiction=camp.comm_b1)  # other street
    assert evidence_sync(camp.campaign) == 1
    link = EvidenceLink.objects.get(source="cases.closed")
    assert link.object_id == str(inside.pk) and link.kind == "rule" and link.requirement.name == "结案案件"
    assert evidence_sync(camp.campaign) == 0
    rule = EvidenceRule.objects.get(source="cases.closed")
    assert rule.synced_at is not None
    events = AuditEvent.objects.filter(action="campaigns.evidencerule.synced", object_id=str(rule.pk))
    assert [e.data["added"] for e in events.order_by("id")] == [1, 0]


def test_unlinked_stays_unlinked_and_can_be_relinked(camp):
    services.evidence_rules_from_standard(campaign=camp.campaign, actor=camp.office)
    case = closed_case(camp, "C-1", date(2026, 7, 1))
    evidence_sync(camp.campaign)
    link = EvidenceLink.objects.get(source="cases.closed")
    services.evidence_unlink(actor=camp.community, link=link)
    evidence_sync(camp.campaign)
    link.refresh_from_db()
    assert not link.is_active
    assert AuditEvent.objects.filter(action="campaigns.evidencelink.unlinked").count() == 1
    relinked = services.evidence_link(
        actor=camp.community, campaign=camp.campaign, item=link.item, source="cases.closed", object_id=str(case.pk)
    )
    assert relinked.pk == link.pk and relinked.is_active and relinked.kind == "linked"


def test_manual_link_only_inside_the_actors_area(camp):
    case_a2 = closed_case(camp, "C-2", date(2026, 7, 1), jurisdiction=camp.comm_a2)
    with pytest.raises(DomainError, match="找不到"):
        services.evidence_link(
            actor=camp.community,
            campaign=camp.campaign,
            item=item(camp, "2.2"),
            source="cases.closed",
            object_id=str(case_a2.pk),
        )
    link = services.evidence_link(
        actor=camp.street,
        campaign=camp.campaign,
        item=item(camp, "2.2"),
        source="cases.closed",
        object_id=str(case_a2.pk),
    )
    assert link.jurisdiction_path == camp.comm_a2.path
    with pytest.raises(OutsideJurisdiction):
        services.evidence_unlink(actor=camp.community, link=link)


def test_rule_validation(camp):
    with pytest.raises(DomainError, match="未知的数据来源"):
        services.rule_create(actor=camp.office, campaign=camp.campaign, item=item(camp, "2.2"), source="nope")
    with pytest.raises(DomainError, match="类别"):
        services.rule_create(
            actor=camp.office, campaign=camp.campaign, item=item(camp, "2.2"), source="cases.closed", category="zzz"
        )
    rule = services.rule_create(
        actor=camp.street, campaign=camp.campaign, item=item(camp, "2.2"), source="cases.closed"
    )
    assert rule.starts_on is None  # the campaign's period applies
    services.rule_update(actor=camp.street, rule=rule, is_active=False)  # what the rules page does
    rule.refresh_from_db()
    assert not rule.is_active
    with pytest.raises(DomainError):  # a community does not manage its street's campaign
        services.rule_create(
            actor=camp.community, campaign=camp.campaign, item=item(camp, "2.2"), source="cases.closed"
        )


def test_community_reads_only_its_area(camp):
    for area, code in ((camp.comm_a1, "C-1"), (camp.comm_a2, "C-2")):
        case = closed_case(camp, code, date(2026, 7, 1), jurisdiction=area)
        services.evidence_link(
            actor=camp.street,
            campaign=camp.campaign,
            item=item(camp, "1.1"),
            source="cases.closed",
            object_id=str(case.pk),
        )
    whole = readiness_summary(campaign=camp.campaign)
    assert whole["items"][item(camp, "1.1").pk].total == 2
    mine = ledger(campaign=camp.campaign, jurisdiction_path=camp.comm_a1.path)
    # only 1.1 has a task in 甲一社区
    assert [row.item.code for row in mine["rows"]] == ["1.1"]
    assert mine["rows"][0].readiness.total == 1
    # filed against no requirement: 1.1 still lacks its 领导小组成立文件
    assert (mine["campaign"].ready, mine["campaign"].total) == (0, 1)
    assert [(m.name, m.short) for m in mine["rows"][0].readiness.missing] == [("领导小组成立文件", 1)]
