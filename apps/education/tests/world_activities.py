"""The activities part of education's access-matrix world: community A1's plan for this year, a
lecture held today with a photo and materials, and a planned one (to cancel)."""

from django.utils import timezone


def extend(o) -> None:
    from apps.education.services import activities as services
    from apps.education.services import plans as plan_services

    today = timezone.localdate()
    o.edu_plan = plan_services.plan_create(
        actor=o.community,
        jurisdiction=o.comm_a1,
        year=today.year,
        title="甲一社区健康教育计划",
        targets={("lecture", today.month): 2},
    )
    o.edu_activity = services.activity_create(
        actor=o.community,
        jurisdiction=o.comm_a1,
        kind="lecture",
        topic="冬季传染病预防讲座",
        held_on=today,
        place="社区活动室",
        attendance=40,
        materials=[{"title": "健康读本", "quantity": 40, "unit": "册"}],
        photos=[o.jpeg()],
    )
    services.activity_transition(actor=o.community, activity=o.edu_activity, name="hold")
    o.edu_activity.refresh_from_db()
    o.edu_activity_planned = services.activity_create(
        actor=o.community, jurisdiction=o.comm_a1, kind="clinic", topic="义诊", held_on=today
    )
