"""Strict filters of the questionnaire list (the page and the API list)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, SearchFilter, StrictFilterSet

from ..choices import SurveyStatus
from ..models import Questionnaire


class QuestionnaireFilterSet(StrictFilterSet):
    status = ChoiceFilter(label=_("状态"), choices=SurveyStatus.choices)
    q = SearchFilter(label=_("问卷名称"), search_fields=("title",), max_length=100)

    class Meta:
        model = Questionnaire
        fields = ["status", "q"]
