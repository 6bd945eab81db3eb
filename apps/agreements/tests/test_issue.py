"""One agreement issued to one party on request (签发一份): the service's rules (the same as bulk
generation's), the page, its scope and its audit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.agreements.choices import AgreementStatus
from apps.agreements.coverage import area_coverage
from apps.agreements.models import Agreement
from apps.agreements.services.agreements import agreement_cancel
from apps.agreements.services.generation import agreement_issue
from apps.agreements.tests.factories import atype, generate
from apps.core.exceptions import DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "agreements:agreement_issue"


def _issue(o, actor=None, **extra):
    values = {
        "agreement_type": atype("pledge"),
        "issuer": o.street_a,
        "party_unit": o.unit_a1b,
        "starts_on": timezone.localdate(),
        **extra,
    }
    return agreement_issue(actor=actor or o.street, **values)


def test_a_pledge_for_one_catering_unit_counts_on_request(org):
    agreement = _issue(org)
    assert agreement.status == AgreementStatus.GENERATED and agreement.is_latest
    assert agreement.party_path == org.comm_a1.path and agreement.jurisdiction == org.street_a
    assert agreement.duties and agreement.ends_on > agreement.starts_on  # the template's duties and term
    event = AuditEvent.objects.get(action="agreements.agreement.issued")
    assert event.data["party_name"] == "甲一面馆"
    cell = area_coverage(org.comm_a1, by_child=False).totals["pledge"]
    assert (cell.required, cell.pending, cell.signed) == (1, 1, 0)


def test_issue_refuses_a_second_current_one_and_renews_a_cancelled_one(org):
    first = _issue(org)
    with pytest.raises(DomainError, match="已有一份"):
        _issue(org)
    agreement_cancel(actor=org.street, agreement=first)
    second = _issue(org)
    assert second.renews_id == first.pk
    assert Agreement.objects.get(pk=first.pk).is_latest is False
    assert Agreement.objects.filter(party_unit=org.unit_a1b, is_latest=True).count() == 1


def test_issue_rules(org):
    with pytest.raises(DomainError, match="不适用"):
        _issue(org, party_unit=org.unit_a2)  # a shop cannot sign a catering pledge
    with pytest.raises(DomainError, match="不在发放辖区"):
        _issue(org, issuer=org.comm_a2)
    with pytest.raises(OutsideJurisdiction):
        _issue(org, actor=org.street_other)
    with pytest.raises(PermissionDeniedForRole):
        _issue(org, actor=org.leader)
    with pytest.raises(DomainError, match="期限止"):
        _issue(org, ends_on=timezone.localdate().replace(year=2000))
    with pytest.raises(DomainError, match="只能与单位"):
        _issue(org, party_unit=None, party_jurisdiction=org.comm_a1)


def test_a_target_letter_to_one_child_has_the_issuers_letter_as_parent(org):
    district_job = generate(org.office, "target", org.district, starts_on=timezone.localdate())
    street_letter = Agreement.objects.get(job=district_job, party_jurisdiction=org.street_a)
    letter = _issue(org, agreement_type=atype("target"), party_unit=None, party_jurisdiction=org.comm_a2)
    assert letter.parent_id == street_letter.pk and letter.party_path == org.comm_a2.path
    with pytest.raises(DomainError, match="上一级"):
        _issue(
            org,
            actor=org.office,
            agreement_type=atype("target"),
            issuer=org.district,
            party_unit=None,
            party_jurisdiction=org.comm_a1,
        )


def test_issue_page(client, org):
    client.force_login(org.street)
    picker = client.get(reverse(URL), {"q": "面馆"})
    assert picker.status_code == 200 and "甲一面馆" in picker.content.decode()
    page = client.get(reverse(URL), {"unit": org.unit_a1b.pk})
    assert page.status_code == 200
    assert [t.code for t in page.context["form"].fields["agreement_type"].queryset] == [
        "frontage3",
        "frontage5",
        "pledge",
    ]
    data = {
        "unit": org.unit_a1b.pk,
        "agreement_type": atype("pledge").pk,
        "issuer": org.street_a.pk,
        "starts_on": timezone.localdate().isoformat(),
    }
    response = client.post(reverse(URL), data)
    agreement = Agreement.objects.get(party_unit=org.unit_a1b, agreement_type__code="pledge")
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    again = client.post(reverse(URL), data)
    assert again.status_code == 400 and "已有一份" in again.content.decode()
    bad = client.post(reverse(URL), {**data, "starts_on": "2026-02-30"})
    assert bad.status_code == 400
    assert Agreement.objects.filter(party_unit=org.unit_a1b).count() == 1


def test_issue_page_scope_and_bad_ids(client, org):
    client.force_login(org.street_other)
    assert client.get(reverse(URL), {"unit": org.unit_a1b.pk}).status_code == 404
    assert client.get(reverse(URL), {"unit": "abc"}).status_code == 404
    assert client.get(reverse(URL), {"party": 999999}).status_code == 404
    client.force_login(org.grid)
    assert client.get(reverse(URL), {"unit": org.unit_a1b.pk}).status_code == 403


def test_an_issued_frontage_agreement_prints_party_zone_duties_and_term(client, org, tmp_path, settings):
    """The .docx and the 责任公示牌 opened with python-docx: party, the unit's 门前三包 zone, the
    duties and the term are printed; the signatory only masked."""
    from datetime import date
    from io import BytesIO

    from docx import Document

    from apps.agreements.services.agreements import agreement_sign
    from apps.agreements.tests.factories import jpeg
    from apps.documents.docx import chinese_date
    from apps.organization.services import zone_create

    settings.MEDIA_ROOT = tmp_path
    zone_create(
        actor=None,
        name="甲一面馆门前",
        kind="frontage3",
        jurisdiction=org.comm_a1,
        holder_unit=org.unit_a1b,
        starts_on=date(2026, 1, 1),
    )
    agreement = _issue(org, agreement_type=atype("frontage3"))
    assert agreement.zone.name == "甲一面馆门前"
    agreement = agreement_sign(
        actor=org.community,
        agreement=agreement,
        signatory_name="孙七",
        signatory_phone="13912345678",
        signed_on=timezone.localdate(),
        photos=[jpeg()],
    )

    def text(response):
        document = Document(BytesIO(response.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    client.force_login(org.street)
    printed = text(client.get(reverse("agreements:agreement_docx", args=[agreement.pk])))
    board = text(client.get(reverse("agreements:agreement_board", args=[agreement.pk])))
    for document in (printed, board):
        assert "甲一面馆" in document and "甲一面馆门前" in document and agreement.number in document
        assert agreement.duty_list[0] in document
        assert "孙七" not in document and "13912345678" not in document
    assert chinese_date(agreement.starts_on) in printed and chinese_date(agreement.ends_on) in printed
    assert str(agreement.ends_on) in board
