"""Seed categories (大类/小类) for the sanitary campaign; deadlines are editable examples.

Sources: DOMAIN.md section 2 and GB/T 30428-style deadlines (e.g. exposed garbage
4 working hours, illegal structures 20 working days).
"""

from django.utils.translation import gettext_noop

# Names are stored in Chinese as seeded; gettext_noop marks them for the catalogue and pages show them
# through `{% translate category.name %}` (see apps/organization/defaults.py).
# (大类 code, 大类 name, [(code, 小类 name, kind, amount, unit, photo_required)])
CATEGORIES = [
    (
        "sanitation",
        gettext_noop("环境卫生"),
        [
            ("dead_corner", gettext_noop("卫生死角"), "event", 1, "days", True),
            ("exposed_garbage", gettext_noop("暴露垃圾"), "event", 4, "hours", True),
            ("bin_overflow", gettext_noop("垃圾容器满溢"), "component", 4, "hours", True),
            ("clutter", gettext_noop("乱堆乱放"), "event", 1, "days", True),
            ("sewage", gettext_noop("污水溢流/积水"), "event", 1, "days", True),
            ("green_dirty", gettext_noop("绿地脏乱"), "event", 2, "days", True),
            ("toilet_dirty", gettext_noop("公厕不洁"), "component", 4, "hours", True),
        ],
    ),
    (
        "cityscape",
        gettext_noop("市容秩序"),
        [
            ("graffiti", gettext_noop("乱贴乱画/小广告"), "event", 1, "days", True),
            ("illegal_build", gettext_noop("乱搭乱建"), "event", 20, "days", True),
            ("hanging", gettext_noop("乱拉乱挂"), "event", 2, "days", True),
            ("road_occupation", gettext_noop("占道经营"), "event", 4, "hours", True),
            ("mobile_vendor", gettext_noop("流动摊点"), "event", 4, "hours", True),
            ("outside_business", gettext_noop("店外经营"), "event", 4, "hours", True),
            ("parking", gettext_noop("乱停车辆/僵尸车"), "event", 3, "days", True),
        ],
    ),
    (
        "vector",
        gettext_noop("病媒防制"),
        [
            ("breeding_site", gettext_noop("病媒孳生地"), "event", 2, "days", True),
            ("poultry", gettext_noop("违规饲养家禽畜"), "event", 5, "days", True),
        ],
    ),
    (
        "facility",
        gettext_noop("设施损坏"),
        [
            ("bin_broken", gettext_noop("垃圾桶破损/缺失"), "component", 3, "days", True),
            ("cover_missing", gettext_noop("井盖破损/缺失"), "component", 4, "hours", True),
        ],
    ),
    (
        "inspection",
        gettext_noop("检查评比"),
        [
            # Deductions whose checklist item names no category (台账、亮证、宣传栏内容 …).
            ("inspection_finding", gettext_noop("检查扣分问题"), "event", 3, "days", False),
        ],
    ),
]


def ensure_categories(category_model=None) -> None:
    if category_model is None:
        from .models import Category as category_model
    for group_sort, (code, name, children) in enumerate(CATEGORIES, start=1):
        parent, _created = category_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "sort": group_sort, "kind": "event", "deadline_amount": 1, "deadline_unit": "days"},
        )
        for sort, (child_code, child_name, kind, amount, unit, photo) in enumerate(children, start=1):
            category_model.objects.get_or_create(
                code=child_code,
                defaults={
                    "parent": parent,
                    "name": child_name,
                    "kind": kind,
                    "sort": sort,
                    "deadline_amount": amount,
                    "deadline_unit": unit,
                    "photo_required": photo,
                },
            )
