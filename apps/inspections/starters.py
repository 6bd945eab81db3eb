"""Starting checklist templates shipped with the product; point values are examples an office is expected to adjust.

The templates are data files, one JSON file per template under ``data/checklists/`` (loaded in
file-name order): each lists sections of scored items whose maximums sum to 100, scores as
decimal strings. No Django imports, so the data migration that installs them can use it.
``validate_starters`` checks the rules the scoring code relies on (sums, caps, codes).
"""

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "checklists"

RULES = ("per_occurrence", "fixed", "pass_fail")
TARGET_KINDS = ("jurisdiction", "unit")
UNIT_TYPES = (
    "government",
    "partner",
    "property",
    "shop",
    "catering",
    "six_small",
    "school",
    "medical",
    "market",
    "stall",
    "construction",
    "rental",
    "other",
)
CATEGORIES = (
    "dead_corner",
    "exposed_garbage",
    "bin_overflow",
    "clutter",
    "sewage",
    "green_dirty",
    "toilet_dirty",
    "graffiti",
    "illegal_build",
    "hanging",
    "road_occupation",
    "mobile_vendor",
    "outside_business",
    "parking",
    "breeding_site",
    "poultry",
    "bin_broken",
    "cover_missing",
)
TEMPLATE_KEYS = {"code", "name", "target_kind", "unit_types", "level", "description", "sections"}
SECTION_KEYS = {"name", "items"}
ITEM_KEYS = {"code", "text", "max_score", "rule", "deduction", "cap", "photo_required", "veto", "category"}
EXAMPLE_NOTE = "（分值为示例，请各地按实际调整）"


@cache
def _load() -> tuple[dict, ...]:
    return tuple(json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA_DIR.glob("*.json")))


def starter_templates() -> list[dict]:
    """The shipped templates, read from the data files (a fresh copy each call: callers may edit it)."""
    return json.loads(json.dumps(_load()))


def _decimal(value, where: str) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f"{where}: scores must be decimal strings, got {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{where}: {value!r} is not a decimal") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{where}: {value!r} must be a finite, non-negative decimal")
    return number


def _validate_item(item, where: str) -> Decimal:
    if not isinstance(item, dict) or set(item) != ITEM_KEYS:
        raise ValueError(f"{where}: item keys must be exactly {sorted(ITEM_KEYS)}")
    if not isinstance(item["code"], str) or not item["code"]:
        raise ValueError(f"{where}: item code must be a non-empty string")
    where = f"{where} item {item['code']}"
    if not isinstance(item["text"], str) or not item["text"].strip():
        raise ValueError(f"{where}: text must be a non-empty string")
    max_score = _decimal(item["max_score"], f"{where} max_score")
    if max_score <= 0:
        raise ValueError(f"{where}: max_score must be positive")
    deduction = _decimal(item["deduction"], f"{where} deduction")
    rule, cap = item["rule"], item["cap"]
    if rule == "per_occurrence":
        if cap is None:
            raise ValueError(f"{where}: per_occurrence needs a cap")
        cap = _decimal(cap, f"{where} cap")
        if not 0 < deduction <= cap <= max_score:
            raise ValueError(f"{where}: per_occurrence needs 0 < deduction <= cap <= max_score")
    elif rule == "fixed":
        if cap is not None:
            raise ValueError(f"{where}: fixed items have no cap")
        if not 0 < deduction <= max_score:
            raise ValueError(f"{where}: fixed needs 0 < deduction <= max_score")
    elif rule == "pass_fail":
        if cap is not None or deduction != 0:
            raise ValueError(f"{where}: pass_fail items have deduction '0' and no cap")
    else:
        raise ValueError(f"{where}: unknown rule {rule!r}")
    for flag in ("photo_required", "veto"):
        if not isinstance(item[flag], bool):
            raise ValueError(f"{where}: {flag} must be True or False")
    if item["category"] is not None and item["category"] not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {item['category']!r}")
    return max_score


def _validate_template(template) -> None:
    if not isinstance(template, dict) or set(template) != TEMPLATE_KEYS:
        raise ValueError(f"template keys must be exactly {sorted(TEMPLATE_KEYS)}")
    where = f"template {template['code']!r}"
    for key in ("code", "name", "description"):
        if not isinstance(template[key], str) or not template[key].strip():
            raise ValueError(f"{where}: {key} must be a non-empty string")
    kind, unit_types, level = template["target_kind"], template["unit_types"], template["level"]
    if kind not in TARGET_KINDS:
        raise ValueError(f"{where}: unknown target_kind {kind!r}")
    if not isinstance(unit_types, list) or len(set(unit_types)) != len(unit_types):
        raise ValueError(f"{where}: unit_types must be a list without repeats")
    unknown = [code for code in unit_types if code not in UNIT_TYPES]
    if unknown:
        raise ValueError(f"{where}: unknown unit types {unknown}")
    if kind == "jurisdiction" and (unit_types or level != "estate"):
        raise ValueError(f"{where}: jurisdiction templates have no unit_types and level 'estate'")
    if kind == "unit" and (not unit_types or level != ""):
        raise ValueError(f"{where}: unit templates need unit_types and an empty level")
    sections = template["sections"]
    if not isinstance(sections, list) or not 3 <= len(sections) <= 5:
        raise ValueError(f"{where}: needs 3-5 sections")
    codes: set[str] = set()
    total = Decimal(0)
    for section in sections:
        if not isinstance(section, dict) or set(section) != SECTION_KEYS:
            raise ValueError(f"{where}: section keys must be exactly {sorted(SECTION_KEYS)}")
        if not isinstance(section["name"], str) or not section["name"].strip():
            raise ValueError(f"{where}: section name must be a non-empty string")
        if not isinstance(section["items"], list) or not section["items"]:
            raise ValueError(f"{where} section {section['name']!r}: needs at least one item")
        for item in section["items"]:
            total += _validate_item(item, where)
            if item["code"] in codes:
                raise ValueError(f"{where}: duplicate item code {item['code']!r}")
            codes.add(item["code"])
    if not 10 <= len(codes) <= 18:
        raise ValueError(f"{where}: needs 10-18 items, has {len(codes)}")
    if total != 100:
        raise ValueError(f"{where}: max scores sum to {total}, not 100")


def validate_starters(templates=None) -> None:
    """Raise ValueError if a template breaks the rules above (sums, caps, codes)."""
    seen: set[str] = set()
    for template in starter_templates() if templates is None else templates:
        _validate_template(template)
        if template["code"] in seen:
            raise ValueError(f"duplicate template code {template['code']!r}")
        seen.add(template["code"])
