"""Writes of 病媒生物监测: recording a survey's raw observations, its versioned corrections, and the
methods' minimum samples. Every function keyword-only, atomic, scope-checked, version-checked
(a stale version raises ConcurrentEdit: "该记录已被他人修改") and audited.

A survey stores only what the surveyor counted (`counts`, the method's inputs); its indices are
computed when read (methods.py) and graded against the version in force (grading.py), so a
correction or a new version of the control levels never needs an index to be rewritten. The
household (入户) method is filled from its visits by the aedes part and is refused here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update
from apps.organization.models import Jurisdiction, Unit

from .. import methods
from ..choices import PlaceType, SurveyPhase, SurveyStatus
from ..models import MethodSetting, PestCampaign, Survey

MAX_COUNT = 1_000_000
MAX_LENGTH = Decimal("10000")  # km walked, person-hours
# A household survey's visits copy its date and place when recorded (BI per week, alerts, map):
# changing them here would leave the visits behind, so they are fixed once it is opened.
HOUSEHOLD_FIXED_FIELDS = ("surveyed_on", "place_type", "unit", "jurisdiction")
HEADER_FIELDS = ["place_type", "unit", "place_name", "surveyed_on", "surveyor", "campaign", "phase", "notes"]


def clean_counts(method: methods.Method, raw: dict) -> dict:
    """The method's inputs from `raw`, checked: every input present, whole numbers 0–1,000,000
    (lengths: decimals 0–10000 with at most 2 decimals, stored as text), the sample above 0,
    and no positive count above what was inspected (`Method.checks`). DomainError otherwise."""
    clean: dict = {}
    for item in method.inputs:
        value = raw.get(item.key)
        if value is None or str(value).strip() == "":
            raise DomainError(_("请填写「{label}」。").format(label=item.label))
        text = str(value).strip()
        if item.decimal:
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or number < 0 or number > MAX_LENGTH:
                raise DomainError(_("「{label}」应为 0 至 {max} 之间的数。").format(label=item.label, max=MAX_LENGTH))
            if number != number.quantize(Decimal("0.01")):
                raise DomainError(_("「{label}」最多保留两位小数。").format(label=item.label))
            clean[item.key] = str(number.quantize(Decimal("0.01")))
        else:
            if isinstance(value, bool) or not (isinstance(value, int) or (text.isascii() and text.isdigit())):
                raise DomainError(_("「{label}」应为 0 至 {max} 之间的整数。").format(label=item.label, max=MAX_COUNT))
            number = int(text)
            if number < 0 or number > MAX_COUNT:
                raise DomainError(_("「{label}」应为 0 至 {max} 之间的整数。").format(label=item.label, max=MAX_COUNT))
            clean[item.key] = number
    if Decimal(str(clean[method.sample])) <= 0:
        raise DomainError(_("「{label}」应大于 0。").format(label=method.input(method.sample).label))
    for smaller, larger in method.checks:
        if Decimal(str(clean[smaller])) > Decimal(str(clean[larger])):
            raise DomainError(
                _("「{small}」（{a}）不能大于「{large}」（{b}）。").format(
                    small=method.input(smaller).label,
                    a=clean[smaller],
                    large=method.input(larger).label,
                    b=clean[larger],
                )
            )
    return clean


def counts_text(method: methods.Method, counts: dict) -> list[str]:
    """The counts as the audit trail shows them: "有效粉块数 100 块"."""
    return [f"{item.label} {counts.get(item.key, '')} {item.unit}".strip() for item in method.inputs]


def _record(survey: Survey) -> dict:
    data = snapshot(survey, HEADER_FIELDS)
    data["counts"] = counts_text(survey.definition, survey.counts)
    return data


def _check_place(actor, jurisdiction: Jurisdiction, unit: Unit | None) -> None:
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    if unit is None:
        return
    if actor is not None and not Unit.objects.restrict(actor, "view").filter(pk=unit.pk).exists():
        raise OutsideJurisdiction()
    if not unit.jurisdiction.path.startswith(jurisdiction.path):
        raise DomainError(
            _("单位「{unit}」不在监测辖区「{place}」内。").format(unit=unit.name, place=jurisdiction.name)
        )


def _check_campaign(actor, method: methods.Method, campaign: PestCampaign | None, phase: str) -> None:
    if campaign is None:
        if phase:
            raise DomainError(_("只有所属行动的监测才分防制前、防制后。"))
        return
    if phase not in (SurveyPhase.BEFORE, SurveyPhase.AFTER):
        raise DomainError(_("请选择防制前或防制后。"))
    if actor is not None and not PestCampaign.objects.restrict(actor, "view").filter(pk=campaign.pk).exists():
        raise OutsideJurisdiction()
    if campaign.pests and method.pest not in campaign.pests:
        raise DomainError(_("该行动的防制对象不包括此监测方法的病媒种类。"))


def _check_date(day) -> None:
    if day > timezone.localdate():
        raise DomainError(_("监测日期不能晚于今天。"))


@transaction.atomic
def survey_create(
    *,
    actor,
    method: str,
    jurisdiction: Jurisdiction,
    place_type: str,
    surveyed_on,
    counts: dict,
    unit: Unit | None = None,
    place_name: str = "",
    surveyor=None,
    campaign: PestCampaign | None = None,
    phase: str = "",
    notes: str = "",
) -> Survey:
    """Record a survey of any method but the household one (filled from its visits): the place,
    date, surveyor, optional campaign and phase, and the method's raw inputs (clean_counts).
    Scope: the jurisdiction, the unit and the campaign inside what the actor sees. Audits the
    whole record."""
    ensure_role_allows(actor, Survey, "add")
    if method not in methods.BY_CODE:
        raise DomainError(_("未知的监测方法。"))
    if method == methods.HOUSEHOLD_METHOD:
        raise DomainError(_("入户调查（布雷图指数）请在伊蚊入户调查中逐户登记。"))
    if place_type not in PlaceType.values:
        raise DomainError(_("未知的场所类型。"))
    definition = methods.method(method)
    _check_place(actor, jurisdiction, unit)
    _check_campaign(actor, definition, campaign, phase)
    _check_date(surveyed_on)
    clean = clean_counts(definition, counts)
    survey = Survey(
        jurisdiction=jurisdiction,
        place_type=place_type,
        unit=unit,
        place_name=place_name,
        method=method,
        pest=definition.pest,
        surveyed_on=surveyed_on,
        surveyor=surveyor if surveyor is not None else (actor if getattr(actor, "pk", None) else None),
        counts=clean,
        sample_size=Decimal(str(clean[definition.sample])),
        campaign=campaign,
        phase=phase or "",
        status=SurveyStatus.SUBMITTED,
        notes=notes,
    )
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, obj=survey, action="pestcontrol.survey.created", data={"after": _record(survey)})
    return survey


@transaction.atomic
def survey_update(
    *, actor, survey: Survey, expected_version: int | None, changes: dict, counts: dict | None = None
) -> Survey:
    """Correct a survey (a versioned edit): place, date, surveyor, campaign and phase, notes and,
    except for a household survey (its counts are the sums of its visits; its date, place type
    and unit are its visits' and stay fixed), the raw counts. Locks
    the row, refuses a stale version, audits the record before and after."""
    locked = Survey.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=survey.pk)
    ensure_in_scope(actor, locked, "change")
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    definition = locked.definition
    before = _record(locked)
    for name, value in changes.items():
        if name not in HEADER_FIELDS:
            raise DomainError(_("该字段不能修改。"))
        if (
            locked.method == methods.HOUSEHOLD_METHOD
            and name in HOUSEHOLD_FIXED_FIELDS
            and getattr(locked, name) != value
        ):
            raise DomainError(_("入户调查的日期、场所类型和单位由逐户记录决定，不能在此修改。"))
        setattr(locked, name, value)
    if locked.place_type not in PlaceType.values:
        raise DomainError(_("未知的场所类型。"))
    _check_place(actor, locked.jurisdiction, locked.unit)
    _check_campaign(actor, definition, locked.campaign, locked.phase or "")
    _check_date(locked.surveyed_on)
    if counts is not None:
        if locked.method == methods.HOUSEHOLD_METHOD:
            raise DomainError(_("入户调查的数据来自逐户记录，不能在此修改。"))
        locked.counts = clean_counts(definition, counts)
        locked.sample_size = Decimal(str(locked.counts[definition.sample]))
    locked.full_clean()
    changed = diff(before, _record(locked))
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    audit_record(actor=actor, obj=locked, action="pestcontrol.survey.updated", data={"changes": changed})
    return locked


# Minimum samples (reference data kept by the administrator and the office) -----------------


@transaction.atomic
def method_setting_save(*, actor, method: str, min_sample: int, expected_version: int | None = None) -> MethodSetting:
    """Set a method's minimum sample (creating its row the first time)."""
    if method not in methods.BY_CODE:
        raise DomainError(_("未知的监测方法。"))
    if isinstance(min_sample, bool) or not isinstance(min_sample, int) or not 1 <= min_sample <= MAX_COUNT:
        raise DomainError(_("最低样本量应为 1 至 {max} 之间的整数。").format(max=MAX_COUNT))
    existing = MethodSetting.objects.filter(method=method).first()
    if existing is None:
        ensure_role_allows(actor, MethodSetting, "add")
        setting = MethodSetting(method=method, min_sample=min_sample)
        return tracked_create(
            obj=setting, actor=actor, action="pestcontrol.methodsetting.created", fields=["method", "min_sample"]
        )
    ensure_role_allows(actor, MethodSetting, "change")
    return tracked_update(
        obj=existing,
        actor=actor,
        changes={"min_sample": min_sample},
        expected_version=expected_version,
        action="pestcontrol.methodsetting.updated",
    )
