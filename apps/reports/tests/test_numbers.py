"""The number style of generated documents (apps/reports/numbers.py): the office's rounded forms
("150余家", "近10吨", "1000多平方米") where they are true, the exact figure everywhere else."""

from decimal import Decimal

import pytest
from django.utils import translation

from apps.reports.numbers import figure_text, plain, rounded


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (150, "家", None),  # 150余 would claim more than 150
        (151, "家", "150余"),
        (153, "家", "150余"),
        (Decimal("9.7"), "吨", "近10"),
        (1050, "平方米", "1000多"),
        (1000, "平方米", None),
        (12433, "户", "12000余"),
        (19, "户", None),  # under 20 a rounded word would hide the number
        (23, "次", "20余"),
        (980, "人", "近1000"),
        (Decimal("12.5"), "吨", None),  # a small measure that is not near a round figure
        (Decimal("96.1"), "%", None),
        (Decimal("87.5"), "分", None),
        (3, "级", None),
        (Decimal("4.2"), "", None),  # an index
        (1234, "", None),
        (-153, "家", None),
    ],
)
def test_rounded(value, unit, expected):
    assert rounded(Decimal(str(value)), unit) == expected


def test_rounded_never_overstates():
    for number in range(20, 3000, 7):
        value = Decimal(number)
        text = rounded(value, "户")
        if text is None:
            continue
        if text.startswith("近"):
            target = Decimal(text[1:])
            assert target * Decimal("0.95") <= value < target, text
        else:
            assert text.endswith("余")
            assert Decimal(text[:-1]) < value, text


@pytest.mark.parametrize(
    ("value", "unit", "style", "expected"),
    [
        (150, "家", True, ("150家", "")),
        (153, "家", True, ("150余家", "153家")),
        (153, "家", False, ("153家", "")),
        (Decimal("9.7"), "吨", True, ("近10吨", "9.7吨")),
        (1050, "平方米", True, ("1000多平方米", "1050平方米")),
        (1000, "平方米", True, ("1000平方米", "")),
        (12433, "户", True, ("12000余户", "12433户")),
        (19, "户", True, ("19户", "")),
        (Decimal("96.10"), "%", True, ("96.1%", "")),
        (Decimal("87.50"), "分", True, ("87.5分", "")),
        (Decimal("4.20"), "", True, ("4.2", "")),
        (None, "户", True, ("—", "")),
        (None, "%", False, ("—", "")),
    ],
)
def test_figure_text(value, unit, style, expected):
    assert figure_text(value, unit, style=style) == expected


def test_plain():
    assert plain(Decimal("1E+3")) == "1000"
    assert plain(Decimal("87.50")) == "87.5"
    assert plain(3) == "3"
    assert plain(9.7) == "9.7"
