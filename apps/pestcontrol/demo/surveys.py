"""The demo's 病媒生物监测 for 城关街道: monthly surveys of several methods in the demo communities
over the last four months (some below their method's minimum sample), the before/after rat
surveys of an autumn rat campaign (灭效), and grades that are not all A — through the real
services (surveys are recorded by the demo inspector, as the CDC's surveyors would).

Its own random source (`f"{seed}-pestcontrol-surveys"`): the other builders' draws do not move.
The campaign is the operations part's when it built one; otherwise it is created here directly
(ORM) as the operations services may not be there yet."""

import random
from datetime import timedelta

from apps.accounts.models import User
from apps.core.roles import Role

from .. import builtin_levels
from ..choices import CampaignKind, CampaignStatus, Pest
from ..models import PestCampaign
from ..services.surveys import survey_create

# Per community, how clean its places are (0 = clean … 2 = poor): the grades follow.
PROFILES = (0, 1, 2, 1, 0, 2)


def _counts(rng, method: str, quality: int, small: bool) -> dict:
    """Raw counts for a method at a place of `quality`; `small` makes a sample under the minimum."""
    rate = (0.006, 0.025, 0.07)[quality]
    if method == "rat_powder":
        valid = rng.randint(60, 90) if small else rng.randint(110, 200)
        return {"patches_valid": valid, "patches_positive": round(valid * rate * rng.uniform(0.6, 1.4))}
    if method == "rat_path":
        km = rng.choice(("1.50", "2.00", "2.50", "3.00"))
        return {"distance_km": km, "sites_positive": rng.randint(0, 2 + 3 * quality)}
    if method == "rat_proofing":
        checked = rng.randint(30, 60)
        ok = checked - round(checked * rate * 2 * rng.uniform(0.5, 1.5))
        return {"facilities_checked": checked, "facilities_ok": max(ok, 0)}
    if method == "mosquito_ovitrap":
        traps = rng.randint(30, 45) if small else rng.randint(50, 80)
        return {"traps_recovered": traps, "traps_positive": round(traps * rate * 1.5 * rng.uniform(0.5, 1.5))}
    if method == "fly_room":
        rooms = rng.randint(100, 160)
        positive = round(rooms * rate * rng.uniform(0.8, 1.4))
        return {"rooms_inspected": rooms, "rooms_positive": positive, "flies": positive * rng.randint(1, 3)}
    if method == "cockroach_visual":
        rooms = rng.randint(100, 150)
        adult = round(rooms * rate * rng.uniform(0.6, 1.3))
        return {
            "rooms_inspected": rooms,
            "rooms_adult": adult,
            "rooms_ootheca": round(adult * 0.5),
            "rooms_trace": min(rooms, adult + rng.randint(0, 3)),
        }
    raise ValueError(method)


PLAN = (
    ("rat_powder", "residential", "居民小区"),
    ("rat_powder", "catering", "餐饮街"),
    ("rat_path", "outdoor", "背街小巷"),
    ("rat_proofing", "catering", "餐饮单位"),
    ("mosquito_ovitrap", "residential", "居民小区"),
    ("fly_room", "catering", "餐饮单位"),
    ("cockroach_visual", "catering", "餐饮单位"),
)


def _campaign(demo, street_user, today) -> PestCampaign:
    rat_kinds = (CampaignKind.AUTUMN_RAT, CampaignKind.SPRING_RAT)
    found = PestCampaign.objects.filter(jurisdiction=demo.street, kind__in=rat_kinds).order_by("-start_date").first()
    if found is not None:
        return found
    start = today - timedelta(days=40)
    campaign = PestCampaign(
        jurisdiction=demo.street,
        kind=CampaignKind.AUTUMN_RAT,
        title="城关街道秋季灭鼠行动",
        pests=[Pest.RAT],
        start_date=start,
        end_date=start + timedelta(days=14),
        standard="统一使用溴敌隆毒饵，按每15平方米一堆投放",
        status=CampaignStatus.HELD,
        created_by=street_user,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-pestcontrol-surveys")
    builtin_levels.ensure()
    today = demo.today
    surveyor = User.objects.filter(role=Role.INSPECTOR).order_by("id").first()
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    communities = list(demo.communities)
    if surveyor is None or street_user is None or not communities:
        return
    small = demo.case_count < 50
    months = 2 if small else 4
    chosen = communities[:3] if small else communities
    for number, community in enumerate(chosen):
        quality = PROFILES[number % len(PROFILES)]
        for month in range(months):
            day = today - timedelta(days=30 * month + rng.randint(1, 10))
            plan = (PLAN[0], PLAN[2], PLAN[4], PLAN[5]) if small else PLAN
            for method, place_type, place in plan:
                survey_create(
                    actor=surveyor,
                    method=method,
                    jurisdiction=community,
                    place_type=place_type,
                    place_name=f"{community.name}{place}",
                    surveyed_on=day,
                    counts=_counts(rng, method, quality, small=rng.random() < 0.12),
                )
    # An autumn rat campaign with before/after 粉迹法 surveys: 灭效 around 60–80%.
    campaign = _campaign(demo, street_user, today)
    for community in chosen[:3]:
        before = rng.randint(8, 14)
        after = max(before - rng.randint(5, 10), 0)
        for phase, day, positive in (
            ("before", campaign.start_date - timedelta(days=2), before),
            ("after", min(campaign.end_date + timedelta(days=7), today), after),
        ):
            survey_create(
                actor=street_user,
                method="rat_powder",
                jurisdiction=community,
                place_type="residential",
                place_name=f"{community.name}居民小区",
                surveyed_on=day,
                counts={"patches_valid": rng.randint(150, 220), "patches_positive": positive},
                surveyor=surveyor,
                campaign=campaign,
                phase=phase,
            )
