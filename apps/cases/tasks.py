from celery import shared_task

from . import services


@shared_task(name="apps.cases.tasks.cases_escalate")
def cases_escalate() -> dict:
    return services.cases_escalate()
