"""The binder's index (目录): one row per piece with its item, date, source and where it lies in
the .zip, as an .xlsx (a sheet the office can sort and filter) and a .docx (a table per section,
to print at the front of the binder)."""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook

from apps.documents.docx import chinese_date, new_document, paragraph, save_document, title
from apps.documents.xlsx import neutralise

HEADERS = ("序号", "大项", "小项", "资料名称", "日期", "来源", "文件名", "关联方式")
WIDTHS = (8, 24, 30, 40, 12, 16, 60, 12)
DOCX_COLUMNS = ("序号", "小项", "资料名称", "日期", "来源", "文件")
DOCX_WIDTHS = (Cm(1.2), Cm(3.2), Cm(4.6), Cm(2.3), Cm(2.2), Cm(2.5))


@dataclass(frozen=True)
class Piece:
    """One row of the index: a linked record or an uploaded document of an item."""

    number: int
    section: str
    item: str
    title: str
    occurred_on: object
    source: str
    files: tuple[str, ...]
    kind: str


class XlsxIndex:
    """Rows are appended as the binder is built (openpyxl's write-only mode keeps them on disk)."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("目录")
        for letter, width in zip("ABCDEFGH", WIDTHS, strict=True):
            self.sheet.column_dimensions[letter].width = width
        self.sheet.append(list(HEADERS))
        self.rows = 0

    def add(self, piece: Piece, missing_files: str) -> None:
        files = "\n".join(piece.files) if piece.files else missing_files
        values = [piece.number, piece.section, piece.item, piece.title, piece.occurred_on, piece.source, files]
        self.sheet.append([neutralise(value) for value in [*values, piece.kind]])
        self.rows += 1

    def save(self, path) -> None:
        self.workbook.save(path)


def docx_index(*, heading: str, subtitle: str, issued_on, sections: list[tuple[str, list[Piece]]], empty: str) -> bytes:
    """A title, then per section its name and a table of its pieces (the file column gives the
    file's name inside its item folder)."""
    document = new_document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    title(document, heading)
    paragraph(document, subtitle, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, chinese_date(issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    for name, pieces in sections:
        paragraph(document, name, indent=False, bold=True)
        if not pieces:
            paragraph(document, empty)
            continue
        table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
            _cell(cell, text, bold=True)
        for piece in pieces:
            cells = table.add_row().cells
            files = "\n".join(f.rsplit("/", 1)[-1] for f in piece.files)
            values = (str(piece.number), piece.item, piece.title, str(piece.occurred_on), piece.source, files)
            for cell, text in zip(cells, values, strict=True):
                _cell(cell, text)
        for column, width in zip(table.columns, DOCX_WIDTHS, strict=True):
            for cell in column.cells:
                cell.width = width
    return save_document(document)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    block = cell.paragraphs[0]
    block.paragraph_format.first_line_indent = None
    block.paragraph_format.line_spacing = Pt(14)
    run = block.add_run(text)
    run.font.size = Pt(9)
    run.bold = bold
