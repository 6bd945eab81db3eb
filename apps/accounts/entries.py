"""What `accounts` contributes: account management, its ledger and audit labels."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.personal import Part, PersonalField, PersonKind
from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, register
from apps.core.roles import EDIT, Role

from . import exports


def _self(user, account) -> bool:
    return user.pk == account.pk


# An account's holder is a member of staff (the policy's "staff" row); they read their own in full.
PERSONAL_DATA = [
    PersonalField("accounts.user", "last_name", Part.NAME, PersonKind.STAFF, owner=_self),
    PersonalField("accounts.user", "first_name", Part.NAME, PersonKind.STAFF, owner=_self),
    PersonalField("accounts.user", "phone", Part.PHONE, PersonKind.STAFF, owner=_self),
]

register(
    "accounts",
    personal_data=PERSONAL_DATA,
    policy={"accounts.user": {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT}},
    menu=[MenuEntry("accounts", _("账号"), "accounts:user_list", "accounts.user", order=800)],
    audit_labels={
        "accounts.user.created": pgettext_lazy("audit action", "新建账号"),
        "accounts.user.updated": pgettext_lazy("audit action", "修改账号"),
        "accounts.user.password_changed": pgettext_lazy("audit action", "修改密码"),
        "accounts.user.password_reset": pgettext_lazy("audit action", "重置密码"),
        "accounts.user.logged_in": pgettext_lazy("audit action", "登录"),
        "accounts.user.login_failed": pgettext_lazy("audit action", "登录失败"),
        "accounts.user.logged_out": pgettext_lazy("audit action", "退出登录"),
        "accounts.user.locked": pgettext_lazy("audit action", "账号被锁定"),
        "accounts.user.unlocked": pgettext_lazy("audit action", "解除账号锁定"),
        "accounts.address.locked": pgettext_lazy("audit action", "网络地址被锁定"),
        "accounts.address.unlocked": pgettext_lazy("audit action", "解除网络地址锁定"),
        "accounts.apitoken.issued": pgettext_lazy("audit action", "签发API令牌"),
        "accounts.apitoken.revoked": pgettext_lazy("audit action", "撤销API令牌"),
    },
    audit_fields={
        "client_address": _("网络地址"),
        "client_agent": _("浏览器"),
        "cause": _("原因"),
        "failures": _("失败次数"),
        "locked_until": _("锁定至"),
    },
    exports=[ExportSource("users", _("账号"), "accounts.user", exports.user_rows, exports.user_columns)],
    demo=[DemoBuilder("accounts", "apps.accounts.demo.build", after=("organization",))],
    urls=[("accounts/", "apps.accounts.urls")],
    access=[
        AccessRow("accounts:password_change", allowed="grid"),
        AccessRow("accounts:token_list", allowed="grid"),
        AccessRow(
            "accounts:token_revoke",
            args=lambda o: [o.grid_token.pk],
            allowed="grid",
            other="community",  # another user's token answers 404, like a missing one
            method="post",
        ),
        AccessRow(
            "accounts:user_unlock",
            args=lambda o: [o.community.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
            method="post",
        ),
        AccessRow(
            "accounts:user_token_revoke",
            args=lambda o: [o.community.pk, o.community_token.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
            method="post",
        ),
        AccessRow(
            "accounts:address_unlock",
            allowed="admin",
            forbidden="street",  # an address is shared across jurisdictions: system administrators only
            method="post",
            data=lambda o: {"address": "203.0.113.9"},
        ),
        AccessRow("accounts:user_list", allowed="street", forbidden="community"),
        AccessRow("accounts:user_create", allowed="street", forbidden="community"),
        AccessRow(
            "accounts:user_update",
            args=lambda o: [o.community.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
        ),
    ],
    public_urls={"accounts:login", "accounts:logout"},
    access_world="apps.accounts.tests.world.extend",
)
