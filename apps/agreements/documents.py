"""Printed agreements: one agreement (.docx), a generation's batch (one agreement per page) and the
责任公示牌 of a frontage or stall (.docx, large type, with a QR code of the agreement number).
Files leave the application: the signatory is printed masked (apps/core/personal.py)."""

from __future__ import annotations

from io import BytesIO

import segno
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from apps.core import personal
from apps.core.evidence import in_working_language
from apps.documents import docx as layout

from .text import fill

BATCH_LIMIT = 3000  # agreements in one batch document (about as many pages)


def _write(document, agreement) -> None:
    version = agreement.template_version
    layout.title(document, version.title)
    layout.number_line(document, _("编号：{number}").format(number=agreement.number))
    for line in fill(version.body, agreement).splitlines():
        layout.paragraph(document, line, indent=bool(line.strip()))


@in_working_language
def agreement_docx(agreement) -> bytes:
    document = layout.new_document()
    _write(document, agreement)
    if agreement.signed_on:
        layout.paragraph(document, indent=False)
        layout.paragraph(
            document,
            _("签订人：{name}    签订日期：{day}").format(
                name=personal.in_records(agreement, "signatory_name"), day=layout.chinese_date(agreement.signed_on)
            ),
            indent=False,
        )
    return layout.save_document(document)


@in_working_language
def batch_docx(agreements) -> bytes:
    """Every agreement of a generation, each starting on a new page."""
    document = layout.new_document()
    for index, agreement in enumerate(agreements):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(document, agreement)
    return layout.save_document(document)


@in_working_language
def board_docx(agreement) -> bytes:
    """责任公示牌: who answers for this frontage or stall, for what, until when, and who supervises."""
    document = layout.new_document()
    layout.title(document, _("责任公示牌"))
    rows = [
        (_("责任单位"), agreement.party_name),
        (_("责任区域"), agreement.zone.name if agreement.zone else _("门前及周边区域")),
        (_("责任人"), personal.in_records(agreement, "signatory_name") or "—"),
        (_("责任期限"), _("{start}至{end}").format(start=agreement.starts_on, end=agreement.ends_on)),
        (_("监督单位"), agreement.jurisdiction.name),
        (_("责任书编号"), agreement.number),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        table.cell(index, 0).text = str(label)
        table.cell(index, 1).text = str(value)
        table.cell(index, 0).width = Cm(4)
    layout.paragraph(document, indent=False)
    layout.paragraph(document, _("责任内容："), indent=False, bold=True)
    for index, duty in enumerate(agreement.duty_list, start=1):
        layout.paragraph(document, f"{index}. {duty}", indent=False)
    qr = BytesIO()
    segno.make(agreement.number, micro=False).save(qr, kind="png", scale=6)
    qr.seek(0)
    block = document.add_paragraph()
    block.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    block.add_run().add_picture(qr, width=Cm(3))
    caption = layout.paragraph(document, _("扫码核对责任书编号"), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for run in caption.runs:
        run.font.size = Pt(10.5)
    return layout.save_document(document)
