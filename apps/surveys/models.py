"""问卷调查: a generic survey engine. A questionnaire (owned by a jurisdiction) has versions of
questions; answers keep the version they answered. Results (知晓率, 健康行为形成率, 满意率) are
never typed in: each response is scored when it is saved (scoring.py, by the questionnaire's
rules) and the results aggregate the stored scores (stats.py for the Wilson intervals).

Answering is public (a link and a QR code, no login, no personal data: `device_hash` is the
hash of an anonymous cookie) or by an interviewer (staff, on a phone, through an offline
outbox; `client_uuid` makes a replay harmless).
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.core.roles import Role

from .choices import (
    AgeGroup,
    Channel,
    Demographic,
    QuestionKind,
    QuestionRole,
    RefusalReason,
    ResidentType,
    Sex,
    SurveyStatus,
)

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
MAX_TARGET = 1_000_000


def _token() -> str:
    return secrets.token_urlsafe(16)


class Questionnaire(TrackedModel):
    """A survey a jurisdiction runs (创卫知晓率调查, 健康素养调查, 满意度调查 …).

    Scoring rules: a respondent is aware (知晓) when they answer at least `aware_share` % of
    the knowledge items correctly, behaviour-formed when at least `behaviour_share` % of the
    behaviour items have a healthy answer; satisfaction is the share of scale answers scoring
    `positive_from` or more. `standard` names the standard whose targets the results are held
    against (its indicators with the surveys.* figure keys). Status: workflow.py — opening
    freezes the current version, closing freezes the results (`frozen_results`) and refuses
    late answers."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    title = models.CharField(_("问卷名称"), max_length=100)
    description = models.TextField(_("卷首语"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("对照标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aware_share = models.DecimalField(
        _("知晓判定（答对知识题比例 %）"), max_digits=5, decimal_places=2, default=Decimal("60"), validators=PERCENT
    )
    behaviour_share = models.DecimalField(
        _("行为形成判定（健康行为题比例 %）"), max_digits=5, decimal_places=2, default=Decimal("60"), validators=PERCENT
    )
    positive_from = models.PositiveSmallIntegerField(
        _("满意判定（量表分值不低于）"), default=4, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    public_enabled = models.BooleanField(_("允许扫码自填"), default=True)
    public_token = models.CharField(_("公开链接码"), max_length=32, unique=True, default=_token, editable=False)
    device_window_hours = models.PositiveSmallIntegerField(
        _("同一设备作答间隔（小时）"), default=720, validators=[MinValueValidator(1), MaxValueValidator(8760)]
    )
    planned_start = models.DateField(_("计划开始"), null=True, blank=True)
    planned_end = models.DateField(_("计划结束"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    current_version = models.ForeignKey(
        "QuestionnaireVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    frozen_results = models.JSONField(_("结束时的结果"), default=dict, blank=True, editable=False)
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
        verbose_name = _("调查问卷")
        verbose_name_plural = _("调查问卷")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:questionnaire_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        """Surveys of the user's subtree, and the surveys of the levels above it: a street's
        survey is answered in its communities, so their staff and grid workers open it to
        interview, and read its results. Changing a survey stays with its owner level
        (workflow.owns), which every write checks."""
        own = jurisdiction_scope_q(user, "jurisdiction")
        jurisdiction = getattr(user, "jurisdiction", None)
        if user.role == Role.UNIT_CONTACT or jurisdiction is None:
            return own
        return own | Q(jurisdiction_id__in=jurisdiction.ancestor_ids)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class QuestionnaireVersion(models.Model):
    """One edition of a questionnaire's questions. A version that has answers is frozen: editing
    the questions of an open survey makes the next version (services)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="surveys_version_unique")]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="questions"
    )
    sort = models.PositiveSmallIntegerField(_("题号"), default=0)
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    role = models.CharField(_("用途"), max_length=12, choices=QuestionRole.choices, default=QuestionRole.GENERAL)
    demographic = models.CharField(_("基本情况项"), max_length=16, choices=Demographic.choices, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    help_text = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["sort", "id"]

    def __str__(self):
        return self.text


class Option(models.Model):
    """A choice of a question: correct (knowledge), healthy (behaviour), its `score` on the
    satisfaction scale (None: 不了解, not counted), the demographic code it stands for
    (`value`) or, for a community item, the community (`community`)."""

    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="options")
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("选项"), max_length=200)
    is_correct = models.BooleanField(_("正确答案"), default=False)
    is_healthy = models.BooleanField(_("健康行为"), default=False)
    score = models.PositiveSmallIntegerField(
        _("分值"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    value = models.CharField(_("代码"), max_length=20, blank=True)
    community = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["sort", "id"]

    def __str__(self):
        return self.text


class SamplingTarget(models.Model):
    """The sampling plan: respondents wanted in one community."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="sampling_targets"
    )
    community = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.PositiveIntegerField(
        _("目标样本量"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET)]
    )

    class Meta:
        verbose_name = _("抽样目标")
        verbose_name_plural = _("抽样目标")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "community"], name="surveys_target_once")]

    def __str__(self):
        return f"{self.community} {self.target}"


class AgeQuota(models.Model):
    """The sampling plan's quota of respondents in one age group (over the whole survey)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="age_quotas"
    )
    age_group = models.CharField(_("年龄段"), max_length=8, choices=AgeGroup.choices)
    target = models.PositiveIntegerField(_("配额"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET)])

    class Meta:
        verbose_name = _("年龄配额")
        verbose_name_plural = _("年龄配额")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "age_group"], name="surveys_quota_once")]

    def __str__(self):
        return f"{self.get_age_group_display()} {self.target}"


class Response(models.Model):
    """One respondent's answers, scored when saved. The demographic columns repeat the
    respondent's demographic answers so results group by them without reading answers."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="responses"
    )
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    client_uuid = models.UUIDField(_("提交编号"), unique=True, null=True, blank=True)
    device_hash = models.CharField(_("设备标识"), max_length=64, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("作答时间"), default=timezone.now)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    community = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age_group = models.CharField(_("年龄段"), max_length=8, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    resident_type = models.CharField(_("居住类型"), max_length=12, choices=ResidentType.choices, blank=True)
    knowledge_correct = models.PositiveSmallIntegerField(_("答对知识题"), default=0)
    knowledge_total = models.PositiveSmallIntegerField(_("知识题数"), default=0)
    behaviour_healthy = models.PositiveSmallIntegerField(_("健康行为题"), default=0)
    behaviour_total = models.PositiveSmallIntegerField(_("行为题数"), default=0)
    satisfaction_positive = models.PositiveSmallIntegerField(_("满意回答"), default=0)
    satisfaction_total = models.PositiveSmallIntegerField(_("满意度回答"), default=0)
    aware = models.BooleanField(_("知晓"), default=False)
    behaviour_formed = models.BooleanField(_("行为形成"), default=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["questionnaire", "community"], name="surveys_resp_community_idx"),
            models.Index(fields=["questionnaire", "age_group"], name="surveys_resp_age_idx"),
            models.Index(fields=["questionnaire", "device_hash", "answered_at"], name="surveys_resp_device_idx"),
        ]

    def __str__(self):
        return f"{self.questionnaire} #{self.pk}"

    @property
    def channel_is_public(self) -> bool:
        return self.channel == Channel.PUBLIC


class Answer(models.Model):
    """One chosen option of one question (a multiple-choice item has one row per option)."""

    response = models.ForeignKey(Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, verbose_name=_("选项"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        indexes = [models.Index(fields=["question", "option"], name="surveys_answer_option_idx")]

    def __str__(self):
        return f"{self.response_id} {self.question_id} {self.option_id}"


class Refusal(models.Model):
    """Public answers refused, counted per questionnaire, day and reason (never who sent them)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="refusals"
    )
    day = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=10, choices=RefusalReason.choices)
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("拒收记录")
        verbose_name_plural = _("拒收记录")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "day", "reason"], name="surveys_refusal_once")]

    def __str__(self):
        return f"{self.day} {self.get_reason_display()} {self.count}"
