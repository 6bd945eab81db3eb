from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.activities import services
from apps.activities.models import Activity
from apps.activities.tests.helpers import jpeg, measure, out
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_phone_form_records_a_drive(client, org):
    client.force_login(org.grid)
    page = client.get(reverse("activities:activity_create") + "?kind=cleanup")
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    data = {
        "kind": "cleanup",
        "held_on": timezone.localdate().isoformat(),
        "place": "幸福网格",
        "jurisdiction": org.grid_a1.pk,
        "held": "on",
        "people_resident": "100",
        "people_party_cadre": "20",
        "out-TOTAL_FORMS": "2",
        "out-INITIAL_FORMS": "0",
        "out-0-measure": measure("garbage_t").pk,
        "out-0-quantity": "3",
        "out-1-measure": measure("dead_spots").pk,
        "out-1-quantity": "50",
        "photos": jpeg(),
    }
    response = client.post(reverse("activities:activity_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert (
        activity.status == "held" and activity.person_times == 120 and activity.title == "幸福网格清洁大扫除/集中清理"
    )


def test_bad_input_is_a_message_not_500(client, org):
    client.force_login(org.community)
    data = {
        "kind": "cleanup",
        "held_on": "2999-01-01",
        "jurisdiction": org.comm_a1.pk,
        "held": "on",
        "people_resident": "-1",
        "out-TOTAL_FORMS": "1",
        "out-INITIAL_FORMS": "0",
        "out-0-quantity": "-2",
    }
    response = client.post(reverse("activities:activity_create"), data)
    assert response.status_code == 400 and not Activity.objects.exists()
    assert client.get(reverse("activities:activity_list") + "?start=yesterday").status_code == 400
    assert client.get(reverse("activities:totals") + "?jurisdiction=999999").status_code == 400


def test_list_totals_bar_and_totals_page(client, org):
    services.activity_create(
        actor=org.street,
        kind="campaign",
        title="street drive",
        held_on=timezone.localdate(),
        jurisdiction=org.street_a,
        areas=[org.comm_a1, org.comm_a2],
        participants={"resident": 60},
        outputs=[out("garbage_t", 2)],
    )
    client.force_login(org.street)
    page = client.get(reverse("activities:activity_list") + f"?jurisdiction={org.street_a.pk}&status=held")
    assert 'data-testid="total-people">60<' in page.content.decode()
    page = client.get(reverse("activities:totals")).content.decode()
    for node in (org.street_a, org.comm_a1, org.comm_a2):
        assert f'data-testid="totals-row-{node.pk}"' in page
    assert page.count('data-testid="people">60<') == 3


def test_volunteers_masked_in_list_and_export(client, org):
    services.volunteer_create(actor=org.community, full_name="王小明", phone="13900001111", jurisdiction=org.comm_a1)
    client.force_login(org.community)
    page = client.get(reverse("activities:volunteer_list")).content.decode()
    assert "王*明" in page and "139****1111" in page and "13900001111" not in page and "王小明" not in page
    response = client.get(reverse("activities:volunteer_list") + "?export=xlsx")
    import io

    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "王*明" in values and "139****1111" in values and "13900001111" not in values
    client.force_login(org.leader)
    assert "13900001111" not in client.get(reverse("activities:volunteer_list")).content.decode()


def test_export_activities_with_outputs(client, org):
    services.activity_create(
        actor=org.community,
        kind="publicity",
        title="宣传",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        outputs=[out("booklets", 400, material="《健康读本》")],
    )
    client.force_login(org.community)
    response = client.get(reverse("activities:activity_list") + "?export=xlsx")
    import io

    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert any("《健康读本》 400" in v for v in values)


def test_api_lists_scoped_and_masked(client, org):
    activity = services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="A1",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        participants={"resident": 5},
        outputs=[out("garbage_t", Decimal("1.5"))],
    )
    services.volunteer_create(actor=org.community, full_name="王小明", phone="13900001111", jurisdiction=org.comm_a1)
    client.force_login(org.community)
    body = client.get("/api/v1/activities/?kind=cleanup").json()
    row = body["results"][0] if "results" in body else body[0]
    assert row["id"] == activity.pk and row["outputs"][0]["measure"] == "garbage_t"
    vols = client.get("/api/v1/volunteers/").json()
    vol = (vols.get("results", vols))[0]
    assert vol["phone"] == "139****1111"
    client.force_login(org.community_other)
    assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert client.get("/api/v1/activities/?start=bad").status_code == 400


def test_reveal_is_audited(client, org):
    vol = services.volunteer_create(
        actor=org.community, full_name="王小明", phone="13900001111", jurisdiction=org.comm_a1
    )
    client.force_login(org.community)
    response = client.post(reverse("core:personal_reveal", args=["activities.volunteer", vol.pk, "phone"]))
    assert "13900001111" in response.content.decode()
    assert AuditEvent.objects.filter(action="personal.reveal", object_id=str(vol.pk)).exists()


def test_measures_admin_only(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("activities:measure_create"),
        {"code": "manure", "name": "清理粪堆", "unit": "处", "category": "effect", "sort": 5},
    )
    assert response.status_code == 302
    # The measures serve every district: a district's office reads them, no buttons, no forms.
    client.force_login(org.office)
    page = client.get(reverse("activities:measure_list")).content.decode()
    assert reverse("activities:measure_create") not in page
    assert client.get(reverse("activities:measure_create")).status_code == 403
    garbage = measure("garbage_t")
    assert client.get(reverse("activities:measure_edit", args=[garbage.pk])).status_code == 403
    client.force_login(org.community)
    assert client.get(reverse("activities:measure_create")).status_code == 403


def test_a_stopped_measure_keeps_its_lines_editable(client, org):
    """The office stops 疏通沟渠 after a drive recorded 2 条: the drive's page still edits
    (the line keeps its measure), and a new line cannot use the stopped measure."""
    activity = services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="t",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        outputs=[out("ditches", 2)],
    )
    ditches = measure("ditches")
    services.measure_update(actor=org.admin, measure=ditches, changes={"is_active": False})
    client.force_login(org.community)
    url = reverse("activities:activity_edit", args=[activity.pk])
    form = client.get(url).context["formset"].forms[0]
    assert form.initial["measure"] == ditches.pk and ditches in form.fields["measure"].queryset
    line = activity.outputs.get()
    data = {
        "kind": "cleanup",
        "held_on": activity.held_on.isoformat(),
        "title": "t",
        "version": activity.version,
        "out-TOTAL_FORMS": "1",
        "out-INITIAL_FORMS": "0",
        "out-0-id": line.pk,
        "out-0-measure": ditches.pk,
        "out-0-quantity": "3",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    line.refresh_from_db()
    assert line.quantity == 3
    # A new activity is not offered the stopped measure.
    new = client.get(reverse("activities:activity_create") + "?kind=cleanup").context["formset"].forms[0]
    assert ditches not in new.fields["measure"].queryset


def test_two_admins_editing_a_measure_cannot_overwrite_each_other(client, org):
    garbage = measure("garbage_t")
    url = reverse("activities:measure_edit", args=[garbage.pk])
    client.force_login(org.admin)
    seen = client.get(url).context["form"]["version"].value()
    services.measure_update(
        actor=org.admin, measure=garbage, changes={"name": "清运生活垃圾"}, expected_version=garbage.version
    )
    data = {"code": "garbage_t", "name": "清运建筑垃圾", "unit": "吨", "category": "effect", "sort": 10}
    response = client.post(url, {**data, "is_active": "on", "version": seen})
    assert response.status_code in (400, 409, 200) and "该记录已被他人修改" in response.content.decode()
    garbage.refresh_from_db()
    assert garbage.name == "清运生活垃圾"
