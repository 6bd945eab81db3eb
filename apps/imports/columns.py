"""Parsing one spreadsheet cell: each column says how its text becomes a value.

A parser returns the value or raises `CellError` with a translated message; the
import collects every error with its row and column instead of stopping at the first.
A column also describes itself for the downloadable template (`template_book`): its
header with the required mark, a note on the expected format, the fixed values it
accepts and the Excel number format that keeps typed values intact.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")

# The template marks required headers "名称*"; the importer strips the mark, so a header
# read from a downloaded template and a hand-typed one without "*" both match.
REQUIRED_MARK = "*"


class CellError(Exception):
    pass


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def join_notes(parts) -> str:
    """Parts of a note joined with the language's own separator ("；" in Chinese, "; " in English)."""
    return pgettext("list separator", "；").join(str(part) for part in parts if part)


def header_name(text) -> str:
    """A header cell as the importer compares it: trimmed, without the required mark."""
    return as_text(text).rstrip(REQUIRED_MARK + "＊ ").strip()


class Column:
    # Text columns are formatted as text in the template so Excel keeps codes, phone numbers
    # and leading zeros as typed instead of turning them into numbers.
    number_format = "@"

    def __init__(
        self,
        header: str,
        key: str,
        *,
        required: bool = False,
        max_length: int = 255,
        help: str = "",
        jurisdiction_code: bool = False,
    ):
        self.header = header
        self.key = key
        self.required = required
        self.max_length = max_length
        self.help = help
        # The cell takes a jurisdiction code: the template offers the codes sheet as its list.
        self.jurisdiction_code = jurisdiction_code

    @property
    def template_header(self) -> str:
        return f"{self.header}{REQUIRED_MARK}" if self.required else self.header

    def options(self) -> list[str]:
        """The fixed values the column accepts (a drop-down in the template); empty for free input."""
        return []

    def note(self) -> str:
        """What to type, for the template's header comment and the import page."""
        parts = [_("必填") if self.required else _("选填")]
        if self.jurisdiction_code:
            parts.append(_("填写“辖区代码”工作表中的代码"))
        elif self.options():
            parts.append(_("从下拉列表中选择"))
        else:
            parts.append(self.format_note())
        if self.help:
            parts.append(str(self.help))
        return join_notes(parts)

    def format_note(self) -> str:
        if self.max_length < 255:
            return _("最多 {n} 个字符").format(n=self.max_length)
        return ""

    def parse(self, raw):
        text = as_text(raw)
        if not text:
            if self.required:
                raise CellError(_("必填项不能为空"))
            return self.empty()
        if len(text) > self.max_length:
            raise CellError(_("长度不能超过 {n} 个字符").format(n=self.max_length))
        return self.convert(raw, text)

    def empty(self):
        return ""

    def convert(self, raw, text):
        return text


class PhoneColumn(Column):
    def format_note(self):
        return _("数字，可含 +、-、括号和空格，例如 13912345678 或 0816-2345678")

    def convert(self, raw, text):
        if "*" in text:  # a number masked by an export (apps/core/personal.py) is not a number
            raise CellError(_("电话号码已脱敏（含 *），请填写完整号码"))
        if not PHONE_RE.match(text):
            raise CellError(_("电话号码格式不正确"))
        return text


class IntColumn(Column):
    number_format = "0"

    def format_note(self):
        return _("不小于 0 的整数")

    def empty(self):
        return 0

    def convert(self, raw, text):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("必须是整数")) from None
        if number != number.to_integral_value():
            raise CellError(_("必须是整数"))
        if number < 0:
            raise CellError(_("不能为负数"))
        return int(number)


class DecimalColumn(Column):
    def __init__(self, *args, minimum=None, maximum=None, places: int = 6, **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum, self.places = minimum, maximum, places

    number_format = "General"

    def format_note(self):
        if self.minimum is not None and self.maximum is not None:
            return _("数字，范围 {lo} 到 {hi}").format(lo=self.minimum, hi=self.maximum)
        return _("数字")

    def empty(self):
        return None

    def convert(self, raw, text):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("必须是数字")) from None
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise CellError(_("必须在 {lo} 到 {hi} 之间").format(lo=self.minimum, hi=self.maximum))
        return round(number, self.places)


class DateColumn(Column):
    number_format = "yyyy-mm-dd"

    def format_note(self):
        return _("日期，格式 YYYY-MM-DD，例如 2026-01-31")

    def empty(self):
        return None

    def convert(self, raw, text):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
            except ValueError:
                continue
        raise CellError(_("日期格式应为 2026-01-31"))


class ChoiceColumn(Column):
    """Accepts either the stored value or its (translated) label."""

    def __init__(self, *args, choices, default=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.default = default

    def options(self):
        return [str(label) for _value, label in self.choices]

    def note(self):
        if self.default is None:
            return super().note()
        label = dict(self.choices).get(self.default, self.default)
        return join_notes([super().note(), _("留空时为“{value}”").format(value=label)])

    def empty(self):
        return self.default

    def convert(self, raw, text):
        for value, label in self.choices:
            if text in (value, str(label)):
                return value
        allowed = pgettext("separator", "、").join(str(label) for _value, label in self.choices)
        raise CellError(_("取值必须是以下之一：{allowed}").format(allowed=allowed))


class LookupColumn(Column):
    """A reference to an existing record by code or name; `lookup` is filled before parsing.

    `offered` is what the template's drop-down lists (one name per record, while `lookup`
    also accepts codes); it stays empty where the list is the codes sheet or open-ended.
    """

    def __init__(self, *args, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup: dict = {}
        self.offered: list[str] = []
        self.message = message

    def options(self):
        return list(self.offered)

    def format_note(self):
        return _("填写系统中已有的名称或代码")

    def empty(self):
        return None

    def convert(self, raw, text):
        if text not in self.lookup:
            raise CellError(self.message.format(value=text))
        return self.lookup[text]
