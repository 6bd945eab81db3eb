"""Public answering's writes besides the answer itself: counting what the public page refuses
(per questionnaire, day and reason; never who sent it)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Questionnaire, Refusal


@transaction.atomic
def refusal_count(*, questionnaire: Questionnaire, reason: str) -> None:
    """Count one refused public answer. Not audited: it is anonymous by design and the count
    is the record (the channels page shows it)."""
    row, _created = Refusal.objects.get_or_create(questionnaire=questionnaire, day=timezone.localdate(), reason=reason)
    Refusal.objects.filter(pk=row.pk).update(count=F("count") + 1)
