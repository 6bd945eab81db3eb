"""The organisation's part of the access-matrix world: a licence and a group member to address."""

from apps.organization import services


def extend(o) -> None:
    o.license = services.license_add(actor=None, unit=o.unit_a1, kind="营业执照", number="123", expires_on=None)
    o.member = services.group_member_add(actor=None, group=o.group_a1, staff=o.staff_a1, position="member")
