"""The downloadable import template: a workbook that shows people what to type.

The first sheet is the one the importer reads: headers (required ones marked "*" on a
red fill, each with a note on the expected format), one grey italic example row, and
drop-down lists (Excel data validation) on every column with a fixed set of values.
A second sheet lists the jurisdiction codes the downloading user may use, and the code
columns offer that list too. Lists too long for Excel's inline form (255 characters)
live on a hidden third sheet.

The example row is recognised by the mark its first cell starts with (`is_example_row`)
and skipped by the importer, so a template uploaded with the example left in imports
only the rows people added. The mark sits in a cell everyone must change when copying
the row, so a copied-and-edited example is imported like any other row.
"""

from functools import cache
from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from apps.organization.models import Jurisdiction

from .columns import Column, LookupColumn

EXAMPLE_MARK = gettext_noop("【示例】")
AUTHOR = "创卫通"
INLINE_LIST_LIMIT = 255  # Excel's limit for a list typed into the validation itself
LAST_ROW = 1_048_576  # drop-downs reach the sheet's last row, however many rows people add

REQUIRED_FILL = PatternFill("solid", fgColor="B91C1C")
OPTIONAL_FILL = PatternFill("solid", fgColor="475569")
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FONT = Font(italic=True, color="808080")
EXAMPLE_FILL = PatternFill("solid", fgColor="F1F5F9")
SHEET_HEADER_FILL = PatternFill("solid", fgColor="E2E8F0")


@cache
def _example_marks() -> tuple[str, ...]:
    """The mark in every configured language: a template downloaded in English is still
    recognised by a worker running in Chinese."""
    marks = {EXAMPLE_MARK}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            marks.add(_(EXAMPLE_MARK))
    return tuple(mark.strip() for mark in marks)


def is_example_row(values) -> bool:
    """True for the template's example row (any cell starting with the example mark)."""
    marks = _example_marks()
    return any(isinstance(value, str) and value.strip().startswith(marks) for value in values)


def _width(value) -> int:
    """Display width in Excel columns: CJK characters take two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _path_names(nodes: list[Jurisdiction]) -> dict[int, str]:
    """Each node's path of names, from the top of the user's scope (no row outside it is read)."""
    names = {node.pk: node.name for node in nodes}
    return {node.pk: " / ".join(names[pk] for pk in node.ancestor_ids if pk in names) or node.name for node in nodes}


def _codes_sheet(workbook: Workbook, user):
    """The jurisdiction codes the user may use; returns the sheet and its code range (or None)."""
    sheet = workbook.create_sheet(_("辖区代码")[:31])
    nodes = list(
        Jurisdiction.objects.restrict(user, "view")
        .select_related("level")
        .only("id", "code", "name", "path", "level__name")
    )
    paths = _path_names(nodes)
    headers = [_("区划代码"), _("名称"), _("层级"), _("完整路径")]
    sheet.append(headers)
    for node in nodes:
        sheet.append([node.code, node.name, node.level.name, paths[node.pk]])
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = SHEET_HEADER_FILL
        widest = max([_width(header), *(_width(row[index - 1].value) for row in sheet.iter_rows(min_row=2))])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, widest + 2))
    sheet.column_dimensions["A"].number_format = "@"
    sheet.freeze_panes = "A2"
    if nodes:
        sheet.auto_filter.ref = f"A1:D{len(nodes) + 1}"
        return sheet, f"{quote_sheetname(sheet.title)}!$A$2:$A${len(nodes) + 1}"
    return sheet, None


class _Lists:
    """The hidden sheet holding lists too long (or with characters) Excel cannot keep inline."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.sheet = None
        self.count = 0

    def source(self, header: str, options: list[str]) -> str:
        inline = ",".join(options)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in o or '"' in o for o in options):
            return f'"{inline}"'
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(_("选项")[:31])
            self.sheet.sheet_state = "hidden"
        self.count += 1
        column = self.count
        self.sheet.cell(row=1, column=column, value=header)
        for row, option in enumerate(options, start=2):
            self.sheet.cell(row=row, column=column, value=option)
        letter = get_column_letter(column)
        return f"{quote_sheetname(self.sheet.title)}!${letter}$2:${letter}${len(options) + 1}"


def _validation(column: Column, source: str, *, strict: bool) -> DataValidation:
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.showErrorMessage = True
    # A strict list stops a value the importer would refuse; a parent code may also be a
    # code added on an earlier row, so that list only warns.
    validation.errorStyle = "stop" if strict else "warning"
    validation.errorTitle = column.header[:32]
    validation.error = (
        _("请从下拉列表中选择。") if strict else _("该代码不在“辖区代码”工作表中，请确认它出现在本文件前面的行中。")
    )
    return validation


def template_workbook(spec_class, user) -> bytes:
    """The .xlsx template of one import spec, for `user` (codes and example from their scope)."""
    spec = spec_class()
    columns = spec.columns()
    spec.prepare(user, columns)
    example = spec.example(user, columns)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    _codes, codes_source = _codes_sheet(workbook, user)
    lists = _Lists(workbook)

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.template_header)
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        header.comment = Comment(column.note(), AUTHOR, width=260, height=110)

        value = example.get(column.key)
        if index == 1:
            value = f"{_(EXAMPLE_MARK)}{value}"
        cell = sheet.cell(row=2, column=index, value=value)
        cell.font = EXAMPLE_FONT
        cell.fill = EXAMPLE_FILL
        cell.number_format = column.number_format

        dimension = sheet.column_dimensions[letter]
        dimension.width = min(40, max(12, _width(column.template_header) + 4, _width(value) + 2))
        dimension.number_format = column.number_format

        source, strict = None, True
        if column.jurisdiction_code:
            source, strict = codes_source, isinstance(column, LookupColumn)
        elif column.options():
            source = lists.source(column.header, column.options())
        if source:
            validation = _validation(column, source, strict=strict)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)

    sheet.cell(row=2, column=1).comment = Comment(
        _("这一行是示例，导入时会自动跳过，可以保留或删除。请从第 3 行起填写，复制示例行时请去掉“{mark}”。").format(
            mark=_(EXAMPLE_MARK)
        ),
        AUTHOR,
        width=260,
        height=110,
    )
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
