"""Word documents generated from a case: 整改通知书 and 效能督办告知书.

Both follow the usual layout of a Chinese government notice (GB/T 9704 in spirit): title
centred, a document number line (发文字号), the addressee line, numbered body paragraphs,
the before-photos, and a right-aligned signature block with the date in Chinese numerals.

The documents are formal papers handed to units, so their text is Chinese whatever the
interface language. The wording that depends on local rules (the legal basis, what
happens after the deadline) lives in the editable template constants below.

Both go to the responsible unit, whoever downloads them, so neither names the reporter
(apps/cases/privacy.py): the problem is described by what, where and when, never by whom.
The unit's own contact appears with the phone masked (apps/core/personal.py), like every file.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.personal import in_records
from apps.documents.docx import (
    chinese_datetime,
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
from apps.worktime.calendar import WorkCalendar

from .choices import CaseStatus, CategoryKind, PhotoStage
from .models import Case, CaseEvent, CasePhoto

# Editable template text (可编辑的模板文本) -------------------------------------------------
# Example wording only: adapt it to the local regulations and the campaign standard in force.
# Placeholders: {standard} is LOCAL_STANDARD_NAME.

LOCAL_STANDARD_NAME = "本地创建国家卫生城市工作标准"

LEGAL_BASIS_TEMPLATES = {
    CategoryKind.EVENT: (
        "根据《城市市容和环境卫生管理条例》关于保持城市市容整洁、不得乱堆乱放、乱贴乱画、"
        "乱搭乱建、随意倾倒垃圾和占道经营等规定，以及《{standard}》和门前三包责任制的要求，"
        "责任单位应当对责任区域内的上述问题及时清理整治，保持环境整洁有序。"
    ),
    CategoryKind.COMPONENT: (
        "根据《城市市容和环境卫生管理条例》关于环境卫生设施应当保持整洁、完好，"
        "由其管理单位负责维护、及时修复的规定，以及《{standard}》对市政和环境卫生设施管理的要求，"
        "设施的产权（管理）单位应当及时维修、更换或清理，确保设施完好、正常使用。"
    ),
}
DEFAULT_LEGAL_BASIS = LEGAL_BASIS_TEMPLATES[CategoryKind.EVENT]

CONSEQUENCE_TEMPLATE = (
    "逾期未整改或整改不到位的，{office}将依次采取催办、发出效能督办告知书、列入通报曝光等措施进行督办，"
    "并按规定扣减年度创卫考核分值；情节严重的，移交相关执法部门依法处理。"
)

SUPERVISION_REQUEST_TEMPLATE = (
    "请你单位接到本告知书后，立即督促责任单位落实整改，于三个工作日内整改到位，"
    "并将整改情况（附整改前后照片）书面反馈{office}。"
)

SUPERVISION_CONSEQUENCE_TEMPLATE = (
    "逾期仍未整改到位的，{office}将把该问题列入通报曝光，按规定扣减相关单位年度创卫考核分值，"
    "并建议有关部门对相关责任人进行问责。"
)


def _duration_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}天")
    if hours:
        parts.append(f"{hours}小时")
    if minutes and not days:
        parts.append(f"{minutes}分钟")
    return "".join(parts) or "不足1分钟"


def _before_photos(case: Case) -> list[CasePhoto]:
    """The case's 整改前 photos, including those of duplicate reports merged into it."""
    return list(
        CasePhoto.objects.filter(Q(case=case) | Q(event__case=case), stage=PhotoStage.BEFORE)
        .distinct()
        .order_by("created_at", "id")
    )


def _problem_paragraphs(document, case: Case, number: int = 1) -> int:
    category = case.category
    major = category.parent.name if category.parent_id else category.name
    place = f"{case.address}（{case.jurisdiction.name}）" if case.address else case.jurisdiction.name
    lines = [
        f"问题类别：{major}（大类）/{category.name}（小类）",
        f"问题地点：{place}",
        f"发现时间：{chinese_datetime(case.created_at)}",
        f"问题描述：{case.description.strip() or '（无）'}",
        f"案件编号：{case.code}",
    ]
    for line in lines:
        paragraph(document, f"（{chinese_number(number)}）{line}")
        number += 1
    return number


def _legal_basis(case: Case) -> str:
    template = LEGAL_BASIS_TEMPLATES.get(case.category.kind, DEFAULT_LEGAL_BASIS)
    return template.format(standard=LOCAL_STANDARD_NAME)


def _assignee_name(case: Case) -> str:
    if case.assignee_unit_id:
        return case.assignee_unit.name
    if case.assignee_staff_id:
        return case.assignee_staff.name
    return ""


def _step_text(step: CaseEvent) -> str:
    """ "催办：…" / "督办：…" (the escalation notes already start with their label)."""
    label = {"remind": "催办", "supervise": "督办"}[step.action]
    note = step.note.strip()
    if note.startswith(label):
        return note
    return f"{label}：{note}" if note else label


def _load(case: Case) -> Case:
    return Case.objects.select_related(
        "category", "category__parent", "jurisdiction", "assignee_unit", "assignee_staff"
    ).get(pk=case.pk)


# Documents ---------------------------------------------------------------------------------


def rectification_notice_docx(case: Case, *, office_name: str, issued_on: date | None = None) -> bytes:
    """整改通知书 to the responsible unit (or person) of a dispatched case, as .docx bytes.

    Number line: "{office_name}〔{year}〕第 {case.code} 号" with the year of `issued_on`
    (default: today). The case must have been dispatched (it needs an addressee and a deadline).
    """
    case = _load(case)
    addressee = _assignee_name(case)
    if not addressee or not case.deadline_at:
        raise DomainError(_("案件尚未派遣，不能生成整改通知书。"))
    issued_on = issued_on or timezone.localdate()
    document = new_document()
    title(document, "整改通知书")
    number_line(document, f"{office_name}〔{issued_on.year}〕第 {case.code} 号")
    paragraph(document, f"{addressee}：", indent=False)
    paragraph(document, "经巡查检查，发现你单位责任区域内存在以下问题：")
    _problem_paragraphs(document, case)
    paragraph(document, _legal_basis(case))
    paragraph(
        document,
        f"请你单位于{chinese_datetime(case.deadline_at)}前整改完毕，并将整改情况（附整改后照片）反馈{office_name}。",
        bold=True,
    )
    paragraph(document, CONSEQUENCE_TEMPLATE.format(office=office_name))
    paragraph(document, "附：整改前照片")
    photo_table(document, _before_photos(case))
    signature(document, office_name, issued_on)
    paragraph(document, indent=False)
    paragraph(document, "签收人（签字）：__________    签收时间：______年____月____日", indent=False)
    return save_document(document)


def supervision_addressee(case: Case) -> Jurisdiction | None:
    """The superior the 督办告知书 goes to: the street (街道/镇) over the responsible unit.

    The unit's jurisdiction (or, for a person or no unit, the case's) is walked up to the
    ancestor at the "street" level; without one, its parent; at the top, itself.
    """
    place = case.assignee_unit.jurisdiction if case.assignee_unit_id else case.jurisdiction
    ancestors = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=place.ancestor_ids).select_related("level")}
    for pk in reversed(place.ancestor_ids):
        node = ancestors.get(pk)
        if node is not None and node.level.code == "street":
            return node
    return ancestors.get(place.parent_id) or place


def supervision_notice_docx(
    case: Case,
    *,
    office_name: str,
    issued_on: date | None = None,
    now: datetime | None = None,
    addressee: str | None = None,
) -> bytes:
    """效能督办告知书 to the superior of the responsible unit (its street office), as .docx bytes.

    States the case, the dispatch time and deadline, how long it is overdue (calendar time
    and working hours, up to `now` or to the late 处置反馈), the reminders and supervision
    steps already taken (CaseEvents "remind"/"supervise"), and what is asked of the
    superior. `addressee` overrides the computed superior. Refused when the case is not overdue.
    """
    case = _load(case)
    if not _assignee_name(case) or not case.deadline_at:
        raise DomainError(_("案件尚未派遣，不能生成督办告知书。"))
    now = now or timezone.now()
    late_until = case.handled_at if case.status in (CaseStatus.HANDLED, CaseStatus.CLOSED) and case.handled_at else now
    overdue_seconds = (late_until - case.deadline_at).total_seconds()
    if overdue_seconds <= 0:
        raise DomainError(_("案件未超期，不能生成督办告知书。"))
    working_hours = WorkCalendar().working_hours_between(case.deadline_at, late_until)
    issued_on = issued_on or timezone.localdate()
    if addressee is None:
        superior = supervision_addressee(case)
        addressee = superior.name if superior else ""
    unit = _assignee_name(case)
    document = new_document()
    title(document, "效能督办告知书")
    number_line(document, f"{office_name}督字〔{issued_on.year}〕第 {case.code} 号")
    paragraph(document, f"{addressee}：", indent=False)
    dispatched = chinese_datetime(case.dispatched_at) if case.dispatched_at else "（未记录）"
    paragraph(
        document,
        f"{office_name}于{dispatched}向{unit}下达整改通知书（第 {case.code} 号），"
        f"要求于{chinese_datetime(case.deadline_at)}前整改完毕。"
        f"截至{chinese_datetime(late_until)}，该问题已超过整改期限{_duration_text(overdue_seconds)}"
        f"（{working_hours:.1f}个工作小时），仍未整改到位。现将有关情况告知如下：",
    )
    paragraph(document, "一、问题情况")
    number = _problem_paragraphs(document, case)
    if case.assignee_unit_id and (case.assignee_unit.contact_name or case.assignee_unit.contact_phone):
        parts = (in_records(case.assignee_unit, "contact_name"), in_records(case.assignee_unit, "contact_phone"))
        contact = " ".join(p for p in parts if p)
        paragraph(document, f"（{chinese_number(number)}）责任单位：{unit}（联系人：{contact}）")
    else:
        paragraph(document, f"（{chinese_number(number)}）责任单位（人）：{unit}")
    paragraph(document, "二、整改依据")
    paragraph(document, _legal_basis(case))
    paragraph(document, "三、督办经过")
    paragraph(document, f"派遣时间：{dispatched}；整改期限：{chinese_datetime(case.deadline_at)}。")
    steps = CaseEvent.objects.filter(case=case, action__in=("remind", "supervise")).order_by("created_at", "id")
    history = [f"{chinese_datetime(step.created_at)} {_step_text(step)}" for step in steps]
    for line in history or ["此前未发出催办。"]:
        paragraph(document, line)
    paragraph(document, "四、督办要求")
    paragraph(document, SUPERVISION_REQUEST_TEMPLATE.format(office=office_name), bold=True)
    paragraph(document, SUPERVISION_CONSEQUENCE_TEMPLATE.format(office=office_name))
    paragraph(document, "附：整改前照片")
    photo_table(document, _before_photos(case))
    signature(document, office_name, issued_on)
    return save_document(document)
