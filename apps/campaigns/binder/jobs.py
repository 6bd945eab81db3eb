"""The background job that builds a binder."""

from celery import shared_task


@shared_task
def campaign_binder_build(binder_id: int) -> None:
    """Placeholder: the binder helper fills this in."""
