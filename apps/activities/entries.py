"""What `activities` contributes (clean-up drives, publicity, equipment and volunteers): permission
rows, menu, audit labels, exports, the home widget, evidence and figures, the demo, URL mounts,
API routes, access rows and the volunteers' personal data."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.personal import Part, PersonalField, PersonKind
from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import EDIT, READ, Role

from . import evidence, exports, rollups, widgets

DESK = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT, Role.COMMUNITY: EDIT}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}

POLICY = {
    # Grid workers record activities on patrol (add); who may change a record is its owner level
    # (workflow.owns). Unit contacts see nothing of this app.
    "activities.activity": {**DESK, **READERS, Role.GRID: frozenset({"view", "add"})},
    # Measures are reference data of the whole deployment (`scope_q` is every row): only the
    # administrator keeps them; a district's office reads, as everyone who records does.
    "activities.outputmeasure": {
        Role.ADMIN: EDIT,
        Role.OFFICE: READ,
        Role.STREET: READ,
        Role.COMMUNITY: READ,
        **READERS,
    },
    "activities.volunteer": {**DESK, **READERS},
    "activities.volunteerteam": {**DESK, **READERS},
    "activities.signup": {**DESK, **READERS},
}

MENU = [
    MenuEntry("activities", _("爱国卫生活动"), "activities:activity_list", "activities.activity", order=340),
    MenuEntry("volunteers", _("志愿者"), "activities:volunteer_list", "activities.volunteer", order=345),
]

AUDIT_LABELS = {
    "activities.activity.created": pgettext_lazy("audit action", "登记爱国卫生活动"),
    "activities.activity.updated": pgettext_lazy("audit action", "修改爱国卫生活动"),
    "activities.activity.hold": pgettext_lazy("audit action", "登记活动已开展"),
    "activities.activity.cancel": pgettext_lazy("audit action", "取消活动"),
    "activities.outputmeasure.created": pgettext_lazy("audit action", "新增成效计量项"),
    "activities.outputmeasure.updated": pgettext_lazy("audit action", "修改成效计量项"),
    "activities.volunteerteam.created": pgettext_lazy("audit action", "新建志愿服务队"),
    "activities.volunteerteam.updated": pgettext_lazy("audit action", "修改志愿服务队"),
    "activities.volunteer.created": pgettext_lazy("audit action", "登记志愿者"),
    "activities.volunteer.updated": pgettext_lazy("audit action", "修改志愿者"),
    "activities.signup.created": pgettext_lazy("audit action", "志愿者报名活动"),
    "activities.signup.recorded": pgettext_lazy("audit action", "登记到场和服务时长"),
    "activities.signup.withdrawn": pgettext_lazy("audit action", "志愿者退出报名"),
}

AUDIT_FIELDS = {
    "participants": _("参与人次"),
    "outputs": _("活动成效"),
    "photos_added": _("新增照片"),
}

PERSONAL_DATA = [
    PersonalField("activities.volunteer", "full_name", Part.NAME, PersonKind.VOLUNTEER),
    PersonalField("activities.volunteer", "phone", Part.PHONE, PersonKind.VOLUNTEER),
]

ACCESS = [
    AccessRow("activities:activity_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("activities:activity_create", allowed="grid", forbidden="leader"),
    AccessRow("activities:totals", allowed="leader", forbidden="unit_contact"),
    AccessRow(
        "activities:activity_detail",
        args=lambda o: [o.activity.pk],
        allowed="street",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "activities:activity_edit",
        args=lambda o: [o.activity.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow(
        "activities:activity_transition",
        args=lambda o: [o.activity_planned.pk, "cancel"],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
        method="post",
        data=lambda o: {"reason": "下雨", "version": o.activity_planned.version},
    ),
    AccessRow(
        "activities:activity_volunteer_count",
        args=lambda o: [o.activity.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow(
        "activities:activity_photo",
        args=lambda o: [o.activity.photos.first().pk, "thumb"],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "activities:signup_create",
        args=lambda o: [o.activity.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"volunteer": o.volunteer_spare.pk},
    ),
    AccessRow(
        "activities:signup_attendance",
        args=lambda o: [o.signup.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"attended": "1", "hours": "3"},
    ),
    AccessRow(
        "activities:signup_withdraw",
        args=lambda o: [o.signup_to_withdraw.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow("activities:volunteer_list", allowed="leader", forbidden="unit_contact"),
    AccessRow("activities:volunteer_create", allowed="community", forbidden="leader"),
    AccessRow(
        "activities:volunteer_detail",
        args=lambda o: [o.volunteer.pk],
        allowed="inspector",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "activities:volunteer_edit",
        args=lambda o: [o.volunteer.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    # 显示 of a volunteer's phone: the desk; the leader reads it masked only (403).
    AccessRow(
        "core:personal_reveal",
        args=lambda o: ["activities.volunteer", o.volunteer.pk, "phone"],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        json=True,
    ),
    AccessRow("activities:team_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("activities:team_create", allowed="community", forbidden="grid"),
    AccessRow(
        "activities:team_edit",
        args=lambda o: [o.team.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow("activities:measure_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("activities:measure_create", allowed="admin", forbidden="office"),
    AccessRow("activities:measure_edit", args=lambda o: [o.measure.pk], allowed="admin", forbidden="office"),
    AccessRow("activity-list", allowed="grid", forbidden="unit_contact", api=True),
    AccessRow(
        "activity-detail",
        args=lambda o: [o.activity.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
    AccessRow("volunteer-list", allowed="leader", forbidden="unit_contact", api=True),
    AccessRow(
        "volunteer-detail",
        args=lambda o: [o.volunteer.pk],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
]

register(
    "activities",
    policy=POLICY,
    menu=MENU,
    audit_labels=AUDIT_LABELS,
    audit_fields=AUDIT_FIELDS,
    exports=[
        ExportSource(
            "activities",
            _("爱国卫生活动"),
            "activities.activity",
            exports.activity_export_rows,
            exports.activity_columns,
        ),
        ExportSource(
            "volunteers", _("志愿者"), "activities.volunteer", exports.volunteer_export_rows, exports.volunteer_columns
        ),
    ],
    widgets=[
        Widget(
            "activities.month",
            "activities/widgets/month.html",
            widgets.month,
            frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER}),
            60,
        ),
    ],
    evidence_providers=[evidence.RECORDS],
    figures=evidence.FIGURES,
    rollups=[rollups.ROLLUP],
    demo=[DemoBuilder("activities", "apps.activities.demo.build", after=("campaigns_assessment",))],
    urls=[("activities/", "apps.activities.urls")],
    api_routes=[
        ("activities", "apps.activities.api.ActivityViewSet"),
        ("volunteers", "apps.activities.api.VolunteerViewSet"),
    ],
    access_world="apps.activities.tests.world.extend",
    personal_data=PERSONAL_DATA,
    access=ACCESS,
)
