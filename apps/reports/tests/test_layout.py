"""The printed report (apps/reports/layout.py): the .docx in the layout of GB/T 9704-2012, read back
with python-docx; the Traditional copy; the PDF made by LibreOffice."""

import io
import re
import subprocess
from datetime import date

import pytest
from docx import Document as Word
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

from apps.reports import layout
from apps.reports.document import Block, Document, Paragraph, Run
from apps.reports.layout import PdfUnavailable, render_chart_png, render_docx, render_pdf, to_traditional

TITLE = "后环社区创建卫生村工作总结"
DATE = "二〇二六年十一月三十日"
OFFICE = "后环社区居委会"


def _document(**extra) -> Document:
    opening = Paragraph(
        [
            Run("今年以来，我社区共整治卫生死角"),
            Run("150余处", figure_key="cases.closed", url="/cases/?status=closed", exact="153处"),
            Run("，清运垃圾"),
            Run("近10吨", figure_key="campaigns.waste", url="/campaigns/waste/", exact="9.7吨"),
            Run("。现将有关情况汇报如下："),
        ]
    )
    blocks = [
        Block("opening", "", 0, [opening]),
        Block("organisation", "加强组织领导，落实长效机制", 1, [Paragraph([Run("社区成立了创建工作领导小组。")])]),
        Block("lead", "健全组织机构", 2, [Paragraph([Run("明确专人负责日常卫生工作。")])]),
        Block("publicity", "广泛开展宣传", 2, [Paragraph([Run("发放宣传资料1200余份。")])]),
        Block(
            "problems",
            "存在的问题",
            1,
            [Paragraph([Run("部分居民卫生意识不强。")]), Paragraph([Run("背街小巷保洁不到位。")])],
            listed=True,
        ),
    ]
    values = {
        "title": TITLE,
        "office": OFFICE,
        "issued_on": date(2026, 11, 30),
        "doc_number": "后环社〔2026〕12号",
        "addressee": "区爱卫办：",
        "blocks": blocks,
        "tables": [
            ("主要指标完成情况", ["指标", "数值", "单位"], [["整治卫生死角", "153", "处"], ["清运垃圾", "9.7"]])
        ],
    }
    return Document(**(values | extra))


@pytest.fixture(scope="module")
def word():
    return Word(io.BytesIO(render_docx(_document())))


def _east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _paragraph(word, start: str):
    return next(p for p in word.paragraphs if p.text.startswith(start))


def test_the_page_is_a4_with_the_margins_of_the_standard(word):
    section = word.sections[0]
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, millimetres in expected.items():
        assert abs(getattr(section, name) - Mm(millimetres)) < Mm(0.1), name


def test_the_title_is_second_size_xiaobiaosong_centred(word):
    title = _paragraph(word, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [run.font.size for run in title.runs] == [Pt(22)]
    assert _east_asian(title.runs[0]) == "方正小标宋简体"


def test_the_number_line_comes_first_and_the_addressee_is_flush_left(word):
    texts = [p.text for p in word.paragraphs]
    assert texts.index("后环社〔2026〕12号") < texts.index(TITLE) < texts.index("区爱卫办：")
    number = _paragraph(word, "后环社〔2026〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asian(number.runs[0]) == "仿宋_GB2312"
    addressee = _paragraph(word, "区爱卫办：")
    assert addressee.paragraph_format.first_line_indent in (None, 0)
    assert addressee.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)


def test_headings_are_numbered_in_heiti_and_kaiti(word):
    first = _paragraph(word, "一、")
    assert first.text == "一、加强组织领导，落实长效机制"
    assert _east_asian(first.runs[0]) == "黑体"
    assert first.runs[0].font.size == Pt(16)
    for text in ("（一）健全组织机构", "（二）广泛开展宣传"):
        heading = _paragraph(word, text[:3])
        assert heading.text == text
        assert _east_asian(heading.runs[0]) == "楷体_GB2312"
    assert _paragraph(word, "二、").text == "二、存在的问题"


def test_the_body_is_third_size_fangsong_indented_on_fixed_lines(word):
    body = _paragraph(word, "今年以来")
    assert body.text == "今年以来，我社区共整治卫生死角150余处，清运垃圾近10吨。现将有关情况汇报如下："
    for run in body.runs:
        assert run.font.size == Pt(16)
        assert _east_asian(run) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    normal = word.styles["Normal"].paragraph_format
    spacing = body.paragraph_format.line_spacing or normal.line_spacing
    rule = body.paragraph_format.line_spacing_rule or normal.line_spacing_rule
    assert rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= spacing <= Pt(29)


def test_figures_print_their_text_only(word):
    xml = word.element.xml
    assert "153处" not in xml  # the exact value is not printed …
    assert "/cases/" not in xml  # … nor the records' address
    assert not [part for part in word.part.package.iter_parts() if "comments" in str(part.partname)]


def test_exact_values_can_be_comments_for_reviewers():
    word = Word(io.BytesIO(render_docx(_document(), exact_comments=True)))
    assert [comment.text for comment in word.comments] == ["153处", "9.7吨"]
    assert "153处" not in "".join(p.text for p in word.paragraphs)


def test_listed_paragraphs_are_numbered(word):
    assert _paragraph(word, "1．").text == "1．部分居民卫生意识不强。"
    assert _paragraph(word, "2．").text == "2．背街小巷保洁不到位。"
    assert _paragraph(word, "1．").paragraph_format.first_line_indent == Pt(32)


def test_the_signature_ends_with_the_chinese_date_at_the_right(word):
    office, day = word.paragraphs[-2], word.paragraphs[-1]
    assert (office.text, day.text) == (OFFICE, DATE)
    assert day.alignment == office.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # GB/T 9704 7.3.5.2: the date two characters in; its first character two to the right of
    # the office's (7 characters, the date 11): the office 2 + 11 + 2 - 7 = 8 characters in.
    assert day.paragraph_format.right_indent == Pt(32)
    assert office.paragraph_format.right_indent == Pt(16 * 8)
    # Never alone on a page: the blank line and the office keep with the date, the table's last
    # row with them.
    assert word.paragraphs[-3].text == ""
    assert word.paragraphs[-3].paragraph_format.keep_with_next and office.paragraph_format.keep_with_next
    assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in word.tables[0].rows[-1].cells)


def test_an_english_document_is_dated_in_english():
    word = Word(io.BytesIO(render_docx(_document(language="en", office="Houhuan Community"))))
    assert [p.text for p in word.paragraphs[-2:]] == ["Houhuan Community", "30 November 2026"]


def test_without_a_table_the_last_paragraph_keeps_with_the_signature():
    word = Word(io.BytesIO(render_docx(_document(tables=[]))))
    last = _paragraph(word, "2．")
    assert last.paragraph_format.keep_with_next


def test_the_footer_numbers_pages_odd_right_even_left(word):
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        line = footer.paragraphs[0]
        xml = line._p.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert xml.count("w:fldCharType") == 3
        assert line.text == "— 1 —"
        assert line.alignment == align
        assert {run.font.size for run in line.runs} == {Pt(14)}
        assert {_east_asian(run) for run in line.runs} == {"宋体"}


def test_the_table_follows_the_body_with_its_caption(word):
    assert len(word.tables) == 1
    table = word.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["指标", "数值", "单位"], ["整治卫生死角", "153", "处"], ["清运垃圾", "9.7", ""]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    body = word.element.body
    caption = _paragraph(word, "主要指标完成情况")
    assert list(body).index(caption._p) < list(body).index(table._tbl) < list(body).index(word.paragraphs[-1]._p)


def test_a_chart_is_a_picture_before_the_signature():
    chart = ("各网格整改完成数", ["第一网格", "第二网格", "第三网格"], [12, 30, 7.5])
    word = Word(io.BytesIO(render_docx(_document(charts=[chart]))))
    assert len(word.inline_shapes) == 1
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "各网格整改完成数"
    assert word.paragraphs[-1].text == DATE


def test_render_chart_png():
    image = Image.open(io.BytesIO(render_chart_png("整改完成数", ["第一网格", "第二网格"], [12, 0])))
    assert image.format == "PNG"
    assert image.width == 1800
    assert image.height > 200
    empty = Image.open(io.BytesIO(render_chart_png("无数据", [], [])))
    assert empty.format == "PNG"


def test_the_language_of_the_text():
    hans = Word(io.BytesIO(render_docx(_document())))
    hant = Word(io.BytesIO(render_docx(to_traditional(_document()))))
    for word, tag in ((hans, "zh-CN"), (hant, "zh-TW")):
        language = word.styles["Normal"].element.rPr.find(qn("w:lang"))
        assert language.get(qn("w:eastAsia")) == tag


# Traditional --------------------------------------------------------------------------------


def test_to_traditional_converts_every_text_and_keeps_the_figures():
    original = _document(charts=[("各网格整改完成数", ["第一网格"], [12.0])])
    copy = to_traditional(original)
    assert copy.title == "後環社區創建衛生村工作總結"  # s2tw: 社區 stays 社區 (s2twp would say 社群)
    assert copy.language == "zh-hant"
    assert copy.office == "後環社區居委會"
    assert copy.addressee == "區愛衛辦："
    assert copy.doc_number == "後環社〔2026〕12號"
    assert [block.heading for block in copy.blocks][1:3] == ["加強組織領導，落實長效機制", "健全組織機構"]
    assert (
        copy.blocks[0].paragraphs[0].text
        == "今年以來，我社區共整治衛生死角150餘處，清運垃圾近10噸。現將有關情況彙報如下："
    )
    assert [(run.figure_key, run.url) for run in copy.figures] == [
        (run.figure_key, run.url) for run in original.figures
    ]
    assert [run.exact for run in copy.figures] == ["153處", "9.7噸"]
    assert copy.tables[0][0] == "主要指標完成情況"
    assert copy.tables[0][2][1] == ["清運垃圾", "9.7"]
    assert copy.charts == [("各網格整改完成數", ["第一網格"], [12.0])]
    assert [block.key for block in copy.blocks] == [block.key for block in original.blocks]
    assert original.title == TITLE  # the original is untouched
    assert original.blocks[0].paragraphs[0].runs[1].text == "150余处"
    assert "後環社區創建衛生村工作總結" in [p.text for p in Word(io.BytesIO(render_docx(copy))).paragraphs]


# PDF ----------------------------------------------------------------------------------------


def test_render_pdf():
    """LibreOffice is part of the machine (bootstrap installs it): this fails, not skips, without it."""
    pdf = render_pdf(render_docx(_document()))
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
    assert re.search(rb"/BaseFont\s*/\w+\+Noto(Serif|Sans)CJK", pdf), "the CJK stand-in fonts are embedded"
    if pdftotext := layout.shutil.which("pdftotext"):
        text = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
        assert TITLE in text.replace(" ", "")


def test_pdf_unavailable_without_libreoffice(monkeypatch):
    monkeypatch.setattr(layout.shutil, "which", lambda name: None)
    with pytest.raises(PdfUnavailable) as error:
        render_pdf(b"PK")
    assert "LibreOffice" in str(error.value)


def test_pdf_unavailable_when_libreoffice_fails_or_hangs(tmp_path, monkeypatch):
    failing, hanging = tmp_path / "fails", tmp_path / "hangs"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    for script in (failing, hanging):
        script.chmod(0o755)
    monkeypatch.setattr(layout.shutil, "which", lambda name: str(failing))
    with pytest.raises(PdfUnavailable) as error:
        render_pdf(b"PK")
    assert "exit 3" in error.value.detail
    assert "broken" in error.value.detail
    monkeypatch.setattr(layout.shutil, "which", lambda name: str(hanging))
    with pytest.raises(PdfUnavailable) as error:
        render_pdf(b"PK", timeout=1)
    assert "timeout" in error.value.detail
