"""The .xlsx ledger of surveys (the list's filters): place, date, method, every raw count, the
computed indices with their units, the grade and the below-minimum flag."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.units import unit_text

from ..grading import ThresholdCache
from ..models import MethodSetting
from ..selectors.surveys import decorate, survey_list


def survey_export_rows(user, filters):
    return decorate(survey_list(user=user, filters=filters))


def _counts(s) -> str:
    return pgettext("separator", "；").join(
        f"{item.label} {s.counts.get(item.key, '')}{unit_text(item.unit)}" for item in s.definition.inputs
    )


def _indices(s) -> str:
    return pgettext("separator", "；").join(
        f"{c['index'].label} {c['value'] if c['value'] is not None else '—'}{unit_text(c['index'].unit)}"
        for c in s.computed
    )


def _grade(s) -> str:
    from ..choices import Grade

    return str(Grade(s.grade).label) if s.grade else ""


def survey_columns():
    """The columns; a row not yet decorated (the list view hands the export its queryset) is
    decorated here, with one threshold cache and one read of the minimum samples per export."""
    cache, minimums = ThresholdCache(), {}

    def ready(function):
        def cell(s):
            if not hasattr(s, "computed"):
                if not minimums:
                    minimums.update(MethodSetting.minimums())
                decorate([s], cache=cache, minimums=minimums)
            return function(s)

        return cell

    columns = [
        (_("编号"), lambda s: s.pk),
        (_("监测日期"), lambda s: s.surveyed_on.isoformat()),
        (_("病媒种类"), lambda s: str(s.pest_label)),
        (_("监测方法"), lambda s: s.get_method_display()),
        (_("监测辖区"), lambda s: s.jurisdiction.name),
        (_("场所类型"), lambda s: s.get_place_type_display()),
        (_("监测单位"), lambda s: s.unit.name if s.unit_id else ""),
        (_("监测地点"), lambda s: s.place_name),
        (_("所属行动"), lambda s: s.campaign.title if s.campaign_id else ""),
        (_("防制前后"), lambda s: s.get_phase_display() if s.phase else ""),
        (_("样本量"), lambda s: s.sample_size),
        (_("样本量不足"), lambda s: _("是") if s.below_minimum else ""),
        (_("监测记录"), _counts),
        (_("计算指数"), _indices),
        (_("控制水平"), _grade),
        (_("评定版本"), lambda s: str(s.version_in_force) if s.version_in_force else ""),
    ]
    return [(label, ready(function)) for label, function in columns]
