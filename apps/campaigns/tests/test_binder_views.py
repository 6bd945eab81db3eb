"""The binder pages: the list with its start form (areas limited to the user's scope), progress
polling, refusals shown as form errors, and the scoped download."""

import io
import zipfile

import pytest
from django.urls import reverse

from apps.campaigns.models import BinderExport
from apps.campaigns.tests.binder_helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(client, user):
    client.force_login(user)
    return client


def test_list_offers_only_areas_in_scope(camp, client):
    from apps.campaigns.tests.factories import make_campaign

    district = make_campaign(camp, camp.standard_version, camp.district, title="区创建国家卫生城市")
    response = _client(client, camp.street).get(reverse("campaigns:binder_list", args=[district.pk]))
    assert response.status_code == 200
    choices = [str(j) for j in response.context["form"].fields["jurisdiction"].queryset]
    names = {j.name for j in response.context["form"].fields["jurisdiction"].queryset}
    assert {"甲街道", "甲一社区", "甲二社区"} <= names
    assert not names & {"测试区", "乙街道", "乙一社区"}, choices


def test_start_redirects_to_progress_and_builds(camp, client, media, django_capture_on_commit_callbacks):
    upload(camp, camp.campaign, camp.std_item, camp.comm_a1, "领导小组成立文件")
    c = _client(client, camp.street)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("campaigns:binder_start", args=[camp.campaign.pk]), {"jurisdiction": camp.street_a.pk}
        )
    binder = BinderExport.objects.get(campaign=camp.campaign, created_by=camp.street)
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:binder_detail", args=[binder.pk])
    page = c.get(response["Location"])
    assert page.status_code == 200
    assert 'data-status="succeeded"' in page.content.decode()
    assert 'aria-valuenow="100"' in page.content.decode()
    assert "hx-get" not in page.content.decode()  # finished: no more polling
    listing = c.get(reverse("campaigns:binder_list", args=[camp.campaign.pk])).content.decode()
    assert reverse("campaigns:binder_download", args=[binder.pk]) in listing


def test_pending_binder_polls(camp, client):
    binder = BinderExport.objects.create(
        campaign=camp.campaign,
        jurisdiction=camp.street_a,
        created_by=camp.street,
        status="running",
        total=200,
        processed=50,
    )
    c = _client(client, camp.street)
    html = c.get(reverse("campaigns:binder_detail", args=[binder.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="binder-progress"') and "hx-get" in html
    assert 'aria-valuenow="25"' in html and "50 / 200" in html


def test_concurrent_start_shows_message(camp, client):
    BinderExport.objects.create(campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.office)
    c = _client(client, camp.street)
    response = c.post(reverse("campaigns:binder_start", args=[camp.campaign.pk]), {"jurisdiction": camp.street_a.pk})
    assert response.status_code == 400
    assert "正在生成" in response.content.decode()
    assert BinderExport.objects.count() == 1


def test_start_refuses_area_outside_scope(camp, client):
    c = _client(client, camp.community)
    response = c.post(reverse("campaigns:binder_start", args=[camp.campaign.pk]), {"jurisdiction": camp.comm_a2.pk})
    assert response.status_code == 400
    assert not BinderExport.objects.exists()
    response = c.post(reverse("campaigns:binder_start", args=[camp.campaign.pk]), {"jurisdiction": "abc"})
    assert response.status_code == 400


def test_leader_reads_but_has_no_form(camp, client):
    response = _client(client, camp.leader).get(reverse("campaigns:binder_list", args=[camp.campaign.pk]))
    assert response.status_code == 200 and response.context["form"] is None
    assert 'data-testid="binder-form"' not in response.content.decode()


def test_download_is_scoped_and_named(camp, client, media, django_capture_on_commit_callbacks):
    upload(camp, camp.campaign, camp.std_item, camp.comm_a1, "领导小组成立文件")
    with django_capture_on_commit_callbacks(execute=True):
        from apps.campaigns.services.binder import binder_start

        binder = binder_start(actor=camp.community, campaign=camp.campaign, jurisdiction=camp.comm_a1)
    url = reverse("campaigns:binder_download", args=[binder.pk])
    response = _client(client, camp.community).get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and ".zip" in disposition
    assert "%E5%8F%B0%E8%B4%A6-" in disposition  # 台账- (RFC 5987)
    content = b"".join(response.streaming_content)
    assert any("领导小组成立文件" in n for n in zipfile.ZipFile(io.BytesIO(content)).namelist())
    client.logout()
    assert _client(client, camp.community_other).get(url).status_code == 404  # 甲二社区: not theirs
    client.logout()
    assert _client(client, camp.street).get(url).status_code == 200  # the street above sees it
    client.logout()
    assert _client(client, camp.grid).get(url).status_code == 403


def test_unfinished_binder_has_no_download(camp, client):
    binder = BinderExport.objects.create(campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.street)
    assert _client(client, camp.street).get(reverse("campaigns:binder_download", args=[binder.pk])).status_code == 404
