"""Writing a report from the records: the parts of a draft, and the printed `Document` of a report.

The sections come from the apps' `ReportSection`s (apps/core/reporting.py), in the seeds' order;
their sentences name registered figures (`{cases.received}`), which are computed here for the
report's jurisdiction subtree and period through the totals' batching (totals.compute_all), so
every figure is the record's own number, derived ones (rates, indices, kg) computed by the app
that owns them. A sentence whose figures are all zero or empty is left out.

A part's text keeps its placeholders; the values live beside it (`ReportPart.figures`), so
regenerating refreshes every figure, in edited parts too, and the edited prose stays as written.
The editor shows a figure as `{按期结案率}` (its label) and reads either form back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.evidence import FigureValue
from apps.core.evidence import figures as registered_figures
from apps.core.reporting import PLACEHOLDER, ReportSection, sections
from apps.worktime import periods

from . import totals
from .choices import PartKind, ReportKind
from .document import Block, Document, Paragraph, Run
from .numbers import figure_text

# What a person may type in the editor: {label} or {app.key}.
EDITABLE = re.compile(r"\{([^{}\n]{1,80})\}")

# Where the sections go: kinds with nesting put them under one level-1 heading (一、主要工作及成效,
# then 二、存在的问题, 三、下一步打算); a 简报 lists them at level 1 and has no problems or plans.
SUMMARY_KINDS = {
    ReportKind.YEAR_SUMMARY,
    ReportKind.HALF_SUMMARY,
    ReportKind.REPORT,
    ReportKind.SELF_CHECK,
    ReportKind.APPLICATION,
}
WORK_HEADING = {
    ReportKind.YEAR_SUMMARY: gettext_lazy("主要工作及成效"),
    ReportKind.HALF_SUMMARY: gettext_lazy("主要工作及成效"),
    ReportKind.REPORT: gettext_lazy("工作开展情况"),
    ReportKind.SELF_CHECK: gettext_lazy("自查情况"),
    ReportKind.APPLICATION: gettext_lazy("创建工作基本情况"),
    ReportKind.PLAN: gettext_lazy("工作基础"),
}
PROBLEMS_HEADING = {ReportKind.PLAN: gettext_lazy("主要问题")}
PLANS_HEADING = {ReportKind.PLAN: gettext_lazy("工作重点")}
OPENINGS = {
    ReportKind.YEAR_SUMMARY: gettext_lazy(
        "根据上级关于爱国卫生运动和创建卫生城市工作的部署要求，{office}坚持以人民健康为中心，"
        "扎实推进各项创卫工作，{period}工作取得了一定成效。现将有关情况总结如下："
    ),
    ReportKind.HALF_SUMMARY: gettext_lazy(
        "根据上级关于爱国卫生运动和创建卫生城市工作的部署要求，{office}扎实推进各项创卫工作。"
        "现将{period}工作情况总结如下："
    ),
    ReportKind.REPORT: gettext_lazy("现将{office}{period}创卫工作开展情况汇报如下："),
    ReportKind.BRIEFING: gettext_lazy("{period}，{office}创卫工作进展情况如下。"),
    ReportKind.SELF_CHECK: gettext_lazy(
        "根据创建工作要求，{office}对照标准对{period}各项工作进行了自查，现将自查情况报告如下："
    ),
    ReportKind.APPLICATION: gettext_lazy(
        "{office}自开展创建工作以来，对照创建标准扎实推进各项工作，{period}各项指标情况如下，特申请考核验收。"
    ),
    ReportKind.PLAN: gettext_lazy(
        "为深入推进创卫工作，巩固已有成果，结合{office}实际，在{period}工作基础上制定本工作方案。"
    ),
}
TITLES = {
    ReportKind.YEAR_SUMMARY: gettext_lazy("{office}{year}年创卫工作总结"),
    ReportKind.HALF_SUMMARY: gettext_lazy("{office}{period}创卫工作总结"),
    ReportKind.REPORT: gettext_lazy("{office}关于{period}创卫工作情况的汇报"),
    ReportKind.BRIEFING: gettext_lazy("{office}创卫工作简报（{period}）"),
    ReportKind.SELF_CHECK: gettext_lazy("{office}{period}创卫工作自查报告"),
    ReportKind.APPLICATION: gettext_lazy("{office}关于申请创建卫生城市考核验收的报告"),
    ReportKind.PLAN: gettext_lazy("{office}创卫工作方案"),
}
GUARANTEES = gettext_lazy(
    "加强组织领导，落实分片包干责任；强化督查考核，对问题实行闭环管理；做好宣传发动，提高群众知晓率和参与率。"
)
NOTHING_TO_REPORT = gettext_lazy("本期暂无可统计的工作记录。")


# Periods ---------------------------------------------------------------------------------------


def default_period(kind: str, today: date) -> tuple[date, date]:
    """A year summary covers this year, a half-year summary this half, the others this month."""
    if kind == ReportKind.YEAR_SUMMARY:
        return periods.period_bounds(periods.YEAR, today)
    if kind == ReportKind.HALF_SUMMARY:
        first_half = today.month <= 6
        return (
            (date(today.year, 1, 1), date(today.year, 6, 30))
            if first_half
            else (
                date(today.year, 7, 1),
                date(today.year, 12, 31),
            )
        )
    return periods.period_bounds(periods.MONTH, today)


def period_name(start: date, end: date) -> str:
    """ "2026年度", "2026年上半年", "2026年11月", or the span's dates."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return periods.period_label(periods.YEAR, start)
    if start.year == end.year and (start.month, start.day) == (1, 1) and (end.month, end.day) == (6, 30):
        return _("{year}年上半年").format(year=start.year)
    if start.year == end.year and (start.month, start.day) == (7, 1) and (end.month, end.day) == (12, 31):
        return _("{year}年下半年").format(year=start.year)
    month_start, month_end = periods.period_bounds(periods.MONTH, start)
    if (start, end) == (month_start, month_end):
        return periods.period_label(periods.MONTH, start)
    quarter = periods.period_bounds(periods.QUARTER, start)
    if (start, end) == quarter:
        return periods.period_label(periods.QUARTER, start)
    return periods.period_label("custom", start, end)


def default_title(kind: str, office: str, start: date, end: date) -> str:
    return str(TITLES[kind]).format(office=office, year=start.year, period=period_name(start, end))


# Figures ---------------------------------------------------------------------------------------


def visible_sections(user) -> list[ReportSection]:
    """The registered sections whose figures `user` may read (None: every section)."""
    return [s for s in sections() if user is None or not s.permission or user.can(s.permission, "view")]


def compute_figures(keys, path: str, start: date, end: date) -> dict[str, dict]:
    """{key: {value, numerator, denominator, unit, label, url}} of the registered figures `keys`,
    computed together (a batch runs once); a figure that failed has value None and `failed`."""
    known = registered_figures()
    sources = [known[key] for key in dict.fromkeys(keys) if key in known]
    out = {}
    for cell in totals.compute_all(sources, path, start, end):
        figure, value = cell.figure, cell.value
        entry = {"unit": str(figure.unit or ""), "label": str(figure.label), "url": "", "value": None}
        if value is None:
            entry["failed"] = True
        else:
            entry.update(
                value=_text(value.value),
                numerator=_text(value.numerator),
                denominator=_text(value.denominator),
                url=str(value.url or ""),
            )
        out[figure.key] = entry
    return out


def _text(value) -> str | None:
    return None if value is None else str(Decimal(value))


def figure_value(entry: dict) -> FigureValue | None:
    """A stored figure (`ReportPart.figures` entry) as the `FigureValue` it was computed as."""
    if entry.get("failed"):
        return None

    def number(name):
        return None if entry.get(name) is None else Decimal(entry[name])

    return FigureValue(number("value"), number("numerator"), number("denominator"), url=entry.get("url", ""))


def is_empty(entry: dict | None) -> bool:
    return entry is None or entry.get("value") is None or Decimal(entry["value"]) == 0


def keys_in(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


# Drafting --------------------------------------------------------------------------------------


@dataclass
class PartDraft:
    kind: str
    key: str
    heading: str
    order: int
    text: str


def draft_parts(kind: str, node, start: date, end: date, office: str, user) -> tuple[list[PartDraft], dict]:
    """The parts the generator writes for a report, and the values of every figure they quote.

    Runs in the deployment's working language: the document is written in it (an English version
    is rendered from the same parts by `document_for`)."""
    chosen = visible_sections(user)
    values = compute_figures([key for section in chosen for key in section.figure_keys], node.path, start, end)
    period = period_name(start, end)
    parts = [PartDraft(PartKind.OPENING, "opening", "", 0, str(OPENINGS[kind]).format(office=office, period=period))]
    problems: list[str] = []
    plans: list[str] = []
    for section in chosen:
        sentences = [
            str(sentence.text)
            for sentence in section.sentences
            if sentence.always or not all(is_empty(values.get(key)) for key in sentence.keys)
        ]
        if sentences:
            parts.append(
                PartDraft(PartKind.SECTION, section.key, str(section.heading), section.order, "".join(sentences))
            )
        if section.problems is not None:
            problems += section.problems(node.path, start, end)
        if section.plans is not None:
            plans += section.plans(node.path, start, end)
    if len(parts) == 1:
        parts.append(PartDraft(PartKind.SECTION, "nothing", "", 1, str(NOTHING_TO_REPORT)))
    if kind != ReportKind.BRIEFING:
        parts.append(PartDraft(PartKind.PROBLEMS, "problems", "", 10000, "\n".join(problems)))
        plan_lines = plans + ([str(GUARANTEES)] if kind == ReportKind.PLAN else [])
        parts.append(PartDraft(PartKind.PLANS, "plans", "", 10001, "\n".join(plan_lines)))
    return parts, values


# Editing ---------------------------------------------------------------------------------------


def editable_text(text: str) -> str:
    """A part's text as the editor shows it: each figure as {its label}."""
    known = registered_figures()
    return PLACEHOLDER.sub(lambda m: f"{{{known[m.group(1)].label}}}" if m.group(1) in known else m.group(0), text)


class UnknownFigures(ValueError):
    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


def stored_text(text: str) -> str:
    """The editor's text stored: {label} and {app.key} become {app.key}; a name in braces that is
    no registered figure raises UnknownFigures (the form lists them)."""
    known = registered_figures()
    by_label = {}
    for key, figure in known.items():
        by_label.setdefault(str(figure.label), key)
    unknown: list[str] = []

    def replace(match):
        name = match.group(1).strip()
        if name in known:
            return f"{{{name}}}"
        if name in by_label:
            return f"{{{by_label[name]}}}"
        unknown.append(name)
        return match.group(0)

    out = EDITABLE.sub(replace, text.replace("\r\n", "\n"))
    if unknown:
        raise UnknownFigures(unknown)
    return out.strip()


# The printed document ----------------------------------------------------------------------------


def runs_of(line: str, values: dict, *, style: bool) -> list[Run]:
    runs: list[Run] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        if match.start() > position:
            runs.append(Run(line[position : match.start()]))
        key = match.group(1)
        entry = values.get(key)
        if entry is None or entry.get("failed"):
            runs.append(Run(_("（数字缺失）"), figure_key=key, missing=True))
        else:
            text, exact = figure_text(entry["value"], entry["unit"], style=style)
            runs.append(
                Run(text, figure_key=key, url=entry.get("url", ""), exact=exact, missing=entry["value"] is None)
            )
        position = match.end()
    if position < len(line):
        runs.append(Run(line[position:]))
    return runs


def paragraphs_of(text: str, values: dict, *, style: bool) -> list[Paragraph]:
    """One paragraph per non-empty line."""
    return [Paragraph(runs_of(line.strip(), values, style=style)) for line in text.splitlines() if line.strip()]


def document_for(report, parts, *, language: str = "zh-hans", generated_parts=None) -> Document:
    """The printed form of `report` from its parts (ReportPart rows or PartDrafts with `figures`).

    Simplified and Traditional print the parts as written (Traditional is converted afterwards by
    the layout); English prints what the generator writes in English for the same figures
    (`generated_parts`: the drafts under translation.override("en")), since a person's edits are
    written in Chinese."""
    kind = report.kind
    nested = kind in SUMMARY_KINDS or kind == ReportKind.PLAN
    source = generated_parts if language == "en" and generated_parts is not None else parts
    blocks: list[Block] = []
    work_opened = False
    for part in source:
        values = part.figures
        # Approximate counts are a Chinese way of writing ("150余家"); English states them exactly.
        paragraphs = paragraphs_of(part.text, values, style=report.number_style and language != "en")
        if part.kind == PartKind.OPENING:
            blocks.append(Block(part.key, "", 0, paragraphs, part_id=getattr(part, "pk", None)))
        elif part.kind == PartKind.SECTION:
            if nested and not work_opened:
                blocks.append(Block("work", str(WORK_HEADING[kind]), 1, []))
                work_opened = True
            level = 2 if nested else 1
            blocks.append(Block(part.key, part.heading, level, paragraphs, part_id=getattr(part, "pk", None)))
        elif paragraphs:
            heading = (
                PROBLEMS_HEADING.get(kind, gettext_lazy("存在的问题"))
                if part.kind == PartKind.PROBLEMS
                else PLANS_HEADING.get(kind, gettext_lazy("下一步打算"))
            )
            blocks.append(Block(part.key, str(heading), 1, paragraphs, listed=True, part_id=getattr(part, "pk", None)))
    title = report.title
    if language == "en":
        with translation.override("en"):
            title = default_title(kind, report.office, report.period_start, report.period_end)
    return Document(
        title=title,
        office=report.office,
        issued_on=report.issued_on or report.period_end,
        language=language,
        doc_number=report.doc_number,
        addressee=report.addressee if kind == ReportKind.REPORT or report.addressee else "",
        blocks=blocks,
    )


@dataclass
class EnglishPart:
    kind: str
    key: str
    heading: str
    text: str
    figures: dict
    pk: int | None = None


def english_parts(report, parts, user) -> list[EnglishPart]:
    """The generator's text in English for `report`, with the figures the stored parts hold (the
    same records; no recomputation): a reviewer's version."""
    with translation.override("en"):
        drafts, _values = draft_parts(
            report.kind, report.jurisdiction, report.period_start, report.period_end, report.office, user
        )
        values = {key: entry for part in parts for key, entry in part.figures.items()}
        headings = {section.key: str(section.heading) for section in sections()}
        out = []
        for draft in drafts:
            figures = {k: {**values.get(k, {}), "unit": values.get(k, {}).get("unit", "")} for k in keys_in(draft.text)}
            for key, entry in figures.items():
                if "value" not in entry:
                    figures[key] = {"value": None, "unit": "", "failed": True}
            out.append(EnglishPart(draft.kind, draft.key, headings.get(draft.key, draft.heading), draft.text, figures))
        return out
