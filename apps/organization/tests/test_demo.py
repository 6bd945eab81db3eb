import pytest
from django.db.models import Sum

from apps.demo.context import Demo
from apps.organization.demo import build
from apps.organization.models import Jurisdiction, Unit, UnitType, WorkGroup, Zone, ZoneAssignment

pytestmark = pytest.mark.django_db


def test_demo_street_matches_the_seed_figures():
    demo = Demo()
    build(demo)  # the organisation's builder alone: it needs no other app's
    street = Jurisdiction.objects.get(level__code="street")
    communities = Jurisdiction.objects.filter(parent=street)
    assert communities.count() == 6
    assert Jurisdiction.objects.filter(level__code="estate").count() == 81
    assert communities.aggregate(p=Sum("population"))["p"] == 52000 == street.population
    assert Unit.objects.count() == 300
    assert set(Unit.objects.values_list("unit_type__code", flat=True)) == set(
        UnitType.objects.values_list("code", flat=True)
    )
    assert not Unit.objects.filter(lat__isnull=True).exists()
    assert Zone.objects.count() > 50
    assert ZoneAssignment.objects.filter(ends_on__isnull=False).count() == 4  # 微调 history
    assert WorkGroup.objects.filter(kind="leadership").get().members.count() >= 6
    assert demo.street.level.code == "street" and len(demo.communities) == 6 and len(demo.units) == 300
    assert len(demo.grids) == len(demo.estates) == 81
