"""The map layers endpoint: scoped like the lists, searchable, no contacts, login required."""

import pytest
from django.urls import reverse

from apps.organization.models import Jurisdiction, Unit
from apps.organization.selectors_map import geometry_bounds

pytestmark = pytest.mark.django_db

URL = "organization:map_layers"


def _square(lat, lng, size=0.01):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def mapped(org):
    """Every node gets an outline; two units in different communities get a place."""
    for i, node in enumerate(Jurisdiction.objects.order_by("path")):
        Jurisdiction.objects.filter(pk=node.pk).update(boundary=_square(31.4 + i * 0.01, 104.6))
    Unit.objects.filter(pk=org.unit_a2.pk).update(lat="31.470000", lng="104.690000", address="建设路9号")
    return org


def _get(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.json()


def test_community_gets_only_its_subtree(client, mapped):
    data = _get(client, mapped.community)
    names = {a["name"] for a in data["areas"]}
    assert names == {"甲一社区", "幸福小区", "幸福网格"}
    assert [u["name"] for u in data["units"]] == ["幸福物业"]
    assert data["truncated"] is False


def test_areas_come_with_a_label_point_and_translated_level(client, mapped):
    area = next(a for a in _get(client, mapped.community)["areas"] if a["name"] == "甲一社区")
    assert area["geometry"]["type"] == "Polygon"
    (south, west), (north, east) = area["bounds"]
    assert south <= area["label_at"][0] <= north and west <= area["label_at"][1] <= east
    assert area["level"] == "社区/村"


def test_street_sees_both_communities_but_not_the_other_street(client, mapped):
    data = _get(client, mapped.street)
    names = {a["name"] for a in data["areas"]}
    assert {"甲街道", "甲一社区", "甲二社区"} <= names and "乙一社区" not in names
    assert {u["name"] for u in data["units"]} == {"幸福物业", "甲二超市"}


def test_units_carry_no_contact_details(client, mapped):
    unit = _get(client, mapped.community)["units"][0]
    assert set(unit) == {"id", "name", "type", "address", "jurisdiction_id", "lat", "lng", "url"}
    assert "张三" not in str(unit) and "13800000001" not in str(unit)


def test_search_finds_a_unit_by_name_and_by_address(client, mapped):
    by_name = _get(client, mapped.community, q="幸福物业")["results"]
    assert [(r["kind"], r["name"]) for r in by_name] == [("unit", "幸福物业")]
    assert by_name[0]["lat"] == pytest.approx(31.467) and by_name[0]["lng"] == pytest.approx(104.683)
    by_address = _get(client, mapped.community, q="人民路")["results"]
    assert [r["name"] for r in by_address] == ["幸福物业"]


def test_search_finds_a_jurisdiction_by_name_with_its_bounds(client, mapped):
    results = _get(client, mapped.community, q="幸福")["results"]
    assert [(r["kind"], r["name"]) for r in results] == [
        ("area", "幸福小区"),
        ("area", "幸福网格"),
        ("unit", "幸福物业"),
    ]
    assert "geometry" not in results[0] and len(results[0]["bounds"]) == 2


def test_search_stays_inside_the_scope(client, mapped):
    assert _get(client, mapped.community, q="甲二")["results"] == []
    assert _get(client, mapped.community, q="建设路")["results"] == []
    assert [r["name"] for r in _get(client, mapped.street, q="建设路")["results"]] == ["甲二超市"]


def test_unit_contact_sees_its_own_unit_and_no_areas(client, mapped):
    data = _get(client, mapped.unit_contact)
    assert data["areas"] == [] and [u["name"] for u in data["units"]] == ["幸福物业"]


def test_anonymous_is_sent_to_login(client, mapped):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_only_get(client, mapped):
    client.force_login(mapped.community)
    assert client.post(reverse(URL)).status_code == 405


def test_geometry_bounds_reads_multipolygons():
    multi = {"type": "MultiPolygon", "coordinates": [_square(1, 2)["coordinates"], _square(3, 4)["coordinates"]]}
    assert geometry_bounds(multi) == [[1, 2], [3.01, 4.01]]
    assert geometry_bounds({"type": "Polygon", "coordinates": []}) is None
