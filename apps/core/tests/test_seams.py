"""Issue 9 review: errors answered outside the views keep each channel's shape; ids and page
numbers are ASCII digits everywhere."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_api_session_post_without_csrf_answers_the_documented_code(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.street)
    response = client.patch(f"/api/v1/units/{org.unit_a1.pk}/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "页面已过期或表单已失效，请刷新页面后重试。", "code": "csrf_failed"}


def test_open311_errors_from_the_guard_are_georeport_lists(client):
    response = client.get("/api/open311/v2/requests.json?service_code=%00")
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == 400 and "控制字符" in body[0]["description"]


def test_the_reveal_endpoint_takes_ascii_ids_only(client, org):
    client.force_login(org.community)
    url = reverse("core:personal_reveal", args=["organization.unit", org.unit_a1.pk, "contact_phone"])
    assert client.post(url).status_code == 200
    arabic = url.replace(f"/{org.unit_a1.pk}/", "/\u0661/")
    assert client.post(arabic).status_code == 404


@pytest.mark.parametrize("page", ["\u00b2", "0", "abc", "99999999999999999999"])
def test_a_list_page_refuses_a_page_number_that_is_not_one(client, org, page):
    client.force_login(org.community)
    response = client.get(reverse("organization:unit_list"), {"page": page})
    assert response.status_code == 400
    assert "「页码」的值无效" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, org):
    client.force_login(org.community)
    assert client.get(reverse("organization:unit_list"), {"page": "999"}).status_code == 200
    assert client.get(reverse("organization:unit_list"), {"page": "last"}).status_code == 200
