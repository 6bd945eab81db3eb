"""Inspections and ranking (检查评比): checklists, plans and rounds, score sheets, appeals, rankings.

Scores are stored with the checklist version they used and rankings with the weights in
force, so a past ranking can always be recomputed and explained item by item.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q, user_scope_path
from apps.core.roles import Role
from apps.photos.models import Photo, photo_upload_path

from . import scoring
from .choices import (
    AppealStatus,
    FlagKind,
    InspectionStatus,
    ItemRuleKind,
    PeriodKind,
    PlanKind,
    SampleMode,
    ScoreChangeKind,
    TargetKind,
)

SCORE = {"max_digits": 6, "decimal_places": 1}
POSITIVE = [MinValueValidator(Decimal(0))]


def ancestors_or_self_q(user, field: str) -> Q:
    """Rows attached to the user's jurisdiction or one of its ancestors (what was published *to* them)."""
    path = user_scope_path(user)
    if user.role == Role.UNIT_CONTACT and user.unit_id:
        path = user.unit.jurisdiction.path
    if not path:
        return Q(pk__in=[])
    ancestor_ids = [int(part) for part in path.strip("/").split("/") if part]
    return Q(**{f"{field}_id__in": ancestor_ids})


# Checklists --------------------------------------------------------------------------------


class ChecklistTemplate(TrackedModel):
    """A score sheet (检查细则). Its items live in versions; editing a version in use makes a new one."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    target_kind = models.CharField(_("检查对象"), max_length=20, choices=TargetKind.choices, default=TargetKind.UNIT)
    unit_types = models.ManyToManyField(
        "organization.UnitType", verbose_name=_("适用单位类型"), blank=True, related_name="+"
    )
    level = models.ForeignKey(
        "organization.JurisdictionLevel",
        verbose_name=_("适用辖区层级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_example = models.BooleanField(_("示例分值"), default=False, help_text=_("随系统提供的示例，分值请按实际调整"))
    is_active = models.BooleanField(_("启用"), default=True)
    current_version = models.ForeignKey(
        "ChecklistVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:template_detail", args=[self.pk])

    def clean(self):
        if self.target_kind == TargetKind.JURISDICTION and not self.level_id:
            raise ValidationError({"level": _("检查对象为辖区时，请选择辖区层级（如小区）。")})

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class ChecklistVersion(models.Model):
    """One frozen-once-used edition of a template's sections and items."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique")]

    def __str__(self):
        return f"{self.template.name} v{self.number}"

    @property
    def in_use(self) -> bool:
        return self.inspections.exists()

    @property
    def max_total(self) -> Decimal:
        return sum((item.max_score for item in self.items.all()), Decimal(0))


class ChecklistSection(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("名称"), max_length=100)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查项目大类")
        verbose_name_plural = _("检查项目大类")
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    # `version` repeats `section.version` on purpose: a sheet's items are looked up by version on
    # every save and score without a join; the checklist services set both together.
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        ChecklistSection, verbose_name=_("大类"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=20)
    text = models.CharField(_("检查内容"), max_length=255)
    max_score = models.DecimalField(_("分值"), validators=[MinValueValidator(Decimal("0.1"))], **SCORE)
    rule = models.CharField(
        _("扣分方式"), max_length=20, choices=ItemRuleKind.choices, default=ItemRuleKind.PER_OCCURRENCE
    )
    deduction = models.DecimalField(_("每次扣分"), default=0, validators=POSITIVE, **SCORE)
    cap = models.DecimalField(_("扣分上限"), null=True, blank=True, validators=POSITIVE, **SCORE)
    photo_required = models.BooleanField(_("扣分须拍照"), default=True)
    veto = models.BooleanField(_("一票否决"), default=False)
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("整改案件类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": False, "is_active": True},
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["section__sort", "section_id", "sort", "id"]

    def __str__(self):
        return f"{self.code} {self.text}"

    def clean(self):
        if self.rule == ItemRuleKind.PASS_FAIL:
            self.deduction, self.cap = Decimal(0), None
            return
        if not self.deduction:
            raise ValidationError({"deduction": _("请填写扣分值。")})
        if self.deduction > self.max_score:
            raise ValidationError({"deduction": _("扣分值不能大于分值。")})
        if self.rule == ItemRuleKind.FIXED:
            self.cap = None
        elif self.cap is not None and self.cap > self.max_score:
            raise ValidationError({"cap": _("扣分上限不能大于分值。")})

    def as_rule(self) -> scoring.ItemRule:
        return scoring.ItemRule(
            code=str(self.pk),
            max_score=self.max_score,
            rule=self.rule,
            deduction=self.deduction,
            cap=self.cap,
            veto=self.veto,
        )


# Ranking rules -------------------------------------------------------------------------------


class RankingScheme(TrackedModel):
    """Weights and flag rules of one jurisdiction's rankings; the nearest ancestor's applies below it."""

    jurisdiction = models.OneToOneField(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="ranking_scheme"
    )
    weight_inspection = models.DecimalField(
        _("检查得分权重"), max_digits=4, decimal_places=2, default=Decimal("0.6"), validators=POSITIVE
    )
    weight_closure = models.DecimalField(
        _("按期结案率权重"), max_digits=4, decimal_places=2, default=Decimal("0.3"), validators=POSITIVE
    )
    weight_recurrence = models.DecimalField(
        _("重复发生扣减权重"), max_digits=4, decimal_places=2, default=Decimal("0.1"), validators=POSITIVE
    )
    red_flags = models.PositiveSmallIntegerField(_("流动红旗名额"), default=1)
    yellow_flags = models.PositiveSmallIntegerField(_("黄旗（末位）名额"), default=1, help_text=_("0 表示不评黄旗"))
    appeal_days = models.PositiveSmallIntegerField(
        _("申诉期限（天）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评比规则")
        verbose_name_plural = _("评比规则")

    def __str__(self):
        return str(self.jurisdiction)

    def clean(self):
        if not (self.weight_inspection + self.weight_closure + self.weight_recurrence):
            raise ValidationError(_("权重之和必须大于 0。"))

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}

    def weights(self) -> dict[str, Decimal]:
        return {
            "inspection": self.weight_inspection,
            "closure": self.weight_closure,
            "recurrence": self.weight_recurrence,
        }


# Plans and rounds ----------------------------------------------------------------------------


class InspectionPlan(TrackedModel):
    """Recurring rounds of one checklist over a set of targets in a jurisdiction."""

    name = models.CharField(_("名称"), max_length=100)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("检查范围"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT)
    kind = models.CharField(_("检查类型"), max_length=20, choices=PlanKind.choices, default=PlanKind.MONTHLY_JOINT)
    unit_types = models.ManyToManyField(
        "organization.UnitType", verbose_name=_("检查的单位类型"), blank=True, related_name="+"
    )
    sample_mode = models.CharField(_("抽查方式"), max_length=10, choices=SampleMode.choices, default=SampleMode.ALL)
    sample_count = models.PositiveIntegerField(_("每类抽取数量"), null=True, blank=True)
    sample_share = models.PositiveSmallIntegerField(
        _("每类抽取比例（%）"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="inspection_plans"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:plan_detail", args=[self.pk])

    def clean(self):
        if self.sample_mode == SampleMode.COUNT and not self.sample_count:
            raise ValidationError({"sample_count": _("请填写每类抽取的数量。")})
        if self.sample_mode == SampleMode.SHARE and not self.sample_share:
            raise ValidationError({"sample_share": _("请填写每类抽取的比例。")})

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class InspectionRound(TrackedModel):
    """One round of a plan: its period, deadline and the targets drawn (with the seed used)."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("检查计划"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveIntegerField(_("轮次"))
    period_start = models.DateField(_("检查期开始"))
    period_end = models.DateField(_("检查期结束"))
    deadline = models.DateField(_("完成期限"))
    seed = models.BigIntegerField(_("抽样种子"))
    sampling = models.JSONField(_("抽样情况"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查轮次")
        verbose_name_plural = _("检查轮次")
        ordering = ["-period_start", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="inspection_round_unique")]

    def __str__(self):
        return _("{plan} 第{number}轮").format(plan=self.plan.name, number=self.number)

    def get_absolute_url(self):
        return reverse("inspections:round_detail", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("结束日期不能早于开始日期。")})
        if self.deadline and self.period_start and self.deadline < self.period_start:
            raise ValidationError({"deadline": _("完成期限不能早于开始日期。")})

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="plan__jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.plan.jurisdiction.path}


# Inspections -------------------------------------------------------------------------------


class Inspection(TrackedModel):
    """One score sheet filled in for one target. Submitted sheets change only by correction or appeal."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("检查轮次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    checklist = models.ForeignKey(
        ChecklistVersion, verbose_name=_("检查表版本"), on_delete=models.PROTECT, related_name="inspections"
    )
    target_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("被检查单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    target_jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    max_total = models.DecimalField(_("满分"), default=0, **SCORE)
    total = models.DecimalField(_("得分"), null=True, blank=True, **SCORE)
    percent = models.DecimalField(_("百分制得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    original_total = models.DecimalField(_("原始得分"), null=True, blank=True, **SCORE)
    original_percent = models.DecimalField(_("原始百分制得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    appeal_until = models.DateField(_("申诉截止日期"), null=True, blank=True)
    representative_name = models.CharField(_("被检查方代表"), max_length=50, blank=True)
    representative_confirmed = models.BooleanField(_("代表已确认"), default=False)
    summary = models.TextField(_("检查意见"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            # Rankings: submitted sheets of a period, grouped by target.
            models.Index(fields=["status", "inspected_on", "target_unit"], name="insp_status_day_unit_idx"),
            models.Index(fields=["status", "inspected_on", "target_jurisdiction"], name="insp_status_day_jur_idx"),
            models.Index(fields=["inspector", "status"], name="insp_inspector_status_idx"),
        ]

    def __str__(self):
        return _("{target} 检查（{template}）").format(target=self.target_label, template=self.checklist.template.name)

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def target_label(self) -> str:
        return str(self.target_unit or self.target_jurisdiction)

    @property
    def is_submitted(self) -> bool:
        return self.status == InspectionStatus.SUBMITTED

    @property
    def score_changed(self) -> bool:
        return self.original_total is not None and self.original_total != self.total

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            # A unit sees its own sheets once submitted (an unannounced visit stays unannounced).
            if not user.unit_id:
                return Q(pk__in=[])
            return Q(target_unit_id=user.unit_id, status=InspectionStatus.SUBMITTED)
        return jurisdiction_scope_q(user, field="target_jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.target_jurisdiction.path, "unit_id": self.target_unit_id}


class InspectionResult(models.Model):
    """The finding on one item. `client_stamp` orders saves replayed after a lost connection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="+")
    occurrences = models.PositiveIntegerField(_("问题处数"), default=0)
    passed = models.BooleanField(_("合格"), default=True)
    deduction = models.DecimalField(_("扣分"), default=0, **SCORE)
    original_deduction = models.DecimalField(_("原始扣分"), null=True, blank=True, **SCORE)
    note = models.TextField(_("扣分说明"), blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("整改案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_finding",
    )
    client_stamp = models.BigIntegerField(_("客户端时间戳"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查项目结果")
        verbose_name_plural = _("检查项目结果")
        ordering = ["item__section__sort", "item__sort", "item_id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_unique")]

    def __str__(self):
        return f"{self.item.code} -{self.deduction}"

    def audit_scope(self) -> dict:
        return self.inspection.audit_scope()

    def as_result(self) -> scoring.ItemResult:
        return scoring.ItemResult(self.item.as_rule(), occurrences=self.occurrences, passed=self.passed)


def inspection_photo_path(instance, filename):
    """Kept for the historical migrations; the path is built by `Photo.upload_path`."""
    return photo_upload_path(instance, filename)


class InspectionPhoto(Photo):
    """A photo of a deduction (result) or of an appeal's evidence; served through a scoped view."""

    result = models.ForeignKey(
        InspectionResult,
        verbose_name=_("检查项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    appeal = models.ForeignKey(
        "Appeal", verbose_name=_("申诉"), null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    client_key = models.CharField(_("上传标识"), max_length=64, blank=True, db_index=True)

    upload_folder = "inspections"
    serve_url_name = "inspections:photo"

    class Meta(Photo.Meta):
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self):
        return f"{self.result_id or self.appeal_id}"


class Appeal(TrackedModel):
    """A unit's appeal (申诉) against one deduction, decided by a reviewer."""

    result = models.ForeignKey(
        InspectionResult, verbose_name=_("申诉的扣分项"), on_delete=models.PROTECT, related_name="appeals"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(_("状态"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("复核意见"), blank=True)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("申诉：{target} {item}").format(target=self.inspection.target_label, item=self.result.item.code)

    def get_absolute_url(self):
        return reverse("inspections:appeal_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            return Q(inspection__target_unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        return jurisdiction_scope_q(user, field="inspection__target_jurisdiction")

    def audit_scope(self) -> dict:
        return self.inspection.audit_scope()


class ScoreChange(models.Model):
    """Append-only history of a submitted score changing (更正 or 申诉改判), original kept."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="score_changes"
    )
    result = models.ForeignKey(
        InspectionResult, verbose_name=_("检查项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(Appeal, verbose_name=_("申诉"), null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=12, choices=ScoreChangeKind.choices)
    reason = models.TextField(_("理由"))
    deduction_before = models.DecimalField(_("原扣分"), **SCORE)
    deduction_after = models.DecimalField(_("新扣分"), **SCORE)
    total_before = models.DecimalField(_("原得分"), **SCORE)
    total_after = models.DecimalField(_("新得分"), **SCORE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("得分变更")
        verbose_name_plural = _("得分变更")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.inspection_id} {self.total_before}->{self.total_after}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Score changes are append-only")
        super().save(*args, **kwargs)


# Rankings ------------------------------------------------------------------------------------


class PublishedRanking(TrackedModel):
    """A ranking as published (评比结果/通报): rows, weights and flags frozen, recalculated on appeals.

    `level_key` is "unit:<unit type code>" or "level:<jurisdiction level code>".
    """

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("评比范围"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("评比周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    level_key = models.CharField(_("评比对象"), max_length=60)
    level_label = models.CharField(_("评比对象名称"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=100)
    weights = models.JSONField(_("权重"), default=dict)
    rules = models.JSONField(_("评比规则"), default=dict)
    rows = models.JSONField(_("排名"), default=list)
    requirements = models.TextField(_("整改要求"), blank=True)
    is_public = models.BooleanField(_("公布上墙"), default=True)
    revision = models.PositiveIntegerField(_("修订次数"), default=0)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评比结果")
        verbose_name_plural = _("评比结果")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "period_kind", "period_start", "level_key"], name="published_ranking_unique"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:published_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        """Its own subtree's rankings, plus public ones published above (the wall: 公布上墙)."""
        if user.role == Role.UNIT_CONTACT:
            return ancestors_or_self_q(user, "jurisdiction") & Q(is_public=True)
        return jurisdiction_scope_q(user, field="jurisdiction") | (
            ancestors_or_self_q(user, "jurisdiction") & Q(is_public=True)
        )

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class FlagAward(models.Model):
    """流动红旗 / 黄旗 history. A recalculation that takes a flag away keeps the row, revoked."""

    ranking = models.ForeignKey(
        PublishedRanking, verbose_name=_("评比结果"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=FlagKind.choices)
    target_key = models.CharField(_("对象标识"), max_length=40)
    target_label = models.CharField(_("对象"), max_length=200)
    rank = models.PositiveIntegerField(_("名次"))
    composite = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    awarded_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("红黄旗记录")
        verbose_name_plural = _("红黄旗记录")
        ordering = ["-ranking__period_start", "kind", "rank", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_label}"
