import pytest

from apps.accounts.services import api_token_issue
from apps.organization.models import Unit, UnitType

pytestmark = pytest.mark.django_db


def test_unit_list_is_scoped(client, org):
    client.force_login(org.street)
    names = {row["name"] for row in client.get("/api/v1/units/").json()["results"]}
    assert names == {"幸福物业", "甲一面馆", "甲二超市"}


def test_token_auth_and_create_in_scope(client, org):
    _token, key = api_token_issue(actor=None, owner=org.community, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    payload = {"name": "接口单位", "unit_type": UnitType.objects.get(code="shop").pk, "jurisdiction": org.comm_a1.pk}
    response = client.post("/api/v1/units/", payload, content_type="application/json", **headers)
    assert response.status_code == 201, response.json()
    assert Unit.objects.get(name="接口单位").jurisdiction == org.comm_a1
    payload["jurisdiction"] = org.comm_b1.pk
    response = client.post("/api/v1/units/", {**payload, "name": "越界"}, content_type="application/json", **headers)
    assert response.status_code == 400
    assert not Unit.objects.filter(name="越界").exists()


def test_update_needs_current_version(client, org):
    client.force_login(org.community)
    url = f"/api/v1/units/{org.unit_a1.pk}/"
    response = client.patch(url, {"contact_name": "新"}, content_type="application/json")
    assert response.status_code == 400
    response = client.patch(url, {"contact_name": "新", "version": 1}, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.patch(url, {"contact_name": "旧", "version": 1}, content_type="application/json")
    assert response.status_code == 409
    assert "已被他人修改" in response.json()["detail"]


def test_read_only_role_cannot_write_through_api(client, org):
    client.force_login(org.leader)
    response = client.patch(
        f"/api/v1/units/{org.unit_a1.pk}/", {"name": "x", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 403


def test_openapi_schema(client, org):
    client.force_login(org.street)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/units/" in response.content.decode()
