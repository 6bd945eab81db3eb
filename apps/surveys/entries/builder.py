"""What surveys' builder part contributes (declared by name, joined in entries/__init__.py):
the 问卷调查 menu entry, the audit labels of the builder's writes and steps, and the access
rows of its pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, MenuEntry
from apps.core.roles import DESK_ROLES, Role

MENU = [
    MenuEntry(
        "surveys",
        _("问卷调查"),
        "surveys:questionnaire_list",
        "surveys.questionnaire",
        roles=frozenset(DESK_ROLES | {Role.LEADER, Role.INSPECTOR, Role.GRID}),
        order=357,
    ),
]
AUDIT_LABELS = {
    "surveys.questionnaire.created": pgettext_lazy("audit action", "新建调查问卷"),
    "surveys.questionnaire.updated": pgettext_lazy("audit action", "修改调查问卷"),
    "surveys.questionnaire.versioned": pgettext_lazy("audit action", "生成问卷新版本"),
    "surveys.questionnaire.sampling_saved": pgettext_lazy("audit action", "保存抽样方案"),
    "surveys.questionnaire.copied": pgettext_lazy("audit action", "复制为下一轮调查"),
    "surveys.questionnaire.open": pgettext_lazy("audit action", "开始问卷调查"),
    "surveys.questionnaire.close": pgettext_lazy("audit action", "结束问卷调查"),
    "surveys.question.added": pgettext_lazy("audit action", "添加问卷题目"),
    "surveys.question.changed": pgettext_lazy("audit action", "修改问卷题目"),
    "surveys.question.deleted": pgettext_lazy("audit action", "删除问卷题目"),
    "surveys.question.moved": pgettext_lazy("audit action", "调整题目顺序"),
}
AUDIT_FIELDS = {
    "version_from": _("原版本"),
    "version_to": _("新版本"),
    "version_number": _("版本号"),
    "targets": _("各社区目标样本量"),
    "quotas": _("年龄段配额"),
    "source": _("来源问卷"),
    "options": _("选项"),
    "text": _("题目"),
    "kind": _("题型"),
    "role": _("用途"),
}
EXPORTS = []
WIDGETS = []
EVIDENCE = []
FIGURES = []
DEMO = [DemoBuilder("surveys_builder", "apps.surveys.demo.builder.build", after=("accounts", "standards"))]
API_ROUTES = [("questionnaires", "apps.surveys.api.questionnaires.QuestionnaireViewSet")]
PUBLIC_URLS = set()
PERSONAL_DATA = []


def _q(o):
    return [o.bq_draft.pk]


ACCESS = [
    AccessRow("surveys:questionnaire_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("surveys:questionnaire_create", allowed="community", forbidden="grid"),
    AccessRow(
        "surveys:questionnaire_detail", args=_q, allowed="grid", other="community_other", forbidden="unit_contact"
    ),
    AccessRow("surveys:questionnaire_edit", args=_q, allowed="community", other="community_other", forbidden="grid"),
    AccessRow("surveys:question_add", args=_q, allowed="community", other="community_other", forbidden="grid"),
    AccessRow(
        "surveys:question_demographics",
        args=_q,
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
    ),
    AccessRow("surveys:sampling_edit", args=_q, allowed="community", other="community_other", forbidden="grid"),
    AccessRow(
        "surveys:questionnaire_step",
        args=lambda o: [o.bq_ready.pk, "open"],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
    ),
    AccessRow(
        "surveys:questionnaire_copy",
        args=lambda o: [o.bq_closed.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
    ),
    AccessRow(
        "surveys:question_edit",
        args=lambda o: [o.bq_question.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    AccessRow(
        "surveys:question_delete",
        args=lambda o: [o.bq_question_del.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
    ),
    AccessRow(
        "surveys:question_move",
        args=lambda o: [o.bq_question.pk, "down"],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
    ),
    AccessRow("questionnaire-list", allowed="grid", forbidden="unit_contact", api=True),
    AccessRow(
        "questionnaire-detail",
        args=_q,
        allowed="grid",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
    AccessRow(
        "questionnaire-step",
        args=lambda o: [o.bq_ready_api.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"name": "open", "version": o.bq_ready_api.version},
        json=True,
        api=True,
    ),
]
