"""Agreement numbers: <prefix><year>-<six digits>, reserved in blocks under a row lock."""

from __future__ import annotations

from django.db import transaction

from ..models import NumberCounter


@transaction.atomic
def reserve_numbers(prefix: str, year: int, count: int) -> list[str]:
    """`count` fresh numbers for `prefix` and `year` (locks the counter row while it moves)."""
    NumberCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = NumberCounter.objects.select_for_update().get(prefix=prefix, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{prefix}{year}-{n:06d}" for n in range(first, first + count)]
