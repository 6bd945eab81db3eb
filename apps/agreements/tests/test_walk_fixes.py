"""Findings of the browser walk of the agreement pages: the coverage page's 应签 counts and the
full list of parties lacking one, the job link on an agreement, who may cancel a target letter,
and the job's message in English."""

import pytest
from django.urls import reverse

from apps.agreements.choices import AgreementStatus
from apps.agreements.services.agreements import agreement_cancel
from apps.agreements.tests.factories import add_shops, agreements_of, generate
from apps.agreements.workflow import AGREEMENT_WORKFLOW
from apps.core.exceptions import DomainError, PermissionDeniedForRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(org):
    """The street's target letter to 甲一社区 (a street-level job)."""
    job = generate(org.street, "target", org.street_a)
    org.target_job = job
    return next(a for a in agreements_of(job) if a.party_jurisdiction_id == org.comm_a1.pk)


def test_required_counts_are_plain_text_and_every_lacking_party_is_listed(client, org):
    add_shops(org, org.comm_a1, 23)
    client.force_login(org.street)
    page = client.get(reverse("agreements:coverage"), {"jurisdiction": org.street_a.pk})
    html = page.content.decode()
    required = page.context["result"].totals["frontage3"].required
    assert required > 20
    total = html.split('data-testid="coverage-total"', 1)[1]
    cell = total.split('data-testid="required-frontage3"', 1)[1].split("</td>", 1)[0]
    assert "<a" not in cell and str(required) in cell
    assert 'data-testid="lacking-all-frontage3"' in html
    full = client.get(reverse("agreements:coverage_lacking"), {"jurisdiction": org.street_a.pk, "type": "frontage3"})
    assert full.status_code == 200
    assert full.content.decode().count('data-testid="lacking-party"') == required
    assert full.context["blocks"][0]["count"] == required


def test_lacking_page_of_another_area_is_404_and_of_an_unknown_type_404(client, org):
    client.force_login(org.community)
    outside = client.get(reverse("agreements:coverage_lacking"), {"jurisdiction": org.street_a.pk, "type": "frontage3"})
    assert outside.status_code == 404
    unknown = client.get(reverse("agreements:coverage_lacking"), {"type": "nope"})
    assert unknown.status_code == 404


def test_job_link_only_for_who_may_open_the_job(client, org, letter):
    client.force_login(org.community)
    page = client.get(letter.get_absolute_url())
    assert page.status_code == 200
    assert client.get(org.target_job.get_absolute_url()).status_code == 404
    assert org.target_job.get_absolute_url() not in page.content.decode()
    client.force_login(org.street)
    assert org.target_job.get_absolute_url() in client.get(letter.get_absolute_url()).content.decode()


def test_the_party_of_a_target_letter_may_sign_or_refuse_but_not_cancel(client, org, letter):
    assert AGREEMENT_WORKFLOW.may("sign", letter, org.community)
    assert AGREEMENT_WORKFLOW.may("refuse", letter, org.community)
    assert not AGREEMENT_WORKFLOW.may("cancel", letter, org.community)
    client.force_login(org.community)
    assert b'data-testid="step-cancel"' not in client.get(letter.get_absolute_url()).content
    with pytest.raises((PermissionDeniedForRole, DomainError)):
        agreement_cancel(actor=org.community, agreement=letter)
    letter.refresh_from_db()
    assert letter.status == AgreementStatus.GENERATED
    assert AGREEMENT_WORKFLOW.may("cancel", letter, org.street)
    assert agreement_cancel(actor=org.street, agreement=letter).status == AgreementStatus.CANCELLED


def test_job_message_follows_the_language(client, org, letter):
    client.force_login(org.street)
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(org.target_job.get_absolute_url()).content.decode()
    job = org.target_job
    assert f"{job.created_count} generated" in html
    assert "已生成" not in html
