from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .personal import record_value
from .querysets import RestrictedQuerySet, user_scope_path
from .readable import COMMON_FIELD_LABELS, readable_value
from .registry import registry
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
        """ "单位 · 新建单位" from "organization.unit.created", for people rather than machines.

        The label is the one the writing app registered (`entries.py`, `audit_labels`); an
        action nobody labelled (only possible for rows older than their label) shows the
        object type and a generic "changed", never the raw code.
        """
        model = self.content_type.model_class()
        kind = model._meta.verbose_name if model else self.content_type.model
        label = registry.audit_label(self.action)
        return f"{kind} · {label if label is not None else pgettext('audit action', '变更')}"

    def _label(self, key: str) -> str:
        model = self.content_type.model_class()
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:
            label = registry.audit_field_label(key)
            return str(label if label is not None else COMMON_FIELD_LABELS.get(key, key))

    def _shown(self, key: str, value):
        """A stored value as people read it; a person's name or phone masked as in files
        (apps/core/personal.py): the log keeps the value, the trail never shows it whole."""
        return readable_value(record_value(self.content_type.app_label + "." + self.content_type.model, key, value))

    def changes_display(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) rows of an update."""
        return [
            (self._label(k), self._shown(k, v[0]), self._shown(k, v[1]))
            for k, v in self.data.get("changes", {}).items()
        ]

    def values_display(self) -> list[tuple[str, object]]:
        """(label, value) rows of a creation, of the record a child action concerned, or of
        whatever else the action recorded beside its changes (a note, a reason, a source)."""
        values = self.data.get("after") or self.data.get("license")
        if not values:
            values = {k: v for k, v in self.data.items() if k != "changes"}
        return [(self._label(k), self._shown(k, v)) for k, v in values.items() if v not in (None, "", [], {})]

    @property
    def actor_display(self) -> str:
        """Who acted, or "系统" for scheduled jobs and automatic steps."""
        return self.actor_name if self.actor_name and self.actor_name != "system" else str(_("系统"))

    def summary(self) -> str:
        """The whole change as one line of text (exports, notifications)."""
        sep = pgettext("separator", "；")
        pair = pgettext("key and value", "{key}：{value}")
        rows = [pair.format(key=label, value=f"{before} → {after}") for label, before, after in self.changes_display()]
        rows += [pair.format(key=label, value=value) for label, value in self.values_display()]
        return sep.join(rows)

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            return Q(unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        path = user_scope_path(user)
        return Q(jurisdiction_path__within=path) if path else Q(pk__in=[])


class RollupState(models.Model):
    """When a rollup (a table of totals kept from raw records) was last brought up to date.

    Each rollup has one row, named after it ("cases"): `refreshed_at` is the "as of" time
    its readers show; `checked_at`/`mismatches` record the last comparison with the raw
    records. Its row is also the rollup's lock: one refresh at a time (apps.core.rollups).
    """

    name = models.CharField(max_length=40, unique=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    mismatches = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.name


class RollupEntry(models.Model):
    """What one record of a registered record rollup (apps.core.rollups.RecordRollup) adds to one
    jurisdiction on one day: `value` of `measure`. A record has a row for every jurisdiction
    whose subtree holds an area it counts in (its owner and every area it covered, with all their
    ancestors, each once), so a total of a node never counts one record twice. Kept so that a
    changed or deleted record's old contribution is known; readers use RollupTotal."""

    source = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    node_id = models.IntegerField()
    day = models.DateField()
    measure = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        indexes = [
            models.Index(fields=["source", "record_id"], name="core_rollentry_record_idx"),
            models.Index(fields=["source", "day", "node_id"], name="core_rollentry_day_idx"),
        ]

    def __str__(self):
        return f"{self.source} {self.record_id} {self.node_id} {self.day} {self.measure}={self.value}"


class RollupTotal(models.Model):
    """The sum of `measure` over the records of a record rollup counted in `node_id`'s subtree on
    `day` (the RollupEntry rows of that node and day): what figures of any period read, a row per
    node, day and measure however many records there are."""

    source = models.CharField(max_length=40)
    node_id = models.IntegerField()
    day = models.DateField()
    measure = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "node_id", "day", "measure"], name="core_rolltotal_unique"),
        ]

    def __str__(self):
        return f"{self.source} {self.node_id} {self.day} {self.measure}={self.value}"


class RollupDirty(models.Model):
    """A record of a record rollup whose contribution must be recomputed: appended in the same
    transaction as the change (a save or delete of a watched model), consumed by the refresh."""

    source = models.CharField(max_length=40)
    record_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["source", "id"], name="core_rolldirty_source_idx")]

    def __str__(self):
        return f"{self.source} {self.record_id}"
