"""The organisation: jurisdictions, units, responsibility zones, staff and groups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.core.roles import Role

from .choices import POSITION_ORDER, GroupKind, GroupPosition, UnitStatus, ZoneKind

LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LNG = [MinValueValidator(-180), MaxValueValidator(180)]


def validate_geojson_geometry(value):
    """Accept a GeoJSON Polygon/MultiPolygon geometry (or a Feature wrapping one)."""
    if value in (None, "", {}):
        return
    geometry = value.get("geometry") if isinstance(value, dict) and value.get("type") == "Feature" else value
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("边界必须是 GeoJSON 的 Polygon 或 MultiPolygon。"))
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        raise ValidationError(_("边界缺少坐标。"))


def geometry_bbox(value) -> tuple[float, float, float, float] | None:
    """(south, north, west, east) of a GeoJSON Polygon/MultiPolygon (or Feature); None without coordinates.

    Stored on the jurisdiction (`bbox_*`) so that placing a reported point is one indexed
    query over the few outlines whose box holds it, before any exact polygon test.
    """
    if not isinstance(value, dict):
        return None
    geometry = value.get("geometry") if value.get("type") == "Feature" else value
    if not isinstance(geometry, dict):
        return None
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    lats, lngs = [], []
    try:
        for rings in polygons:
            for position in rings[0] if rings else ():  # the outer ring bounds its holes
                lngs.append(float(position[0]))
                lats.append(float(position[1]))
    except (TypeError, ValueError, IndexError):
        return None
    if not lats:
        return None
    return min(lats), max(lats), min(lngs), max(lngs)


BBOX_FIELDS = ("bbox_south", "bbox_north", "bbox_west", "bbox_east")


def bbox_values(boundary) -> dict:
    """The `bbox_*` field values matching a boundary (all None without one)."""
    box = geometry_bbox(boundary)
    return dict(zip(BBOX_FIELDS, box or (None,) * 4, strict=True))


class JurisdictionQuerySet(RestrictedQuerySet):
    """Keeps the stored bounding box in step with the boundary, whichever way it is written."""

    def update(self, **kwargs):
        if "boundary" in kwargs and not hasattr(kwargs["boundary"], "resolve_expression"):
            kwargs.update(bbox_values(kwargs["boundary"]))
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        fields = list(fields)
        if "boundary" in fields:
            for obj in objs:
                obj.set_bbox()
            fields += [name for name in BBOX_FIELDS if name not in fields]
        return super().bulk_update(objs, fields, batch_size=batch_size)


class JurisdictionLevel(models.Model):
    """A level of the administrative tree (市, 区/县, 街道/镇 …); configurable per deployment."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("层级序号"), unique=True, help_text=_("数字越小层级越高"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("辖区层级")
        verbose_name_plural = _("辖区层级")
        ordering = ["rank"]

    def __str__(self):
        # A seeded name has a catalogue entry (defaults.py); a name typed by a user stays as typed.
        return gettext(self.name)

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class Jurisdiction(TrackedModel):
    """A node of the jurisdiction tree.

    `path` is a materialised path of zero-padded ancestor ids ("000000001/000000007/"): a subtree is one
    indexed prefix query, and moving a node rewrites its subtree's paths in one UPDATE.
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.ForeignKey(JurisdictionLevel, verbose_name=_("层级"), on_delete=models.PROTECT)
    code = models.CharField(_("区划代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)
    population = models.PositiveIntegerField(_("人口"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    area_km2 = models.DecimalField(_("面积（平方公里）"), max_digits=10, decimal_places=3, null=True, blank=True)
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True, validators=[validate_geojson_geometry])
    center_lat = models.DecimalField(
        _("中心纬度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LAT
    )
    center_lng = models.DecimalField(
        _("中心经度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LNG
    )
    # The boundary's bounding box (geometry_bbox), kept by save(), update() and bulk_update().
    bbox_south = models.FloatField(null=True, blank=True, editable=False)
    bbox_north = models.FloatField(null=True, blank=True, editable=False)
    bbox_west = models.FloatField(null=True, blank=True, editable=False)
    bbox_east = models.FloatField(null=True, blank=True, editable=False)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")
        ordering = ["path"]
        indexes = [
            # Placing a point: the outlines whose box holds it (apps/cases/services.locate_jurisdiction).
            models.Index(fields=["bbox_south", "bbox_north", "bbox_west", "bbox_east"], name="org_jur_bbox_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:jurisdiction_detail", args=[self.pk])

    def set_bbox(self) -> None:
        for name, value in bbox_values(self.boundary).items():
            setattr(self, name, value)

    def save(self, *args, **kwargs):
        self.set_bbox()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "boundary" in update_fields:
            kwargs["update_fields"] = {*update_fields, *BBOX_FIELDS}
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id and self.level_id and self.parent.level.rank >= self.level.rank:
            raise ValidationError({"level": _("下级辖区的层级必须低于上级辖区。")})
        if self.households and self.population and self.households > self.population:
            raise ValidationError({"households": _("户数不能大于人口数。")})

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.path}

    @staticmethod
    def child_path(parent_path: str, pk: int) -> str:
        """A node's path: its parent's path plus its zero-padded id, so text order is tree order."""
        return f"{parent_path}{pk:09d}/"

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self):
        return Jurisdiction.objects.filter(path__within=self.path)


class UnitType(models.Model):
    """An editable kind of unit (物业公司, 餐饮单位, 农贸市场 …)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位类型")
        verbose_name_plural = _("单位类型")
        ordering = ["sort", "id"]

    def __str__(self):
        # A seeded name has a catalogue entry (defaults.py); a name typed by a user stays as typed.
        return gettext(self.name)

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class Unit(TrackedModel):
    """A unit the campaign oversees, located in one jurisdiction."""

    unit_type = models.ForeignKey(UnitType, verbose_name=_("单位类型"), on_delete=models.PROTECT)
    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LAT)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LNG)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("经营状态"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.OPERATING)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "unit_type"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:unit_detail", args=[self.pk])

    def clean(self):
        if (self.lat is None) != (self.lng is None):
            raise ValidationError(_("经纬度必须同时填写或同时为空。"))

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction", unit_field="pk")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.pk}


class License(models.Model):
    """A licence a unit holds (营业执照, 食品经营许可证, 卫生许可证 …) with its expiry date."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="licenses")
    kind = models.CharField(_("证照类型"), max_length=50)
    number = models.CharField(_("证照编号"), max_length=60)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["expires_on"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "number"], name="license_unique_per_unit")]

    def __str__(self):
        return f"{self.kind} {self.number}"

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on < timezone.localdate())

    @property
    def expires_soon(self) -> bool:
        return bool(self.expires_on and 0 <= (self.expires_on - timezone.localdate()).days <= 30)

    def audit_scope(self) -> dict:
        return self.unit.audit_scope()


class Staff(TrackedModel):
    """A person working in the campaign (cadre, grid worker, cleaner, volunteer …)."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务/岗位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:staff_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction", unit_field="unit")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.unit_id}


class WorkGroup(TrackedModel):
    """A leadership group (领导小组) or working group (资料组, 督查组 …) of a jurisdiction."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=GroupKind.choices, default=GroupKind.WORKING)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="groups"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级小组"), null=True, blank=True, on_delete=models.PROTECT, related_name="subgroups"
    )
    duties = models.TextField(_("职责"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导/工作小组")
        verbose_name_plural = _("领导/工作小组")
        ordering = ["jurisdiction__path", "kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:group_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class GroupMember(models.Model):
    group = models.ForeignKey(WorkGroup, verbose_name=_("小组"), on_delete=models.CASCADE, related_name="members")
    staff = models.ForeignKey(Staff, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("职位"), max_length=20, choices=GroupPosition.choices, default=GroupPosition.MEMBER)
    duty = models.CharField(_("分工"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        # Leader first, then deputies, the office head and members (not the codes' text order).
        ordering = [
            "group",
            Case(*[When(position=p, then=Value(i)) for i, p in enumerate(POSITION_ORDER)], default=Value(99)),
            "id",
        ]
        constraints = [models.UniqueConstraint(fields=["group", "staff"], name="group_member_once")]

    def __str__(self):
        return f"{self.staff} ({self.get_position_display()})"

    def audit_scope(self) -> dict:
        return self.group.audit_scope()


class Zone(TrackedModel):
    """A responsibility zone (包干区域/责任区/门前三包): a polygon and/or listed places.

    Who holds it over time lives in `ZoneAssignment`; "微调" ends one assignment and
    starts another, so the history is never lost.
    """

    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类别"), max_length=20, choices=ZoneKind.choices, default=ZoneKind.BAOGAN)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="zones"
    )
    boundary = models.JSONField(_("范围（GeoJSON）"), null=True, blank=True, validators=[validate_geojson_geometry])
    covered_jurisdictions = models.ManyToManyField(
        Jurisdiction, verbose_name=_("包含的辖区"), blank=True, related_name="covering_zones"
    )
    addresses = models.TextField(_("包含的地址/路段"), blank=True, help_text=_("每行一个"))
    requirements = models.TextField(_("责任要求"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任区")
        verbose_name_plural = _("责任区")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:zone_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        if user.role == Role.UNIT_CONTACT:
            held = ZoneAssignment.objects.filter(unit_id=user.unit_id).values("zone_id")
            return Q(pk__in=held)
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}

    @property
    def current_assignment(self):
        """The open-ended assignment (uses prefetched assignments when present)."""
        return next((a for a in self.assignments.all() if a.ends_on is None), None)

    @property
    def current_holder(self):
        assignment = self.current_assignment
        return assignment.holder if assignment else None

    @property
    def address_list(self) -> list[str]:
        return [line.strip() for line in self.addresses.splitlines() if line.strip()]


class ZoneAssignment(models.Model):
    """Who holds a zone from `starts_on` to `ends_on` (open-ended when current)."""

    zone = models.ForeignKey(Zone, verbose_name=_("责任区"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_assignments",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_assignments",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("责任区分配")
        verbose_name_plural = _("责任区分配")
        ordering = ["zone", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(staff__isnull=False), name="zone_assignment_has_holder"
            ),
            models.UniqueConstraint(fields=["zone"], condition=Q(ends_on__isnull=True), name="zone_one_current"),
        ]

    def __str__(self):
        return f"{self.zone}: {self.holder}"

    @property
    def holder(self):
        return self.unit or self.staff

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.zone.jurisdiction.path, "unit_id": self.unit_id}
