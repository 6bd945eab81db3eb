"""The standard surveillance methods (GB/T 23795–23798) as data: what a surveyor records (the raw
observations, `inputs`) and the indices computed from them (`indices`). Nothing here is typed
in as an index: a `Survey` stores its method's inputs, and every index is a ratio of two of
them (or of two pooled sums, when surveys are added up for a place or an area).

Pure definitions: the services validate a survey's counts against `inputs`, `grading.py`
grades the indices against the control levels (GB/T 27770–27773), the pages print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .choices import Pest


@dataclass(frozen=True)
class Input:
    """One raw observation of a method: a count (`decimal=False`) or a measured length."""

    key: str
    label: object
    unit: str
    decimal: bool = False


@dataclass(frozen=True)
class Index:
    """`numerator / denominator × scale`, both inputs of the method. `better` says which way a
    value improves ("lower" for densities and positive rates, "higher" for 合格率); `graded`
    says whether control levels may set thresholds for it."""

    key: str
    label: object
    unit: str
    numerator: str
    denominator: str
    scale: int = 100
    better: str = "lower"
    graded: bool = True

    def compute(self, counts: dict) -> Decimal | None:
        """The index for `counts` (a method's inputs, or pooled sums of them), to 2 decimals;
        None when the denominator is 0 or missing."""
        den = Decimal(str(counts.get(self.denominator) or 0))
        if den <= 0:
            return None
        num = Decimal(str(counts.get(self.numerator) or 0))
        return (num / den * self.scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Method:
    """A survey method: its pest, inputs, indices, and the input that is its sample size
    (checked against the configurable minimum, `MethodSetting`). `checks` are (smaller, larger)
    input pairs: a positive count can never exceed what was inspected."""

    code: str
    pest: str
    label: object
    standard: str
    inputs: tuple[Input, ...]
    indices: tuple[Index, ...]
    sample: str
    default_min_sample: int
    checks: tuple[tuple[str, str], ...] = ()

    def input(self, key: str) -> Input:
        return next(item for item in self.inputs if item.key == key)

    def index(self, key: str) -> Index:
        return next(item for item in self.indices if item.key == key)

    def compute(self, counts: dict) -> dict[str, Decimal | None]:
        return {index.key: index.compute(counts) for index in self.indices}


PCT, PER_KM = "%", "处/km"

METHODS: tuple[Method, ...] = (
    # 鼠 (GB/T 23798) ---------------------------------------------------------------------------
    Method(
        "rat_powder",
        Pest.RAT,
        _("粉迹法"),
        "GB/T 23798",
        (Input("patches_valid", _("有效粉块数"), "块"), Input("patches_positive", _("阳性粉块数"), "块")),
        (Index("rat_powder_rate", _("粉迹阳性率"), PCT, "patches_positive", "patches_valid"),),
        sample="patches_valid",
        default_min_sample=100,
        checks=(("patches_positive", "patches_valid"),),
    ),
    Method(
        "rat_room",
        Pest.RAT,
        _("鼠迹法（房间）"),
        "GB/T 23798",
        (Input("rooms_inspected", _("检查房间数"), "间"), Input("rooms_positive", _("鼠迹阳性房间数"), "间")),
        (Index("rat_room_rate", _("鼠迹房间阳性率"), PCT, "rooms_positive", "rooms_inspected"),),
        sample="rooms_inspected",
        default_min_sample=100,
        checks=(("rooms_positive", "rooms_inspected"),),
    ),
    Method(
        "rat_path",
        Pest.RAT,
        _("路径法（外环境）"),
        "GB/T 23798",
        (Input("distance_km", _("检查路径长度"), "km", decimal=True), Input("sites_positive", _("鼠迹阳性处数"), "处")),
        (Index("rat_path_index", _("外环境鼠迹路径指数"), PER_KM, "sites_positive", "distance_km", scale=1),),
        sample="distance_km",
        default_min_sample=1,
    ),
    Method(
        "rat_proofing",
        Pest.RAT,
        _("防鼠设施检查"),
        "GB/T 23798",
        (Input("facilities_checked", _("检查场所/设施数"), "处"), Input("facilities_ok", _("防鼠设施合格数"), "处")),
        (Index("rat_proofing_rate", _("防鼠设施合格率"), PCT, "facilities_ok", "facilities_checked", better="higher"),),
        sample="facilities_checked",
        default_min_sample=30,
        checks=(("facilities_ok", "facilities_checked"),),
    ),
    # 蚊 (GB/T 23797) ---------------------------------------------------------------------------
    Method(
        "mosquito_household",
        Pest.MOSQUITO,
        _("布雷图指数法（入户调查）"),
        "GB/T 23797",
        (
            Input("households", _("调查户数"), "户"),
            Input("households_positive", _("阳性户数"), "户"),
            Input("containers_wet", _("积水容器数"), "个"),
            Input("containers_positive", _("阳性容器数"), "个"),
        ),
        (
            Index("breteau_index", _("布雷图指数"), "", "containers_positive", "households"),
            Index("container_index", _("容器指数"), PCT, "containers_positive", "containers_wet"),
            Index("house_index", _("房屋指数"), PCT, "households_positive", "households"),
        ),
        sample="households",
        default_min_sample=100,
        checks=(("households_positive", "households"), ("containers_positive", "containers_wet")),
    ),
    Method(
        "mosquito_path",
        Pest.MOSQUITO,
        _("路径法（小型积水）"),
        "GB/T 23797",
        (
            Input("distance_km", _("检查路径长度"), "km", decimal=True),
            Input("water_positive", _("阳性小型积水处数"), "处"),
        ),
        (Index("mosquito_path_index", _("小型积水路径指数"), PER_KM, "water_positive", "distance_km", scale=1),),
        sample="distance_km",
        default_min_sample=1,
    ),
    Method(
        "mosquito_ovitrap",
        Pest.MOSQUITO,
        _("诱蚊诱卵器法"),
        "GB/T 23797",
        (
            Input("traps_recovered", _("回收有效诱蚊诱卵器数"), "个"),
            Input("traps_positive", _("阳性诱蚊诱卵器数"), "个"),
        ),
        (Index("ovitrap_index", _("诱蚊诱卵指数"), "", "traps_positive", "traps_recovered"),),
        sample="traps_recovered",
        default_min_sample=50,
        checks=(("traps_positive", "traps_recovered"),),
    ),
    Method(
        "mosquito_dipper",
        Pest.MOSQUITO,
        _("采样勺法"),
        "GB/T 23797",
        (
            Input("dips", _("采样勺数"), "勺"),
            Input("dips_positive", _("阳性勺数"), "勺"),
            Input("larvae", _("捕获幼虫/蛹数"), "条"),
        ),
        (
            Index("dipper_positive_rate", _("阳性勺指数"), PCT, "dips_positive", "dips"),
            Index("dipper_density", _("幼虫密度"), "条/勺", "larvae", "dips", scale=1, graded=False),
        ),
        sample="dips",
        default_min_sample=30,
        checks=(("dips_positive", "dips"),),
    ),
    Method(
        "mosquito_landing",
        Pest.MOSQUITO,
        _("人诱停落法"),
        "GB/T 23797",
        (
            Input("person_hours", _("诱集人·时"), "人·时", decimal=True),
            Input("mosquitoes", _("停落蚊虫数"), "只"),
        ),
        (Index("landing_index", _("停落指数"), "只/(人·时)", "mosquitoes", "person_hours", scale=1),),
        sample="person_hours",
        default_min_sample=1,
    ),
    # 蝇 (GB/T 23796) ---------------------------------------------------------------------------
    Method(
        "fly_room",
        Pest.FLY,
        _("目测法（房间）"),
        "GB/T 23796",
        (
            Input("rooms_inspected", _("检查房间数"), "间"),
            Input("rooms_positive", _("有蝇房间数"), "间"),
            Input("flies", _("发现成蝇数"), "只"),
        ),
        (
            Index("fly_room_rate", _("有蝇房间阳性率"), PCT, "rooms_positive", "rooms_inspected"),
            Index("flies_per_positive_room", _("阳性房间平均蝇数"), "只/间", "flies", "rooms_positive", scale=1),
        ),
        sample="rooms_inspected",
        default_min_sample=100,
        checks=(("rooms_positive", "rooms_inspected"),),
    ),
    Method(
        "fly_breeding",
        Pest.FLY,
        _("孳生地检查"),
        "GB/T 23796",
        (Input("sites_inspected", _("检查孳生地数"), "处"), Input("sites_positive", _("阳性孳生地数"), "处")),
        (Index("fly_breeding_rate", _("蝇类孳生地阳性率"), PCT, "sites_positive", "sites_inspected"),),
        sample="sites_inspected",
        default_min_sample=30,
        checks=(("sites_positive", "sites_inspected"),),
    ),
    Method(
        "fly_proofing",
        Pest.FLY,
        _("防蝇设施检查"),
        "GB/T 23796",
        (Input("facilities_checked", _("检查场所/设施数"), "处"), Input("facilities_ok", _("防蝇设施合格数"), "处")),
        (Index("fly_proofing_rate", _("防蝇设施合格率"), PCT, "facilities_ok", "facilities_checked", better="higher"),),
        sample="facilities_checked",
        default_min_sample=30,
        checks=(("facilities_ok", "facilities_checked"),),
    ),
    # 蟑螂 (GB/T 23795) -------------------------------------------------------------------------
    Method(
        "cockroach_visual",
        Pest.COCKROACH,
        _("目测法（房间）"),
        "GB/T 23795",
        (
            Input("rooms_inspected", _("检查房间数"), "间"),
            Input("rooms_adult", _("成若虫阳性房间数"), "间"),
            Input("rooms_ootheca", _("卵鞘阳性房间数"), "间"),
            Input("rooms_trace", _("蟑迹阳性房间数"), "间"),
        ),
        (
            Index("cockroach_infestation_rate", _("成若虫侵害率"), PCT, "rooms_adult", "rooms_inspected"),
            Index("cockroach_ootheca_rate", _("卵鞘查获率"), PCT, "rooms_ootheca", "rooms_inspected"),
            Index("cockroach_trace_rate", _("蟑迹查获率"), PCT, "rooms_trace", "rooms_inspected"),
        ),
        sample="rooms_inspected",
        default_min_sample=100,
        checks=(
            ("rooms_adult", "rooms_inspected"),
            ("rooms_ootheca", "rooms_inspected"),
            ("rooms_trace", "rooms_inspected"),
        ),
    ),
    Method(
        "cockroach_trap",
        Pest.COCKROACH,
        _("粘捕法"),
        "GB/T 23795",
        (
            Input("traps_recovered", _("回收有效粘蟑纸数"), "张"),
            Input("traps_positive", _("阳性粘蟑纸数"), "张"),
            Input("cockroaches", _("捕获蟑螂数"), "只"),
        ),
        (
            Index("cockroach_trap_rate", _("粘捕率"), PCT, "traps_positive", "traps_recovered"),
            Index("cockroach_density", _("蟑螂密度"), "只/张", "cockroaches", "traps_recovered", scale=1),
        ),
        sample="traps_recovered",
        default_min_sample=50,
        checks=(("traps_positive", "traps_recovered"),),
    ),
)

BY_CODE: dict[str, Method] = {method.code: method for method in METHODS}
HOUSEHOLD_METHOD = "mosquito_household"  # the method the phone 入户调查 fills from its visits


def method(code: str) -> Method:
    return BY_CODE[code]


def indices() -> dict[str, tuple[Method, Index]]:
    """Every index by key, with its method (keys are unique across methods)."""
    return {index.key: (m, index) for m in METHODS for index in m.indices}


def graded_indices(pest: str | None = None) -> list[tuple[Method, Index]]:
    return [(m, i) for m in METHODS for i in m.indices if i.graded and (pest is None or m.pest == pest)]


def method_choices(pest: str | None = None) -> list[tuple[str, object]]:
    return [(m.code, m.label) for m in METHODS if pest is None or m.pest == pest]


def efficacy(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """灭效 (杀灭率) = (before − after) / before × 100, to 2 decimals; None without a positive
    'before'. Negative when the density rose."""
    if before is None or after is None or before <= 0:
        return None
    return ((before - after) / before * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate(numerator, denominator) -> Decimal | None:
    """A share in percent to 2 decimals (购药率, 保留率); None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
