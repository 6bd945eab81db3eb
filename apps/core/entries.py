"""What `core` contributes: the home page, the audit log, and the project-wide pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import exports, personal, widgets
from .registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from .roles import READ, Role

register(
    "core",
    policy={
        "core.auditevent": {
            Role.ADMIN: READ,
            Role.OFFICE: READ,
            Role.STREET: READ,
            Role.COMMUNITY: READ,
            Role.LEADER: READ,
        },
    },
    menu=[
        MenuEntry("home", _("首页"), "core:home", order=0),
        MenuEntry("audit", _("审计日志"), "core:audit_list", "core.auditevent", order=900),
    ],
    widgets=[
        # Unread notifications, for the roles whose day starts from them.
        Widget(
            "core.notices",
            "core/widgets/notices.html",
            widgets.notices,
            frozenset({Role.UNIT_CONTACT, Role.ADMIN, Role.OFFICE, Role.STREET, Role.LEADER}),
            25,
        ),
    ],
    # 显示 of a person's name or phone (apps/core/personal.py); its access rows are declared by the
    # apps that hold the fields (organization, cases), which have the objects to address.
    # The retention purge records itself too (services.audit_purge).
    audit_labels={
        personal.REVEAL_ACTION: pgettext_lazy("audit action", "查看个人信息"),
        "core.auditevent.purged": pgettext_lazy("audit action", "清理过期审计记录"),
    },
    audit_fields={
        "personal_field": _("查看的信息"),
        "person_kind": _("人员类别"),
        "purged_before": _("清理截止日期"),
        "deleted": _("删除条数"),
        "retention_days": _("保留天数"),
    },
    exports=[ExportSource("audit", _("审计日志"), "core.auditevent", exports.audit_rows, exports.audit_columns)],
    urls=[("", "apps.core.urls")],
    # After every app's records: the record rollups (apps/core/rollups.py) built once from them.
    demo=[DemoBuilder("record_rollups", "apps.core.rollups.build_demo", last=True)],
    access_world="apps.core.tests.world.extend",
    api_routes=[("audit-events", "apps.core.api_views.AuditEventViewSet")],
    access=[
        AccessRow("core:home", allowed="community"),
        AccessRow("core:audit_list", allowed="community", forbidden="grid"),
        AccessRow("auditevent-list", allowed="community", forbidden="grid", api=True),
        AccessRow(
            "auditevent-detail",
            args=lambda o: [o.audit_event.pk],
            allowed="community",
            other="community_b",
            forbidden="grid",
            api=True,
        ),
    ],
    # Session plumbing and the schema: no scope to check.
    public_urls={"set_language", "api_schema"},
)
