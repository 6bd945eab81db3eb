"""The built-in output measures (成效/宣传/设施): code, name, unit, category, and which rows the
phone form offers for each kind of activity.

The codes are fixed (figures `activities.output.<code>` name them); names and units are
editable by the office on the measures page, and the office may add its own measures.
"""

from django.utils.translation import gettext_noop

from .choices import ActivityKind, MeasureCategory

E, P, Q = MeasureCategory.EFFECT, MeasureCategory.PUBLICITY, MeasureCategory.EQUIPMENT

# (code, name, unit, category): names and units are catalogue keys (gettext_noop), stored in Chinese.
BUILTIN = [
    ("garbage_t", gettext_noop("清运垃圾"), gettext_noop("吨"), E),
    ("truckloads", gettext_noop("清运垃圾杂物"), gettext_noop("车"), E),
    ("dead_spots", gettext_noop("清理卫生死角"), gettext_noop("处"), E),
    ("ads", gettext_noop("清理牛皮癣/小广告"), gettext_noop("处"), E),
    ("weeds", gettext_noop("清除杂草"), gettext_noop("平方米"), E),
    ("ditches", gettext_noop("疏通沟渠"), gettext_noop("条"), E),
    ("drains_m", gettext_noop("清理阴沟"), gettext_noop("米"), E),
    ("area_m2", gettext_noop("清洁面积"), gettext_noop("平方米"), E),
    ("banners", gettext_noop("悬挂横幅标语"), gettext_noop("条"), P),
    ("materials", gettext_noop("发放宣传资料"), gettext_noop("份"), P),
    ("booklets", gettext_noop("发放宣传册/读本"), gettext_noop("册"), P),
    ("boards", gettext_noop("宣传栏/展板"), gettext_noop("块"), P),
    ("van_trips", gettext_noop("出动宣传车"), gettext_noop("次"), P),
    ("performances", gettext_noop("文艺演出"), gettext_noop("场"), P),
    ("lectures", gettext_noop("健康讲座"), gettext_noop("场"), P),
    ("bins", gettext_noop("配备垃圾箱"), gettext_noop("个"), Q),
    ("peel_bins", gettext_noop("配备果皮箱"), gettext_noop("个"), Q),
    ("carts", gettext_noop("配备保洁车"), gettext_noop("辆"), Q),
    ("garbage_rooms", gettext_noop("新建/改造垃圾房"), gettext_noop("座"), Q),
]
BUILTIN_CODES = [code for code, *_rest in BUILTIN]

# The output rows the form offers first for each kind (the phone form: fill in, leave blank).
PRESETS = {
    ActivityKind.CLEANUP: ["garbage_t", "truckloads", "dead_spots"],
    ActivityKind.VOLUNTEER: ["garbage_t", "dead_spots", "weeds"],
    ActivityKind.CAMPAIGN: ["dead_spots", "ads", "truckloads", "ditches"],
    ActivityKind.HEALTH_MONTH: ["garbage_t", "dead_spots", "materials"],
    ActivityKind.PUBLICITY: ["materials", "banners", "boards"],
    ActivityKind.EQUIPMENT: ["bins", "carts"],
}


def ensure_measures(model) -> int:
    """Create the built-in measures that are missing (never overwrites the office's edits);
    `model` is OutputMeasure (or its historical version in a migration). Returns how many."""
    existing = set(model.objects.values_list("code", flat=True))
    created = 0
    for sort, (code, name, unit, category) in enumerate(BUILTIN, start=1):
        if code not in existing:
            model.objects.create(code=code, name=name, unit=unit, category=category, is_builtin=True, sort=sort * 10)
            created += 1
    return created
