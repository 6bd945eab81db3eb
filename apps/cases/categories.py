"""Seed categories (大类/小类) for the sanitary campaign; deadlines are editable examples.

Sources: DOMAIN.md section 2 and GB/T 30428-style deadlines (e.g. exposed garbage
4 working hours, illegal structures 20 working days).
"""

# (大类 code, 大类 name, [(code, 小类 name, kind, amount, unit, photo_required)])
CATEGORIES = [
    (
        "sanitation",
        "环境卫生",
        [
            ("dead_corner", "卫生死角", "event", 1, "days", True),
            ("exposed_garbage", "暴露垃圾", "event", 4, "hours", True),
            ("bin_overflow", "垃圾容器满溢", "component", 4, "hours", True),
            ("clutter", "乱堆乱放", "event", 1, "days", True),
            ("sewage", "污水溢流/积水", "event", 1, "days", True),
            ("green_dirty", "绿地脏乱", "event", 2, "days", True),
            ("toilet_dirty", "公厕不洁", "component", 4, "hours", True),
        ],
    ),
    (
        "cityscape",
        "市容秩序",
        [
            ("graffiti", "乱贴乱画/小广告", "event", 1, "days", True),
            ("illegal_build", "乱搭乱建", "event", 20, "days", True),
            ("hanging", "乱拉乱挂", "event", 2, "days", True),
            ("road_occupation", "占道经营", "event", 4, "hours", True),
            ("mobile_vendor", "流动摊点", "event", 4, "hours", True),
            ("outside_business", "店外经营", "event", 4, "hours", True),
            ("parking", "乱停车辆/僵尸车", "event", 3, "days", True),
        ],
    ),
    (
        "vector",
        "病媒防制",
        [
            ("breeding_site", "病媒孳生地", "event", 2, "days", True),
            ("poultry", "违规饲养家禽畜", "event", 5, "days", True),
        ],
    ),
    (
        "facility",
        "设施损坏",
        [
            ("bin_broken", "垃圾桶破损/缺失", "component", 3, "days", True),
            ("cover_missing", "井盖破损/缺失", "component", 4, "hours", True),
        ],
    ),
    (
        "inspection",
        "检查评比",
        [
            # Deductions whose checklist item names no category (台账、亮证、宣传栏内容 …).
            ("inspection_finding", "检查扣分问题", "event", 3, "days", False),
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
