"""Word layout shared by every generated document (GB/T 9704 in spirit).

Title centred, a document number line, indented body paragraphs in 仿宋 三号, photos two
per row with captions, a right-aligned signature with the date in Chinese numerals.
"""

from datetime import date, datetime
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# Layout ------------------------------------------------------------------------------------

BODY_FONT = "仿宋"  # East Asian body font (仿宋/仿宋_GB2312 in government papers)
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PHOTO_WIDTH = Cm(7.5)
PHOTOS_PER_ROW = 2

CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_date(day: date) -> str:
    """A date the way a notice is signed: 2026-11-22 → "二〇二六年十一月二十二日".

    The year is read digit by digit (with 〇 for zero); month and day are numbers:
    10 → 十, 12 → 十二, 20 → 二十, 31 → 三十一.
    """
    year = "".join(CHINESE_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def chinese_number(value: int) -> str:
    """1–99 in Chinese numerals, as in dates: 十, 十一, 二十, 二十一, 三十一."""
    tens, ones = divmod(value, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    head = "十" if tens == 1 else CHINESE_DIGITS[tens] + "十"
    return head + (CHINESE_DIGITS[ones] if ones else "")


def chinese_datetime(moment: datetime) -> str:
    """A local time in body text: "2026年11月24日17时30分"."""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分"


# python-docx helpers -----------------------------------------------------------------------


def set_east_asian_font(element, name: str) -> None:
    """Set w:rFonts/@w:eastAsia on a style or run element (python-docx has no API for it)."""
    r_fonts = element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), name)


def new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    set_east_asian_font(normal.element, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    return document


def paragraph(document, text: str = "", *, indent: bool = True, align=None, bold: bool = False):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
    return paragraph


def title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(40)
    paragraph.paragraph_format.space_after = Pt(12)
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = TITLE_SIZE
    run.font.name = LATIN_FONT
    set_east_asian_font(run._element, TITLE_FONT)


def number_line(document, text: str) -> None:
    paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, indent=False)


def signature(document, office_name: str, issued_on: date) -> None:
    paragraph(document, indent=False)
    for text in (office_name, chinese_date(issued_on)):
        line = paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(32)


def read_image(photo) -> bytes | None:
    if not photo.image:
        return None
    try:
        with photo.image.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def photo_table(document, photos: list, empty_text: str = "（无整改前照片）") -> int:
    """Photos two per row, ~7.5 cm wide, each with a caption; unreadable files are skipped."""
    images = [(photo, data) for photo in photos if (data := read_image(photo))]
    if not images:
        paragraph(document, empty_text)
        return 0
    rows = (len(images) + PHOTOS_PER_ROW - 1) // PHOTOS_PER_ROW
    table = document.add_table(rows=rows, cols=PHOTOS_PER_ROW)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    added = 0
    for index, (photo, data) in enumerate(images):
        cell = table.cell(index // PHOTOS_PER_ROW, index % PHOTOS_PER_ROW)
        block = cell.paragraphs[0]
        block.alignment = WD_ALIGN_PARAGRAPH.CENTER
        block.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        try:
            block.add_run().add_picture(BytesIO(data), width=PHOTO_WIDTH)
        except (UnrecognizedImageError, ValueError, OSError):
            block.add_run("（照片无法读取）")
            continue
        added += 1
        caption = cell.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        taken = photo.taken_at or photo.created_at
        run = caption.add_run(f"照片{index + 1}  {chinese_datetime(taken)}")
        run.font.size = Pt(10.5)
    return added


def save_document(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A .docx download with its Chinese file name intact (RFC 5987)."""
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
