"""Hand-computed indices for every method of methods.py, pooling, 灭效 and grading (pure arithmetic)."""

from decimal import Decimal as D

from apps.pestcontrol import methods
from apps.pestcontrol.grading import Thresholds, worst
from apps.pestcontrol.selectors.grades import Place, area_grade, pooled_values


def compute(code, **counts):
    return methods.method(code).compute(counts)


def test_breteau_container_house_index_from_001_l25():
    # 001 L25: 101 households, 7 positive containers → BI 7/101×100 = 6.93.
    values = compute(
        "mosquito_household", households=101, households_positive=5, containers_wet=40, containers_positive=7
    )
    assert values["breteau_index"] == D("6.93")
    assert values["container_index"] == D("17.50")  # 7/40
    assert values["house_index"] == D("4.95")  # 5/101


def test_rat_indices():
    assert compute("rat_powder", patches_valid=200, patches_positive=3)["rat_powder_rate"] == D("1.50")
    assert compute("rat_room", rooms_inspected=150, rooms_positive=2)["rat_room_rate"] == D("1.33")
    # Path index: sites per km walked, no ×100.
    assert compute("rat_path", distance_km="2.50", sites_positive=3)["rat_path_index"] == D("1.20")
    assert compute("rat_proofing", facilities_checked=40, facilities_ok=37)["rat_proofing_rate"] == D("92.50")


def test_mosquito_indices():
    assert compute("mosquito_path", distance_km="1.60", water_positive=2)["mosquito_path_index"] == D("1.25")
    assert compute("mosquito_ovitrap", traps_recovered=60, traps_positive=4)["ovitrap_index"] == D("6.67")
    dipper = compute("mosquito_dipper", dips=80, dips_positive=3, larvae=25)
    assert dipper["dipper_positive_rate"] == D("3.75")
    assert dipper["dipper_density"] == D("0.31")  # 25/80 larvae per dip
    assert compute("mosquito_landing", person_hours="1.50", mosquitoes=4)["landing_index"] == D("2.67")


def test_fly_indices():
    room = compute("fly_room", rooms_inspected=120, rooms_positive=6, flies=15)
    assert room["fly_room_rate"] == D("5.00")
    assert room["flies_per_positive_room"] == D("2.50")  # 15 flies / 6 positive rooms
    assert compute("fly_breeding", sites_inspected=45, sites_positive=2)["fly_breeding_rate"] == D("4.44")
    assert compute("fly_proofing", facilities_checked=30, facilities_ok=28)["fly_proofing_rate"] == D("93.33")


def test_cockroach_indices():
    visual = compute("cockroach_visual", rooms_inspected=110, rooms_adult=3, rooms_ootheca=1, rooms_trace=5)
    assert visual["cockroach_infestation_rate"] == D("2.73")
    assert visual["cockroach_ootheca_rate"] == D("0.91")
    assert visual["cockroach_trace_rate"] == D("4.55")
    trap = compute("cockroach_trap", traps_recovered=50, traps_positive=4, cockroaches=9)
    assert trap["cockroach_trap_rate"] == D("8.00")
    assert trap["cockroach_density"] == D("0.18")  # 9 per 50 traps


def test_every_index_is_covered_here():
    covered = {
        "breteau_index", "container_index", "house_index", "rat_powder_rate", "rat_room_rate", "rat_path_index",
        "rat_proofing_rate", "mosquito_path_index", "ovitrap_index", "dipper_positive_rate", "dipper_density",
        "landing_index", "fly_room_rate", "flies_per_positive_room", "fly_breeding_rate", "fly_proofing_rate",
        "cockroach_infestation_rate", "cockroach_ootheca_rate", "cockroach_trace_rate", "cockroach_trap_rate",
        "cockroach_density",
    }  # fmt: skip
    assert covered == set(methods.indices())


def test_no_denominator_gives_no_index():
    assert compute("fly_room", rooms_inspected=100, rooms_positive=0, flies=0)["flies_per_positive_room"] is None


def test_pooling_sums_numerators_and_denominators():
    # Two surveys: 7/101 and 3/99 → pooled 10/200 = 5.00, not the mean of 6.93 and 3.03 (4.98).
    place = Place(1, "1/", "A", "residential", None)
    from apps.pestcontrol.selectors.grades import add_counts

    for counts in (
        {"households": 101, "households_positive": 5, "containers_wet": 40, "containers_positive": 7},
        {"households": 99, "households_positive": 2, "containers_wet": 20, "containers_positive": 3},
    ):
        add_counts(place.counts.setdefault("mosquito_household", {}), counts)
    values = place.values("mosquito")
    assert values["breteau_index"] == D("5.00")
    assert values["container_index"] == D("16.67")  # 10/60
    assert pooled_values({"rat_path": {"distance_km": D("1.5") + D("2.5"), "sites_positive": 6}}) == {
        "rat_path_index": D("1.50")
    }


def test_efficacy():
    assert methods.efficacy(D("8.00"), D("2.00")) == D("75.00")
    assert methods.efficacy(D("0"), D("2.00")) is None  # no positive 'before'
    assert methods.efficacy(None, D("1")) is None
    assert methods.efficacy(D("4.00"), D("5.00")) == D("-25.00")  # a rise is negative


LIMITS = {
    ("rat_powder_rate", ""): {"A": D("1"), "B": D("3"), "C": D("5")},
    ("rat_powder_rate", "catering"): {"A": D("0.5"), "B": D("1"), "C": D("2")},
    ("rat_path_index", ""): {"A": D("1"), "B": D("3"), "C": D("5")},
    ("rat_proofing_rate", ""): {"A": D("98"), "B": D("95"), "C": D("90")},
}


def test_grade_levels_and_place_type_fallback():
    t = Thresholds(1, LIMITS)
    assert t.grade("rat_powder_rate", "residential", D("1.00")) == "A"  # the limit itself meets A
    assert t.grade("rat_powder_rate", "residential", D("2.50")) == "B"
    assert t.grade("rat_powder_rate", "residential", D("5.01")) == "fail"
    # Catering has its own row: 1.50 is C there, B elsewhere (the '' row is the fallback).
    assert t.grade("rat_powder_rate", "catering", D("1.50")) == "C"
    assert t.grade("rat_powder_rate", "market", D("1.50")) == "B"
    assert t.grade("rat_room_rate", "residential", D("50")) is None  # no limit: not graded


def test_higher_is_better_for_pass_rates():
    t = Thresholds(1, LIMITS)
    assert t.grade("rat_proofing_rate", "", D("99.00")) == "A"
    assert t.grade("rat_proofing_rate", "", D("96.00")) == "B"
    assert t.grade("rat_proofing_rate", "", D("90.00")) == "C"
    assert t.grade("rat_proofing_rate", "", D("89.99")) == "fail"


def test_place_grade_is_worst_sub_indicator_and_area_is_worst_place():
    t = Thresholds(1, LIMITS)
    values = {"rat_powder_rate": D("0.80"), "rat_path_index": D("4.00"), "rat_proofing_rate": D("99")}
    assert t.place_grade(values, "residential") == "C"  # A, C, A → C
    assert worst(["A", None, "B"]) == "B" and worst([None]) is None
    good = Place(
        1, "1/2/", "甲", "residential", None, counts={"rat_powder": {"patches_valid": 200, "patches_positive": 1}}
    )
    bad = Place(2, "1/3/", "乙", "catering", None, counts={"rat_powder": {"patches_valid": 100, "patches_positive": 3}})
    found = area_grade([good, bad], "rat", t)
    assert found.grade == "fail" and found.place is bad  # 3% at catering is above C (2)
    assert area_grade([good], "rat", t).grade == "A"
    assert area_grade([], "rat", t).grade is None
