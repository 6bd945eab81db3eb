"""Rates with their 95% confidence interval (Wilson score interval), as pure arithmetic.

For k successes in n trials, p = k/n and z = 1.959964 (two-sided 95%):

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) × √(p(1−p)/n + z²/4n²)

The interval stays inside [0, 1] even for k = 0 or k = n, and is honest for the small samples a
community survey has (a normal interval would claim 100% ± 0 for 5 out of 5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054
HUNDRED = Decimal(100)
ONE_DP = Decimal("0.1")


@dataclass(frozen=True)
class Rate:
    """k of n as a percentage with its Wilson interval (all None when n is 0)."""

    k: int
    n: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None


def _percent(x: float) -> Decimal:
    return (Decimal(repr(x)) * HUNDRED).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval of k/n as fractions (0..1)."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= k <= n:
        raise ValueError("k must lie in 0..n")
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(k: int, n: int) -> Rate:
    """k of n in percent with one decimal and its 95% interval; a rate never exceeds 100%."""
    if n <= 0:
        return Rate(k=0, n=0, value=None, low=None, high=None)
    k = min(max(k, 0), n)
    low, high = wilson(k, n)
    value = (Decimal(k) * HUNDRED / Decimal(n)).quantize(ONE_DP, rounding=ROUND_HALF_UP)
    return Rate(k=k, n=n, value=value, low=_percent(low), high=_percent(high))
