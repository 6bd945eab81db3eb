"""The accounts' part of the demo street: one account per role, all with the printed password.

Runs after the organisation's builder (the accounts sit in its jurisdictions and one unit)
and fills `demo.accounts` with (username, role, scope) rows.
"""

from apps.core.roles import Role

from .models import User

DEMO_PASSWORD = "Chuangwei@2026"  # noqa: S105 - printed demo password, demo data only
USERNAMES = ["admin", "cwb", "street", "dongyuan", "xicheng", "grid", "inspector", "unit", "leader"]


def build(demo) -> None:
    """One account per role over `demo.street`: two communities, a grid and a property company of 东苑."""
    street, communities = demo.street, demo.communities
    district = street.parent
    east = communities[0]
    east_grid = next(g for g in demo.grids if g.path.startswith(east.path))
    property_unit = next(
        u for u in demo.units if u.unit_type.code == "property" and u.jurisdiction.path.startswith(east.path)
    )
    plan = [
        ("admin", "系统", "管理员", Role.ADMIN, district.parent, None),
        ("cwb", "赵", "建国", Role.OFFICE, district, None),
        ("street", "钱", "志强", Role.STREET, street, None),
        ("dongyuan", "孙", "丽华", Role.COMMUNITY, east, None),
        ("xicheng", "李", "海燕", Role.COMMUNITY, communities[1], None),
        ("grid", "周", "明", Role.GRID, east_grid, None),
        ("inspector", "吴", "国强", Role.INSPECTOR, street, None),
        ("unit", "郑", "桂英", Role.UNIT_CONTACT, property_unit.jurisdiction, property_unit),
        ("leader", "王", "德华", Role.LEADER, street, None),
    ]
    demo.accounts = []
    for username, last, first, role, jurisdiction, unit in plan:
        user = User(
            username=username,
            last_name=last,
            first_name=first,
            role=role,
            jurisdiction=jurisdiction,
            unit=unit,
            is_superuser=False,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        demo.accounts.append((username, user.get_role_display(), str(unit or jurisdiction)))


def demo_accounts() -> list[tuple[str, str, str]]:
    """The demo accounts that exist, as (username, role, scope), for `manage.py demo_logins`."""
    return [
        (u.username, u.get_role_display(), str(u.unit or u.jurisdiction or ""))
        for u in User.objects.filter(username__in=USERNAMES).select_related("jurisdiction", "unit").order_by("id")
    ]
