"""Mock assessment pages."""

from datetime import date

import pytest
from django.urls import reverse

from apps.campaigns.models import MockAssessment, Task
from apps.campaigns.services.mock import mock_create

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"campaigns:{name}", args=args)


def test_community_cannot_create_and_other_street_gets_404(client, camp):
    client.force_login(camp.community)
    assert client.get(url("mock_create", camp.campaign.pk)).status_code == 403
    data = {"conducted_on": "2026-10-01", "jurisdiction": camp.comm_a1.pk, "sample_size": 3}
    assert client.post(url("mock_create", camp.campaign.pk), data).status_code == 403
    assert client.get(url("mock_list", camp.campaign.pk)).status_code == 200
    mock = mock_create(
        actor=camp.street, campaign=camp.campaign, jurisdiction=camp.comm_a1, conducted_on=date(2026, 10, 1), seed=1
    )
    assert client.get(url("mock_detail", mock.pk)).status_code == 200  # its own community reads it
    assert "mock-form" not in client.get(url("mock_detail", mock.pk)).content.decode()
    client.force_login(camp.street_other)
    assert client.get(url("mock_detail", mock.pk)).status_code == 404
    assert client.post(url("mock_submit", mock.pk)).status_code == 404


def test_street_runs_a_mock(client, camp):
    items = camp.standard_version.items_by_code
    client.force_login(camp.street)
    response = client.post(
        url("mock_create", camp.campaign.pk),
        {"conducted_on": "2026-10-01", "jurisdiction": camp.street_a.pk, "sample_size": 4},
    )
    mock = MockAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == url("mock_detail", mock.pk)
    assert len(mock.sample) == 4
    for version, (code, data) in enumerate(
        [("1.1", {"result": "met"}), ("2.1", {"result": "partly", "score": "4"}), ("2.2", {"result": "unmet"})], start=1
    ):
        response = client.post(url("mock_score", mock.pk, items[code].pk), {**data, "version": version})
        assert response.status_code == 302
    stale = client.post(url("mock_score", mock.pk, items["1.2"].pk), {"result": "met", "version": 1}, follow=True)
    assert "该记录已被他人修改" in stale.content.decode()
    page = client.get(url("mock_detail", mock.pk)).content.decode()
    assert "4/16" in page  # 4 + 0 of 10 + 6, live
    assert page.index('data-item="2.2"', page.index('data-testid="weakest"')) < page.index(
        'data-item="2.1"', page.index('data-testid="weakest"')
    )  # both lose 6: 2.2 (ratio 0) before 2.1 (ratio 0.4)
    response = client.post(url("mock_tasks", mock.pk), {"count": 2, "deadline": "2026-11-01"})
    assert Task.objects.filter(origin="mock").count() == 2
    response = client.post(url("mock_submit", mock.pk), {"version": 4})
    mock.refresh_from_db()
    assert mock.status == "submitted" and str(mock.projected_score) == "4.0"
    page = client.get(url("mock_detail", mock.pk)).content.decode()
    assert 'data-testid="frozen"' in page and "mock-form" not in page
    listing = client.get(url("mock_list", camp.campaign.pk), {"status": "submitted"}).content.decode()
    assert "4/16" in listing
    assert client.get(url("mock_list", camp.campaign.pk), {"status": "bogus"}).status_code == 400
