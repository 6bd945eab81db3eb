"""The binder's index (目录): one row per piece with its item, date, source and where it lies in
the .zip, as an .xlsx (a sheet the office can sort and filter) and a .docx (a table per section,
to print at the front of the binder)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext_lazy as _
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook

from apps.documents.docx import chinese_date, new_document, paragraph, save_document, title
from apps.documents.xlsx import neutralise

# Translatable; rendered in the working language the binder is built in (build.build_binder).
HEADERS = (_("序号"), _("大项"), _("小项"), _("资料名称"), _("日期"), _("来源"), _("文件名"), _("关联方式"))
WIDTHS = (8, 24, 30, 40, 12, 16, 60, 12)
DOCX_COLUMNS = (_("序号"), _("小项"), _("资料名称"), _("日期"), _("来源"), _("文件"))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
        self.sheet = self.workbook.create_sheet(str(_("目录")))
        for letter, width in zip("ABCDEFGH", WIDTHS, strict=True):
            self.sheet.column_dimensions[letter].width = width
        self.sheet.append([str(header) for header in HEADERS])
        self.rows = 0

    def add(self, piece: Piece, missing_files: str) -> None:
        files = "\n".join(piece.files) if piece.files else missing_files
        values = [piece.number, piece.section, piece.item, piece.title, piece.occurred_on, piece.source, files]
        self.sheet.append([neutralise(value) for value in [*values, piece.kind]])
        self.rows += 1

    def save(self, path) -> None:
        self.workbook.save(path)


def docx_index(
    path, *, heading: str, subtitle: str, issued_on, sections: list[tuple[str, list[Piece]]], empty: str
) -> None:
    """Write to `path` a .docx with a title, then per section its name and a table of its pieces
    (the file column gives the files' names inside their item folder).

    Streamed: python-docx lays out the title, styles and section headings around a marker per
    table; the tables' rows are then written straight into word/document.xml, row by row, so a
    binder of thousands of pieces costs no more memory than a small one (python-docx's own table
    API takes ~16 KB and a millisecond per row)."""
    document = new_document()
    page = document.sections[0]
    page.left_margin = page.right_margin = Cm(2)
    style = document.styles.add_style(INDEX_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(9)
    style.paragraph_format.line_spacing = Pt(13)
    style.paragraph_format.first_line_indent = None
    _ensure_table_grid_style(document)
    title(document, heading)
    paragraph(document, subtitle, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, chinese_date(issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    tables = []
    for name, pieces in sections:
        paragraph(document, name, indent=False, bold=True)
        if not pieces:
            paragraph(document, empty)
            continue
        paragraph(document, f"{MARKER}{len(tables)}{MARKER}", indent=False)
        tables.append(pieces)
    skeleton = save_document(document)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
                continue
            xml = source.read(info).decode("utf-8")
            with out.open(info.filename, "w") as target:
                position = 0
                for number, pieces in enumerate(tables):
                    marker = xml.index(f"{MARKER}{number}{MARKER}")
                    start = max(xml.rfind("<w:p>", 0, marker), xml.rfind("<w:p ", 0, marker))
                    end = xml.index("</w:p>", marker) + len("</w:p>")
                    target.write(xml[position:start].encode("utf-8"))
                    _write_table(target, pieces)
                    position = end
                target.write(xml[position:].encode("utf-8"))


MARKER = "@@BINDER-TABLE@@"


def _write_table(target, pieces: list[Piece]) -> None:
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in DOCX_TWIPS)
    head = (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(DOCX_TWIPS)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    )
    target.write((head + _row([str(column) for column in DOCX_COLUMNS], bold=True)).encode("utf-8"))
    for piece in pieces:
        files = "\n".join(f.rsplit("/", 1)[-1] for f in piece.files)
        values = (str(piece.number), piece.item, piece.title, str(piece.occurred_on), piece.source, files)
        target.write(_row(values).encode("utf-8"))
    target.write(b"</w:tbl>")


INDEX_STYLE = "BinderIndex"
DOCX_TWIPS = (680, 1810, 2610, 1300, 1250, 1420)  # 1.2, 3.2, 4.6, 2.3, 2.2, 2.5 cm


def _row(values, *, bold: bool = False) -> str:
    header = "<w:trPr><w:tblHeader/></w:trPr>" if bold else ""
    cells = []
    for width, value in zip(DOCX_TWIPS, values, strict=True):
        runs = []
        for number, line in enumerate(str(value).split("\n")):
            brk = "<w:br/>" if number else ""
            props = "<w:rPr><w:b/></w:rPr>" if bold else ""
            runs.append(f'<w:r>{props}{brk}<w:t xml:space="preserve">{_xml(line)}</w:t></w:r>')
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{INDEX_STYLE}"/></w:pPr>{"".join(runs)}</w:p></w:tc>'
        )
    return f"<w:tr>{header}{''.join(cells)}</w:tr>"


def _xml(text: str) -> str:
    """Text for an XML text node: escaped, without the control characters XML 1.0 forbids."""
    return escape(CONTROL.sub("", text))


def _ensure_table_grid_style(document) -> None:
    """The default template has "Table Grid"; make sure the style id the tables name exists."""
    try:
        document.styles["Table Grid"]
    except KeyError:
        document.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
