"""The report's files: the printed `Document` in a language, its .docx, and the names offered."""

from __future__ import annotations

import re

from django.utils import translation

from . import generator
from .choices import Language
from .document import Document

FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]')


def document(report, language: str, user, *, with_table: bool = False, with_chart: bool = False) -> Document:
    """Simplified: the parts as written; Traditional: the same converted by OpenCC (s2tw, as seed
    004 is written); English: the generator's English for the same figures."""
    from . import layout

    parts = list(report.parts.all())
    if language == Language.ENGLISH:
        english = generator.english_parts(report, parts, user)
        printed = generator.document_for(report, parts, language="en", generated_parts=english)
        with translation.override("en"):
            _annex(printed, with_table, with_chart)
        return printed
    printed = generator.document_for(report, parts, language=language)
    _annex(printed, with_table, with_chart)
    if language == Language.TRADITIONAL:
        printed = layout.to_traditional(printed)
    return printed


def _annex(printed: Document, with_table: bool, with_chart: bool) -> None:
    if with_table:
        printed.tables.append(figure_table(printed))
    if with_chart and (chart := rate_chart(printed)) is not None:
        printed.charts.append(chart)


def rate_chart(printed: Document) -> tuple[str, list[str], list[float]] | None:
    """附图: the rates the document quotes (按期结案率, 签订率, 知晓率 …) as bars, or None when it
    quotes none."""
    from django.utils.translation import gettext as _

    from apps.core.evidence import figures

    known = figures()
    labels, values, seen = [], [], set()
    for run in printed.figures:
        figure = known.get(run.figure_key)
        if figure is None or run.figure_key in seen or str(figure.unit) != "%" or run.missing:
            continue
        seen.add(run.figure_key)
        number = (run.exact or run.text).rstrip("%")
        try:
            values.append(float(number))
        except ValueError:
            continue
        labels.append(str(figure.label))
    return (_("附图：文中比率（百分比）"), labels, values) if labels else None


def figure_table(printed: Document) -> tuple[str, list[str], list[list[str]]]:
    """附表: every figure the document quotes, with its exact value."""
    from django.utils.translation import gettext as _

    from apps.core.evidence import figures

    known = figures()
    seen, rows = set(), []
    for run in printed.figures:
        if run.figure_key in seen:
            continue
        seen.add(run.figure_key)
        label = str(known[run.figure_key].label) if run.figure_key in known else run.figure_key
        rows.append([label, run.exact or run.text])
    return _("附表：文中数字"), [_("指标"), _("数值")], rows


def report_docx(report, language: str, user, *, with_table: bool = False, with_chart: bool = False) -> bytes:
    from . import layout

    return layout.render_docx(document(report, language, user, with_table=with_table, with_chart=with_chart))


def file_name(report, language: str, extension: str) -> str:
    """The title (characters Windows refuses replaced), a language suffix and the extension."""
    suffix = {Language.TRADITIONAL: "-繁體", Language.ENGLISH: "-EN"}.get(language, "")
    stem = FORBIDDEN.sub("_", f"{report.title}{suffix}").strip(". ")[:100] or "report"
    return stem + extension
