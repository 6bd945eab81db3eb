"""Cases of the patrol–rectification loop (巡查整改闭环) and what hangs off them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.core.roles import Role
from apps.core.workflow import step_label
from apps.photos.models import Photo, photo_upload_path

from . import limits
from .choices import (
    EVENT_LABELS,
    OPEN_STATUSES,
    CaseSource,
    CaseStatus,
    CategoryKind,
    DeadlineUnit,
    EscalationLevel,
    PhotoStage,
)

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def rollup_month(moment):
    """The first day of the local month holding `moment` (the statistics' rollup month)."""
    return timezone.localtime(moment).date().replace(day=1)


class Category(models.Model):
    """A problem category: 大类 (no parent) or 小类 with its default deadline.

    The deadline is in working hours or working days over the working calendar;
    部件 (facilities) are routed to their owner first, 事件 (events) to the territory.
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("大类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("部件/事件"), max_length=10, choices=CategoryKind.choices, default=CategoryKind.EVENT)
    deadline_amount = models.PositiveIntegerField(_("处置时限"), default=1)
    deadline_unit = models.CharField(
        _("时限单位"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.WORK_DAYS
    )
    photo_required = models.BooleanField(_("必须拍照"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["sort", "id"]

    def __str__(self):
        if self.parent_id:
            return pgettext("category group and name", "{group}/{name}").format(
                group=self.parent.label, name=self.label
            )
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: seeded names have a catalogue entry (categories.py)."""
        return gettext(self.name)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": _("大类必须是顶级类别。")})

    @property
    def deadline_text(self) -> str:
        return f"{self.deadline_amount} {self.get_deadline_unit_display()}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class Case(TrackedModel):
    """One problem, from report to verified closure. Never deleted: 作废 is a state.

    `status` changes only through the services in `services.py`, which follow the
    table in `workflow.py`, lock the row and write a CaseEvent and an AuditEvent.
    """

    code = models.CharField(_("案件编号"), max_length=30, unique=True, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    source = models.CharField(_("来源"), max_length=12, choices=CaseSource.choices, default=CaseSource.PATROL)
    category = models.ForeignKey(Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="cases")
    description = models.TextField(_("问题描述"), blank=True)
    address = models.CharField(_("地点"), max_length=limits.ADDRESS, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="cases"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("上报人姓名"), max_length=limits.REPORTER_NAME, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=limits.REPORTER_PHONE, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    assignee_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee_staff = models.ForeignKey(
        "organization.Staff",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("处置时限"), null=True, blank=True, db_index=True)
    clock_started_at = models.DateTimeField(_("本轮计时开始"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按期结案"), null=True, blank=True)
    handled_on_time = models.BooleanField(_("按期处置"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    escalation_level = models.PositiveSmallIntegerField(
        _("督办级别"), choices=EscalationLevel.choices, default=EscalationLevel.NOTICE
    )
    listed_for_bulletin = models.BooleanField(_("列入通报"), default=False)
    suspension_plan = models.TextField(_("挂账计划"), blank=True)
    review_on = models.DateField(_("复查日期"), null=True, blank=True)
    is_recurrence = models.BooleanField(_("重复发生"), default=False)
    recurrence_of = models.ForeignKey(
        "self", verbose_name=_("此前案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="recurrences"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    hotline_ticket = models.CharField(_("热线工单号"), max_length=limits.HOTLINE_TICKET, blank=True)
    answer_due_at = models.DateTimeField(_("答复时限"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["status", "deadline_at"]),
            models.Index(fields=["category", "created_at"]),
            models.Index(fields=["assignee_unit", "status"]),
            models.Index(fields=["created_at"]),
            # The recurrence and duplicate checks on every report (bench/cases_scale.py: 188 ms -> 1.5 ms).
            models.Index(fields=["category", "lat", "lng"], name="cases_case_cat_lat_lng_idx"),
            # Statistics of one area over a period.
            models.Index(fields=["jurisdiction", "created_at"], name="cases_case_jur_created_idx"),
            # A unit's cases of a period (unit rankings; bench/inspections_scale.py: 100 -> 28 ms per period).
            models.Index(fields=["assignee_unit", "created_at"], name="cases_case_unit_created_idx"),
            # 应结案数's live part next to the rollups: unclosed cases with a deadline, by creation.
            models.Index(
                fields=["jurisdiction", "created_at"],
                condition=Q(deadline_at__isnull=False) & ~Q(status="closed"),
                name="cases_case_open_deadline_idx",
            ),
            # The open-case list of an area (apps/core/keyset.py): a page's ids and the bounded
            # count read this index alone (index-only), never the closed 70 % of the table.
            models.Index(
                fields=["jurisdiction", "-created_at", "-id"],
                name="cases_case_open_jur_new_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.category.label}"

    # The fields the statistics' rollups count by (apps/cases/rollups.py).
    ROLLUP_FIELDS = frozenset(
        {
            "created_at",
            "jurisdiction",
            "category",
            "assignee_unit",
            "status",
            "registered_at",
            "dispatched_at",
            "handled_on_time",
            "closed_on_time",
            "closed_at",
            "rework_count",
            "is_recurrence",
        }
    )

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._rollup_bucket = (case.__dict__.get("jurisdiction_id"), case.__dict__.get("created_at"))
        return case

    def save(self, *args, **kwargs):
        """Saves, and notes the case's statistics bucket (and the one it left, if it moved) for the
        rollups in the same transaction, whenever a counted field may have changed. Writes that
        bypass save() (update(), bulk_create, SQL) call log_rollup_change or rebuild."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self.ROLLUP_FIELDS.intersection(
            name.removesuffix("_id") for name in update_fields
        ):
            return
        self.log_rollup_change(previous=getattr(self, "_rollup_bucket", None))
        self._rollup_bucket = (self.jurisdiction_id, self.created_at)

    def log_rollup_change(self, *, previous_created_at=None, previous: tuple | None = None) -> None:
        """Note that the case's rollup bucket must be recomputed (in the caller's transaction),
        and the bucket it left when its place or creation month changed (`previous`:
        (jurisdiction id, created_at) as loaded; `previous_created_at`: the creation time
        before an update())."""
        buckets = {(self.jurisdiction_id, rollup_month(self.created_at))}
        if previous_created_at is not None:
            buckets.add((self.jurisdiction_id, rollup_month(previous_created_at)))
        if previous is not None and previous[0] is not None and previous[1] is not None:
            buckets.add((previous[0], rollup_month(previous[1])))
        CaseRollupLog.objects.bulk_create([CaseRollupLog(jurisdiction_id=j, month=m) for j, m in sorted(buckets)])

    def get_absolute_url(self):
        return reverse("cases:case_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            return Q(assignee_unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.assignee_unit_id}

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    @property
    def assignee(self):
        return self.assignee_unit or self.assignee_staff

    def deadline_state(self, now=None) -> str:
        """ "overdue", "due_soon" (within the warning share of the time allowed) or "ok"; "" when no clock runs."""
        if self.status not in (CaseStatus.DISPATCHED, CaseStatus.RETURNED) or not self.deadline_at:
            return ""
        now = now or timezone.now()
        if now >= self.deadline_at:
            return "overdue"
        total = (self.deadline_at - (self.clock_started_at or self.dispatched_at or self.created_at)).total_seconds()
        left = (self.deadline_at - now).total_seconds()
        return "due_soon" if total > 0 and left / total <= settings.CASE_DUE_SOON_SHARE else "ok"


class CaseRollup(models.Model):
    """Totals of the cases placed directly on one jurisdiction and created in one local month
    (apps/cases/rollups.py): per `dimension` — "all" (key 0), "category" (key = 小类 id),
    "unit" (key = responsible unit id, 0 for none), "day" (key = day of the month) and
    "deadline" (`reported` only: the unclosed cases whose deadline falls on the day whose
    ordinal is the key).

    Statistics of any subtree and period read these rows (their count grows with the
    jurisdictions and months, never with the cases) and derive every figure of
    apps/cases/statistics.py; 应结案数 at any moment is the closed cases plus the "deadline" rows
    before that moment's day (and the cases due earlier that same day).
    """

    DIMENSIONS = ("all", "category", "unit", "day", "deadline")

    node = models.ForeignKey("organization.Jurisdiction", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    dimension = models.CharField(max_length=10)
    key = models.IntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    handled_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    returned_for_rework = models.PositiveIntegerField(default=0)
    recurrences = models.PositiveIntegerField(default=0)
    close_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "month", "dimension", "key"], name="cases_rollup_bucket_unique")
        ]
        indexes = [models.Index(fields=["dimension", "month", "node"], name="cases_rollup_read_idx")]

    def __str__(self):
        return f"{self.node_id} {self.month:%Y-%m} {self.dimension}:{self.key}"


class CaseRollupLog(models.Model):
    """A (jurisdiction, month) whose rollup rows must be recomputed: appended in the same
    transaction as every change of a case (never updated, so never contended), consumed by
    apps.cases.rollups.rollups_refresh."""

    jurisdiction_id = models.IntegerField()
    month = models.DateField()

    def __str__(self):
        return f"{self.jurisdiction_id} {self.month:%Y-%m}"


class CaseEvent(models.Model):
    """One step in a case's timeline: who did what, when, with which note and photos."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件流程记录")
        verbose_name_plural = _("案件流程记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.case.code} {self.action}"

    @property
    def to_status_label(self) -> str:
        return CaseStatus(self.to_status).label if self.to_status else ""

    def get_action_label(self) -> str:
        """The step's readable name: its transition's label, or the other events' label."""
        return str(step_label(Case, self.action) or EVENT_LABELS.get(self.action, self.action))


def case_photo_path(instance, filename):
    """Kept for the historical migrations; the path is built by `Photo.upload_path`."""
    return photo_upload_path(instance, filename)


class CasePhoto(Photo):
    """A photo kept with a case, resized on upload; EXIF capture time and place are kept."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("流程记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.BEFORE)

    # Photos are served through a view that checks the viewer may see the case.
    upload_folder = "cases"
    serve_url_name = "cases:case_photo"

    class Meta(Photo.Meta):
        verbose_name = _("案件照片")
        verbose_name_plural = _("案件照片")

    def __str__(self):
        return f"{self.case_id} {self.get_stage_display()}"

    def upload_subfolder(self) -> str:
        return str(self.case_id)
