"""What `imports` contributes: the job list, the import specs of the organisation's records
(the organisation sits below the import machinery, so its specs live with the machinery),
and audit labels of jobs."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, MenuEntry, register
from apps.core.roles import Role

from .specs import IMPORT_SPECS

register(
    "imports",
    # Everyone may run exports of what they can see; imports also need "add" on the target model.
    policy={"imports.datajob": {role: frozenset({"view", "add"}) for role in Role}},
    menu=[MenuEntry("imports", _("导入导出"), "imports:job_list", "imports.datajob", order=870)],
    imports=IMPORT_SPECS,
    audit_labels={
        "imports.job.started": pgettext_lazy("audit action", "开始导入"),
        "imports.job.succeeded": pgettext_lazy("audit action", "导入完成"),
        "imports.job.failed": pgettext_lazy("audit action", "导入失败"),
        "imports.export.started": pgettext_lazy("audit action", "开始导出"),
    },
    audit_fields={
        "source": _("数据"),
        "created": _("成功条数"),
        "file": _("文件名"),
        "filters": _("筛选条件"),
        "errors": _("错误数"),
    },
    urls=[("data/", "apps.imports.urls")],
    access_world="apps.imports.tests.world.extend",
    access=[
        AccessRow("imports:job_list", allowed="grid"),
        AccessRow("imports:import_start", args=lambda o: ["units"], allowed="community", forbidden="leader"),
        AccessRow("imports:import_template", args=lambda o: ["units"], allowed="community", forbidden="leader"),
        AccessRow("imports:job_detail", args=lambda o: [o.job.pk], allowed="community", other="community_other"),
        AccessRow("imports:job_download", args=lambda o: [o.job.pk], allowed="community", other="community_other"),
    ],
)
