"""The minutes (会议记录) as .docx in the seeds' layout (`000`): the title "<辖区>创卫工作会议记录",
the header table (时间、地点、参加对象、主持人、记录人、会议主题), 会议主要内容记录 as numbered points,
会议议定事项 with owner and deadline, 上次会议议定事项落实情况, and the sign-in list (签到表)."""

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from apps.core.evidence import in_working_language
from apps.documents.docx import chinese_datetime, new_document, paragraph, save_document, title

from .selectors import attendance, attendee_rows, decisions_of, review_decisions


def participants_text(meeting) -> str:
    """参加对象: the invited groups and units, the people invited by name, the guests."""
    parts = [g.name for g in meeting.invited_groups.all()]
    parts += [u.name for u in meeting.invited_units.all()]
    parts += [a.name for a in meeting.attendees.filter(invited=True, source="person")]
    if meeting.guests:
        parts.append(meeting.guests)
    return pgettext("separator", "、").join(parts)


TABLE_SIZE = Pt(12)


def _table(document, header: list[str], rows: list[list[str]], size=TABLE_SIZE):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(str(text)).font.size = size
    return table


def _owner_deadline(decision) -> tuple[str, str]:
    owner = decision.owner_label or gettext("（未指定）")
    deadline = decision.deadline.isoformat() if decision.deadline else gettext("（无）")
    return owner, deadline


@in_working_language
def minutes_docx(meeting, *, user) -> bytes:
    """The 会议记录 as `user` may read it (the decisions reviewed are those they may see);
    `user=None` only for the campaign binder."""
    document = new_document()
    title(document, gettext("{place}创卫工作会议记录").format(place=meeting.jurisdiction.name))
    moment = meeting.held_at or meeting.starts_at
    header = [
        (gettext("时间"), chinese_datetime(moment)),
        (gettext("地点"), meeting.place),
        (gettext("参加对象"), participants_text(meeting) or gettext("（无）")),
        (gettext("主持人"), meeting.host or gettext("（无）")),
        (gettext("记录人"), meeting.recorder.display_name if meeting.recorder_id else gettext("（无）")),
        (gettext("会议主题"), meeting.topic),
        (gettext("会议类型"), meeting.get_kind_display()),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in header:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)

    paragraph(document, gettext("会议主要内容记录："), indent=False, bold=True)
    points = meeting.point_list
    for number, point in enumerate(points, start=1):
        paragraph(document, gettext("{number}、{text}").format(number=number, text=point))
    if not points:
        paragraph(document, gettext("（尚未记录）"))

    paragraph(document, gettext("会议议定事项："), indent=False, bold=True)
    decisions = decisions_of(meeting)
    if decisions:
        rows = []
        for d in decisions:
            owner, deadline = _owner_deadline(d)
            rows.append([str(d.number), d.get_kind_display(), d.text, owner, deadline])
        _table(
            document,
            [gettext("序号"), gettext("类别"), gettext("事项"), gettext("责任人/单位"), gettext("完成时限")],
            rows,
        )
    else:
        paragraph(document, gettext("（无）"))

    _last, reviewed = review_decisions(meeting, user=user)
    paragraph(document, gettext("上次会议议定事项落实情况："), indent=False, bold=True)
    if not reviewed:
        paragraph(document, gettext("（无）"))
    else:
        rows = []
        for d in reviewed:
            owner, deadline = _owner_deadline(d)
            source = timezone.localtime(d.meeting.starts_at).strftime("%Y-%m-%d")
            late = gettext("（逾期）") if d.overdue else ""
            rows.append([source, d.text, owner, deadline, d.tracked_status_label + late])
        _table(
            document,
            [gettext("会议日期"), gettext("事项"), gettext("责任人/单位"), gettext("完成时限"), gettext("落实情况")],
            rows,
        )

    counts = attendance(meeting)
    paragraph(document, gettext("签到表"), indent=False, bold=True)
    rate = "—" if counts["rate"] is None else f"{counts['rate']}%"
    paragraph(
        document,
        gettext("应到{invited}人，实到{signed}人，出席率{rate}。").format(
            invited=counts["invited"], signed=counts["signed"], rate=rate
        ),
        indent=False,
    )
    rows = []
    for number, a in enumerate(attendee_rows(meeting), start=1):
        signed = timezone.localtime(a.signed_at).strftime("%H:%M") if a.signed_at else gettext("未签到")
        rows.append([str(number), a.name, a.post, signed, a.get_method_display() if a.method else ""])
    _table(
        document,
        [gettext("序号"), gettext("姓名"), gettext("单位/职务"), gettext("签到时间"), gettext("签到方式")],
        rows,
    )
    return save_document(document)
