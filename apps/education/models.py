"""健康教育: the yearly plan with its targets per month (开课率 = held ÷ planned), the activities
held (lectures, classes, clinics, materials, 控烟, 健康家庭) with attendance, materials and
photos, the register of fixed bulletin boards (宣传栏) and their updates, and the smoke-free
places (控烟) with their signs and checks.

Nothing is deleted: an activity is cancelled through its workflow, a board or place made
inactive; every correction is a versioned, audited edit (services).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.photos.models import Photo

from .choices import Audience, Cadence, CheckResult, EduKind, EduStatus, PlaceKind

MAX_PLANNED = 500  # sessions of one kind planned in one month
MAX_PEOPLE = 1_000_000  # 人次 at one activity
MAX_QUANTITY = 10_000_000  # copies of one material
MAX_SIGNS = 10_000


def _token() -> str:
    return secrets.token_urlsafe(16)


class EducationPlan(TrackedModel):
    """A jurisdiction's yearly health-education plan (健康教育工作计划): its targets are the
    sessions planned per kind and month (`PlanTarget`)."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="education_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("计划名称"), max_length=100)
    notes = models.TextField(_("主要内容"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("健康教育计划")
        verbose_name_plural = _("健康教育计划")
        ordering = ["-year", "jurisdiction__path"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="education_plan_once_a_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("education:plan_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class PlanTarget(models.Model):
    """Sessions of one kind planned in one month of the plan's year (0 rows are not stored)."""

    plan = models.ForeignKey(EducationPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("类型"), max_length=20, choices=EduKind.choices)
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    planned = models.PositiveSmallIntegerField(_("计划场次"), validators=[MaxValueValidator(MAX_PLANNED)])

    class Meta:
        verbose_name = _("计划目标")
        verbose_name_plural = _("计划目标")
        ordering = ["kind", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "month"], name="education_target_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.month} {self.planned}"


class EducationActivity(TrackedModel):
    """One health-education activity: a lecture, a class, a clinic, a material hand-out, a 控烟
    action or a 健康家庭 selection. Planned, then held (attendance, materials, photos) or
    cancelled (workflow.py). `signed_in` counts the phone sign-ins of its public sign-in page
    (one per device, `ActivitySignIn`); the recorded `attendance` (人次) is never below it."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("辖区"),
        on_delete=models.PROTECT,
        related_name="education_activities",
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=EduKind.choices)
    topic = models.CharField(_("主题"), max_length=100)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    speaker = models.CharField(_("主讲人/组织者"), max_length=100, blank=True)
    organiser_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("组织单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="education_activities",
    )
    audience = models.CharField(_("对象"), max_length=20, choices=Audience.choices, default=Audience.RESIDENTS)
    attendance = models.PositiveIntegerField(_("参加人次"), default=0, validators=[MaxValueValidator(MAX_PEOPLE)])
    signed_in = models.PositiveIntegerField(_("扫码签到人次"), default=0, editable=False)
    signin_token = models.CharField(_("签到码"), max_length=32, unique=True, default=_token, editable=False)
    description = models.TextField(_("活动情况"), blank=True, max_length=4000)
    status = models.CharField(_("状态"), max_length=12, choices=EduStatus.choices, default=EduStatus.PLANNED)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("健康教育活动")
        verbose_name_plural = _("健康教育活动")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "held_on"], name="education_act_jur_held_idx"),
            models.Index(fields=["status", "kind", "held_on"], name="education_act_status_idx"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("education:activity_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction", "organiser_unit_id")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.organiser_unit_id}


class MaterialLine(models.Model):
    """Materials handed out at an activity: 《健康读本》 400 册, “吸烟有害健康”标志 30 张 …"""

    activity = models.ForeignKey(
        EducationActivity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("资料名称"), max_length=100)
    quantity = models.PositiveIntegerField(
        _("数量"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit = models.CharField(_("单位"), max_length=10, default="份")
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("发放资料")
        verbose_name_plural = _("发放资料")
        ordering = ["sort", "id"]

    def __str__(self):
        return f"{self.title} {self.quantity}{self.unit}"


class ActivitySignIn(models.Model):
    """One phone sign-in on an activity's public page: no name, no phone; `device` is the hash of
    the phone's anonymous cookie (apps/core/public.py), one sign-in per device and activity."""

    activity = models.ForeignKey(
        EducationActivity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="signins"
    )
    device = models.CharField(_("设备标识"), max_length=64)
    signed_at = models.DateTimeField(_("签到时间"), default=timezone.now)

    class Meta:
        verbose_name = _("扫码签到")
        verbose_name_plural = _("扫码签到")
        constraints = [models.UniqueConstraint(fields=["activity", "device"], name="education_signin_once")]

    def __str__(self):
        return f"{self.activity_id} {self.signed_at:%Y-%m-%d %H:%M}"


class EducationActivityPhoto(Photo):
    """A photo of an activity, served only to those who may see the activity."""

    activity = models.ForeignKey(
        EducationActivity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="photos"
    )

    upload_folder = "education/activities"
    serve_url_name = "education:activity_photo"

    class Meta(Photo.Meta):
        verbose_name = _("健康教育活动照片")
        verbose_name_plural = _("健康教育活动照片")


class Board(TrackedModel):
    """A fixed health-education bulletin board (宣传栏): where it stands, its size, who keeps it
    and how often its content must change. `last_updated_on` repeats the newest update's date
    (kept by the update service) so the register and the overdue job read one row per board;
    `notified_period` is the period key ("2026-11", "2026Q4") whose lapse was last notified, so
    the daily job notifies once per missed period."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="boards"
    )
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("位置"), max_length=200)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    width_m = models.DecimalField(
        _("宽（米）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    height_m = models.DecimalField(
        _("高（米）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    owner_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("维护单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
    )
    cadence = models.CharField(_("更换周期"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    installed_on = models.DateField(_("设立日期"))
    is_active = models.BooleanField(_("在用"), default=True)
    last_updated_on = models.DateField(_("最近更新"), null=True, blank=True, editable=False)
    notified_period = models.CharField(_("已提醒周期"), max_length=8, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传栏")
        verbose_name_plural = _("宣传栏")
        ordering = ["jurisdiction__path", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("education:board_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction", "owner_unit_id")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.owner_unit_id}


class BoardUpdate(models.Model):
    """One change of a board's content, proved by at least one photo."""

    board = models.ForeignKey(Board, verbose_name=_("宣传栏"), on_delete=models.PROTECT, related_name="updates")
    updated_on = models.DateField(_("更换日期"))
    topic = models.CharField(_("主题"), max_length=100)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("宣传栏更新")
        verbose_name_plural = _("宣传栏更新")
        ordering = ["-updated_on", "-id"]
        indexes = [models.Index(fields=["board", "updated_on"], name="education_boardupd_idx")]

    def __str__(self):
        return f"{self.updated_on:%Y-%m-%d} {self.topic}"

    def audit_scope(self) -> dict:
        return self.board.audit_scope()


class BoardUpdatePhoto(Photo):
    update = models.ForeignKey(BoardUpdate, verbose_name=_("更新"), on_delete=models.PROTECT, related_name="photos")

    upload_folder = "education/boards"
    serve_url_name = "education:board_photo"

    class Meta(Photo.Meta):
        verbose_name = _("宣传栏照片")
        verbose_name_plural = _("宣传栏照片")


class SmokeFreePlace(TrackedModel):
    """A place that must be smoke-free (无烟场所): its kind, the unit in charge, and its no-smoking
    signs (required and posted)."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="smoke_free_places"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("场所类型"), max_length=20, choices=PlaceKind.choices)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    signs_required = models.PositiveIntegerField(
        _("应设禁烟标识"), default=1, validators=[MaxValueValidator(MAX_SIGNS)]
    )
    signs_posted = models.PositiveIntegerField(_("已设禁烟标识"), default=0, validators=[MaxValueValidator(MAX_SIGNS)])
    is_active = models.BooleanField(_("在用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("无烟场所")
        verbose_name_plural = _("无烟场所")
        ordering = ["jurisdiction__path", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("education:place_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction", "unit_id")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.unit_id}


class SmokeFreeCheck(models.Model):
    """One check of a smoke-free place: signs found, what was seen, the result. A failed finding
    opens a rectification case (services); `case_codes` lists the cases it opened."""

    place = models.ForeignKey(SmokeFreePlace, verbose_name=_("场所"), on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("检查日期"))
    signs_found = models.PositiveIntegerField(_("现场禁烟标识"), validators=[MaxValueValidator(MAX_SIGNS)])
    smoking_seen = models.BooleanField(_("发现吸烟"), default=False)
    butts_seen = models.BooleanField(_("发现烟头"), default=False)
    ashtrays_seen = models.BooleanField(_("摆放烟具"), default=False)
    tobacco_ads = models.BooleanField(_("烟草广告"), default=False)
    result = models.CharField(_("结果"), max_length=8, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    case_codes = models.JSONField(_("整改案件"), default=list, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("控烟检查")
        verbose_name_plural = _("控烟检查")
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.checked_on:%Y-%m-%d} {self.place}"

    def audit_scope(self) -> dict:
        return self.place.audit_scope()


class SmokeFreeCheckPhoto(Photo):
    check_record = models.ForeignKey(
        SmokeFreeCheck, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="photos"
    )

    upload_folder = "education/smokefree"
    serve_url_name = "education:check_photo"

    class Meta(Photo.Meta):
        verbose_name = _("控烟检查照片")
        verbose_name_plural = _("控烟检查照片")
