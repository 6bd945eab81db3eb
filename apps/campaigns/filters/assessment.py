"""Filters of the assessment concept: the mock assessments of a campaign."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, StrictFilterSet

from ..choices import MockStatus
from ..models import MockAssessment


class MockFilterSet(StrictFilterSet):
    status = ChoiceFilter(label=_("状态"), choices=MockStatus.choices)

    class Meta:
        model = MockAssessment
        fields = []
