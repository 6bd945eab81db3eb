"""四、除四害 of the work summaries (apps/core/reporting.py): the operations and drugs, the Aedes
indices, and the control levels (a grade worse than C seeds 存在的问题)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import figures
from apps.core.reporting import PEST_CONTROL, ReportSection, ReportSentence

from .choices import Grade, Pest
from .selectors.grades import ORDINAL

# The grade figures are ordinals (A=1, B=2, C=3, below C=4): above C's is below the standard.
WORST_PASSING = ORDINAL[Grade.C]


def problems(path: str, start: date, end: date) -> list[str]:
    known = figures()
    grades = {pest: known.get(f"pestcontrol.grade.{pest.value}") for pest in Pest}
    # The four grades share one batch (the surveys are read once for all pests).
    batch = next((f.extra.get("batch") for f in grades.values() if f is not None and f.extra.get("batch")), None)
    values = batch(path, start, end) if batch is not None else {}
    found = []
    for pest, figure in grades.items():
        if figure is None:
            continue
        value = values[figure.key] if figure.key in values else figure.compute(path, start, end)
        if value.value is not None and value.value > WORST_PASSING:
            found.append(gettext("%(pest)s密度未达到国家标准C级控制水平。") % {"pest": pest.label})
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("坚持环境治理与药物杀灭相结合，定期开展病媒生物密度监测，将四害密度控制在国家标准C级以内。")]


SECTION = ReportSection(
    key="pestcontrol",
    heading=_("除四害"),
    order=PEST_CONTROL,
    sentences=[
        ReportSentence(
            _(
                "组织开展除四害集中行动{pestcontrol.campaigns_held}，累计作业{pestcontrol.operations}，"
                "覆盖住户{pestcontrol.households_covered}。"
            )
        ),
        ReportSentence(_("投放灭鼠毒饵{pestcontrol.rodenticide_kg}，使用灭蚊蝇蟑药物{pestcontrol.drug_kg}。")),
        ReportSentence(_("处理面积{pestcontrol.area_m2}。")),
        ReportSentence(_("入户开展伊蚊幼虫监测，布雷图指数为{pestcontrol.index.breteau_index}。")),
    ],
    problems=problems,
    plans=plans,
    permission="pestcontrol.operation",
)
