from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from apps.cases import services
from apps.cases.documents import (
    LEGAL_BASIS_TEMPLATES,
    rectification_notice_docx,
    supervision_addressee,
    supervision_notice_docx,
)
from apps.cases.models import Case, CasePhoto
from apps.core.exceptions import DomainError
from apps.documents.docx import chinese_date

from .conftest import jpeg

pytestmark = pytest.mark.django_db

OFFICE = "甲街道创卫办"


def dispatched_case(org, cats, photos=2, **report_kwargs):
    kwargs = {
        "actor": org.grid,
        "category": cats["exposed_garbage"],
        "description": "楼下垃圾堆积，无人清运",
        "address": "人民路1号东侧",
        "photos": [jpeg(color=(10 * i, 60, 60)) for i in range(photos)],
        "jurisdiction": org.grid_a1,
    }
    kwargs.update(report_kwargs)
    case = services.case_report(**kwargs)
    case = services.case_register(actor=org.community, case=case)
    deadline = timezone.make_aware(datetime(2030, 11, 24, 17, 30))
    return services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1, deadline_at=deadline)


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def open_docx(data: bytes):
    assert data[:2] == b"PK"
    return Document(BytesIO(data))


def test_rectification_notice(org, cats):
    case = dispatched_case(org, cats, photos=3)
    data = rectification_notice_docx(case, office_name=OFFICE, issued_on=date(2026, 11, 22))
    document = open_docx(data)
    text = text_of(document)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "整改通知书"
    assert document.paragraphs[0].alignment == 1  # centred
    assert f"{OFFICE}〔2026〕第 {case.code} 号" in paragraphs
    assert "幸福物业：" in paragraphs
    assert "环境卫生（大类）/暴露垃圾（小类）" in text
    assert "问题地点：人民路1号东侧（幸福网格）" in text
    assert "楼下垃圾堆积，无人清运" in text
    assert "2030年11月24日17时30分前整改完毕" in text
    assert "《城市市容和环境卫生管理条例》" in text
    assert "效能督办告知书" in text and "通报" in text
    assert paragraphs.count(OFFICE) == 1 and "二〇二六年十一月二十二日" in paragraphs
    signature = document.paragraphs[paragraphs.index("二〇二六年十一月二十二日")]
    assert signature.alignment == 2  # right
    before = CasePhoto.objects.filter(case=case, stage="before").count()
    assert before == 3
    assert len(document.inline_shapes) == before
    assert abs(document.inline_shapes[0].width.cm - 7.5) < 0.01
    assert len(document.tables[0].rows) == 2  # two photos per row
    # East Asian font on the Normal style.
    r_fonts = document.styles["Normal"].element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) == "仿宋"


def test_component_category_uses_its_own_legal_basis(org, cats):
    case = dispatched_case(org, cats, category=cats["bin_overflow"])
    text = text_of(open_docx(rectification_notice_docx(case, office_name=OFFICE)))
    assert LEGAL_BASIS_TEMPLATES["component"].format(standard="本地创建国家卫生城市工作标准") in text
    assert chinese_date(timezone.localdate()) in text


def test_missing_photo_files_are_skipped(org, cats):
    case = dispatched_case(org, cats, photos=2)
    photo = CasePhoto.objects.filter(case=case).first()
    photo.image.storage.delete(photo.image.name)
    document = open_docx(rectification_notice_docx(case, office_name=OFFICE))
    assert len(document.inline_shapes) == 1


def test_notice_without_photos_says_so(org, cats):
    case = dispatched_case(org, cats, photos=0, category=cats["exposed_garbage"], source="hotline", actor=org.community)
    document = open_docx(rectification_notice_docx(case, office_name=OFFICE))
    assert len(document.inline_shapes) == 0
    assert "（无整改前照片）" in text_of(document)


def test_undispatched_case_has_no_notice(org, cats):
    case = services.case_report(
        actor=org.grid, category=cats["exposed_garbage"], photos=[jpeg()], jurisdiction=org.grid_a1
    )
    with pytest.raises(DomainError):
        rectification_notice_docx(case, office_name=OFFICE)
    with pytest.raises(DomainError):
        supervision_notice_docx(case, office_name=OFFICE)


def test_supervision_notice(org, cats):
    case = dispatched_case(org, cats, photos=2)
    deadline = timezone.make_aware(datetime(2026, 11, 24, 17, 30))
    dispatched = deadline - timedelta(hours=4)
    Case.objects.filter(pk=case.pk).update(deadline_at=deadline, dispatched_at=dispatched)
    escalated_at = timezone.make_aware(datetime(2026, 11, 27, 9, 0))
    counts = services.cases_escalate(now=escalated_at)
    assert counts["reminded"] == 1 and counts["supervised"] == 1
    now = timezone.make_aware(datetime(2026, 11, 27, 10, 30))
    assert supervision_addressee(case) == org.street_a

    document = open_docx(supervision_notice_docx(case, office_name=OFFICE, issued_on=date(2026, 11, 27), now=now))
    text = text_of(document)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "效能督办告知书"
    assert f"{OFFICE}督字〔2026〕第 {case.code} 号" in paragraphs
    assert "甲街道：" in paragraphs  # the street over the unit, not the unit
    assert "幸福物业" in text and "张三 138****0001" in text and "13800000001" not in text
    assert "人民路1号东侧" in text
    assert "派遣时间：2026年11月24日13时30分；整改期限：2026年11月24日17时30分。" in text
    assert "已超过整改期限2天17小时" in text  # 24th 17:30 → 27th 10:30
    assert "（16.0个工作小时）" in text  # 25th and 26th: 7 h each; 27th: 08:30–10:30
    history = [p for p in paragraphs if p.endswith(("请立即整改。", "已向上级发出督办告知书。"))]
    assert len(history) == 2
    assert history[0].split(" ", 1)[1].startswith("催办：") and "已超期" in history[0]
    assert history[1].split(" ", 1)[1].startswith("督办告知：")
    assert "二〇二六年十一月二十七日" in paragraphs
    assert len(document.inline_shapes) == CasePhoto.objects.filter(case=case, stage="before").count() == 2


def test_supervision_notice_needs_an_overdue_case(org, cats):
    case = dispatched_case(org, cats)
    with pytest.raises(DomainError):
        supervision_notice_docx(case, office_name=OFFICE, now=timezone.make_aware(datetime(2030, 11, 1, 9, 0)))
    data = supervision_notice_docx(
        case, office_name=OFFICE, addressee="测试区城管局", now=timezone.make_aware(datetime(2030, 11, 25, 9, 0))
    )
    text = text_of(open_docx(data))
    assert "测试区城管局：" in text and "此前未发出催办。" in text
