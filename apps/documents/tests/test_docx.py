"""The shared notice layout: dates in Chinese numerals, the response headers."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from apps.documents.docx import (
    chinese_date,
    chinese_datetime,
    docx_response,
    new_document,
    number_line,
    paragraph,
    save_document,
    signature,
    title,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 22), "二〇二六年十一月二十二日"),
        (date(2026, 1, 1), "二〇二六年一月一日"),
        (date(2000, 10, 10), "二〇〇〇年十月十日"),
        (date(2031, 12, 31), "二〇三一年十二月三十一日"),
        (date(2026, 2, 20), "二〇二六年二月二十日"),
        (date(2026, 3, 30), "二〇二六年三月三十日"),
        (date(2019, 5, 19), "二〇一九年五月十九日"),
    ],
)
def test_chinese_date(day, expected):
    assert chinese_date(day) == expected


def test_chinese_datetime_is_local_time():
    moment = timezone.make_aware(datetime(2026, 11, 24, 17, 30))
    assert chinese_datetime(moment) == "2026年11月24日17时30分"
    assert chinese_datetime(timezone.make_aware(datetime(2026, 1, 2, 9, 5))) == "2026年1月2日9时05分"


def test_a_notice_is_a_word_file_with_a_unicode_filename():
    document = new_document()
    title(document, "整改通知书")
    number_line(document, "城创〔2026〕1号")
    paragraph(document, "正文")
    signature(document, "城关街道创卫办", date(2026, 11, 22))
    response = docx_response(save_document(document), "整改通知书-1.docx")
    assert response.content[:2] == b"PK"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
