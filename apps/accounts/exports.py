"""The account list as a ledger (.xlsx)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import user_list


def user_rows(user, filters):
    return user_list(user=user, filters=filters)


def user_columns():
    return [
        (_("用户名"), lambda u: u.username),
        (_("姓名"), lambda u: u.display_name),
        (_("角色"), lambda u: u.get_role_display()),
        (_("所属辖区"), lambda u: u.jurisdiction.name if u.jurisdiction_id else ""),
        (_("所属单位"), lambda u: u.unit.name if u.unit_id else ""),
        (_("状态"), lambda u: _("启用") if u.is_active else _("停用")),
        (_("最近登录"), lambda u: timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else ""),
    ]
