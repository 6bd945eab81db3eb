"""爱国卫生活动: drives, 义务劳动, 整治行动, publicity and equipment as one record (`Activity`)
with its participants by kind (人次), its outputs in measured units and its photos; the
volunteer register, teams and sign-ups with hours served.

Nothing here is deleted: an activity is cancelled through its workflow (workflow.py), a
sign-up withdrawn, a volunteer or team made inactive, an output row cleared to zero; every
correction is a versioned, audited edit (services.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q, user_scope_path
from apps.core.roles import Role
from apps.core.units import unit_text
from apps.photos.models import Photo

from .choices import ActivityKind, ActivityStatus, MeasureCategory, ParticipantKind

MAX_HOURS = 24  # hours one volunteer can serve at one activity
MAX_COUNT = 1_000_000  # 人次 of one kind at one activity
MAX_QUANTITY = 10_000_000


class OutputMeasure(TrackedModel):
    """What an activity produced, in one unit: 垃圾 吨, 卫生死角 处, 宣传资料 份, 垃圾箱 个 …

    Built-in measures (measures.BUILTIN) keep their code (the figures name it); the office may
    rename them, change the unit's wording, deactivate them, or add its own."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    unit = models.CharField(_("单位"), max_length=10)
    category = models.CharField(_("类别"), max_length=12, choices=MeasureCategory.choices)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("成效计量项")
        verbose_name_plural = _("成效计量项")
        ordering = ["sort", "id"]

    def __str__(self):
        return gettext("{name}（{unit}）").format(name=self.label, unit=self.unit_label)

    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def unit_label(self) -> str:
        return unit_text(self.unit)

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()  # reference data, the same for everyone who may read it


def activity_scope_q(user, prefix: str = "") -> Q:
    """Activities the user sees: owned by, or covering an area in, the user's subtree (the
    roll-up rule of the totals, so a figure's link opens exactly its records). Unit contacts
    see the activities their unit organised."""
    if user.role == Role.UNIT_CONTACT:
        return Q(**{f"{prefix}organiser_unit_id": user.unit_id}) if user.unit_id else Q(pk__in=[])
    path = user_scope_path(user)
    if not path:
        return Q(pk__in=[])
    covered = Activity.areas.through.objects.filter(jurisdiction__path__within=path).values("activity_id")
    return Q(**{f"{prefix}jurisdiction__path__within": path}) | Q(**{f"{prefix}pk__in": covered})


class Activity(TrackedModel):
    """One 爱国卫生活动: a clean-up drive, 义务劳动, 集中整治, an 爱国卫生月 day, publicity or
    equipment added. `jurisdiction` is the level that held it and entered it; `areas` are the
    places it covered (the owner itself or nodes of its subtree). Status: workflow.py."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("组织辖区"), on_delete=models.PROTECT, related_name="activities"
    )
    areas = models.ManyToManyField(
        "organization.Jurisdiction", verbose_name=_("覆盖区域"), blank=True, related_name="covering_activities"
    )
    organiser = models.CharField(_("组织者"), max_length=100, blank=True)
    organiser_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("组织单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    description = models.TextField(_("活动情况"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
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
        verbose_name = _("爱国卫生活动")
        verbose_name_plural = _("爱国卫生活动")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "held_on"], name="activities_jur_held_idx"),
            models.Index(fields=["status", "held_on"], name="activities_status_held_idx"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return activity_scope_q(user)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.organiser_unit_id}

    @property
    def person_times(self) -> int:
        return sum(p.count for p in self.participants.all())


class Participation(models.Model):
    """人次 of one kind of participant at one activity (one row per kind)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="participants"
    )
    kind = models.CharField(_("参与人员类别"), max_length=20, choices=ParticipantKind.choices)
    count = models.PositiveIntegerField(_("人次"), default=0, validators=[MaxValueValidator(MAX_COUNT)])

    class Meta:
        verbose_name = _("参与人次")
        verbose_name_plural = _("参与人次")
        constraints = [models.UniqueConstraint(fields=["activity", "kind"], name="activities_participation_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.count}"


class Output(models.Model):
    """One output line: a quantity in the measure's unit, the material named (《健康读本》), the
    location (where a bin was put). Corrections change the row; a removed line is cleared to 0."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="outputs")
    measure = models.ForeignKey(OutputMeasure, verbose_name=_("计量项"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("数量"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_QUANTITY)],
    )
    material = models.CharField(_("物品/资料名称"), max_length=100, blank=True)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("活动成效")
        verbose_name_plural = _("活动成效")
        ordering = ["sort", "id"]

    def __str__(self):
        material = f"{self.material} " if self.material else ""
        return f"{self.measure.label} {material}{self.quantity.normalize():f}{self.measure.unit_label}"


class ActivityPhoto(Photo):
    """A photo of an activity, served only to those who may see the activity."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="photos")

    upload_folder = "activities"
    serve_url_name = "activities:activity_photo"

    class Meta(Photo.Meta):
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return f"{self.activity_id} {self.pk}"

    def upload_subfolder(self) -> str:
        return str(self.activity_id)


class VolunteerTeam(TrackedModel):
    """A 志愿服务队 of a jurisdiction."""

    name = models.CharField(_("队伍名称"), max_length=100)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("所属辖区"),
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class Volunteer(TrackedModel):
    """A registered volunteer. Name and phone are personal data (PersonKind.VOLUNTEER): masked
    in lists and files, shown in full on request (audited) to the desk roles."""

    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("志愿服务队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="volunteers"
    )
    is_active = models.BooleanField(_("在册"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["jurisdiction__path", "id"]

    def __str__(self):
        # Never the name itself: this text goes into the audit trail and dropdown labels.
        return gettext("志愿者 {number}").format(number=self.pk)

    def get_absolute_url(self):
        return reverse("activities:volunteer_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class SignUp(TrackedModel):
    """A volunteer signed up (by the desk) for an activity; attendance and hours served are
    recorded after it. Withdrawn, never deleted."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="signups")
    attended = models.BooleanField(_("到场"), null=True, blank=True)
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
    )
    withdrawn_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者报名")
        verbose_name_plural = _("志愿者报名")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="activities_signup_once")]

    def __str__(self):
        return f"{self.activity} · {self.volunteer}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return activity_scope_q(user, prefix="activity__")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.activity.jurisdiction.path}

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def signed_up_on(self):
        return timezone.localdate(self.created_at)
