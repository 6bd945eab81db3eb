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


COMMUNITY_LEVEL = "community"


def interviewer_community(user, questionnaire: Questionnaire):
    """The community (社区/村) an interviewer works in (itself, or the one above a grid or
    estate), when it lies in the survey's area: an interview answer without a community item is
    counted for it. None for staff above community level or outside the area."""
    from apps.organization.models import Jurisdiction

    own = getattr(user, "jurisdiction", None)
    if own is None or not own.path.startswith(questionnaire.jurisdiction.path):
        return None
    ids = [int(part) for part in own.path.strip("/").split("/") if part]
    return Jurisdiction.objects.filter(pk__in=ids, level__code=COMMUNITY_LEVEL).first()
