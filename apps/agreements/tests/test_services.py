"""Services of agreements: signing rules, refusal, the workflow's table, templates' versions,
generation, the expiry sweep and its reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.agreements.choices import AgreementStatus, JobStatus
from apps.agreements.models import Agreement, AgreementTemplate, GenerationJob
from apps.agreements.services.agreements import (
    agreement_cancel,
    agreement_refuse,
    agreement_sign,
    agreements_expire_and_remind,
)
from apps.agreements.services.generation import generation_start
from apps.agreements.services.templates import template_save
from apps.agreements.tests.factories import add_shops, agreements_of, generate, jpeg, pdf
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.workflow import InvalidTransition
from apps.notifications.models import Notification
from tests.builders import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def o(org):
    add_shops(org, org.comm_a1, 3)
    org.job = generate(org.street, "frontage3", org.comm_a1)
    org.rows = agreements_of(org.job)
    return org


def sign(actor, agreement, **extra):
    values = {
        "signatory_name": "赵六",
        "signatory_phone": "13900000003",
        "signed_on": TODAY(),
        "photos": [jpeg()],
        **extra,
    }
    return agreement_sign(actor=actor, agreement=agreement, **values)


def test_generation_fills_party_zone_term_and_numbers(o):
    assert o.job.status == JobStatus.SUCCEEDED
    assert (o.job.total, o.job.created_count, o.job.skipped_count) == (4, 4, 0)
    numbers = [a.number for a in o.rows]
    assert len(set(numbers)) == 4 and all(n.startswith(f"MQ3{o.job.starts_on.year}-") for n in numbers)
    first = o.rows[0]
    assert first.jurisdiction == o.comm_a1 and first.status == AgreementStatus.GENERATED and first.is_latest
    assert first.duties and first.ends_on > first.starts_on
    events = AuditEvent.objects.filter(action__startswith="agreements.generation").values_list("action", flat=True)
    assert sorted(events) == ["agreements.generation.finished", "agreements.generation.started"]


def test_generation_refused_outside_the_area_and_twice_at_once(o):
    with pytest.raises(DomainError):
        generation_start(
            actor=o.street_other, agreement_type=o.job.agreement_type, jurisdiction=o.comm_a1, starts_on=TODAY()
        )
    generation_start(actor=o.street, agreement_type=o.job.agreement_type, jurisdiction=o.comm_a2, starts_on=TODAY())
    with pytest.raises(DomainError, match="正在生成"):
        generation_start(actor=o.street, agreement_type=o.job.agreement_type, jurisdiction=o.comm_a2, starts_on=TODAY())
    with pytest.raises(PermissionDeniedForRole):
        generation_start(actor=o.leader, agreement_type=o.job.agreement_type, jurisdiction=o.comm_a1, starts_on=TODAY())


def test_sign_records_signatory_photo_and_masked_audit(o):
    signed = sign(o.community, o.rows[0], scan=pdf())
    assert signed.status == AgreementStatus.SIGNED and signed.signed_on == TODAY()
    assert signed.photos.count() == 1 and signed.scans.count() == 1
    event = AuditEvent.objects.get(action="agreements.agreement.sign")
    assert "赵六" not in str(event.data)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"signed_on": None}, "签订日期"),
        ({"signatory_name": " "}, "签订人"),
        ({"signatory_phone": "abc"}, "电话"),
        ({"photos": []}, "签字页"),
    ],
)
def test_sign_refuses_bad_input(o, extra, message):
    with pytest.raises(DomainError, match=message):
        sign(o.community, o.rows[0], **extra)


def test_sign_refuses_a_future_date(o):
    with pytest.raises(DomainError, match="不能晚于今天"):
        sign(o.community, o.rows[0], signed_on=TODAY() + timedelta(days=1))


def test_sign_refuses_a_document_that_is_not_a_pdf(o):
    with pytest.raises(DomainError):
        sign(o.community, o.rows[0], photos=[], scan=jpeg("x.pdf"))


def test_stale_version_and_roles(o):
    with pytest.raises(ConcurrentEdit):
        sign(o.community, o.rows[0], expected_version=o.rows[0].version + 1)
    with pytest.raises(PermissionDeniedForRole):
        sign(o.grid, o.rows[0])
    with pytest.raises(DomainError):  # another community: outside its scope
        sign(o.community_other, o.rows[0])


def test_a_unit_contact_signs_only_its_own_units_agreement(o):
    mine = o.rows[0]
    contact = make_user("t_shop", "unit_contact", unit=mine.party_unit)
    assert sign(contact, mine).status == AgreementStatus.SIGNED
    with pytest.raises(DomainError):
        sign(contact, o.rows[1])
    with pytest.raises(PermissionDeniedForRole):
        agreement_refuse(actor=contact, agreement=o.rows[1], reason="x")


def test_refuse_needs_a_reason_and_the_table_holds(o):
    with pytest.raises(DomainError, match="拒签原因"):
        agreement_refuse(actor=o.community, agreement=o.rows[0], reason=" ")
    refused = agreement_refuse(actor=o.community, agreement=o.rows[0], reason="门店要转让")
    assert refused.status == AgreementStatus.REFUSED and refused.refused_reason == "门店要转让"
    with pytest.raises(InvalidTransition):
        sign(o.community, refused)
    cancelled = agreement_cancel(actor=o.community, agreement=refused, note="重新发放")
    assert cancelled.status == AgreementStatus.CANCELLED
    assert Agreement.objects.filter(pk=refused.pk).exists()  # nothing deleted


def test_template_edit_in_place_until_used_then_a_new_version(o):
    template = AgreementTemplate.objects.get(agreement_type__code="frontage5")
    data = {"title": "门前五包责任书", "body": "{party}：{duties}", "duties": ["卫生", "绿化"], "term_months": 12}
    version = template_save(actor=o.admin, template=template, data=data, expected_version=template.version)
    assert version.number == 1  # unused: edited in place
    template.refresh_from_db()
    job = generate(o.street, "frontage5", o.comm_a1)
    assert job.template_version_id == version.pk
    new = template_save(
        actor=o.admin, template=template, data={**data, "body": "新正文 {party}"}, expected_version=template.version
    )
    assert new.number == 2 and template.versions.count() == 2
    old = Agreement.objects.filter(job=job).first()
    assert old.template_version.body == "{party}：{duties}"  # the old version stays as it was
    with pytest.raises(ConcurrentEdit):
        template_save(actor=o.admin, template=template, data=data, expected_version=1)
    with pytest.raises(DomainError, match="占位符"):
        template.refresh_from_db()
        template_save(actor=o.admin, template=template, data={**data, "body": "{who}"}, expected_version=None)
    with pytest.raises(PermissionDeniedForRole):
        template_save(actor=o.street, template=template, data=data, expected_version=None)
    # Templates serve every district: one district's office reads them, it does not rewrite them.
    with pytest.raises(PermissionDeniedForRole):
        template_save(actor=o.office, template=template, data=data, expected_version=None)


def test_expiry_sweep_marks_expired_and_reminds_the_issuing_desk(o):
    today = TODAY()
    ended, ending = sign(o.community, o.rows[0]), sign(o.community, o.rows[1])
    Agreement.objects.filter(pk=ended.pk).update(ends_on=today - timedelta(days=1))
    Agreement.objects.filter(pk=ending.pk).update(ends_on=today + timedelta(days=10))
    result = agreements_expire_and_remind(today=today)
    assert result == {"expired": 1, "reminded": 1}
    assert Agreement.objects.get(pk=ended.pk).status == AgreementStatus.EXPIRED
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"t_comm"}  # 甲一社区 issued them
    assert agreements_expire_and_remind(today=today) == {"expired": 0, "reminded": 0}  # once only


def test_a_stale_job_is_failed(o):
    job = GenerationJob.objects.create(
        agreement_type=o.job.agreement_type,
        template_version=o.job.template_version,
        jurisdiction=o.comm_a2,
        starts_on=TODAY(),
        ends_on=TODAY(),
        created_by=o.street,
        created_at=timezone.now() - timedelta(hours=3),
    )
    from apps.agreements.services.generation import fail_stale

    assert fail_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
