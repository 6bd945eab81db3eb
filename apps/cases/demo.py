"""Demo cases for the demo street: a month of patrol findings in every state of the loop.

Built through the real services (so timelines, notifications and audit rows are
real), then moved back in time by a random number of days.
"""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.notifications.selectors import notifications_about
from apps.organization.models import Unit

from . import services
from .choices import CaseSource
from .models import Case, CaseEvent, Category
from .routing import suggest_assignees

DESCRIPTIONS = {
    "exposed_garbage": "楼道口堆放生活垃圾未清运",
    "bin_overflow": "垃圾桶满溢，周边散落垃圾",
    "dead_corner": "绿化带内卫生死角，积存杂物",
    "clutter": "楼下空地乱堆建筑材料",
    "graffiti": "单元门口张贴小广告",
    "road_occupation": "商户占道摆放货物",
    "outside_business": "餐馆在店外经营摆桌",
    "parking": "僵尸车长期占用车位",
    "sewage": "下水道堵塞污水外溢",
    "breeding_site": "废弃轮胎积水孳生蚊虫",
    "poultry": "居民在绿地散养家禽",
    "toilet_dirty": "公厕地面污渍、异味重",
    "hanging": "树木间乱拉晾衣绳",
    "mobile_vendor": "流动摊贩在路口摆摊",
}


def demo_photo(rng: random.Random, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 440)
        draw.rectangle(
            [x, y, x + rng.randint(10, 60), y + rng.randint(10, 40)], fill=tuple(rng.randint(0, 255) for _ in range(3))
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_demo_cases(estates, rng: random.Random, count: int = 150) -> int:
    reporter = User.objects.get(username="street")
    dispatcher = User.objects.get(username="street")
    inspector = User.objects.get(username="inspector")
    categories = list(Category.objects.filter(parent__isnull=False, code__in=DESCRIPTIONS))
    created = 0
    for index in range(count):
        estate = rng.choice(estates)
        category = rng.choice(categories)
        ring = estate.boundary["coordinates"][0]
        lat = round(rng.uniform(ring[0][1], ring[2][1]), 6)
        lng = round(rng.uniform(ring[0][0], ring[2][0]), 6)
        source = rng.choice([CaseSource.PATROL] * 6 + [CaseSource.RESIDENT, CaseSource.HOTLINE, CaseSource.INSPECTION])
        case = services.case_report(
            actor=None if source == CaseSource.RESIDENT else reporter,  # residents report without an account
            category=category,
            source=source,
            description=DESCRIPTIONS[category.code],
            address=estate.name.split("（")[0],
            lat=lat,
            lng=lng,
            photos=[demo_photo(rng, f"b{index}")],
            hotline_ticket=f"12345-{index:05d}" if source == CaseSource.HOTLINE else "",
        )
        fate = rng.random()
        if fate > 0.05:
            case = services.case_register(actor=dispatcher, case=case)
        if fate > 0.12:
            suggestions = suggest_assignees(case)
            unit = (
                suggestions[0].unit
                if suggestions
                else rng.choice(
                    list(Unit.objects.filter(jurisdiction__path__within=estate.path))
                    or list(Unit.objects.filter(unit_type__code="property"))
                )
            )
            case = services.case_dispatch(actor=dispatcher, case=case, unit=unit)
        if fate > 0.3:
            case = services.case_handle(
                actor=dispatcher, case=case, note="已安排人员整改", photos=[demo_photo(rng, f"a{index}")]
            )
        if fate > 0.4:
            passed = rng.random() > 0.15
            case = services.case_verify(actor=inspector, case=case, passed=passed, note="" if passed else "整改不彻底")
            if not passed:
                case = services.case_handle(
                    actor=dispatcher, case=case, note="已返工", photos=[demo_photo(rng, f"r{index}")]
                )
                case = services.case_verify(actor=inspector, case=case, passed=True)
        # Whole days only, so deadlines stay inside working hours.
        _shift(case, days=rng.randint(0, 30) if fate > 0.3 else rng.randint(0, 6), hours=0)
        created += 1
    services.cases_escalate()
    return created


def _shift(case: Case, *, days: int, hours: int) -> None:
    """Move a case's whole history back in time, as if it had happened then."""
    delta = timedelta(days=days, hours=hours)
    fields = ["created_at", "registered_at", "dispatched_at", "deadline_at", "handled_at", "closed_at", "answer_due_at"]
    Case.objects.filter(pk=case.pk).update(**{f: F(f) - delta for f in fields})
    CaseEvent.objects.filter(case=case).update(created_at=F("created_at") - delta)
    notifications_about(case).update(created_at=F("created_at") - delta)
    # The audit log is left alone: it truthfully says when the demo was generated.
    case.refresh_from_db(fields=["created_at"])
    Case.objects.filter(pk=case.pk).update(code=f"AJ{timezone.localtime(case.created_at):%Y%m%d}{case.pk:06d}")
