import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.organization import services

pytestmark = pytest.mark.django_db


def test_audit_events_are_append_only(org):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_audit_list_is_scoped_and_searchable(client, org):
    services.unit_update(actor=org.community_b, unit=org.unit_b1, changes={"address": "乙路9号"}, expected_version=None)
    services.unit_update(actor=org.community, unit=org.unit_a1, changes={"address": "甲路9号"}, expected_version=None)
    client.force_login(org.community)
    rows = client.get(reverse("core:audit_list"), {"action": "organization.unit.updated"}).context["rows"]
    assert [e.object_repr for e in rows] == ["幸福物业"]
    client.force_login(org.office)
    rows = client.get(reverse("core:audit_list"), {"q": "超市", "action": "organization.unit.created"}).context["rows"]
    assert {e.object_repr for e in rows} == {"甲二超市", "乙一超市"}


def test_audit_search_and_filter_speak_the_readable_action(client, org):
    services.unit_update(actor=org.community, unit=org.unit_a1, changes={"address": "甲路9号"}, expected_version=None)
    client.force_login(org.community)
    rows = client.get(reverse("core:audit_list"), {"q": "修改单位"}).context["rows"]
    assert [e.action for e in rows] == ["organization.unit.updated"]
    html = client.get(reverse("core:audit_list")).content.decode()
    assert '<option value="organization.unit.updated">修改单位</option>' in html
    table = html.split('data-testid="audit-table"')[1].split("</table>")[0]
    assert "organization.unit" not in table  # codes only as option values, never as text
    assert "新建单位" in html


def test_the_trail_shows_labels_and_summarised_geometry_in_english(client, org):
    boundary = {"type": "Polygon", "coordinates": [[[104.0, 31.0], [104.1, 31.0], [104.1, 31.1], [104.0, 31.0]]]}
    services.jurisdiction_update(
        actor=org.street, jurisdiction=org.comm_a1, changes={"boundary": boundary}, expected_version=None
    )
    client.force_login(org.street)
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(org.comm_a1.get_absolute_url()).content.decode()
    trail = html.split('data-testid="audit-trail"')[1]
    assert "coordinates" not in trail and "organization.jurisdiction" not in trail
    assert "3" in trail  # a triangle: three vertices


def test_object_page_shows_its_trail_with_before_and_after(client, org):
    services.unit_update(actor=org.community, unit=org.unit_a1, changes={"contact_name": "李四"}, expected_version=None)
    client.force_login(org.community)
    html = client.get(org.unit_a1.get_absolute_url()).content.decode()
    assert 'data-testid="audit-trail"' in html
    assert "张三" in html and "李四" in html


def test_roles_without_audit_rights_see_no_trail(client, org):
    client.force_login(org.inspector)
    response = client.get(org.unit_a1.get_absolute_url())
    assert list(response.context["audit_events"]) == []
