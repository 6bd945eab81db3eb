"""Reference data shipped with the product for the control levels: the four standards
(GB/T 27770–27773), their versions (the fly standard's 2011 and 2025 versions apart) and example
thresholds badged as examples. Installed by migration 0002; `ensure()` puts back what a test
flush removed (the demo calls it).

The STRUCTURE is real (one standard per pest, versions in force from a date, A/B/C limits per
index and, where it matters, per place type). The NUMBERS ARE EXAMPLES (`is_example=True`,
shown with a 示例值 badge on every page): the health authority replaces them with the figures
of the standard text. The effective dates are placeholders to be checked as well: 2012-05-01 for
the 2011 versions, 2025-12-01 for the published GB/T 27772-2025.

Each limit row is (index key, place type or "" for every place type, A, B, C); a value meets a
level when it is ≤ the limit (≥ for 合格率, methods.Index.better)."""

from datetime import date
from decimal import Decimal

EXAMPLE_NOTE = "示例值：结构按标准设置，限值为示例，须按标准原文核对替换。"

# (pest, code, title, [(label, effective_from, note, [(index, place_type, A, B, C), ...]), ...])
STANDARDS = [
    (
        "rat",
        "GB/T 27770",
        "病媒生物密度控制水平 鼠类",
        [
            (
                "2011",
                date(2012, 5, 1),
                EXAMPLE_NOTE,
                [
                    ("rat_powder_rate", "", "1", "3", "5"),
                    ("rat_powder_rate", "catering", "0.5", "1", "2"),
                    ("rat_room_rate", "", "1", "3", "5"),
                    ("rat_room_rate", "catering", "0.5", "1", "2"),
                    ("rat_path_index", "", "1", "3", "5"),
                    ("rat_proofing_rate", "", "98", "95", "90"),
                    ("rat_proofing_rate", "catering", "99", "97", "95"),
                ],
            ),
        ],
    ),
    (
        "mosquito",
        "GB/T 27771",
        "病媒生物密度控制水平 蚊虫",
        [
            (
                "2011",
                date(2012, 5, 1),
                EXAMPLE_NOTE,
                [
                    ("breteau_index", "", "5", "10", "20"),
                    ("container_index", "", "5", "10", "15"),
                    ("house_index", "", "3", "5", "10"),
                    ("mosquito_path_index", "", "1", "2", "3"),
                    ("ovitrap_index", "", "3", "5", "10"),
                    ("dipper_positive_rate", "", "1", "3", "5"),
                    ("landing_index", "", "0.5", "1", "2"),
                ],
            ),
        ],
    ),
    (
        "fly",
        "GB/T 27772",
        "病媒生物密度控制水平 蝇类",
        [
            (
                "2011",
                date(2012, 5, 1),
                EXAMPLE_NOTE,
                [
                    ("fly_room_rate", "", "3", "6", "10"),
                    ("fly_room_rate", "catering", "1", "3", "5"),
                    ("flies_per_positive_room", "", "3", "4", "5"),
                    ("fly_breeding_rate", "", "1", "3", "5"),
                    ("fly_proofing_rate", "", "95", "90", "85"),
                ],
            ),
            (
                "2025",
                date(2025, 12, 1),
                EXAMPLE_NOTE + "2025版实施日期待核对。",
                [
                    ("fly_room_rate", "", "2", "5", "8"),
                    ("fly_room_rate", "catering", "1", "2", "4"),
                    ("flies_per_positive_room", "", "2", "3", "4"),
                    ("fly_breeding_rate", "", "1", "2", "4"),
                    ("fly_proofing_rate", "", "97", "93", "90"),
                ],
            ),
        ],
    ),
    (
        "cockroach",
        "GB/T 27773",
        "病媒生物密度控制水平 蜚蠊",
        [
            (
                "2011",
                date(2012, 5, 1),
                EXAMPLE_NOTE,
                [
                    ("cockroach_infestation_rate", "", "1", "3", "5"),
                    ("cockroach_infestation_rate", "catering", "0.5", "2", "4"),
                    ("cockroach_ootheca_rate", "", "1", "2", "3"),
                    ("cockroach_trace_rate", "", "2", "4", "6"),
                    ("cockroach_trap_rate", "", "2", "5", "8"),
                    ("cockroach_density", "", "0.1", "0.3", "0.5"),
                ],
            ),
        ],
    ),
]


def install(get_model=None) -> int:
    """Add the standards, versions and example limits that are missing, and the Aedes risk
    setting's row if there is none; returns how many rows were added. A version that exists
    keeps its limits (the office may have edited them)."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    standard_model = get_model("pestcontrol", "ControlStandard")
    version_model = get_model("pestcontrol", "ControlVersion")
    threshold_model = get_model("pestcontrol", "ControlThreshold")
    added = 0
    for pest, code, title, versions in STANDARDS:
        standard, created = standard_model.objects.get_or_create(pest=pest, defaults={"code": code, "title": title})
        added += created
        for label, effective_from, note, rows in versions:
            version, created = version_model.objects.get_or_create(
                standard=standard,
                effective_from=effective_from,
                defaults={"label": label, "is_example": True, "note": note},
            )
            if not created:
                continue
            added += 1
            for index, place_type, *limits in rows:
                for level, limit in zip(("A", "B", "C"), limits, strict=True):
                    threshold_model.objects.create(
                        version=version, index=index, place_type=place_type, level=level, limit=Decimal(limit)
                    )
                    added += 1
    # The Aedes risk setting's one row, with its example values (made here so that no read ever
    # has to create it: two first reads would race).
    setting_model = get_model("pestcontrol", "AedesSetting")
    if not setting_model.objects.exists():
        setting_model.objects.create()
        added += 1
    return added


def ensure() -> None:
    install()
