"""The results page's one parameter: which grouping the tables and the chart show."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, StrictFilterSet

from ..models import Response


class ResultGroup(models.TextChoices):
    COMMUNITY = "community", _("按社区")
    AGE_GROUP = "age_group", _("按年龄段")
    SEX = "sex", _("按性别")
    RESIDENT_TYPE = "resident_type", _("按居住类型")
    CHANNEL = "channel", _("按作答方式")


class ResultGroupFilterSet(StrictFilterSet):
    group = ChoiceFilter(label=_("分组"), choices=ResultGroup.choices, method="keep")

    class Meta:
        model = Response
        fields = []

    def keep(self, qs, name, value):
        return qs
