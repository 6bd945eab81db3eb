"""What `meetings` contributes (meetings, their sign-in and decisions): permission rows, menu, audit
labels, exports, widgets, evidence and figures, the demo, URL mounts, API routes and access rows."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import DESK_ROLES, READ, Role

from . import evidence, exports, reporting, widgets

DESK = DESK_ROLES
DESK_EDIT = frozenset({"view", "add", "change"})

register(
    "meetings",
    policy={
        # Desk roles plan and record meetings in their subtree; leaders and inspectors read; grid
        # workers read their area's and sign themselves in where invited; unit contacts see only
        # the meetings they (or their unit) are invited to (Meeting.scope_q).
        "meetings.meeting": {
            **{role: DESK_EDIT for role in DESK},
            **{role: READ for role in (Role.LEADER, Role.INSPECTOR, Role.GRID, Role.UNIT_CONTACT)},
        },
        # Decisions: the same; owners report a stand-alone follow-up done (workflow.DECISION_WORKFLOW).
        "meetings.decision": {
            **{role: DESK_EDIT for role in DESK},
            **{role: READ for role in (Role.LEADER, Role.INSPECTOR, Role.GRID, Role.UNIT_CONTACT)},
        },
    },
    menu=[
        MenuEntry("meetings", _("会议"), "meetings:meeting_list", "meetings.meeting", order=300),
    ],
    audit_labels={
        "meetings.meeting.created": pgettext_lazy("audit action", "新建会议"),
        "meetings.meeting.scheduled": pgettext_lazy("audit action", "安排下次例会"),
        "meetings.meeting.updated": pgettext_lazy("audit action", "修改会议"),
        "meetings.meeting.hold": pgettext_lazy("audit action", "记录会议召开"),
        "meetings.meeting.close": pgettext_lazy("audit action", "会议归档"),
        "meetings.meeting.cancel": pgettext_lazy("audit action", "取消会议"),
        "meetings.meeting.signed_in": pgettext_lazy("audit action", "会议签到"),
        "meetings.meeting.document_added": pgettext_lazy("audit action", "上传会议材料"),
        "meetings.meeting.photo_added": pgettext_lazy("audit action", "上传会议照片"),
        "meetings.decision.created": pgettext_lazy("audit action", "新增议定事项"),
        "meetings.decision.complete": pgettext_lazy("audit action", "议定事项已落实"),
        "meetings.decision.cancel": pgettext_lazy("audit action", "取消议定事项"),
    },
    audit_fields={
        "invited": _("参加对象"),
        "host": _("主持人"),
        "points": _("会议主要内容记录"),
        "attendee": _("签到人"),
        "method": _("签到方式"),
        "signed_at": _("签到时间"),
        "document": _("会议材料"),
        "photos": _("照片数"),
    },
    exports=[
        ExportSource("meetings", _("会议"), "meetings.meeting", exports.meeting_rows, exports.meeting_columns),
        ExportSource(
            "meeting_decisions",
            _("会议议定事项"),
            "meetings.decision",
            exports.decision_rows,
            exports.decision_columns,
        ),
    ],
    widgets=[
        Widget("meetings.mine", "meetings/widgets/my_meetings.html", widgets.my_meetings, frozenset(Role), 60),
        Widget(
            "meetings.decisions_due",
            "meetings/widgets/decisions_due.html",
            widgets.due_decisions,
            frozenset({Role.COMMUNITY, Role.GRID, Role.UNIT_CONTACT}),
            65,
        ),
    ],
    evidence_providers=[evidence.MINUTES],
    figures=evidence.FIGURES,
    report_sections=[reporting.SECTION],
    demo=[DemoBuilder("meetings", "apps.meetings.demo.build", after=("campaigns_assessment",))],
    urls=[("meetings/", "apps.meetings.urls")],
    api_routes=[
        ("meetings", "apps.meetings.api.views.MeetingViewSet"),
        ("meeting-decisions", "apps.meetings.api.views.DecisionViewSet"),
    ],
    access_world="apps.meetings.tests.world.extend",
    access=[
        AccessRow("meetings:meeting_list", allowed="unit_contact"),
        AccessRow("meetings:meeting_create", allowed="community", forbidden="leader"),
        AccessRow("meetings:meeting_detail", args=lambda o: [o.meeting.pk], allowed="grid", other="community_other"),
        AccessRow(
            "meetings:meeting_edit",
            args=lambda o: [o.meeting.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
        ),
        AccessRow(
            "meetings:meeting_hold",
            args=lambda o: [o.meeting.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
        ),
        AccessRow(
            "meetings:meeting_transition",
            args=lambda o: [o.meeting_to_cancel.pk, "cancel"],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"version": o.meeting_to_cancel.version, "reason": "改期"},
        ),
        AccessRow(
            "meetings:meeting_signin", args=lambda o: [o.meeting.pk], allowed="unit_contact", other="community_other"
        ),
        AccessRow(
            "meetings:meeting_sign",
            args=lambda o: [o.meeting.pk],
            allowed="grid",
            other="community_other",
            method="post",
            data=lambda o: {},
        ),
        AccessRow(
            "meetings:decision_create",
            args=lambda o: [o.meeting.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"kind": "agreed", "text": "清理背街小巷卫生死角", "deadline": "2026-07-30"},
        ),
        AccessRow("meetings:meeting_minutes", args=lambda o: [o.meeting.pk], allowed="leader", other="community_other"),
        AccessRow(
            "meetings:meeting_attach",
            args=lambda o: [o.meeting.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"photos": o.rewinding_jpeg()},
        ),
        AccessRow("meetings:decision_list", allowed="leader"),
        AccessRow(
            "meetings:decision_transition",
            args=lambda o: [o.decision.pk, "complete"],
            allowed="community",
            other="community_other",
            method="post",
            data=lambda o: {"version": o.decision.version, "note": "已清理"},
        ),
        AccessRow(
            "meetings:document", args=lambda o: [o.meeting_document.pk], allowed="leader", other="community_other"
        ),
        AccessRow(
            "meetings:photo", args=lambda o: [o.meeting_photo.pk, "thumb"], allowed="grid", other="community_other"
        ),
        AccessRow("meeting-list", allowed="unit_contact", api=True),
        AccessRow("meeting-detail", args=lambda o: [o.meeting.pk], allowed="grid", other="community_other", api=True),
        AccessRow("decision-list", allowed="leader", api=True),
        AccessRow(
            "decision-detail", args=lambda o: [o.decision.pk], allowed="community", other="community_other", api=True
        ),
    ],
)
