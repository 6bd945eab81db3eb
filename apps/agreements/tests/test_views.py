"""Pages and API of agreements: the coverage page and its links, the list's filters and export, the
detail's links, the phone signing form, the printed documents and the generation job page."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from apps.agreements.models import Agreement, AgreementType, GenerationJob
from apps.agreements.tests.factories import add_shops, agreements_of, generate, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    add_shops(org, org.comm_a1, 2)
    org.job = generate(org.street, "frontage3", org.comm_a1)
    org.rows = agreements_of(org.job)
    return org


def _text(response) -> str:
    document = Document(BytesIO(response.content))
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_sign_on_the_phone_changes_the_coverage_page(client, o):
    client.force_login(o.street)
    page = client.get(reverse("agreements:coverage"), {"jurisdiction": o.street_a.pk})
    assert page.status_code == 200
    assert page.context["result"].totals["frontage3"].signed == 0
    agreement = o.rows[0]
    client.force_login(o.community)
    form = client.get(reverse("agreements:agreement_sign", args=[agreement.pk]))
    assert b'capture="environment"' in form.content
    response = client.post(
        reverse("agreements:agreement_sign", args=[agreement.pk]),
        {
            "signatory_name": "孙七",
            "signatory_phone": "13900000004",
            "signed_on": timezone.localdate().isoformat(),
            "photos": jpeg(),
            "version": agreement.version,
        },
    )
    assert response.status_code == 302
    client.force_login(o.street)
    page = client.get(reverse("agreements:coverage"), {"jurisdiction": o.street_a.pk})
    cell = page.context["result"].totals["frontage3"]
    assert (cell.required, cell.signed) == (4, 1)
    signed_link = f"jurisdiction={o.comm_a1.pk}&amp;type=frontage3&amp;standing=signed"
    assert signed_link in page.content.decode()
    listed = client.get(
        reverse("agreements:agreement_list"), {"jurisdiction": o.comm_a1.pk, "type": "frontage3", "standing": "signed"}
    )
    assert [a.pk for a in listed.context["rows"]] == [agreement.pk]
    assert "孙七" not in listed.content.decode()  # masked in lists


def test_sign_refuses_a_future_date_with_a_message(client, o):
    client.force_login(o.community)
    agreement = o.rows[0]
    response = client.post(
        reverse("agreements:agreement_sign", args=[agreement.pk]),
        {"signatory_name": "孙七", "signed_on": "2999-01-01", "photos": jpeg(), "version": agreement.version},
    )
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()


def test_list_refuses_unknown_filters(client, o):
    client.force_login(o.street)
    assert client.get(reverse("agreements:agreement_list"), {"standing": "nope"}).status_code == 400
    assert client.get(reverse("agreements:agreement_list"), {"start": "2026-02-30"}).status_code == 400
    ok = client.get(
        reverse("agreements:agreement_list"), {"jurisdiction": o.comm_a1.pk, "start": "2020-01-01", "end": "2040-01-01"}
    )
    assert ok.status_code == 200 and len(ok.context["rows"]) == 3


def test_detail_links_zone_cases_and_inspections(client, o):
    client.force_login(o.community)
    agreement = o.rows[0]
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert reverse("cases:case_list") + f"?unit={agreement.party_unit_id}" in page
    assert reverse("inspections:inspection_list") + "?q=" in page
    assert 'data-testid="step-sign"' in page and 'data-testid="step-refuse"' in page


def test_documents_print(client, o):
    client.force_login(o.street)
    agreement = o.rows[0]
    one = client.get(reverse("agreements:agreement_docx", args=[agreement.pk]))
    text = _text(one)
    assert agreement.number in text and agreement.party_name in text and "包卫生" in text
    batch = client.get(reverse("agreements:job_docx", args=[o.job.pk]))
    assert all(a.party_name in _text(batch) for a in o.rows)
    board = client.get(reverse("agreements:agreement_board", args=[agreement.pk]))
    assert "责任公示牌" in _text(board) and agreement.number in _text(board)


def test_job_start_runs_and_the_page_polls(client, o, django_capture_on_commit_callbacks):
    client.force_login(o.street)
    partner = AgreementType.objects.get(code="target")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreements:job_start"),
            {
                "agreement_type": partner.pk,
                "jurisdiction": o.street_a.pk,
                "starts_on": timezone.localdate().isoformat(),
            },
        )
    job = GenerationJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "succeeded" and job.created_count == 2
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b"job-progress" in partial.content and b"<html" not in partial.content


def test_export_masks_the_signatory(client, o):
    from apps.agreements.services.agreements import agreement_sign

    agreement_sign(
        actor=o.community,
        agreement=o.rows[0],
        signatory_name="周八",
        signatory_phone="13912345678",
        signed_on=timezone.localdate(),
        photos=[jpeg()],
    )
    client.force_login(o.street)
    response = client.get(reverse("agreements:agreement_list"), {"export": "xlsx"})
    assert response.status_code in (200, 302)


def test_api_lists_scoped_and_masked(client, o):
    from apps.agreements.services.agreements import agreement_sign

    agreement_sign(
        actor=o.community,
        agreement=o.rows[0],
        signatory_name="周八",
        signatory_phone="13912345678",
        signed_on=timezone.localdate(),
        photos=[jpeg()],
    )
    client.force_login(o.leader)
    data = client.get("/api/v1/agreements/", {"standing": "signed"}).json()
    assert data["count"] == 1 and data["results"][0]["signatory_phone"] != "13912345678"
    client.force_login(o.community_b)
    assert client.get("/api/v1/agreements/").json()["count"] == 0
    assert client.get(f"/api/v1/agreements/{o.rows[0].pk}/").status_code == 404
    assert client.get("/api/v1/agreements/", {"standing": "bad"}).status_code == 400


def test_template_edit_makes_a_version_when_in_use(client, o):
    template = o.job.template_version.template
    client.force_login(o.office)  # reads the templates of every district: no edit button, no form
    assert (
        'data-testid="template-edit"'
        not in client.get(reverse("agreements:template_detail", args=[template.pk])).content.decode()
    )
    assert client.get(reverse("agreements:template_edit", args=[template.pk])).status_code == 403
    client.force_login(o.admin)
    assert (
        'data-testid="template-edit"'
        in client.get(reverse("agreements:template_detail", args=[template.pk])).content.decode()
    )
    page = client.get(reverse("agreements:template_edit", args=[template.pk]))
    assert 'data-testid="new-version-note"' in page.content.decode()
    response = client.post(
        reverse("agreements:template_edit", args=[template.pk]),
        {
            "title": "门前三包责任书",
            "body": "{party} {duties}",
            "duties": "包卫生\n包秩序",
            "term_months": 12,
            "version": template.version,
        },
    )
    assert response.status_code == 302
    assert template.versions.count() == 2
    assert Agreement.objects.filter(job=o.job, template_version__number=1).count() == 3
    old = client.get(reverse("agreements:template_version", args=[template.pk, 1]))
    assert old.status_code == 200


def test_coverage_of_another_jurisdiction_is_404_and_bad_values_400(client, o):
    client.force_login(o.community)
    url = reverse("agreements:coverage")
    assert client.get(url, {"jurisdiction": o.comm_b1.pk}).status_code == 404
    assert client.get(url, {"jurisdiction": o.street_a.pk}).status_code == 404  # above its own area
    assert client.get(url, {"jurisdiction": 999999}).status_code == 404
    assert client.get(url, {"jurisdiction": "abc"}).status_code == 400
    assert client.get(url, {"as_of": "2026-13-01"}).status_code == 400
    assert client.get(url, {"jurisdiction": o.comm_a1.pk}).status_code == 200


def test_overlapping_generations_of_a_type_are_refused(o):
    """A street's job and its community's job of the same type would write the same parties."""
    from apps.agreements.services.generation import JobAlreadyRunning, generation_start

    kind = AgreementType.objects.get(code="partner")
    generation_start(actor=o.street, agreement_type=kind, jurisdiction=o.street_a, starts_on=timezone.localdate())
    with pytest.raises(JobAlreadyRunning, match="甲街道"):
        generation_start(actor=o.community, agreement_type=kind, jurisdiction=o.comm_a1, starts_on=timezone.localdate())


def test_a_job_that_meets_an_agreement_written_meanwhile_fails_cleanly_and_keeps_nothing_half(o, monkeypatch):
    from apps.agreements.services import generation

    job = generation.generation_start(
        actor=o.street, agreement_type=o.job.agreement_type, jurisdiction=o.comm_a1, starts_on=timezone.localdate()
    )
    monkeypatch.setattr(generation, "_latest_by_party", lambda *args: {})  # as if written after it was read
    before = Agreement.objects.count()
    generation.generation_run(job.pk)  # no exception: the job records why it stopped
    job.refresh_from_db()
    assert job.status == "failed" and "重新发起" in job.message
    assert Agreement.objects.count() == before
    assert Agreement.objects.filter(is_latest=True, party_unit__isnull=False).count() == 3


def test_step_pages_not_offered_by_the_table_send_back_with_a_message(client, o):
    agreement = o.rows[0]  # 待签订: cannot be renewed
    client.force_login(o.street)
    response = client.get(reverse("agreements:agreement_renew", args=[agreement.pk]))
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    posted = client.post(
        reverse("agreements:agreement_renew", args=[agreement.pk]),
        {"starts_on": "2030-01-01", "ends_on": "2031-01-01", "version": agreement.version},
    )
    assert posted.status_code == 400 and "不能" in posted.content.decode()
    from tests.builders import make_user

    contact = make_user("t_shop_r", "unit_contact", unit=agreement.party_unit)
    client.force_login(contact)  # a unit contact signs its own, but does not record refusals
    response = client.get(reverse("agreements:agreement_refuse", args=[agreement.pk]))
    assert response.status_code == 302


def test_renewal_term_is_bounded(o):
    from apps.agreements.services.agreements import agreement_refuse, agreement_renew
    from apps.core.exceptions import DomainError

    refused = agreement_refuse(actor=o.community, agreement=o.rows[0], reason="不同意")
    with pytest.raises(DomainError, match="10 年"):
        agreement_renew(
            actor=o.street,
            agreement=refused,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate().replace(year=timezone.localdate().year + 50),
        )


def test_a_unit_contact_is_not_shown_a_link_to_the_letter_above_it(client, org, tmp_path, settings):
    """A stall's target letter has the community's letter as parent, which its contact may not open."""
    from apps.organization.models import UnitType
    from apps.organization.services import unit_create
    from tests.builders import make_user

    settings.MEDIA_ROOT = tmp_path
    stall = unit_create(
        actor=None, unit_type=UnitType.objects.get(code="stall"), name="甲一摊位", jurisdiction=org.comm_a1
    )
    generate(org.street, "target", org.street_a)
    job = generate(org.community, "target", org.comm_a1)
    letter = Agreement.objects.get(job=job, party_unit=stall)
    assert letter.parent_id
    client.force_login(make_user("t_stall", "unit_contact", unit=stall))
    page = client.get(reverse("agreements:agreement_detail", args=[letter.pk])).content.decode()
    assert 'data-testid="parent-link"' not in page
    assert client.get(reverse("agreements:agreement_detail", args=[letter.parent_id])).status_code == 404
