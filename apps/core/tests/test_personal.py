"""The personal-data policy itself (apps/core/personal.py): masking, the table, the declarations."""

import pytest

from apps.core import personal
from apps.core.checks import _PRINTED, check_personal_data, printed_personal_fields
from apps.core.personal import Level, Part, PersonKind, mask_name, mask_phone
from apps.core.registry import registry
from apps.core.roles import Role


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13912345678", "139****5678"),
        ("139 1234 5678", "139 **** 5678"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("0816-2345678", "****-***5678"),
        ("(0816)2345678", "(****)***5678"),
        ("12345", "***45"),
        ("110", "***"),
        ("", ""),
    ],
)
def test_phones_keep_the_first_three_and_last_four_of_a_mobile_the_last_digits_of_others(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三", "张*"), ("张小明", "张*明"), ("欧阳明", "欧阳*"), ("欧阳小明", "欧阳**"), ("王", "*"), ("", "")],
)
def test_names_keep_the_surname(raw, masked):
    assert mask_name(raw) == masked


def test_the_table_covers_every_kind_and_role():
    for kind in PersonKind:
        assert set(personal.POLICY[kind]) == set(Role), kind
    # Nobody but staff is ever shown in full; units never read the public; the desk may reveal them.
    for kind in (PersonKind.RESIDENT, PersonKind.HOTLINE, PersonKind.VOLUNTEER, PersonKind.SIGNATORY):
        for role in Role:
            assert personal.level(role, kind, Part.PHONE) < Level.FULL
            assert personal.level(role, kind, Part.NAME) < Level.FULL
        assert personal.level(Role.UNIT_CONTACT, kind, Part.NAME) == Level.NONE
        assert personal.level(Role.COMMUNITY, kind, Part.PHONE) == Level.REVEAL
    assert personal.level(Role.LEADER, PersonKind.HOTLINE, Part.PHONE) == Level.MASKED
    assert personal.level(Role.INSPECTOR, PersonKind.RESIDENT, Part.PHONE) == Level.MASKED
    assert personal.level(None, PersonKind.STAFF, Part.NAME) == Level.NONE


def test_every_app_declares_its_personal_fields_correctly():
    assert check_personal_data() == []
    declared = set(registry.personal_fields())
    assert {
        ("cases.case", "reporter_name"),
        ("cases.case", "reporter_phone"),
        ("organization.unit", "contact_phone"),
        ("organization.staff", "phone"),
        ("accounts.user", "phone"),
    } <= declared


def test_a_bad_declaration_fails_the_check():
    app = registry.apps["core"]
    bad = personal.PersonalField("organization.unit", "no_such_field", Part.PHONE, PersonKind.STAFF)
    odd = personal.PersonalField("organization.unit", "address", Part.PHONE, "alien")
    app.personal_data.extend([bad, odd])
    try:
        assert [e.id for e in check_personal_data()] == ["core.E007", "core.E007"]
    finally:
        del app.personal_data[-2:]


def test_no_template_prints_a_masked_field_itself():
    assert printed_personal_fields() == []
    sample = '<td>{{ u.contact_phone }}</td>{{ s.phone|default:"—" }}{{ form.reporter_phone }}'
    assert [m.group(2) for m in _PRINTED.finditer(sample)] == ["contact_phone", "phone", "reporter_phone"]
