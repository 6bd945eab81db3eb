"""What education's boards part contributes (declared by name, joined in entries/__init__.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, Widget
from apps.core.roles import Role

from ..evidence import boards as evidence
from ..widgets import boards as widgets

MENU = []
AUDIT_LABELS = {
    "education.board.created": pgettext_lazy("audit action", "登记宣传栏"),
    "education.board.updated": pgettext_lazy("audit action", "修改宣传栏"),
    "education.board.deactivated": pgettext_lazy("audit action", "停用宣传栏"),
    "education.boardupdate.created": pgettext_lazy("audit action", "登记宣传栏更新"),
}
AUDIT_FIELDS = {
    "board": _("宣传栏"),
    "updated_on": _("更换日期"),
    "topic": _("主题"),
}
EXPORTS = []
WIDGETS = [
    Widget(
        "education.boards_pending",
        "education/widgets/boards_pending.html",
        widgets.boards_pending,
        frozenset({Role.STREET, Role.COMMUNITY}),
        72,
    ),
]
EVIDENCE = evidence.EVIDENCE[:1]
FIGURES = evidence.FIGURES[:2]
DEMO = [DemoBuilder("education_boards", "apps.education.demo.boards.build", after=("education_activities",))]
API_ROUTES = []
PUBLIC_URLS = set()
PERSONAL_DATA = []
ACCESS = [
    AccessRow("education:board_list", allowed="grid", forbidden="unit_contact"),
    AccessRow(
        "education:board_detail",
        args=lambda o: [o.board.pk],
        allowed="grid",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("education:board_create", allowed="community", forbidden="grid"),
    AccessRow(
        "education:board_edit",
        args=lambda o: [o.board.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    AccessRow(
        "education:board_deactivate",
        args=lambda o: [o.board.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"version": o.board.version},
    ),
    AccessRow(
        "education:board_update",
        args=lambda o: [o.board.pk],
        allowed="grid",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: o.board_update_data(),
    ),
    AccessRow(
        "education:board_photo",
        args=lambda o: [o.board_photo.pk, "thumb"],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
]
