"""Writes of the Aedes household survey (入户调查): open a survey for a community (or a place
below it) and a day, record households one by one (each under the phone's own UUID, so a replay
after a lost connection is saved once), submit (which freezes it), and the deployment's risk
setting. Every function keyword-only, scope-checked and audited.

A visit write, in one transaction: the visit and its container rows, the survey's `counts`
recomputed as the sums of its visits (`sample_size` = households), and the community's
Breteau-index alert for the week (one `VectorAlert` row per community and week, race-safe).
The rectification case of a positive site with a photo is opened right after, in its own
transaction (`case_link`): a case refused by the cases app never loses the visit the phone is
replaying; the survey page then offers the button that opens it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import Role
from apps.core.services import tracked_create, tracked_update
from apps.notifications.messages import Message, term
from apps.notifications.services import notify
from apps.organization.models import Jurisdiction
from apps.photos.services import photos_prepared, save_photo
from apps.worktime.periods import WEEK, period_bounds

from .. import methods
from ..choices import ContainerType, Pest, PlaceType, RiskLevel, SurveyStatus
from ..models import (
    AedesSetting,
    BreedingSitePhoto,
    ContainerRecord,
    HouseholdVisit,
    MethodSetting,
    Survey,
    VectorAlert,
)
from ..models.aedes import MAX_CONTAINERS

logger = logging.getLogger(__name__)

COMMUNITY_LEVEL = "community"
RISK_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.SEVERE]
COUNT_KEYS = ("households", "households_positive", "containers_wet", "containers_positive")
MAX_PHOTOS = 3


# Weeks, communities, risk ---------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week (the worktime periods' week)."""
    return period_bounds(WEEK, day)[0]


def community_of(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The community (社区/村) `jurisdiction` lies in (itself when it is one); None above it."""
    if jurisdiction.level.code == COMMUNITY_LEVEL:
        return jurisdiction
    ids = [int(part) for part in jurisdiction.path.strip("/").split("/") if part]
    return Jurisdiction.objects.filter(pk__in=ids, level__code=COMMUNITY_LEVEL).select_related("parent").first()


def aedes_setting(*, create: bool = False) -> AedesSetting:
    """The deployment's one risk setting. Its row is made by migration 0002 and
    `builtin_levels.ensure()`; a read never writes: without a row (tables emptied) it answers the
    example values unsaved, and only the office's save (`create=True`) makes the row."""
    setting = AedesSetting.objects.order_by("pk").first()
    if setting is None:
        setting = AedesSetting()
        if create:
            setting.save()
    return setting


def risk_of(bi: Decimal | None, setting: AedesSetting) -> str | None:
    """low < medium_from ≤ medium < high_from ≤ high < severe_from ≤ severe; None without a BI."""
    if bi is None:
        return None
    if bi >= setting.severe_from:
        return RiskLevel.SEVERE
    if bi >= setting.high_from:
        return RiskLevel.HIGH
    if bi >= setting.medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def reaches(risk: str | None, level: str) -> bool:
    return risk is not None and RISK_ORDER.index(risk) >= RISK_ORDER.index(level)


def breteau(households: int, positive: int) -> Decimal | None:
    return (
        methods.method(methods.HOUSEHOLD_METHOD)
        .index("breteau_index")
        .compute({"households": households, "containers_positive": positive})
    )


# Opening and submitting a survey --------------------------------------------------------------


@transaction.atomic
def household_survey_open(
    *, actor, jurisdiction: Jurisdiction, surveyed_on: date, place_name: str = "", notes: str = ""
) -> Survey:
    """Open a household survey (status open) at a community or a place below it, on a day."""
    ensure_role_allows(actor, HouseholdVisit, "add")
    ensure_role_allows(actor, Survey, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    if community_of(jurisdiction) is None:
        raise DomainError(_("入户调查请选择社区或社区以下的辖区。"))
    if surveyed_on is None:
        raise DomainError(_("请填写调查日期。"))
    if surveyed_on > timezone.localdate():
        raise DomainError(_("调查日期不能晚于今天。"))
    survey = Survey(
        jurisdiction=jurisdiction,
        place_type=PlaceType.RESIDENTIAL,
        place_name=(place_name or "").strip()[:200],
        method=methods.HOUSEHOLD_METHOD,
        pest=Pest.MOSQUITO,
        surveyed_on=surveyed_on,
        surveyor=actor if getattr(actor, "pk", None) else None,
        counts=dict.fromkeys(COUNT_KEYS, 0),
        sample_size=0,
        status=SurveyStatus.OPEN,
        notes=(notes or "").strip()[:500],
    )
    return tracked_create(
        obj=survey,
        actor=actor,
        action="pestcontrol.survey.household_opened",
        fields=["jurisdiction", "surveyed_on", "place_name", "method"],
    )


def _lock_household_survey(survey: Survey) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.method != methods.HOUSEHOLD_METHOD:
        raise DomainError(_("只有入户调查可以逐户登记。"))
    return locked


@transaction.atomic
def household_survey_submit(*, actor, survey: Survey, expected_version: int | None = None) -> Survey:
    """Freeze the survey: no visit is added after this."""
    ensure_role_allows(actor, HouseholdVisit, "add")
    ensure_in_scope(actor, survey, "view")
    locked = _lock_household_survey(survey)
    if locked.status != SurveyStatus.OPEN:
        raise DomainError(_("该调查已提交。"))
    if not locked.counts.get("households"):
        raise DomainError(_("还没有入户记录，不能提交。"))
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    locked.status = SurveyStatus.SUBMITTED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="pestcontrol.survey.household_submitted",
        data={
            "before": {"status": SurveyStatus.OPEN.value},
            "after": {"status": locked.status, "counts": locked.counts},
        },
    )
    check_alert(jurisdiction=locked.jurisdiction, day=locked.surveyed_on, submitted=True)
    return locked


# Visits --------------------------------------------------------------------------------------


def _whole(value, label) -> int:
    try:
        number = int(str(value if value not in (None, "") else 0).strip())
    except (TypeError, ValueError):
        raise DomainError(_("「{label}」应为整数。").format(label=label)) from None
    if number < 0 or number > MAX_CONTAINERS:
        raise DomainError(_("「{label}」应为 0 至 {max} 之间的整数。").format(label=label, max=MAX_CONTAINERS))
    return number


def clean_containers(containers: dict) -> list[dict]:
    """{container type: {wet, positive, larvae, treated}} → rows with at least one count,
    positive ≤ wet and treated ≤ wet, or a clear message."""
    rows = []
    labels = dict(ContainerType.choices)
    containers = containers or {}
    if not isinstance(containers, dict):
        raise DomainError(_("提交的数据格式不正确。"))
    for kind, counts in containers.items():
        if kind not in labels:
            raise DomainError(_("未知的容器类型。"))
        label = labels[kind]
        counts = counts or {}
        if not isinstance(counts, dict):
            raise DomainError(_("提交的数据格式不正确。"))
        wet = _whole(counts.get("wet"), _("{type}积水数").format(type=label))
        positive = _whole(counts.get("positive"), _("{type}阳性数").format(type=label))
        treated = _whole(counts.get("treated"), _("{type}处理数").format(type=label))
        try:
            larvae = int(str(counts.get("larvae") or 0).strip())
        except (TypeError, ValueError):
            raise DomainError(_("「{label}」应为整数。").format(label=_("幼虫/蛹数"))) from None
        if larvae < 0 or larvae > 1_000_000:
            raise DomainError(_("幼虫/蛹数应为 0 至 1000000 之间的整数。"))
        if positive > wet:
            raise DomainError(
                _("「{type}」的阳性容器数（{positive}）不能大于积水容器数（{wet}）。").format(
                    type=label, positive=positive, wet=wet
                )
            )
        if treated > wet:
            raise DomainError(
                _("「{type}」的现场处理数（{treated}）不能大于积水容器数（{wet}）。").format(
                    type=label, treated=treated, wet=wet
                )
            )
        if larvae and not positive:
            raise DomainError(_("「{type}」发现幼虫/蛹时，阳性容器数至少为 1。").format(type=label))
        if wet or positive or larvae or treated:
            rows.append(
                {"container_type": kind, "wet": wet, "positive": positive, "larvae": larvae, "treated": treated}
            )
    return rows


def _point(lat, lng):
    if lat in (None, "") and lng in (None, ""):
        return None, None
    if lat in (None, "") or lng in (None, ""):
        raise DomainError(_("经纬度必须同时填写或同时为空。"))
    try:
        lat, lng = Decimal(str(lat)), Decimal(str(lng))
    except (InvalidOperation, ValueError):
        raise DomainError(_("经纬度格式不正确。")) from None
    if not (lat.is_finite() and lng.is_finite()):
        raise DomainError(_("经纬度格式不正确。"))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError(_("经纬度超出范围。"))
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def survey_sums(survey: Survey) -> dict[str, int]:
    """The survey's counts as the sums of its visits (one aggregate)."""
    sums = HouseholdVisit.objects.filter(survey=survey).aggregate(
        households=Count("id"),
        households_positive=Count("id", filter=Q(containers_positive__gt=0)),
        containers_wet=Sum("containers_wet"),
        containers_positive=Sum("containers_positive"),
    )
    return {key: int(sums[key] or 0) for key in COUNT_KEYS}


@photos_prepared("photos")  # decoded before the transaction opens
@transaction.atomic
def _visit_write(
    *, actor, survey: Survey, client_id, address: str, lat, lng, containers: dict, note: str, photos
) -> tuple[HouseholdVisit, bool]:
    ensure_role_allows(actor, HouseholdVisit, "add")
    ensure_in_scope(actor, survey, "view")
    locked = _lock_household_survey(survey)
    existing = HouseholdVisit.objects.filter(client_id=client_id).first()
    if existing is not None:  # a replay of an entry already saved
        if existing.survey_id != locked.pk:
            raise DomainError(_("该入户记录属于另一次调查。"))
        return existing, False
    if locked.status != SurveyStatus.OPEN:
        raise DomainError(_("该调查已提交，不能再添加入户记录。"))
    address = (address or "").strip()
    if not address:
        raise DomainError(_("请填写门牌/户。"))
    if len(address) > 100:
        raise DomainError(_("「门牌/户」最多 100 个字符。"))
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(_("「说明」最多 200 个字符。"))
    lat, lng = _point(lat, lng)
    rows = clean_containers(containers)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("每户最多上传 {n} 张照片。").format(n=MAX_PHOTOS))
    visit = HouseholdVisit.objects.create(
        survey=locked,
        jurisdiction_id=locked.jurisdiction_id,
        visited_on=locked.surveyed_on,
        client_id=client_id,
        address=address,
        lat=lat,
        lng=lng,
        containers_wet=sum(r["wet"] for r in rows),
        containers_positive=sum(r["positive"] for r in rows),
        larvae=sum(r["larvae"] for r in rows),
        treated=sum(r["treated"] for r in rows),
        note=note,
        surveyor=actor if getattr(actor, "pk", None) else None,
    )
    ContainerRecord.objects.bulk_create([ContainerRecord(visit=visit, **row) for row in rows])
    uploader = actor if getattr(actor, "pk", None) else None
    for processed in photos:
        save_photo(BreedingSitePhoto(visit=visit, uploaded_by=uploader), processed)
    locked.counts = survey_sums(locked)
    locked.sample_size = locked.counts["households"]
    locked.save(update_fields=["counts", "sample_size", "updated_at"])
    audit_record(
        actor=actor,
        obj=visit,
        action="pestcontrol.householdvisit.created",
        data={
            "after": {
                "address": address,
                "containers_wet": visit.containers_wet,
                "containers_positive": visit.containers_positive,
                "photos": len(photos),
            }
        },
    )
    check_alert(jurisdiction=locked.jurisdiction, day=locked.surveyed_on)
    return visit, True


def visit_record(
    *,
    actor,
    survey: Survey,
    client_id,
    address: str,
    lat=None,
    lng=None,
    containers: dict | None = None,
    note: str = "",
    photos=(),
    open_case: bool = True,
) -> tuple[HouseholdVisit, bool]:
    """Record one household (or answer a replay of it: `created` False). Then, for a positive
    visit with a photo, open its rectification case (own transaction; a refusal or any failure is
    logged and left to the button on the survey page: the visit is kept either way)."""
    try:
        client_id = uuid.UUID(str(client_id))
    except (TypeError, ValueError):
        raise DomainError(_("入户记录编号无效。")) from None
    visit, created = _visit_write(
        actor=actor,
        survey=survey,
        client_id=client_id,
        address=address,
        lat=lat,
        lng=lng,
        containers=containers or {},
        note=note,
        photos=list(photos or []),
    )
    if open_case and visit.positive and visit.case_id is None and visit.photos.exists():
        try:
            visit_open_case(actor=actor, visit=visit)
        except DomainError as error:
            logger.warning("breeding-site case for visit %s not opened: %s", visit.pk, error.message)
        except Exception:
            # The visit is committed: a failing case step (a photo unreadable, the cases app refusing)
            # must not make a 5xx, which the phone's outbox takes for "offline" and retries forever.
            # The survey page's 生成整改案件 button retries.
            logger.exception("breeding-site case for visit %s failed", visit.pk)
        visit.refresh_from_db()
    return visit, created


def visit_open_case(*, actor, visit: HouseholdVisit):
    """The rectification case (病媒孳生地) of a positive visit with its photos; once."""
    from . import case_link

    ensure_role_allows(actor, HouseholdVisit, "add")
    ensure_in_scope(actor, visit, "view")
    if not visit.positive:
        raise DomainError(_("只有发现阳性容器的入户记录才能生成孳生地案件。"))
    return case_link.open_breeding_site_case(actor=actor, visit=visit)


# Alerts --------------------------------------------------------------------------------------


def community_week(community: Jurisdiction, day: date) -> dict[str, int]:
    """Households and positive containers of a community's week (one aggregate)."""
    start = week_start(day)
    sums = HouseholdVisit.objects.filter(
        visited_on__range=(start, start + timedelta(days=6)), jurisdiction__path__startswith=community.path
    ).aggregate(households=Count("id"), positive=Sum("containers_positive"))
    return {"households": int(sums["households"] or 0), "positive": int(sums["positive"] or 0)}


def alert_recipients(community: Jurisdiction):
    """The community's desk and its street's desk (community and street staff accounts)."""
    ids = [community.pk] + ([community.parent_id] if community.parent_id else [])
    return User.objects.filter(
        is_active=True, role__in=(Role.COMMUNITY, Role.STREET), jurisdiction_id__in=ids
    ).order_by("pk")


def min_sample() -> int:
    """The household method's minimum sample (MethodSetting, else the method's default)."""
    return MethodSetting.minimums()[methods.HOUSEHOLD_METHOD]


def check_alert(*, jurisdiction: Jurisdiction, day: date, submitted: bool = False) -> VectorAlert | None:
    """When the community's BI of the week reaches the alert level, record the week's alert and
    notify, once (the unique row decides; a concurrent writer's insert wins and this one stays
    silent); when the week's risk later rises above the one sent (中 → 高), the row is updated
    under a lock and the alert sent again (escalated), once per rise. Runs inside the visit's
    (or the submission's) transaction.

    A BI of the first households means little (one positive container in the first house is
    BI 100): after a visit the week is judged once it holds the method's minimum sample
    (MethodSetting, default 100 households); when a survey is submitted it is judged whatever
    its size (the surveyor's round is complete)."""
    community = community_of(jurisdiction)
    if community is None:
        return None
    setting = aedes_setting()
    week = community_week(community, day)
    if not submitted and week["households"] < min_sample():
        return None
    bi = breteau(week["households"], week["positive"])
    risk = risk_of(bi, setting)
    if not reaches(risk, setting.alert_level):
        return None
    start = week_start(day)
    existing = VectorAlert.objects.filter(jurisdiction=community, week_start=start).select_for_update().first()
    if existing is not None:
        # Sent already this week: escalated once more only when the risk has risen since.
        if RISK_ORDER.index(risk) <= RISK_ORDER.index(existing.risk):
            return None
        before = {"bi": str(existing.breteau_index), "risk": existing.risk}
        existing.breteau_index, existing.risk = bi, risk
        existing.save(update_fields=["breteau_index", "risk"])
        _send_alert(community, start, bi, risk)
        audit_record(
            actor=None,
            obj=existing,
            action="pestcontrol.vectoralert.escalated",
            data={"before": before, "after": {"bi": str(bi), "risk": risk}},
        )
        return existing
    try:
        with transaction.atomic():
            alert = VectorAlert.objects.create(jurisdiction=community, week_start=start, breteau_index=bi, risk=risk)
    except IntegrityError:
        return None  # another visit of the same week raised it first
    _send_alert(community, start, bi, risk)
    audit_record(
        actor=None,
        obj=alert,
        action="pestcontrol.vectoralert.created",
        data={"after": {"community": community.name, "week_start": f"{start:%Y-%m-%d}", "bi": str(bi), "risk": risk}},
    )
    return alert


def _send_alert(community: Jurisdiction, start: date, bi, risk: str) -> None:
    link = reverse("pestcontrol:aedes_home") + f"?week={start:%Y-%m-%d}"
    notify(
        alert_recipients(community),
        kind="pestcontrol_aedes_alert",
        message=Message(
            gettext_noop("{community} 第{week}周布雷图指数 {bi}（{risk}），已达预警级别，请组织清理孳生地。"),
            community=community.name,
            week=start.isocalendar()[1],
            bi=str(bi),
            risk=term(RiskLevel(risk).label),
        ),
        title=Message(gettext_noop("伊蚊布雷图指数预警")),
        link=link,
    )


# The risk setting -----------------------------------------------------------------------------


@transaction.atomic
def aedes_setting_update(*, actor, changes: dict, expected_version: int | None = None) -> AedesSetting:
    """The risk thresholds and the alert level (admin and office); levels must rise."""
    ensure_role_allows(actor, AedesSetting, "change")
    setting = aedes_setting(create=True)
    allowed = {"medium_from", "high_from", "severe_from", "alert_level", "is_example"}
    changes = {k: v for k, v in changes.items() if k in allowed}
    try:
        medium = Decimal(str(changes.get("medium_from", setting.medium_from)))
        high = Decimal(str(changes.get("high_from", setting.high_from)))
        severe = Decimal(str(changes.get("severe_from", setting.severe_from)))
    except (InvalidOperation, ValueError):
        raise DomainError(_("风险起点应为数字。")) from None
    if not all(value.is_finite() for value in (medium, high, severe)) or not (Decimal("0") < medium < high < severe):
        raise DomainError(_("风险起点必须大于 0，且中风险 < 高风险 < 极高风险。"))
    if changes.get("alert_level", setting.alert_level) not in RiskLevel.values:
        raise DomainError(_("预警级别无效。"))
    return tracked_update(
        obj=setting,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="pestcontrol.aedessetting.updated",
    )
