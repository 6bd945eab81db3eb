from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import RestrictedQuerySet, user_scope_path
from .roles import Role


class TrackedModel(models.Model):
    """Base for editable domain records: timestamps and an optimistic-lock version.

    `version` is carried through edit forms; a service refuses a write whose version
    no longer matches, so two people editing at once cannot overwrite each other.
    """

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


ACTION_VERBS = {
    "created": pgettext_lazy("audit action", "新建"),
    "updated": pgettext_lazy("audit action", "修改"),
    "moved": pgettext_lazy("audit action", "移动"),
    "reassigned": pgettext_lazy("audit action", "调整责任方"),
    "license_added": pgettext_lazy("audit action", "添加证照"),
    "license_removed": pgettext_lazy("audit action", "删除证照"),
    "member_added": pgettext_lazy("audit action", "添加成员"),
    "member_removed": pgettext_lazy("audit action", "移除成员"),
    "password_changed": pgettext_lazy("audit action", "修改密码"),
    "password_reset": pgettext_lazy("audit action", "重置密码"),
    "started": pgettext_lazy("audit action", "发起"),
    "succeeded": pgettext_lazy("audit action", "完成"),
    "submitted": pgettext_lazy("audit action", "提交"),
    "correction": pgettext_lazy("audit action", "更正"),
    "appeal": pgettext_lazy("audit action", "申诉改判"),
    "upheld": pgettext_lazy("audit action", "维持扣分"),
    "overturned": pgettext_lazy("audit action", "撤销扣分"),
    "recalculated": pgettext_lazy("audit action", "重新计算"),
    "version_created": pgettext_lazy("audit action", "生成新版本"),
    "case_opened": pgettext_lazy("audit action", "生成整改案件"),
}
EXTRA_LABELS = {
    "holder": _("责任方"),
    "covered_jurisdictions": _("包含的辖区"),
    "kind": _("证照类型"),
    "number": _("证照编号"),
    "expires_on": _("有效期至"),
    "member": _("成员"),
    "position": _("职位"),
    "duty": _("分工"),
    "source": _("数据"),
    "created": _("成功条数"),
    "file": _("文件名"),
    "starts_on": _("开始日期"),
    "note": _("说明"),
}


class AuditEvent(models.Model):
    """One append-only record of a change: who, when, what, before/after.

    `jurisdiction_path` and `unit_id` are copied from the object at the time of the
    change, so the log stays scoped even if the object later moves.
    """

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT)
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=255)
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, blank=True, db_index=True)
    unit_id = models.BigIntegerField(_("单位ID"), null=True, blank=True)
    data = models.JSONField(_("变更内容"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-occurred_at"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only")

    @property
    def action_label(self) -> str:
        """ "单位 · 修改" from "organization.unit.updated", for people rather than machines."""
        verb = ACTION_VERBS.get(self.action.rsplit(".", 1)[-1], self.action.rsplit(".", 1)[-1])
        model = self.content_type.model_class()
        return f"{model._meta.verbose_name if model else self.content_type.model} · {verb}"

    def _label(self, key: str) -> str:
        model = self.content_type.model_class()
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:
            return str(EXTRA_LABELS.get(key, key))

    @staticmethod
    def _shown(value):
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, (dict, list)) and value and not all(isinstance(v, str) for v in value):
            return _("（已设置）")
        if isinstance(value, list):
            return "、".join(value) or "—"
        return "—" if value in (None, "") else value

    def changes_display(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) rows of an update."""
        return [(self._label(k), self._shown(v[0]), self._shown(v[1])) for k, v in self.data.get("changes", {}).items()]

    def values_display(self) -> list[tuple[str, object]]:
        """(label, value) rows of a creation, or of the record a child action concerned."""
        values = self.data.get("after") or self.data.get("license") or {}
        return [(self._label(k), self._shown(v)) for k, v in values.items() if v not in (None, "", [], {})]

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            return Q(unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        path = user_scope_path(user)
        return Q(jurisdiction_path__within=path) if path else Q(pk__in=[])
