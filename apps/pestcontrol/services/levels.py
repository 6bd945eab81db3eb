"""Writes of the control levels (GB/T 27770–27773 as versioned data): editing a version's limits.

A version that has already graded a survey (a survey of its pest dated on or after its effective
date, before the next version's) is never changed: editing it makes a NEW version (a copy with
the changes, in force from a date the editor chooses, later than the old one's), so the grades
given before that date stay explainable and the surveys after it are regraded when read. A
version not yet used is edited in place. Both are audited with the limits before and after.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_role_allows

from .. import methods
from ..choices import Grade, PlaceType
from ..models import ControlThreshold, ControlVersion, Survey

MAX_LIMIT = Decimal("100000")
LEVELS = (Grade.A, Grade.B, Grade.C)

Key = tuple[str, str, str]  # (index, place type or "", level)


def next_version(version: ControlVersion) -> ControlVersion | None:
    return (
        ControlVersion.objects.filter(standard_id=version.standard_id, effective_from__gt=version.effective_from)
        .order_by("effective_from", "id")
        .first()
    )


def version_used(version: ControlVersion) -> bool:
    """Whether a survey was graded by `version`: one of its pest dated in the version's span."""
    surveys = Survey.objects.filter(pest=version.standard.pest, surveyed_on__gte=version.effective_from)
    following = next_version(version)
    if following is not None:
        surveys = surveys.filter(surveyed_on__lt=following.effective_from)
    return surveys.exists()


def limits_of(version: ControlVersion) -> dict[Key, Decimal]:
    return {
        (index, place_type, level): limit
        for index, place_type, level, limit in version.thresholds.values_list("index", "place_type", "level", "limit")
    }


def _label(key: Key) -> str:
    index, place_type, level = key
    name = methods.indices()[index][1].label
    place = PlaceType(place_type).label if place_type else _("各类场所")
    return f"{name}·{place}·{level}"


def _check(pest: str, table: dict[Key, Decimal]) -> None:
    """Each limit of a graded index of the pest, 0–100000 (a percentage at most 100), and the
    levels in order: A no looser than B, B no looser than C."""
    graded = {index.key: index for _method, index in methods.graded_indices(pest)}
    for (index, place_type, level), limit in table.items():
        if index not in graded:
            raise DomainError(_("指标「{index}」不是该病媒的分级指标。").format(index=index))
        if place_type and place_type not in PlaceType.values:
            raise DomainError(_("未知的场所类型。"))
        if level not in LEVELS:
            raise DomainError(_("未知的级别。"))
        if limit < 0 or limit > MAX_LIMIT or (graded[index].unit == "%" and limit > 100):
            raise DomainError(
                _("「{name}」的限值超出范围（0 至 {max}）。").format(
                    name=_label((index, place_type, level)), max=100 if graded[index].unit == "%" else MAX_LIMIT
                )
            )
    groups: dict[tuple[str, str], dict[str, Decimal]] = {}
    for (index, place_type, level), limit in table.items():
        groups.setdefault((index, place_type), {})[level] = limit
    for (index, place_type), levels in groups.items():
        ordered = [levels[level] for level in LEVELS if level in levels]
        higher = graded[index].better == "higher"
        if any((a < b) if higher else (a > b) for a, b in pairwise(ordered)):
            raise DomainError(
                _("「{name}」的限值顺序不对：A级应严于B级，B级应严于C级。").format(
                    name=f"{graded[index].label}·{PlaceType(place_type).label if place_type else _('各类场所')}"
                )
            )


def _text(table: dict[Key, Decimal]) -> list[str]:
    return [f"{_label(key)} {limit.normalize():f}" for key, limit in sorted(table.items())]


@transaction.atomic
def thresholds_update(
    *,
    actor,
    version: ControlVersion,
    limits: dict[Key, Decimal | None],
    expected_version: int | None,
    effective_from=None,
    label: str = "",
    note: str | None = None,
    is_example: bool | None = None,
) -> ControlVersion:
    """Change limits of `version` (`None` removes a row). Used version → a new version in force
    from `effective_from` (required, later than the old one's, earlier than the next version's
    if any, and not another version's date),
    named `label` (default: the date); unused → edited in place. Returns the version that now
    holds the limits. Audits `pestcontrol.controlversion.created` (with the version it was made
    from) or `pestcontrol.controlversion.updated`, with the limits before and after."""
    ensure_role_allows(actor, ControlVersion, "change")
    locked = ControlVersion.objects.select_for_update().select_related("standard").get(pk=version.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    before = limits_of(locked)
    after = dict(before)
    for key, limit in limits.items():
        if limit is None:
            after.pop(key, None)
        else:
            after[key] = Decimal(limit)
    _check(locked.standard.pest, after)
    new_note = locked.note if note is None else note
    new_example = locked.is_example if is_example is None else is_example
    changed_limits = {k: [str(before.get(k, "")), str(after.get(k, ""))] for k in set(before) | set(after)}
    changed_limits = {k: v for k, v in changed_limits.items() if v[0] != v[1]}
    if not changed_limits and new_note == locked.note and new_example == locked.is_example:
        return locked
    data = {"before": _text(before), "after": _text(after)}
    if version_used(locked):
        if effective_from is None:
            raise DomainError(_("该版本已用于评定监测结果，修改将生成新版本：请填写新版本的实施日期。"))
        if effective_from <= locked.effective_from:
            raise DomainError(_("新版本的实施日期应晚于原版本的实施日期（{day}）。").format(day=locked.effective_from))
        if ControlVersion.objects.filter(standard_id=locked.standard_id, effective_from=effective_from).exists():
            raise DomainError(_("该标准在 {day} 已有一个版本。").format(day=effective_from))
        following = next_version(locked)
        if following is not None and effective_from >= following.effective_from:
            # A copy of older limits dated after the next version would override the newer one.
            raise DomainError(
                _("新版本的实施日期应早于该标准下一个版本「{label}」的实施日期（{day}）。").format(
                    label=following.label, day=following.effective_from
                )
            )
        created = ControlVersion(
            standard=locked.standard,
            label=(label or effective_from.isoformat())[:30],
            effective_from=effective_from,
            is_example=new_example,
            note=new_note,
        )
        created.full_clean()
        created.save()
        ControlThreshold.objects.bulk_create(
            ControlThreshold(version=created, index=index, place_type=place_type, level=level, limit=limit)
            for (index, place_type, level), limit in sorted(after.items())
        )
        data["from_version"] = str(locked)
        data["effective_from"] = effective_from.isoformat()
        audit_record(actor=actor, obj=created, action="pestcontrol.controlversion.created", data=data)
        return created
    for key in set(before) - set(after):
        locked.thresholds.filter(index=key[0], place_type=key[1], level=key[2]).delete()
    for (index, place_type, level), limit in after.items():
        if before.get((index, place_type, level)) != limit:
            ControlThreshold.objects.update_or_create(
                version=locked, index=index, place_type=place_type, level=level, defaults={"limit": limit}
            )
    locked.note, locked.is_example = new_note, new_example
    locked.version += 1
    locked.save()
    audit_record(actor=actor, obj=locked, action="pestcontrol.controlversion.updated", data=data)
    return locked
