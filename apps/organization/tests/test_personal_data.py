"""Staff and unit-contact phones under the personal-data policy (apps/core/personal.py, "staff" row):
masked on every page, in the API, the ledgers and the audit trail; the desk may 显示 one (audited);
field roles read it masked; the person themself reads their own in full; an edit form never
shows more than the page and keeps the number when the masked value comes back."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.core.personal import REVEAL_ACTION
from apps.organization import services
from apps.organization.models import Staff, Unit

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13800000001", "138****0001"  # unit A1's contact (tests/builders.py)


def _reveal(unit, field="contact_phone"):
    return reverse("core:personal_reveal", args=["organization.unit", unit.pk, field])


def test_unit_pages_mask_the_contact_phone_and_the_desk_may_reveal_it(client, org):
    client.force_login(org.community)
    for url in (reverse("organization:unit_list"), org.unit_a1.get_absolute_url()):
        html = client.get(url).content.decode()
        assert MASKED in html and PHONE not in html and _reveal(org.unit_a1) in html, url
        assert "张三" in html  # a unit contact's name is staff: in full
    response = client.post(_reveal(org.unit_a1))
    assert response.status_code == 200 and PHONE in response.content.decode()
    event = AuditEvent.objects.get(action=REVEAL_ACTION)
    assert event.action_label == "单位 · 查看个人信息" and event.unit_id == org.unit_a1.pk
    assert dict(event.values_display()) == {"查看的信息": "联系电话", "人员类别": "工作人员/单位联系人"}


def test_field_roles_read_it_masked_without_a_reveal(client, org):
    for user in (org.inspector, org.leader):
        client.force_login(user)
        html = client.get(org.unit_a1.get_absolute_url()).content.decode()
        assert MASKED in html and PHONE not in html and _reveal(org.unit_a1) not in html, user.role
        assert client.post(_reveal(org.unit_a1)).status_code == 403
        body = client.get(f"/api/v1/units/{org.unit_a1.pk}/").json()
        assert body["contact_phone"] == MASKED and body["contact_name"] == "张三"


def test_the_unit_contact_reads_their_own_number_in_full(client, org):
    client.force_login(org.unit_contact)
    html = client.get(org.unit_a1.get_absolute_url()).content.decode()
    assert PHONE in html and _reveal(org.unit_a1) not in html
    assert PHONE in client.get(reverse("core:home")).content.decode()  # the unit panel
    assert client.post(_reveal(org.unit_a1)).status_code == 403  # nothing to reveal: never a 显示


def test_staff_phones_masked_in_list_detail_api_and_ledger(client, org):
    Staff.objects.filter(pk=org.staff_a1.pk).update(phone="0816-2345678")
    client.force_login(org.street)
    for url in (reverse("organization:staff_list"), org.staff_a1.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "****-***5678" in html and "2345678" not in html.replace("***5678", ""), url
    rows = client.get("/api/v1/staff/").json()["results"]
    assert {r["name"]: r["phone"] for r in rows}["李网格"] == "****-***5678"
    sheet = load_workbook(BytesIO(client.get(reverse("organization:staff_list"), {"export": "xlsx"}).content)).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert "****-***5678" in values and "0816-2345678" not in values and "李网格" in values


def test_the_units_ledger_masks_the_phone_for_every_role(client, org):
    for user in (org.street, org.community, org.admin):
        client.force_login(user)
        response = client.get(reverse("organization:unit_list"), {"q": "幸福", "export": "xlsx"})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][8] == MASKED and PHONE not in str(rows), user.role


def test_the_audit_trail_masks_phones_it_recorded(client, org):
    services.unit_update(
        actor=org.community, unit=org.unit_a1, changes={"contact_phone": "13911112222"}, expected_version=None
    )
    event = AuditEvent.objects.filter(action="organization.unit.updated").latest("id")
    assert event.data["changes"]["contact_phone"] == [PHONE, "13911112222"]  # the log keeps the value
    assert event.changes_display() == [("联系电话", MASKED, "139****2222")]
    client.force_login(org.street)
    html = client.get(reverse("core:audit_list")).content.decode()
    assert "139****2222" in html and "13911112222" not in html and PHONE not in html
    api = client.get(f"/api/v1/audit-events/{event.pk}/").json()
    assert api["data"]["changes"]["contact_phone"] == [MASKED, "139****2222"]
    export = client.get(reverse("core:audit_list"), {"export": "xlsx"}).content
    text = str(list(load_workbook(BytesIO(export)).active.iter_rows(values_only=True)))
    assert "139****2222" in text and "13911112222" not in text


def test_the_edit_form_shows_the_masked_number_and_keeps_it(client, org):
    client.force_login(org.community)
    url = reverse("organization:unit_update", args=[org.unit_a1.pk])
    form = client.get(url).context["form"]
    assert form.initial["contact_phone"] == MASKED and PHONE not in client.get(url).content.decode()
    data = {
        "name": "幸福物业（新）",
        "unit_type": org.unit_a1.unit_type_id,
        "jurisdiction": org.unit_a1.jurisdiction_id,
        "address": "人民路1号",
        "lat": "31.467000",
        "lng": "104.683000",
        "contact_name": "张三",
        "contact_phone": MASKED,
        "status": "operating",
        "credit_code": "",
        "version": 1,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    unit = Unit.objects.get(pk=org.unit_a1.pk)
    assert unit.name == "幸福物业（新）" and unit.contact_phone == PHONE
    assert (
        "contact_phone"
        not in AuditEvent.objects.filter(action="organization.unit.updated").latest("id").data["changes"]
    )
    # A masked value that is not the current one is refused; a typed-over number is saved.
    response = client.post(url, {**data, "contact_phone": "137****0000", "version": 2})
    assert response.status_code == 400 and "不能包含 *" in response.content.decode()
    assert client.post(url, {**data, "contact_phone": "13700000000", "version": 2}).status_code == 302
    assert Unit.objects.get(pk=org.unit_a1.pk).contact_phone == "13700000000"


def test_the_api_keeps_a_masked_number_written_back(client, org):
    client.force_login(org.community)
    url = f"/api/v1/units/{org.unit_a1.pk}/"
    body = client.get(url).json()
    assert body["contact_phone"] == MASKED
    response = client.put(url, {**body, "address": "人民路2号"}, content_type="application/json")
    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=org.unit_a1.pk)
    assert unit.address == "人民路2号" and unit.contact_phone == PHONE
    response = client.patch(
        url, {"contact_phone": "139****9999", "version": unit.version}, content_type="application/json"
    )
    assert response.status_code == 400 and "contact_phone" in str(response.json()), response.json()
    assert Unit.objects.get(pk=org.unit_a1.pk).contact_phone == PHONE


def test_an_account_form_masks_the_phone_except_for_its_holder(client, org):
    from apps.accounts.forms import UserForm

    org.grid.phone = "13955556666"
    org.grid.save(update_fields=["phone"])
    client.force_login(org.street)
    html = client.get(reverse("accounts:user_update", args=[org.grid.pk])).content.decode()
    assert "139****6666" in html and "13955556666" not in html
    assert UserForm(instance=org.grid, user=org.grid).initial["phone"] == "13955556666"


def test_an_import_refuses_a_masked_number_with_a_clear_message():
    from apps.imports.columns import CellError, PhoneColumn

    column = PhoneColumn("联系电话", "contact_phone")
    with pytest.raises(CellError, match="已脱敏"):
        column.convert(MASKED, MASKED)
    assert column.convert(PHONE, PHONE) == PHONE


def test_the_staff_search_matches_phones_only_for_roles_that_may_reveal_them(client, org):
    """A role that reads a phone masked cannot recover its hidden digits by searching for them."""
    Staff.objects.filter(pk=org.staff_a1.pk).update(phone="13912345678")
    url = reverse("organization:staff_list") + "?q=1234"  # the masked middle digits
    client.force_login(org.community)  # the desk may 显示 a staff phone: the search finds it
    assert org.staff_a1.name in client.get(url).content.decode()
    client.force_login(org.leader)  # reads it masked: no match on the hidden digits
    response = client.get(url)
    assert response.status_code == 200 and org.staff_a1.name not in response.content.decode()
    assert (
        org.staff_a1.name in client.get(reverse("organization:staff_list") + "?q=" + org.staff_a1.name).content.decode()
    )
