"""The tasks part of the campaigns access world: a second open task of 甲一社区 for the status-step
row (the base task's version moves with the progress and assign rows)."""

from datetime import date

from apps.campaigns.models import Task


def extend(o) -> None:
    o.tasks_step_task = Task.objects.create(
        campaign=o.campaign,
        item=o.standard_version.items_by_code["1.2"],
        jurisdiction=o.comm_a1,
        title="每月召开社区创卫例会",
        assignee=o.community,
        deadline=date(2026, 8, 30),
        origin="standard",
        created_by=o.office,
    )
