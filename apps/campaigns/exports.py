"""The campaigns' files: the .xlsx of any task list (an ExportSource, with the list's filters), the
任务分解表 .docx of one campaign, grouped by section, and the ledger's missing list (缺项清单, an
ExportSource of its own)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.documents.docx import new_document, paragraph, save_document, title

from .models import Campaign
from .selectors import ledger as ledger_selectors
from .selectors.tasks import task_list


def task_rows(user, filters):
    return task_list(user=user, filters=filters)


def _person(task) -> str:
    return task.assignee.display_name if task.assignee_id else ""


def _responsible(task) -> str:
    """责任单位（组）: the unit and/or the group, else the area."""
    parts = [str(x) for x in (task.unit, task.group) if x is not None]
    return "、".join(parts) or task.jurisdiction.name


def task_columns():
    def day(value):
        return value.isoformat() if value else ""

    def overdue(task):
        late = not task.is_finished and task.deadline and task.deadline < timezone.localdate()
        return _("是") if late else ""

    return [
        (_("创建项目"), lambda t: t.campaign.title),
        (_("小项编号"), lambda t: t.item.code if t.item_id else ""),
        (_("任务"), lambda t: t.title),
        (_("责任区域"), lambda t: t.jurisdiction.name),
        (_("责任小组"), lambda t: str(t.group) if t.group_id else ""),
        (_("责任单位"), lambda t: str(t.unit) if t.unit_id else ""),
        (_("责任人"), _person),
        (_("完成时限"), lambda t: day(t.deadline)),
        (_("进度（%）"), lambda t: t.progress),
        (_("状态"), lambda t: t.get_status_display()),
        (_("已逾期"), overdue),
        (_("来源"), lambda t: t.get_origin_display()),
        (_("应形成的资料"), lambda t: t.evidence_required),
    ]


# Marked for the catalogue; translated when the document is written (in the reader's language).
HEADERS = (
    gettext_noop("序号"),
    gettext_noop("任务"),
    gettext_noop("责任单位（组）"),
    gettext_noop("责任人"),
    gettext_noop("完成时限"),
    gettext_noop("进度"),
)


def tasks_docx(campaign, tasks) -> bytes:
    """任务分解表: the campaign's title, then per section of the standard a table with
    序号/任务/责任单位(组)/责任人/完成时限/进度; tasks without an item come last under 其他任务."""
    document = new_document()
    title(document, _("{title}任务分解表").format(title=campaign.title))
    paragraph(
        document,
        _("创建辖区：{area}　对照标准：{standard}").format(
            area=campaign.jurisdiction.name, standard=campaign.standard_version.standard.name
        ),
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    sections: dict = {}
    for task in tasks:
        key = task.item.section if task.item_id else None
        sections.setdefault(key, []).append(task)
    ordered = sorted(
        sections.items(), key=lambda pair: (pair[0] is None, pair[0].sort if pair[0] else 0, str(pair[0] or ""))
    )
    number = 0
    for section, rows in ordered:
        heading = f"{section.code} {section.name}" if section is not None else _("其他任务")
        paragraph(document, heading, indent=False, bold=True)
        table = document.add_table(rows=1, cols=len(HEADERS))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, [_(h) for h in HEADERS], strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for task in rows:
            number += 1
            label = f"{task.item.code} {task.title}" if task.item_id else task.title
            values = [
                str(number),
                label,
                _responsible(task),
                _person(task),
                task.deadline.isoformat() if task.deadline else "",
                f"{task.progress}%",
            ]
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(10.5)
    if number == 0:
        paragraph(document, _("（尚无任务）"))
    return save_document(document)


# The ledger's missing list --------------------------------------------------------------------


def missing_rows(user, filters: dict) -> list[dict]:
    """Rows of the 缺项清单: one per missing requirement of an unready item of the campaign
    `filters["campaign"]`, in the part of its ledger the user reads (nothing for a campaign the
    user does not see)."""
    pk = str(filters.get("campaign") or "")
    campaign = Campaign.objects.restrict(user, "view").filter(pk=pk).first() if pk.isdecimal() else None
    if campaign is None:
        return []
    path = ledger_selectors.ledger_part(user, campaign)
    return [
        {"item": entry["item"], "gap": gap, "owners": entry["owners"]}
        for entry in ledger_selectors.missing(campaign=campaign, jurisdiction_path=path)
        for gap in entry["missing"]
    ]


def missing_columns():
    return [
        (_("编号"), lambda r: r["item"].code),
        (_("标准小项"), lambda r: r["item"].text),
        (_("缺少的资料"), lambda r: r["gap"].name or _("任意资料")),
        (_("应有份数"), lambda r: r["gap"].needed),
        (_("现有份数"), lambda r: r["gap"].have),
        (_("还差"), lambda r: r["gap"].short),
        (_("责任区域/单位/人"), lambda r: "；".join(r["owners"])),
    ]
