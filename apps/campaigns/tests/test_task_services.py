"""Task services: generate (idempotent, atomic, audited once), edits and bulk assign with the area
rules and versions, progress and the status steps with who may take them."""

from datetime import date

import pytest

from apps.campaigns.models import Task
from apps.campaigns.services import tasks as services
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent


@pytest.mark.django_db
def test_generate_one_task_per_uncovered_item_idempotent(camp):
    # camp.task already covers item 1.1: the three other items get a task.
    added = services.tasks_generate(actor=camp.office, campaign=camp.campaign)
    assert added == 3
    tasks = Task.objects.filter(campaign=camp.campaign, origin="standard").exclude(pk=camp.task.pk)
    assert sorted(t.item.code for t in tasks) == ["1.2", "2.1", "2.2"]
    t21 = tasks.get(item__code="2.1")
    assert t21.title == "无暴露垃圾"
    assert t21.evidence_required == "检查记录（至少2份）"
    assert t21.deadline == date(2026, 8, 30)  # end of 自查整改 in the factory's phases
    assert t21.jurisdiction == camp.street_a and t21.group is None and t21.assignee is None
    assert services.tasks_generate(actor=camp.office, campaign=camp.campaign) == 0
    events = AuditEvent.objects.filter(action="campaigns.campaign.tasks_generated")
    assert events.count() == 1 and events.get().data == {"generated": 3}


@pytest.mark.django_db
def test_generated_tasks_each_start_their_history_with_a_created_event(camp):
    from django.contrib.contenttypes.models import ContentType

    services.tasks_generate(actor=camp.office, campaign=camp.campaign)
    tasks = Task.objects.filter(campaign=camp.campaign, origin="standard").exclude(pk=camp.task.pk)
    events = AuditEvent.objects.filter(
        action="campaigns.task.created", content_type=ContentType.objects.get_for_model(Task)
    )
    by_task = {e.object_id: e for e in events.filter(object_id__in=[str(t.pk) for t in tasks])}
    assert len(by_task) == 3
    t21 = tasks.get(item__code="2.1")
    event = by_task[str(t21.pk)]
    assert event.actor == camp.office and event.jurisdiction_path == camp.street_a.path
    assert event.data["after"]["title"] == "无暴露垃圾" and event.data["after"]["origin"]


@pytest.mark.django_db
def test_generate_without_self_check_phase_uses_campaign_end(camp):
    camp.campaign.phases.filter(kind="self_check").delete()
    services.tasks_generate(actor=camp.street, campaign=camp.campaign)
    assert set(
        Task.objects.filter(campaign=camp.campaign).exclude(pk=camp.task.pk).values_list("deadline", flat=True)
    ) == {date(2026, 12, 31)}


@pytest.mark.django_db
def test_generate_needs_to_manage_the_campaign(camp):
    with pytest.raises(OutsideJurisdiction):
        services.tasks_generate(actor=camp.community, campaign=camp.campaign)  # sees it, does not manage it
    with pytest.raises(PermissionDeniedForRole):
        services.tasks_generate(actor=camp.leader, campaign=camp.campaign)
    assert Task.objects.filter(campaign=camp.campaign).count() == 1


@pytest.mark.django_db
def test_update_checks_area_unit_person_and_version(camp):
    task = camp.task
    with pytest.raises(DomainError, match="责任单位"):
        services.task_update(actor=camp.street, task=task, changes={"unit": camp.unit_a2}, expected_version=1)
    with pytest.raises(DomainError, match="责任人"):
        services.task_update(
            actor=camp.street, task=task, changes={"assignee": camp.community_other}, expected_version=1
        )
    with pytest.raises(DomainError, match="辖区之内"):
        services.task_update(actor=camp.office, task=task, changes={"jurisdiction": camp.comm_b1}, expected_version=1)
    saved = services.task_update(
        actor=camp.street,
        task=task,
        changes={"unit": camp.unit_a1, "assignee": camp.unit_contact, "deadline": date(2026, 7, 20)},
        expected_version=1,
    )
    assert saved.version == 2 and saved.unit == camp.unit_a1
    event = AuditEvent.objects.get(action="campaigns.task.updated")
    assert event.data["changes"]["deadline"] == ["2026-07-15", "2026-07-20"]
    with pytest.raises(ConcurrentEdit):
        services.task_update(actor=camp.street, task=task, changes={"title": "x"}, expected_version=1)


@pytest.mark.django_db
def test_workers_do_not_edit_assignments(camp):
    camp.task.assignee = camp.grid
    camp.task.save()
    with pytest.raises(PermissionDeniedForRole):
        services.task_update(actor=camp.grid, task=camp.task, changes={"title": "x"}, expected_version=1)
    with pytest.raises(OutsideJurisdiction):
        services.task_update(actor=camp.community_other, task=camp.task, changes={"title": "x"}, expected_version=1)


@pytest.mark.django_db
def test_bulk_assign_all_or_nothing(camp):
    services.tasks_generate(actor=camp.office, campaign=camp.campaign)
    tasks = list(Task.objects.filter(campaign=camp.campaign).exclude(pk=camp.task.pk).order_by("id"))
    versions = {t.pk: t.version for t in tasks}
    done = services.task_bulk_assign(
        actor=camp.street,
        versions=versions,
        changes={"jurisdiction": camp.comm_a1, "group": camp.group_a1, "assignee": camp.community},
    )
    assert len(done) == 3
    assert set(Task.objects.filter(pk__in=versions).values_list("jurisdiction", "assignee")) == {
        (camp.comm_a1.pk, camp.community.pk)
    }
    assert AuditEvent.objects.filter(action="campaigns.task.assigned").count() == 3
    # One stale version rolls back the lot.
    stale = {t.pk: t.version + 1 for t in tasks}
    stale[tasks[0].pk] = 1
    with pytest.raises(ConcurrentEdit):
        services.task_bulk_assign(actor=camp.street, versions=stale, changes={"deadline": date(2026, 9, 1)})
    assert not Task.objects.filter(deadline=date(2026, 9, 1)).exists()
    # A task outside the actor's scope: refused as missing.
    with pytest.raises(OutsideJurisdiction):
        services.task_bulk_assign(
            actor=camp.community_other,
            versions={camp.task.pk: camp.task.version},
            changes={"deadline": date(2026, 9, 1)},
        )


@pytest.mark.django_db
def test_progress_by_assignee_starts_the_task_and_audits(camp):
    task = services.task_progress(actor=camp.community, task=camp.task, progress=40, expected_version=1)
    assert task.progress == 40 and task.status == "in_progress"
    event = AuditEvent.objects.get(action="campaigns.task.progress_updated")
    assert event.data["changes"]["progress"] == [0, 40]
    assert AuditEvent.objects.filter(action="campaigns.task.started").count() == 1
    with pytest.raises(ConcurrentEdit):
        services.task_progress(actor=camp.community, task=task, progress=50, expected_version=1)
    with pytest.raises(OutsideJurisdiction):  # the grid worker does not see a community's task
        services.task_progress(actor=camp.grid, task=task, progress=50, expected_version=task.version)
    # In the grid's own area but given to someone else: seen, not theirs to update (403).
    task = services.task_update(
        actor=camp.street,
        task=task,
        changes={"jurisdiction": camp.grid_a1, "assignee": None},
        expected_version=task.version,
    )
    with pytest.raises(PermissionDeniedForRole):
        services.task_progress(actor=camp.grid, task=task, progress=50, expected_version=task.version)


@pytest.mark.django_db
def test_workflow_permissions(camp):
    task = camp.task
    # Leader: role not in the table (403).
    with pytest.raises(PermissionDeniedForRole):
        services.task_transition(actor=camp.leader, task=task, name="start")
    # Another community: outside the scope (404).
    with pytest.raises(OutsideJurisdiction):
        services.task_transition(actor=camp.community_other, task=task, name="start")
    # Completing needs a note.
    with pytest.raises(DomainError, match="完成情况"):
        services.task_transition(actor=camp.community, task=task, name="complete", note=" ")
    done = services.task_transition(actor=camp.community, task=task, name="complete", note="已成立", expected_version=1)
    assert done.status == "done" and done.progress == 100 and done.completed_at is not None
    assert done.completion_note == "已成立"
    # The unit contact of another task's unit may not reopen (managers only).
    with pytest.raises(PermissionDeniedForRole):
        services.task_transition(actor=camp.grid, task=done, name="reopen")
    reopened = services.task_transition(actor=camp.street, task=done, name="reopen")
    assert reopened.status == "in_progress" and reopened.completed_at is None


@pytest.mark.django_db
def test_unit_contact_works_on_unit_tasks(camp):
    task = services.task_update(
        actor=camp.street, task=camp.task, changes={"unit": camp.unit_a1, "assignee": None}, expected_version=1
    )
    done = services.task_transition(actor=camp.unit_contact, task=task, name="complete", note="已完成")
    assert done.status == "done"
    with pytest.raises(PermissionDeniedForRole):
        services.task_transition(actor=camp.unit_contact, task=done, name="reopen")
