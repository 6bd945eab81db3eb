"""The read-only standards API: list and detail with the current version's tree."""

import pytest
from django.urls import reverse

from apps.campaigns.tests.factories import make_campaign
from apps.standards import services
from apps.standards.models import Standard

pytestmark = pytest.mark.django_db


def test_list_and_filter(client, org):
    client.force_login(org.community)
    response = client.get(reverse("standard-list"))
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert {"national-2021", "jiangsu-town", "guangdong-village"} <= codes
    response = client.get(reverse("standard-list"), {"kind": "provincial_village"})
    assert [row["code"] for row in response.json()["results"]] == ["guangdong-village"]
    response = client.get(reverse("standard-list"), {"kind": "bogus"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_detail_has_the_current_tree(client, org):
    standard = Standard.objects.get(code="jiangsu-town")
    client.force_login(org.leader)
    body = client.get(reverse("standard-detail", args=[standard.pk])).json()
    assert body["current_version_number"] == 1 and body["version_numbers"] == [1]
    sections = body["current"]["sections"]
    assert len(sections) == 11
    prerequisites = sections[0]["items"]
    assert [i["kind"] for i in prerequisites] == ["prerequisite"] * 4
    assert prerequisites[0]["text"] == "取得省辖市卫生镇称号一年以上" and prerequisites[0]["is_example"] is False


def test_detail_follows_the_new_version(client, org):
    standard = Standard.objects.get(code="national-2021")
    make_campaign(org, standard.current_version, org.street_a)
    item = standard.current_version.items.get(code="2.1")
    services.item_save(actor=org.office, standard=standard, item=item, data={"text": "宣传栏每季度更换"})
    client.force_login(org.office)
    body = client.get(reverse("standard-detail", args=[standard.pk])).json()
    assert body["version_numbers"] == [2, 1]
    texts = [i["text"] for s in body["current"]["sections"] for i in s["items"]]
    assert "宣传栏每季度更换" in texts
    indicator = next(
        x
        for s in body["current"]["sections"]
        for i in s["items"]
        for x in i["indicators"]
        if x["name"] == "群众对卫生状况满意率"
    )
    assert indicator == {
        "id": indicator["id"],
        "name": "群众对卫生状况满意率",
        "measure": "rate",
        "comparator": "gte",
        "threshold": "90.00",
        "unit": "%",
        "figure_key": "surveys.satisfaction",
        "is_example": False,
    }


def test_roles_without_standards_get_403_and_unknown_ids_404(client, org):
    client.force_login(org.grid)
    assert client.get(reverse("standard-list")).status_code == 403
    client.force_login(org.office)
    assert client.get(reverse("standard-detail", args=[999999])).status_code == 404
