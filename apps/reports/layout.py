"""The printed report: a `Document` written as a Word file in the layout of GB/T 9704-2012
(党政机关公文格式), converted to PDF by LibreOffice, or copied into Traditional characters.

The page: A4, margins 37/35/28/26 mm; the title in 二号小标宋, centred; the body in 三号仿宋
with a two-character first-line indent on a fixed 28.95 pt line (22 lines in the 225 mm type
area); headings 一、 in 黑体 and （一） in 楷体; listed paragraphs numbered 1．2．; the
signature and the date in Chinese numerals at the right; "— 1 —" page numbers in 四号宋体,
odd pages at the right, even pages at the left, one character in from the edge.

Figures are printed as their text only: the rounded "150余家" stays clean on paper (the exact
value lives on the figure's link in the draft page; `exact_comments=True` adds it as a Word
comment for reviewers). Addresses of records are never printed.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import replace
from functools import cache
from io import BytesIO
from pathlib import Path

import opencc
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image, ImageDraw, ImageFont

from apps.documents.docx import LATIN_FONT, chinese_date, new_document, save_document, set_east_asian_font
from apps.reports.document import Document, Paragraph
from apps.reports.numbers import plain

logger = logging.getLogger(__name__)

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号: one character is 16 pt wide
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28.95)  # 225 mm type area / 22 lines
TITLE_LINE = Pt(35)
INDENT = Pt(32)  # two characters
CHART_WIDTH = Mm(150)  # the type area is 156 mm wide
LANGUAGE_TAGS = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US"}


# Word --------------------------------------------------------------------------------------


def render_docx(document: Document, *, exact_comments: bool = False) -> bytes:
    """The .docx of `document`: 发文字号, title, 主送机关, the numbered body, tables, charts,
    落款 and 成文日期, page numbers in the footer."""
    word = _page(document)
    if document.doc_number:
        _line(word, document.doc_number, BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _line(word, "")
    title = _line(word, document.title, TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = TITLE_LINE
    _line(word, "")  # 标题下空一行
    if document.addressee:
        _line(word, document.addressee, BODY_FONT)
    for prefix, block in document.numbered():
        if block.heading:
            font = SUBHEADING_FONT if block.level == 2 else HEADING_FONT
            heading = _line(word, prefix + block.heading, font, indent=True)
            heading.paragraph_format.keep_with_next = True
        written = [paragraph for paragraph in block.paragraphs if paragraph.text]
        for number, paragraph in enumerate(written, start=1):
            _body(word, paragraph, f"{number}．" if block.listed else "", exact_comments, document.office)
    for caption, header, rows in document.tables:
        _table(word, caption, header, rows)
    for chart_title, labels, values in document.charts:
        _line(word, "")
        picture = _line(word, "", align=WD_ALIGN_PARAGRAPH.CENTER)
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        shape = picture.add_run().add_picture(BytesIO(render_chart_png(chart_title, labels, values)), width=CHART_WIDTH)
        shape._inline.docPr.set("descr", chart_title)
    _signature(word, document)
    _page_numbers(word)
    word.core_properties.title = document.title
    word.core_properties.author = document.office
    return save_document(word)


def _page(document: Document):
    """The shared A4 page (apps.documents.docx.new_document: GB/T 9704 margins) with the body
    style of this layout: 仿宋_GB2312 三号, fixed 28.95 pt lines, the document's language."""
    word = new_document()
    normal = word.styles["Normal"]
    set_east_asian_font(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = LINE
    characters = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), LANGUAGE_TAGS.get(document.language, "zh-CN"))
    characters.append(language)  # w:lang is the last child Word expects here
    section = word.sections[0]
    section.footer_distance = Mm(25)  # the page number's 一字线 ≈7 mm under the type area
    # 28 characters a line: 156 mm / 28 = 15.79 pt a character, so 三号 is condensed by 0.25 pt
    # (Word's character grid would do it too, but LibreOffice lays that grid out differently).
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), "-5")
    characters.insert_element_before(condensed, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:lang")
    return word


def _run(paragraph, text: str, font: str = BODY_FONT, size=BODY_SIZE, *, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = LATIN_FONT
    run.bold = bold
    set_east_asian_font(run._element, font)
    return run


def _line(word, text: str, font: str = BODY_FONT, *, size=BODY_SIZE, align=None, indent: bool = False):
    paragraph = word.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, font, size)
    return paragraph


def _body(word, paragraph: Paragraph, number: str, exact_comments: bool, office: str) -> None:
    line = _line(word, number, indent=True)
    line.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for run in paragraph.runs:
        written = _run(line, run.text)
        if exact_comments and run.exact:
            word.add_comment(written, text=run.exact, author=office or "—")


def _table(word, caption: str, header: list[str], rows: list[list[str]]) -> None:
    """A caption in 黑体 and a grid in 小四 仿宋; the header row repeats on every page."""
    _line(word, "")
    heading = _line(word, caption, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading.paragraph_format.keep_with_next = True
    columns = max([len(header), *(len(row) for row in rows)]) or 1
    table = word.add_table(rows=0, cols=columns)
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, values in enumerate([header, *rows] if header else rows):
        row = table.add_row()
        if index == 0 and header:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for column, cell in enumerate(row.cells):
            text = values[column] if column < len(values) else ""
            line = cell.paragraphs[0]
            line.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            line.paragraph_format.space_before = line.paragraph_format.space_after = Pt(2)
            line.alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 0 else WD_ALIGN_PARAGRAPH.CENTER
            if text:
                header_cell = index == 0 and bool(header)
                _run(line, str(text), HEADING_FONT if header_cell else BODY_FONT, TABLE_SIZE)


def _width(text: str) -> float:
    """Width in characters of 三号: full-width characters count 1, others ½."""
    return sum(1 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)


def _signature(word, document: Document) -> None:
    """GB/T 9704 §7.3.5.2 (no seal): one line under the body, the office two characters in from
    the right; the date on the next line starting two characters to the right of the office's
    first character; when the date is the longer, the date stays two in and the office moves.
    The signature never stands alone on a page: it keeps with the body's last paragraph (or row)."""
    last = word.element.body.xpath("./*[self::w:p or self::w:tbl][last()]")
    for paragraph in last[0].xpath("./w:tr[last()]//w:p" if last and last[0].tag == qn("w:tbl") else "."):
        paragraph.get_or_add_pPr().keepNext_val = True
    day = document.issued_on
    date_text = chinese_date(day) if document.language.startswith("zh") else f"{day.day} {day:%B %Y}"
    office, date = _width(document.office), _width(date_text)
    date_in = max(2, office - date)
    office_in = date_in + date + 2 - office
    _line(word, "").paragraph_format.keep_with_next = True
    for text, right in ((document.office, office_in), (date_text, date_in)):
        if text:
            line = _line(word, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            line.paragraph_format.right_indent = Pt(16 * right)
            line.paragraph_format.keep_with_next = text != date_text


def _page_numbers(word) -> None:
    """ "— 1 —" in 四号宋体: odd pages at the right, even pages at the left, one character in."""
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        line.paragraph_format.first_line_indent = None
        if align == "right":
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            line.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            line.alignment = WD_ALIGN_PARAGRAPH.LEFT
            line.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        _page_run(line, "— ")
        _page_run(line, "", field="begin")
        _page_run(line, " PAGE ", instruction=True)
        _page_run(line, "", field="separate")
        _page_run(line, "1")
        _page_run(line, "", field="end")
        _page_run(line, " —")


def _page_run(line, text: str, *, field: str = "", instruction: bool = False) -> None:
    run = _run(line, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run.font.name = PAGE_NUMBER_FONT  # 半角宋体阿拉伯数字
    if field:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), field)
        run._r.append(element)
    elif instruction:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        run._r.append(element)
    else:
        run.text = text


# Charts ------------------------------------------------------------------------------------

CHART_FONT_PATHS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


@cache
def _chart_font() -> tuple[str, int] | None:
    """A CJK font file and face: fontconfig's Noto Sans CJK SC, else fonts-noto-cjk's collection
    (whose third face is SC)."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            found = subprocess.run(  # noqa: S603 (fixed arguments)
                [fc_match, "-f", "%{file}|%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        path, _bar, index = found.partition("|")
        if "CJK" in path and Path(path).exists():
            return path, int(index or 0)
    return next(((path, 2) for path in CHART_FONT_PATHS if Path(path).exists()), None)


@cache
def _font(size: int):
    found = _chart_font()
    return ImageFont.load_default(size) if found is None else ImageFont.truetype(found[0], size, index=found[1])


def render_chart_png(title: str, labels: list[str], values: list[float]) -> bytes:
    """A horizontal bar chart (title, one bar per label, the value at its end) as a PNG, 1800 px
    wide: 15 cm at 300 dpi."""
    width, row, margin = 1800, 96, 40  # at 15 cm wide, 50 px ≈ 12 pt: the size of the table text
    title_font, label_font = _font(64), _font(50)
    values = [float(value or 0) for value in values]
    labels = [str(label) for label in labels][: len(values)]
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_width = max([measure.textlength(label, font=label_font) for label in labels] or [0])
    label_width = min(label_width, width * 0.4)
    top = margin + 120
    height = top + row * max(len(labels), 1) + margin
    image = Image.new("RGB", (width, int(height)), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width / 2, margin), title, fill="black", font=title_font, anchor="mt")
    left = margin + label_width + 24
    value_room = 260
    span = width - left - margin - value_room
    largest = max([*values, 0]) or 1
    for index, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + index * row
        middle = y + row / 2
        draw.text((left - 24, middle), label, fill="black", font=label_font, anchor="rm")
        length = max(0.0, value) / largest * span
        draw.rectangle((left, y + 16, left + length, y + row - 16), fill="#2f6fb0")
        draw.text((left + length + 14, middle), plain(round(value, 2)), fill="black", font=label_font, anchor="lm")
    draw.line((left, top, left, top + row * len(labels)), fill="#555555", width=3)
    buffer = BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


# PDF ---------------------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """No PDF could be made: LibreOffice is missing, failed or took too long. The message is
    for the person; `detail` is for the log."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


# The fonts the layout names are rarely installed on a server: fontconfig takes the Noto CJK
# face of the same kind right after each (an <accept> alias, bound strongly so that it outranks
# the language match that would pick any CJK sans), so a real 仿宋_GB2312 still wins.
FONT_STAND_INS = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


def _fontconfig(directory: Path) -> Path:
    aliases = "".join(
        f'<alias binding="strong"><family>{name}</family><accept><family>{stand_in}</family></accept></alias>'
        for name, stand_in in FONT_STAND_INS.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + aliases + "</fontconfig>",
        encoding="utf-8",
    )
    return path


def render_pdf(docx_bytes: bytes, timeout: int = 120) -> bytes:
    """The PDF of a .docx, by LibreOffice headless with a private profile per call (parallel
    conversions would otherwise fight over one profile's lock). Raises PdfUnavailable."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable(_("服务器未安装 LibreOffice，暂时无法生成 PDF，请下载 Word 版本。"), "soffice not found")
    with tempfile.TemporaryDirectory(prefix="chuangwei-pdf-") as name:
        directory = Path(name)
        source = directory / "document.docx"
        source.write_bytes(docx_bytes)
        command = [
            soffice,
            f"-env:UserInstallation={(directory / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            str(source),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(directory)), "HOME": str(directory)}
        process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            _output, error = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice is a script: end its soffice.bin too
            process.communicate()
            logger.warning("PDF conversion timed out after %s s", timeout)
            raise PdfUnavailable(_("PDF 生成超时，请稍后再试或下载 Word 版本。"), f"timeout {timeout}s") from None
        target = directory / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = f"soffice exit {process.returncode}: {error.decode(errors='replace')[-500:]}"
            logger.warning("PDF conversion failed: %s", detail)
            raise PdfUnavailable(_("PDF 生成失败，请下载 Word 版本。"), detail)
        return target.read_bytes()


# Traditional characters --------------------------------------------------------------------


@cache
def _converter() -> opencc.OpenCC:
    """OpenCC s2tw, as the Traditional catalogue (hant_catalogue): characters, not phrases, so
    社区 stays 社區 (s2twp would make it 社群)."""
    return opencc.OpenCC("s2tw")


def to_traditional(document: Document) -> Document:
    """A copy with every text in Traditional characters; figure keys and links are kept."""
    convert = _converter().convert

    def text(value: str) -> str:
        return convert(value) if value else value

    blocks = [
        replace(
            block,
            heading=text(block.heading),
            paragraphs=[
                replace(
                    paragraph, runs=[replace(run, text=text(run.text), exact=text(run.exact)) for run in paragraph.runs]
                )
                for paragraph in block.paragraphs
            ],
        )
        for block in document.blocks
    ]
    return replace(
        document,
        title=text(document.title),
        office=text(document.office),
        addressee=text(document.addressee),
        doc_number=text(document.doc_number),
        language="zh-hant",
        blocks=blocks,
        tables=[
            (text(caption), [text(cell) for cell in header], [[text(cell) for cell in row] for row in rows])
            for caption, header, rows in document.tables
        ],
        charts=[
            (text(title), [text(label) for label in labels], list(values)) for title, labels, values in document.charts
        ],
    )
