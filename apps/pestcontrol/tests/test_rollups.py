"""The operations' record rollup (apps/core/rollups.py) equals the raw sums after a random
sequence of operations, edits, follow-ups and a product's change of pests, and after a rebuild."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from apps.core import rollups as core_rollups
from apps.core.models import RollupDirty
from apps.pestcontrol.evidence import rollups
from apps.pestcontrol.evidence.operations import figure_values
from apps.pestcontrol.models import FollowUpCheck, Operation, OperationDrug
from apps.pestcontrol.services import drugs, operations
from apps.pestcontrol.tests.helpers_operations import bait, operation, spray

pytestmark = pytest.mark.django_db


def kilo(lines) -> Decimal:
    return (sum((Decimal(x.packages) * x.package_size for x in lines), Decimal(0)) / 1000).quantize(Decimal("0.001"))


def raw(path, start, end) -> dict:
    ops = Operation.objects.filter(jurisdiction__path__startswith=path, performed_on__range=(start, end))
    lines = OperationDrug.objects.filter(operation__in=ops)
    grams = [line for line in lines.select_related("product") if line.package_unit == "g"]
    checks = FollowUpCheck.objects.filter(operation__in=ops).aggregate(
        c=Sum("households_checked"), b=Sum("households_bought")
    )
    return {
        "pestcontrol.operations": Decimal(ops.count()),
        "pestcontrol.households_covered": Decimal(ops.aggregate(h=Sum("households_covered"))["h"] or 0),
        "pestcontrol.drug_kg": kilo(grams),
        "pestcontrol.rodenticide_kg": kilo([x for x in grams if "rat" in x.product.pests]),
        "bought": (Decimal(checks["b"] or 0), Decimal(checks["c"] or 0)),
    }


def rolled(path, start, end) -> dict:
    values = figure_values(path, start, end)
    rate = values["pestcontrol.purchase_rate"]
    found = {key: values[key].value for key in raw(path, start, end) if key != "bought"}
    found["bought"] = (rate.numerator, rate.denominator)
    return found


def test_random_changes_keep_the_operations_rollup_equal_to_the_raw_sums(org):
    rng = random.Random(1201)
    today = timezone.localdate()
    products = [bait(org), spray(org)]
    made = []
    for step in range(24):
        move = rng.choice(["create", "create", "edit", "follow_up", "product"]) if made else "create"
        if move == "create":
            lines = [{"product": rng.choice(products), "packages": rng.randint(1, 20)}]
            made.append(
                operation(
                    org,
                    actor=org.street,
                    jurisdiction=rng.choice([org.comm_a1, org.comm_a2]),
                    performed_on=today - timedelta(days=rng.randint(0, 6)),
                    households_covered=rng.randint(0, 300),
                    lines=lines,
                )
            )
        elif move == "edit":
            op = Operation.objects.get(pk=rng.choice(made).pk)
            operations.operation_update(
                actor=None,
                operation=op,
                expected_version=op.version,
                changes={
                    "households_covered": rng.randint(0, 300),
                    "performed_on": today - timedelta(days=rng.randint(0, 6)),
                },
            )
        elif move == "follow_up":
            checked = rng.randint(1, 50)
            operations.followup_create(
                actor=org.street,
                operation=rng.choice(made),
                checked_on=today,
                households_checked=checked,
                households_bought=rng.randint(0, checked),
                households_retained=0,
            )
        else:  # the bait is said to be for flies as well, or no longer for rats
            product = products[0]
            product.refresh_from_db()
            pests = ["rat", "fly"] if step % 2 else ["fly"]
            drugs.product_update(
                actor=org.office, product=product, changes={"pests": pests}, expected_version=product.version
            )
        for node in (org.street_a, org.comm_a1, org.comm_a2, org.city):
            for start in (today - timedelta(days=6), today - timedelta(days=2)):
                assert rolled(node.path, start, today) == raw(node.path, start, today), (step, move, node.name)
    assert not RollupDirty.objects.exists()
    core_rollups.rollup_rebuild(rollups.KEY)
    assert core_rollups.rollup_check(rollups.KEY) == 0
    assert rolled(org.city.path, today - timedelta(days=6), today) == raw(
        org.city.path, today - timedelta(days=6), today
    )


def test_random_surveys_keep_the_pooled_counts_equal_to_the_surveys(org):
    from apps.pestcontrol.evidence.surveys import pooled_counts
    from apps.pestcontrol.models import Survey
    from apps.pestcontrol.selectors.grades import add_counts, load_places, surveys_in
    from apps.pestcontrol.services.surveys import survey_create, survey_update

    def raw_pooled(path, start, end):
        pooled: dict[str, dict] = {}
        for place in load_places(surveys_in(path, start, end)):
            for code, counts in place.counts.items():
                add_counts(pooled.setdefault(code, {}), counts)
        return pooled

    rng = random.Random(2026)
    today = timezone.localdate()
    made = []
    for step in range(16):
        valid = rng.randint(10, 200)
        counts = {"patches_valid": valid, "patches_positive": rng.randint(0, valid)}
        if made and step % 3 == 2:
            survey = Survey.objects.get(pk=rng.choice(made).pk)
            survey_update(
                actor=org.street,
                survey=survey,
                expected_version=survey.version,
                changes={"surveyed_on": today - timedelta(days=rng.randint(1, 5))},
                counts=counts,
            )
        else:
            made.append(
                survey_create(
                    actor=org.street,
                    method="rat_powder",
                    jurisdiction=rng.choice([org.comm_a1, org.comm_a2]),
                    place_type="residential",
                    surveyed_on=today - timedelta(days=rng.randint(1, 5)),
                    counts=counts,
                )
            )
        for node in (org.street_a, org.comm_a1, org.comm_a2):
            start = today - timedelta(days=rng.randint(1, 5))
            assert pooled_counts(node.path, start, today) == raw_pooled(node.path, start, today), (step, node.name)
    assert core_rollups.rollup_check(rollups.SURVEYS_KEY) == 0
