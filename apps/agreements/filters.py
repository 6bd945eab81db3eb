"""The agreement list's filters: the page, the .xlsx export and the API list read them alike.

`jurisdiction` is where the party is (the coverage page's cells link here with the child area,
the type and the standing); `start`/`end` keep the agreements whose term overlaps the period."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import (
    ChoiceFilter,
    DateFilter,
    FlagFilter,
    IntegerFilter,
    ScopedModelChoiceFilter,
    SearchFilter,
    StrictFilterSet,
)
from apps.organization.models import Jurisdiction

from .choices import AgreementStatus, Standing
from .coverage import required_parties_q, required_party_q, standing_q
from .models import Agreement, AgreementType


def type_choices():
    return [(t.code, str(t)) for t in AgreementType.objects.all()]


def standing_choices():
    return [(s.value, s.label) for s in Standing if s != Standing.LACKING]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


class AgreementFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("number", "party_name"))
    type = ChoiceFilter(label=_("责任书类型"), choices=type_choices, field_name="agreement_type__code")
    status = ChoiceFilter(label=_("状态"), choices=AgreementStatus.choices)
    standing = ChoiceFilter(label=_("签订情况"), choices=standing_choices, method="filter_standing")
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_area")
    issuer = IntegerFilter(label=_("发放辖区"), field_name="jurisdiction_id")
    unit = IntegerFilter(label=_("责任单位"), field_name="party_unit_id")
    job = IntegerFilter(label=_("批量生成"), field_name="job_id")
    start = DateFilter(label=_("开始日期"), method="filter_start")
    end = DateFilter(label=_("结束日期"), method="filter_end")
    as_of = DateFilter(label=_("统计日期"), method="filter_nothing")
    expiring = FlagFilter(label=_("即将到期"), method="filter_expiring")
    required = FlagFilter(label=_("只看应签对象"), method="filter_required")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Agreement
        fields = []

    def filter_nothing(self, qs, name, value):
        return qs

    def filter_area(self, qs, name, value):
        return qs.filter(party_path__within=value.path) if value else qs

    def filter_start(self, qs, name, value):
        return qs.filter(ends_on__gte=value)

    def filter_end(self, qs, name, value):
        return qs.filter(starts_on__lte=value)

    def filter_standing(self, qs, name, value: str):
        """The parties counted in a coverage cell: latest agreements in that standing (of parties the
        type still requires, when a type is chosen)."""
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        qs = qs.filter(standing_q(value, as_of), is_latest=True)
        code = self.form.cleaned_data.get("type")
        agreement_type = AgreementType.objects.filter(code=code).first() if code else None
        return qs.filter(required_party_q(agreement_type)) if agreement_type else qs

    def filter_required(self, qs, name, value):
        """Only agreements whose party its type still requires (every type): what the coverage
        counts and the evidence figures count, so a closed shop's old agreement is left out."""
        return qs.filter(required_parties_q(AgreementType.objects.all())) if value else qs

    def filter_expiring(self, qs, name, value):
        today = timezone.localdate()
        return qs.filter(
            status=AgreementStatus.SIGNED,
            is_latest=True,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=settings.AGREEMENT_REMIND_DAYS),
        )


class CoverageFilterSet(StrictFilterSet):
    """The coverage page: which area, on which day."""

    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions)
    as_of = DateFilter(label=_("统计日期"))

    class Meta:
        model = Agreement
        fields = []
