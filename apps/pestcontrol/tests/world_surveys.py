"""The surveys part of the access-matrix world: a 粉迹法 survey of community A1, a rat campaign
of A1 with it as the 'before' survey, and the fly standard's 2011 version."""

from datetime import timedelta

from django.utils import timezone

from apps.pestcontrol import builtin_levels
from apps.pestcontrol.models import ControlVersion, PestCampaign
from apps.pestcontrol.services.surveys import survey_create


def extend(o) -> None:
    builtin_levels.ensure()
    today = timezone.localdate()
    o.survey_campaign = PestCampaign.objects.create(
        jurisdiction=o.comm_a1,
        kind="autumn_rat",
        title="甲一社区秋季灭鼠",
        pests=["rat"],
        start_date=today - timedelta(days=10),
        end_date=today - timedelta(days=5),
        status="held",
    )
    o.survey = survey_create(
        actor=o.community,
        method="rat_powder",
        jurisdiction=o.comm_a1,
        place_type="residential",
        place_name="幸福小区",
        surveyed_on=today - timedelta(days=11),
        counts={"patches_valid": 120, "patches_positive": 6},
        campaign=o.survey_campaign,
        phase="before",
    )
    o.control_version = ControlVersion.objects.get(standard__pest="fly", label="2011")
