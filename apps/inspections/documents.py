"""The 通报 (bulletin) of a published ranking, as .docx.

Layout as the other notices (apps/documents/docx.py): title, number line, addressee, the ranking
table, the 流动红旗 winners, the criticised targets with their deductions, photos and the
rectification cases with deadlines, the requirements, the issuing office and a Chinese date.
The text is Chinese whatever the interface language: it is a formal paper.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from apps.documents.docx import (
    chinese_number,
    new_document,
    number_line,
    paragraph,
    photo_table,
    save_document,
    signature,
    title,
)
from apps.organization.models import Jurisdiction
from apps.worktime.periods import period_label

from .choices import InspectionStatus
from .models import InspectionPhoto, InspectionResult, PublishedRanking
from .rankings import LEVEL_PREFIX

PHOTOS_PER_TARGET = 4
DEFAULT_REQUIREMENTS = (
    "被通报的单位要高度重视，对照检查发现的问题逐项整改，于整改通知书规定的期限内整改到位，"
    "并将整改情况（附整改前后照片）报送创卫办。下期检查将对整改情况进行复查，"
    "对整改不力、问题反复出现的，将扣减年度考核分值，取消年度评优评先资格。"
)
COLUMNS = ["名次", "对象", "检查得分", "按期结案率", "综合得分", "升降", "备注"]


def _movement(value) -> str:
    if value is None:
        return "新上榜"
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "—"


def _remark(row: dict) -> str:
    if row["vetoed"]:
        return "一票否决"
    return {"red": "流动红旗", "yellow": "黄旗"}.get(row["flag"], "")


def _ranking_table(document, rows: list[dict]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        values = [
            str(row["rank"]),
            row["label"],
            row["inspection"] or "—",
            f"{row['closure']}%" if row["closure"] is not None else "—",
            row["composite"] or "—",
            _movement(row["movement"]),
            _remark(row),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    for table_row in table.rows:
        for cell in table_row.cells:
            for block in cell.paragraphs:
                block.paragraph_format.first_line_indent = None
                block.paragraph_format.line_spacing = Pt(20)
                for run in block.runs:
                    run.font.size = Pt(12)


def _deductions(published: PublishedRanking, rows: list[dict]) -> dict[str, list[InspectionResult]]:
    """The deducted items (with photos) of the criticised targets' sheets in the period, by row key.

    One query for all targets: sheets of a unit ranking by unit id, of a jurisdiction ranking by
    the target whose path prefixes the sheet's place (paths are fixed-width, see Jurisdiction).
    """
    if not rows:
        return {}
    results = InspectionResult.objects.filter(
        inspection__status=InspectionStatus.SUBMITTED,
        inspection__inspected_on__range=(published.period_start, published.period_end),
        deduction__gt=0,
    ).select_related("item", "case", "inspection__target_unit", "inspection__target_jurisdiction")
    keys = [row["key"] for row in rows]
    if published.level_key.startswith(LEVEL_PREFIX):
        paths = {path: str(pk) for pk, path in Jurisdiction.objects.filter(pk__in=keys).values_list("id", "path")}
        within = Q(pk__in=[])
        for path in paths:
            within |= Q(inspection__target_jurisdiction__path__within=path)
        results = results.filter(within)

        def key_of(result):
            place = result.inspection.target_jurisdiction.path
            return next((key for path, key in paths.items() if place.startswith(path)), None)
    else:
        results = results.filter(inspection__target_unit_id__in=keys)

        def key_of(result):
            return str(result.inspection.target_unit_id)

    by_key: dict[str, list[InspectionResult]] = {}
    ordered = results.prefetch_related(Prefetch("photos", queryset=InspectionPhoto.objects.order_by("created_at")))
    for result in ordered.order_by("inspection__inspected_on", "item__section__sort", "item__sort", "id"):
        by_key.setdefault(key_of(result), []).append(result)
    return by_key


def bulletin_docx(published: PublishedRanking) -> bytes:
    rows = published.rows
    period = period_label(published.period_kind, published.period_start, published.period_end)
    document = new_document()
    title(document, published.title)
    if published.number:
        number_line(document, published.number)
    addressee = "各社区（村）、各有关单位：" if published.level_key.startswith(LEVEL_PREFIX) else "各有关单位："
    paragraph(document, addressee, indent=False)
    sheets = sum(row["inspections"] for row in rows)
    paragraph(
        document,
        f"根据创建卫生城市工作安排，{published.issuer}对{published.jurisdiction.name}{period}的"
        f"{published.level_label}开展了检查评比，共完成检查{sheets}次，"
        f"参加评比{len(rows)}个。评比按检查得分、按期结案率和问题重复发生情况综合计分"
        f"（权重分别为{published.weights.get('inspection')}、{published.weights.get('closure')}、"
        f"{published.weights.get('recurrence')}）。现将评比结果通报如下：",
    )
    paragraph(document, "一、评比排名", bold=True)
    _ranking_table(document, rows)

    paragraph(document, "二、流动红旗", bold=True)
    winners = [row for row in rows if row["flag"] == "red"]
    if winners:
        names = "、".join(row["label"] for row in winners)
        paragraph(document, f"经综合评比，{names}本期成绩突出，授予流动红旗，予以通报表扬。")
    else:
        paragraph(document, "本期无单位达到流动红旗评定条件。")

    paragraph(document, "三、通报批评及存在问题", bold=True)
    criticised = [row for row in rows if row["flag"] == "yellow" or row["vetoed"]]
    if not criticised:
        paragraph(document, "本期无通报批评对象。")
    deductions = _deductions(published, criticised)
    for number, row in enumerate(criticised, start=1):
        reason = "存在一票否决项" if row["vetoed"] else f"综合得分{row['composite']}分，排名第{row['rank']}名"
        paragraph(document, f"（{chinese_number(number)}）{row['label']}：{reason}，予以通报批评。主要问题：")
        results = deductions.get(row["key"], [])
        for index, result in enumerate(results, start=1):
            case = result.case
            deadline = (
                f"，整改案件{case.code}，限{timezone.localtime(case.deadline_at):%Y年%m月%d日}前整改到位"
                if case is not None and case.deadline_at
                else (f"，整改案件{case.code}" if case is not None else "")
            )
            place = result.inspection.target_label
            paragraph(
                document,
                f"{index}. {place}：{result.item.text}（扣{result.deduction}分）。{result.note}{deadline}。",
            )
        photos = [photo for result in results for photo in result.photos.all()][:PHOTOS_PER_TARGET]
        if photos:
            photo_table(document, photos, empty_text="")

    paragraph(document, "四、整改要求", bold=True)
    paragraph(document, published.requirements or DEFAULT_REQUIREMENTS)
    issued_on = timezone.localdate(published.updated_at)
    signature(document, published.issuer, issued_on)
    return save_document(document)
