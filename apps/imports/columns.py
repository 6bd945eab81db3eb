"""Parsing one spreadsheet cell: each column says how its text becomes a value.

A parser returns the value or raises `CellError` with a translated message; the
import collects every error with its row and column instead of stopping at the first.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")


class CellError(Exception):
    pass


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class Column:
    def __init__(self, header: str, key: str, *, required: bool = False, max_length: int = 255, help: str = ""):
        self.header = header
        self.key = key
        self.required = required
        self.max_length = max_length
        self.help = help

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
    def convert(self, raw, text):
        if not PHONE_RE.match(text):
            raise CellError(_("电话号码格式不正确"))
        return text


class IntColumn(Column):
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

    def empty(self):
        return self.default

    def convert(self, raw, text):
        for value, label in self.choices:
            if text in (value, str(label)):
                return value
        allowed = "、".join(str(label) for _value, label in self.choices)
        raise CellError(_("取值必须是以下之一：{allowed}").format(allowed=allowed))


class LookupColumn(Column):
    """A reference to an existing record by code or name; `lookup` is filled before parsing."""

    def __init__(self, *args, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup: dict = {}
        self.message = message

    def empty(self):
        return None

    def convert(self, raw, text):
        if text not in self.lookup:
            raise CellError(self.message.format(value=text))
        return self.lookup[text]
