"""Figures written into a document: exact ("153家", "96.1%"), or the way offices write counts
("150余家", "近10吨", "1000多平方米") when the report's number style asks for it.

The rounded form never overstates: "150余" means more than 150 (so exactly 150 stays "150"),
"近10" means a little under 10 (at least 95% of it), "1000多" more than 1000. Rates, indices,
scores and grades are always exact; so are counts under 20, where a rounded word would hide
the number itself. The exact value stays on the figure's link.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from apps.core.units import unit_text

# Units whose figures are never rounded: rates, indices, scores, grades, densities.
EXACT_UNITS = {"%", "‰", "分", "级", "", "处/km", "只/(人·时)", "只/间", "只/张"}
# Measures take 多 ("1000多平方米", "12多吨" is not said: see `_rounded`); counts of things take 余.
MEASURE_UNITS = {"平方米", "米", "公里", "km", "吨", "kg", "公斤", "千克", "L", "升", "立方米", "小时", "亩"}
SMALLEST_ROUNDED = Decimal(20)
NEAR_SHARE = Decimal("0.95")


def plain(value: Decimal | int | float) -> str:
    """A number without trailing zeros and without exponent: 3, 87.5, 1000."""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _floor_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def _step(value: Decimal) -> Decimal:
    """The round step of a count: tens under 100, then two significant figures (153 → 10,
    1,234 → 100, 12,433 → 1,000)."""
    digits = len(str(int(value)))
    return Decimal(10) ** max(1, digits - 2)


def rounded(value: Decimal, unit: str = "") -> str | None:
    """The office's approximate form of `value` (without the unit), or None when the exact figure
    is written: small counts, round figures, and units that are never rounded."""
    if unit in EXACT_UNITS or value < 0:
        return None
    # 近X: within the last 5% below a round figure of one significant digit (9.6 → 近10, 980 → 近1000).
    if value >= Decimal("0.95"):
        magnitude = Decimal(10) ** (len(str(int(value))) - 1 if value >= 1 else 0)
        target = _floor_to(value, magnitude) + magnitude
        if value < target and value >= target * NEAR_SHARE and (value >= SMALLEST_ROUNDED or unit in MEASURE_UNITS):
            return f"近{plain(target)}"
    if value < SMALLEST_ROUNDED:
        return None
    base = _floor_to(value, _step(value))
    if base == value:
        return None
    suffix = "多" if unit in MEASURE_UNITS else "余"
    return f"{plain(base)}{suffix}"


def figure_text(value, unit: str, *, style: bool = False) -> tuple[str, str]:
    """(text written, exact text) of a figure with its unit; the exact text is "" when the written
    one is exact. None (nothing to compute from) is written as "—"."""
    shown_unit = unit_text(unit)
    if value is None:
        return "—", ""
    value = Decimal(str(value))
    exact = plain(value) + shown_unit
    if style:
        approximate = rounded(value, unit)
        if approximate is not None:
            return approximate + shown_unit, exact
    return exact, ""
