"""The demo's responsibility agreements for 城关街道, through the real services: 门前三包 for 东苑社区's
shops (mostly signed, some refused, a few expired and a few about to expire), the street's target
letters with its communities, 东苑社区's letters with its market and stalls, and the street's
共驻共建 agreements. Its own random source, so the other builders' draws do not move."""

from __future__ import annotations

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.core.roles import Role

from .builtin import ensure_builtin
from .models import Agreement, AgreementType, GenerationJob
from .services.agreements import agreement_refuse, agreement_sign, agreements_expire_and_remind
from .services.generation import generation_run, generation_start

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "丽", "强", "秀英", "伟", "芳", "军", "敏", "磊", "静", "海燕", "志明", "桂兰", "俊"]
REFUSALS = ["店面即将转让，暂不签订", "认为门前人行道不归本店管理", "负责人外出，要求下次再来", "对责任范围有异议"]


def _photo(rng: random.Random, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 640), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    for line in range(14):
        y = 60 + line * 36
        draw.line([(40, y), (440 - rng.randint(0, 120), y)], fill=(60, 60, 60), width=2)
    draw.ellipse([300, 520, 420, 600], outline=(200, 30, 30), width=4)  # the seal
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN), "139" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _generate(actor, code: str, area, starts_on, created_at) -> GenerationJob:
    job = generation_start(
        actor=actor, agreement_type=AgreementType.objects.get(code=code), jurisdiction=area, starts_on=starts_on
    )
    generation_run(job.pk)
    moment = timezone.make_aware(datetime.combine(created_at, time(9, 30)))
    Agreement.objects.filter(job=job).update(created_at=moment)
    GenerationJob.objects.filter(pk=job.pk).update(created_at=moment, started_at=moment, finished_at=moment)
    return job


def _work_through(rng, actor, job, *, signed: float, refused: float, first_day, last_day) -> list[Agreement]:
    signed_rows = []
    span = max((last_day - first_day).days, 1)
    for agreement in Agreement.objects.filter(job=job).order_by("pk"):
        draw = rng.random()
        if draw < signed:
            name, phone = _person(rng)
            day = first_day + timedelta(days=rng.randint(0, span))
            signed_rows.append(
                agreement_sign(
                    actor=actor,
                    agreement=agreement,
                    signatory_name=name,
                    signatory_phone=phone,
                    signed_on=day,
                    photos=[_photo(rng, agreement.number)],
                )
            )
        elif draw < signed + refused:
            agreement_refuse(actor=actor, agreement=agreement, reason=rng.choice(REFUSALS))
    return signed_rows


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-agreements")
    ensure_builtin()
    street = demo.street
    today = demo.today
    actor = User.objects.filter(role=Role.STREET, jurisdiction=street, is_active=True).order_by("pk").first()
    if actor is None or street is None:
        return
    dongyuan = next(
        (c for c in demo.communities if c.name == "东苑社区"), demo.communities[0] if demo.communities else None
    )
    start = today - timedelta(days=45)

    # 门前三包 for 东苑社区's street-front shops: mostly signed, some refused.
    job = _generate(actor, "frontage3", dongyuan, start, start)
    signed = _work_through(
        rng,
        actor,
        job,
        signed=0.78,
        refused=0.08,
        first_day=start + timedelta(days=2),
        last_day=today - timedelta(days=1),
    )
    # A few were signed last year on a shorter term and have run out; a few end within the month.
    for agreement in signed[:3]:
        Agreement.objects.filter(pk=agreement.pk).update(ends_on=today - timedelta(days=rng.randint(2, 20)))
    for agreement in signed[3:7]:
        Agreement.objects.filter(pk=agreement.pk).update(ends_on=today + timedelta(days=rng.randint(5, 25)))
    agreements_expire_and_remind(today=today)

    # Target letters: the street with each community, 东苑社区 with its market and stalls.
    job = _generate(actor, "target", street, today - timedelta(days=60), today - timedelta(days=60))
    _work_through(
        rng,
        actor,
        job,
        signed=0.85,
        refused=0.0,
        first_day=today - timedelta(days=58),
        last_day=today - timedelta(days=40),
    )
    if dongyuan is not None:
        job = _generate(actor, "target", dongyuan, today - timedelta(days=35), today - timedelta(days=35))
        _work_through(
            rng,
            actor,
            job,
            signed=0.7,
            refused=0.05,
            first_day=today - timedelta(days=33),
            last_day=today - timedelta(days=3),
        )

    # 共驻共建 with the street's partner units.
    job = _generate(actor, "partner", street, today - timedelta(days=50), today - timedelta(days=50))
    _work_through(
        rng,
        actor,
        job,
        signed=0.8,
        refused=0.0,
        first_day=today - timedelta(days=48),
        last_day=today - timedelta(days=10),
    )
