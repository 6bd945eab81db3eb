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
    },
    exports=[ExportSource("users", _("账号"), "accounts.user", exports.user_rows, exports.user_columns)],
    demo=[DemoBuilder("accounts", "apps.accounts.demo.build", after=("organization",))],
    urls=[("accounts/", "apps.accounts.urls")],
    access=[
        AccessRow("accounts:password_change", allowed="grid"),
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
)
