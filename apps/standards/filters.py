"""The standard list's filters (page and API list), read strictly (apps/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, SearchFilter, StrictFilterSet

from .choices import StandardKind
from .models import Standard


class StandardFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name", "code", "issuer"))
    kind = ChoiceFilter(label=_("类别"), choices=StandardKind.choices)

    class Meta:
        model = Standard
        fields = []
