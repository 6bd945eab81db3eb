"""The demo street's bulletin boards (宣传栏), through the real services: 10 boards across its
communities (001 L19), near each community's centre, installed half a year ago, monthly (two
quarterly), with an update and its photo in each complete period of the last few months; two
boards missed last month (overdue). Small when `demo.case_count < 50` (the browser tests' tiny
demo): two boards, one update with one photo, the other overdue. Nothing is dated today.

Its own random source (`f"{seed}-education-boards"`)."""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.core.roles import Role

from .. import punctuality
from ..services import boards as services

BOARD_COUNT = 10
PLACES = ["社区服务中心门口", "小区南门", "菜市场入口", "文化广场东侧", "卫生服务站旁", "公交站台旁"]
TOPICS = ["冬季呼吸道传染病预防", "高血压防治", "合理膳食", "控烟与健康", "防跌倒", "健康素养66条", "爱国卫生月"]


def _photo(rng: random.Random) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (40 + rng.randrange(60), 90, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 280), outline=(255, 255, 255), width=6)
    draw.text((60, 60), "health board", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile("board.jpg", buffer.getvalue(), content_type="image/jpeg")


def _point(rng, community):
    if community.center_lat is None or community.center_lng is None:
        return None, None
    return (
        (community.center_lat + Decimal(rng.uniform(-0.002, 0.002))).quantize(Decimal("0.000001")),
        (community.center_lng + Decimal(rng.uniform(-0.002, 0.002))).quantize(Decimal("0.000001")),
    )


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-education-boards")
    today = demo.today
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    if street_user is None or not demo.communities:
        return
    small = demo.case_count < 50
    count = 2 if small else BOARD_COUNT
    periods_back = 1 if small else 4
    current = punctuality.period_of("monthly", today)
    last = punctuality.previous("monthly", current)
    installed = last.start
    for _ in range(periods_back + 1):
        installed = punctuality.previous("monthly", punctuality.period_of("monthly", installed)).start
    overdue = {count - 1} if small else {3, 7}
    for index in range(count):
        community = demo.communities[index % len(demo.communities)]
        actor = User.objects.filter(role=Role.COMMUNITY, jurisdiction=community).first() or street_user
        lat, lng = _point(rng, community)
        cadence = "quarterly" if not small and index in (4, 9) else "monthly"
        board = services.board_create(
            actor=actor,
            jurisdiction=community,
            name=f"{community.name}健康教育宣传栏{index // len(demo.communities) + 1}号",
            place=f"{community.name}{rng.choice(PLACES)}",
            lat=lat,
            lng=lng,
            width_m=Decimal("2.40"),
            height_m=Decimal("1.20"),
            cadence=cadence,
            installed_on=installed,
        )
        period = punctuality.previous(cadence, punctuality.period_of(cadence, today))
        for back in range(periods_back if cadence == "monthly" else 2):
            if back == 0 and index in overdue:
                period = punctuality.previous(cadence, period)
                continue
            if period.start < installed:
                break
            day = period.start + timedelta(days=rng.randint(2, 12))
            if small and index != 0:
                break
            services.board_update_record(
                actor=actor,
                board=board,
                updated_on=min(day, period.end),
                topic=rng.choice(TOPICS),
                note="更换宣传栏内容并拍照留存。",
                photos=[_photo(rng)],
                today=today,
            )
            period = punctuality.previous(cadence, period)
