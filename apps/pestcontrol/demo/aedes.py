"""The demo's Aedes household surveys (入户调查), through the real services: a survey per
community and week over the last weeks, house by house with containers by type, a few positive
households; the first community (东园) is above the alert level this week, so it has its
alert, and one positive site with a photo has become a 病媒孳生地 case. Small when
`demo.case_count < 50` (the browser tests' tiny demo).

Its own random source (`f"{seed}-pestcontrol-aedes"`)."""

import io
import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.cases.demo import retime_case
from apps.core.roles import Role

from ..models import HouseholdVisit
from ..services import aedes as services

TYPES = ["plant", "jar", "tyre", "discarded", "puddle", "vase", "other"]
STREETS = ["幸福路", "民主街", "建设巷", "东风路", "解放街"]


def _photo(rng: random.Random) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (90 + rng.randrange(40), 120, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 160, 440, 320), outline=(30, 30, 30), width=6)
    draw.text((20, 20), "breeding site", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


def _point(rng, community):
    if community.center_lat is None or community.center_lng is None:
        return None, None
    return (
        (community.center_lat + Decimal(rng.uniform(-0.0015, 0.0015))).quantize(Decimal("0.000001")),
        (community.center_lng + Decimal(rng.uniform(-0.0015, 0.0015))).quantize(Decimal("0.000001")),
    )


def _address(rng) -> str:
    return f"{rng.choice(STREETS)}{rng.randint(1, 200)}号{rng.randint(1, 6)}单元{rng.randint(101, 602)}"


def _household(rng, positive_rate: float) -> dict:
    containers = {}
    for kind in rng.sample(TYPES, rng.randint(0, 3)):
        wet = rng.randint(1, 3)
        positive = sum(1 for _ in range(wet) if rng.random() < positive_rate)
        containers[kind] = {
            "wet": wet,
            "positive": positive,
            "larvae": positive * rng.randint(2, 15),
            "treated": wet if rng.random() < 0.7 else 0,
        }
    return containers


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-pestcontrol-aedes")
    communities = list(demo.communities)
    if not communities:
        return
    small = demo.case_count < 50
    weeks = 2 if small else 8
    households = 8 if small else 40
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    services.aedes_setting(create=True)
    today = demo.today
    for index, community in enumerate(communities):
        surveyor = (
            User.objects.filter(role=Role.COMMUNITY, jurisdiction=community, is_active=True).first() or street_user
        )
        if surveyor is None:
            continue
        hot = index == 0
        for back in range(weeks - 1, -1, -1):
            day = today - timedelta(weeks=back)
            if back and day.weekday() > 3:
                day -= timedelta(days=2)
            rate = 0.02 + (0.05 if hot and back == 0 else rng.uniform(0, 0.03))
            survey = services.household_survey_open(
                actor=surveyor, jurisdiction=community, surveyed_on=day, place_name=f"{community.name}居民区"
            )
            for house in range(households):
                lat, lng = _point(rng, community)
                containers = _household(rng, rate)
                photos = []
                if hot and back == 0 and house == 1:
                    containers = {"tyre": {"wet": 3, "positive": 2, "larvae": 24, "treated": 0}}
                    photos = [_photo(rng)]
                elif hot and back == 0 and house in (0, 2):
                    containers = {"plant": {"wet": 2, "positive": 1, "larvae": 8, "treated": 2}}
                services.visit_record(
                    actor=surveyor,
                    survey=survey,
                    client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    address=_address(rng),
                    lat=lat,
                    lng=lng,
                    containers=containers,
                    photos=photos,
                )
            # This week's surveys stay open (the surveyor is still going house by house), but
            # the first community's is submitted: its BI is above the alert level, so the week's
            # alert goes to the community and the street.
            if back or hot:
                services.household_survey_submit(actor=surveyor, survey=survey)
    # The breeding-site case was reported as the visit was saved, at the machine's time: move
    # its report to an hour before the demo's "now", as every demo case's history is.
    reported = demo.now - timedelta(hours=1)
    for visit in HouseholdVisit.objects.filter(case__isnull=False, survey__jurisdiction__in=communities):
        steps = visit.case.events.count()
        retime_case(visit.case, [reported + timedelta(seconds=i) for i in range(steps)])
