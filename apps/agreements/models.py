"""Responsibility agreements (责任书): their types, versioned templates, the agreements themselves
with the photos or scans of the signed page, and the background jobs that generate them in bulk."""

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
from apps.photos.models import Photo

from .choices import AgreementStatus, JobStatus, PartyKind, RequiredRule

OPEN_STATUSES = (AgreementStatus.GENERATED, AgreementStatus.SIGNED, AgreementStatus.REFUSED)


def duty_lines(text: str) -> list[str]:
    """The duties of a template or an agreement, stored one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgreementType(models.Model):
    """A kind of agreement (门前三包, 门前五包, 共驻共建, 目标责任书, 承诺书) and who must hold one.

    Built in as data (migration 0002); `required_rule` with `unit_types` and `party_levels` says
    which parties count in the coverage rate's denominator."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(_("编号前缀"), max_length=10)
    party_kind = models.CharField(_("签订对象"), max_length=20, choices=PartyKind.choices, default=PartyKind.UNIT)
    required_rule = models.CharField(_("应签范围"), max_length=20, choices=RequiredRule.choices)
    unit_types = models.JSONField(_("应签单位类型"), default=list, blank=True)
    party_levels = models.JSONField(_("应签辖区层级"), default=list, blank=True)
    zone_kind = models.CharField(_("对应责任区类别"), max_length=20, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书类型")
        verbose_name_plural = _("责任书类型")
        ordering = ["sort", "id"]

    def __str__(self):
        return gettext(self.name)

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class AgreementTemplate(TrackedModel):
    """An editable template of a type; its text lives in numbered versions (a version agreements
    already use is never changed: editing it makes the next version)."""

    agreement_type = models.ForeignKey(
        AgreementType, verbose_name=_("责任书类型"), on_delete=models.PROTECT, related_name="templates"
    )
    name = models.CharField(_("模板名称"), max_length=100)
    current_version = models.ForeignKey(
        "TemplateVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书模板")
        verbose_name_plural = _("责任书模板")
        ordering = ["agreement_type__sort", "id"]

    def __str__(self):
        return gettext(self.name)

    def get_absolute_url(self):
        return reverse("agreements:template_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()  # reference data, read by every desk (edited by the office)


class TemplateVersion(models.Model):
    """One version of a template: title, body with placeholders, the duties and the default term."""

    template = models.ForeignKey(
        AgreementTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=8000)
    duties = models.TextField(_("责任内容"), max_length=6500, help_text=_("每行一项"))
    term_months = models.PositiveSmallIntegerField(
        _("默认期限（月）"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
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
        verbose_name = _("模板版本")
        verbose_name_plural = _("模板版本")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="agreement_template_version_once")]

    def __str__(self):
        return _("{title}（第{n}版）").format(title=self.title, n=self.number)

    @property
    def duty_list(self) -> list[str]:
        return duty_lines(self.duties)


class GenerationJob(models.Model):
    """A bulk generation (every shop of an area, every 共建 unit, every child jurisdiction), run in
    the background with the progress its page polls."""

    agreement_type = models.ForeignKey(AgreementType, verbose_name=_("责任书类型"), on_delete=models.PROTECT)
    template_version = models.ForeignKey(TemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("发放辖区"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("期限起"))
    ends_on = models.DateField(_("期限止"))
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField(_("应生成"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created_count = models.PositiveIntegerField(_("已生成"), default=0)
    skipped_count = models.PositiveIntegerField(_("已有责任书而跳过"), default=0)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("批量生成")
        verbose_name_plural = _("批量生成")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("批量生成 #{n}").format(n=self.pk)

    def get_absolute_url(self):
        return reverse("agreements:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(100, int(self.processed * 100 / self.total)) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class NumberCounter(models.Model):
    """The last number given per prefix and year (reserved in blocks by bulk generation)."""

    prefix = models.CharField(_("编号前缀"), max_length=10)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("责任书编号")
        verbose_name_plural = _("责任书编号")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="agreement_number_counter_once")]

    def __str__(self):
        return f"{self.prefix}{self.year}: {self.last}"


class Agreement(TrackedModel):
    """One responsibility agreement between an issuing jurisdiction and a party (a unit, or a child
    jurisdiction for target letters), for a zone and a term.

    `party_path` is where the party is (the unit's jurisdiction, or the party jurisdiction): the
    coverage of an area counts the parties located in it. `is_latest` marks each party's latest
    agreement of a type (one per party and type, by constraint): coverage reads only those, so a
    party is counted once however many agreements it had. Status moves only through
    `workflow.AGREEMENT_WORKFLOW`; nothing is deleted."""

    number = models.CharField(_("编号"), max_length=30, unique=True)
    agreement_type = models.ForeignKey(
        AgreementType, verbose_name=_("责任书类型"), on_delete=models.PROTECT, related_name="agreements"
    )
    template_version = models.ForeignKey(
        TemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT, related_name="agreements"
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("发放辖区"), on_delete=models.PROTECT, related_name="+"
    )
    party_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    party_jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("责任辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_name = models.CharField(_("责任方"), max_length=200)
    party_path = models.CharField(_("责任方所在路径"), max_length=255, db_index=True)
    zone = models.ForeignKey(
        "organization.Zone", verbose_name=_("责任区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    duties = models.TextField(_("责任内容"), blank=True, help_text=_("每行一项"))
    starts_on = models.DateField(_("期限起"))
    ends_on = models.DateField(_("期限止"))
    parent = models.ForeignKey(
        "self", verbose_name=_("上级责任书"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    renews = models.ForeignKey(
        "self", verbose_name=_("续签自"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    job = models.ForeignKey(
        GenerationJob,
        verbose_name=_("批量生成"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.GENERATED
    )
    is_latest = models.BooleanField(_("最新"), default=True)
    signatory_name = models.CharField(_("签订人"), max_length=50, blank=True)
    signatory_phone = models.CharField(_("签订人电话"), max_length=30, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    refused_reason = models.CharField(_("拒签原因"), max_length=500, blank=True)
    status_note = models.CharField(_("说明"), max_length=500, blank=True)
    reminded_on = models.DateField(_("到期提醒日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agreement_type", "is_latest", "party_path"], name="agreement_coverage_idx"),
            models.Index(fields=["status", "ends_on"], name="agreement_status_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_unit__isnull=False, party_jurisdiction__isnull=True)
                | Q(party_unit__isnull=True, party_jurisdiction__isnull=False),
                name="agreement_one_party",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_term_order"),
            models.UniqueConstraint(
                fields=["agreement_type", "party_unit"],
                condition=Q(is_latest=True, party_unit__isnull=False),
                name="agreement_latest_per_unit",
            ),
            models.UniqueConstraint(
                fields=["agreement_type", "party_jurisdiction"],
                condition=Q(is_latest=True, party_jurisdiction__isnull=False),
                name="agreement_latest_per_jurisdiction",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.party_name}"

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    @property
    def duty_list(self) -> list[str]:
        return duty_lines(self.duties)

    @property
    def party(self):
        return self.party_unit or self.party_jurisdiction

    @property
    def is_in_term(self) -> bool:
        return self.status == AgreementStatus.SIGNED and self.ends_on >= timezone.localdate()

    @classmethod
    def scope_q(cls, user) -> Q:
        """The issuer's subtree, or the party's: a street reads the letters it issued and the one
        it signed with the district; a unit contact reads only its unit's."""
        if user.role == Role.UNIT_CONTACT:
            return Q(party_unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        path = user_scope_path(user)
        if not path:
            return Q(pk__in=[])
        return Q(jurisdiction__path__within=path) | Q(party_path__within=path)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.party_path or self.jurisdiction.path, "unit_id": self.party_unit_id}


class AgreementPhoto(Photo):
    """A photo of the signed page (taken on a phone when the party signs)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("责任书"), on_delete=models.PROTECT, related_name="photos")

    upload_folder = "agreements"
    serve_url_name = "agreements:photo"

    class Meta(Photo.Meta):
        verbose_name = _("签订页照片")
        verbose_name_plural = _("签订页照片")

    def __str__(self):
        return f"{self.agreement_id}"

    def upload_subfolder(self) -> str:
        return str(self.agreement_id)


class AgreementScan(models.Model):
    """A scan of the signed page as a document (PDF), checked by apps/documents/uploads."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("责任书"), on_delete=models.PROTECT, related_name="scans")
    file = models.FileField(_("文件"), upload_to="agreements/scans/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("签订页扫描件")
        verbose_name_plural = _("签订页扫描件")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name
