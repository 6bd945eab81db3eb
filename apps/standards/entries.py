"""What `standards` contributes: permission rows, menu, audit labels, the standard import spec,
the shipped standards in the demo, its pages and API rows of the access matrix."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, MenuEntry, register
from apps.core.roles import EDIT, READ, Role

from .imports import StandardImport
from .models import EvidenceRequirement, StandardIndicator, StandardItem, StandardSection


def _content_labels() -> dict:
    """Labels of the content fields a content edit records on the standard ("item.text" …)."""
    labels = {}
    for prefix, model in (
        ("section", StandardSection),
        ("item", StandardItem),
        ("indicator", StandardIndicator),
        ("requirement", EvidenceRequirement),
    ):
        for model_field in model._meta.fields:
            labels[f"{prefix}.{model_field.name}"] = model_field.verbose_name
    return labels


register(
    "standards",
    # Standards are reference data: the office keeps them, everyone who works on a campaign reads them.
    policy={
        "standards.standard": {
            Role.ADMIN: EDIT,
            Role.OFFICE: EDIT,
            Role.STREET: READ,
            Role.COMMUNITY: READ,
            Role.INSPECTOR: READ,
            Role.LEADER: READ,
        },
    },
    menu=[MenuEntry("standards", _("创建标准"), "standards:standard_list", "standards.standard", order=330)],
    audit_labels={
        "standards.standard.created": pgettext_lazy("audit action", "新建标准"),
        "standards.standard.updated": pgettext_lazy("audit action", "修改标准信息"),
        "standards.standard.version_created": pgettext_lazy("audit action", "生成标准新版本"),
        "standards.standard.imported": pgettext_lazy("audit action", "导入标准"),
        "standards.standard.section_added": pgettext_lazy("audit action", "新增标准大项"),
        "standards.standard.section_changed": pgettext_lazy("audit action", "修改标准大项"),
        "standards.standard.section_removed": pgettext_lazy("audit action", "删除标准大项"),
        "standards.standard.item_added": pgettext_lazy("audit action", "新增标准小项"),
        "standards.standard.item_changed": pgettext_lazy("audit action", "修改标准小项"),
        "standards.standard.item_removed": pgettext_lazy("audit action", "删除标准小项"),
        "standards.standard.indicator_added": pgettext_lazy("audit action", "新增量化指标"),
        "standards.standard.indicator_changed": pgettext_lazy("audit action", "修改量化指标"),
        "standards.standard.indicator_removed": pgettext_lazy("audit action", "删除量化指标"),
        "standards.standard.requirement_added": pgettext_lazy("audit action", "新增资料要求"),
        "standards.standard.requirement_changed": pgettext_lazy("audit action", "修改资料要求"),
        "standards.standard.requirement_removed": pgettext_lazy("audit action", "删除资料要求"),
    },
    audit_fields={
        "part": _("标准内容"),
        "version_number": _("标准版本号"),
        "items_removed": _("一并删除的小项数"),
        "sections": _("大项数"),
        "items": _("小项数"),
        "import_job": _("导入任务"),
        **_content_labels(),
    },
    imports={StandardImport.source: StandardImport},
    demo=[DemoBuilder("standards", "apps.standards.demo.build")],
    urls=[("standards/", "apps.standards.urls")],
    api_routes=[("standards", "apps.standards.api.views.StandardViewSet")],
    access_world="apps.standards.tests.world.extend",
    access=[
        AccessRow("standards:standard_list", allowed="leader", forbidden="grid"),
        AccessRow("standards:standard_create", allowed="office", forbidden="street"),
        AccessRow(
            "standards:standard_detail", args=lambda o: [o.stds_standard.pk], allowed="community", forbidden="grid"
        ),
        AccessRow("standards:standard_edit", args=lambda o: [o.stds_standard.pk], allowed="office", forbidden="street"),
        AccessRow(
            "standards:version_detail",
            args=lambda o: [o.stds_version.pk],
            allowed="inspector",
            forbidden="unit_contact",
        ),
        AccessRow(
            "standards:section_create", args=lambda o: [o.stds_standard.pk], allowed="office", forbidden="street"
        ),
        AccessRow(
            "standards:section_edit",
            args=lambda o: [o.stds_standard.pk, o.stds_section.pk],
            allowed="office",
            forbidden="community",
        ),
        AccessRow("standards:item_create", args=lambda o: [o.stds_standard.pk], allowed="office", forbidden="street"),
        AccessRow(
            "standards:item_edit",
            args=lambda o: [o.stds_standard.pk, o.stds_item.pk],
            allowed="admin",
            forbidden="leader",
        ),
        AccessRow(
            "standards:indicator_create",
            args=lambda o: [o.stds_standard.pk, o.stds_item.pk],
            allowed="office",
            forbidden="street",
        ),
        AccessRow(
            "standards:indicator_edit",
            args=lambda o: [o.stds_standard.pk, o.stds_indicator.pk],
            allowed="office",
            forbidden="inspector",
        ),
        AccessRow(
            "standards:requirement_create",
            args=lambda o: [o.stds_standard.pk, o.stds_item.pk],
            allowed="office",
            forbidden="street",
        ),
        AccessRow(
            "standards:requirement_edit",
            args=lambda o: [o.stds_standard.pk, o.stds_requirement.pk],
            allowed="office",
            forbidden="street",
        ),
        AccessRow(
            "standards:content_delete",
            args=lambda o: [o.stds_standard.pk, "requirement", o.stds_spare_requirement.pk],
            allowed="office",
            forbidden="street",
            method="post",
        ),
        AccessRow("standard-list", allowed="community", forbidden="grid", api=True),
        AccessRow(
            "standard-detail", args=lambda o: [o.stds_standard.pk], allowed="leader", forbidden="unit_contact", api=True
        ),
    ],
)
