"""The activities' part of the access-matrix world: a held drive of community A1 with a photo,
a planned one, a volunteer team with volunteers and sign-ups."""

from django.utils import timezone

from apps.activities import services
from apps.activities.models import OutputMeasure
from apps.activities.tests.helpers import jpeg, out


def extend(o) -> None:
    today = timezone.localdate()
    o.activity = services.activity_create(
        actor=o.community,
        kind="cleanup",
        title="幸福小区大扫除",
        held_on=today,
        place="幸福小区",
        jurisdiction=o.comm_a1,
        participants={"resident": 40, "party_cadre": 5},
        outputs=[out("garbage_t", 2)],
        photos=[jpeg()],
    )
    o.activity_planned = services.activity_create(
        actor=o.community, kind="volunteer", title="义务劳动", held_on=today, jurisdiction=o.comm_a1, held=False
    )
    o.team = services.team_create(actor=o.community, name="甲一志愿服务队", jurisdiction=o.comm_a1)
    o.volunteer = services.volunteer_create(
        actor=o.community, full_name="王小明", phone="13900001111", jurisdiction=o.comm_a1, team=o.team
    )
    o.volunteer_spare = services.volunteer_create(actor=o.community, full_name="李四", jurisdiction=o.comm_a1)
    other = services.volunteer_create(actor=o.community, full_name="赵五", jurisdiction=o.comm_a1)
    o.signup = services.signup_create(actor=o.community, activity=o.activity, volunteer=o.volunteer)
    o.signup_to_withdraw = services.signup_create(actor=o.community, activity=o.activity, volunteer=other)
    o.measure = OutputMeasure.objects.get(code="garbage_t")
