"""The account list's filters (page and export; apps/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import SearchFilter, StrictFilterSet

from .models import User


class UserFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("username", "last_name", "first_name"))

    class Meta:
        model = User
        fields = []
