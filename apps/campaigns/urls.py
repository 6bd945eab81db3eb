"""URLs of campaigns, one list per concept."""

from django.urls import path

from .views import assessment, binder, campaigns, ledger, mock, tasks

app_name = "campaigns"

CAMPAIGN_URLS = [
    # campaigns: list, create, detail, edit, transitions, phases and groups
    path("", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("new/", campaigns.campaign_create, name="campaign_create"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("<int:pk>/step/<str:name>/", campaigns.campaign_transition, name="campaign_transition"),
]

TASK_URLS = [
    # the task breakdown: generate, table, area roll-up, detail, edit, progress, transitions, exports
    path("tasks/", tasks.TaskListView.as_view(), name="task_list"),
    path("<int:pk>/tasks/", tasks.CampaignTasksView.as_view(), name="campaign_tasks"),
    path("<int:pk>/tasks/generate/", tasks.tasks_generate, name="tasks_generate"),
    path("<int:pk>/tasks/assign/", tasks.tasks_assign, name="tasks_assign"),
    path("<int:pk>/tasks/docx/", tasks.campaign_tasks_docx, name="campaign_tasks_docx"),
    path("<int:pk>/areas/", tasks.area_tasks, name="area_tasks"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress/", tasks.task_progress, name="task_progress"),
    path("tasks/<int:pk>/step/<str:name>/", tasks.task_transition, name="task_transition"),
]

LEDGER_URLS = [
    # the evidence ledger: items, rules, links, uploads, documents, missing list, timeline
    path("<int:pk>/ledger/", ledger.ledger, name="ledger"),
    path("<int:pk>/ledger/items/<int:item_pk>/", ledger.ledger_item, name="ledger_item"),
    path("<int:pk>/ledger/items/<int:item_pk>/upload/", ledger.evidence_upload, name="evidence_upload"),
    path("<int:pk>/ledger/items/<int:item_pk>/link/", ledger.evidence_link, name="evidence_link"),
    path("<int:pk>/ledger/rules/", ledger.evidence_rules, name="evidence_rules"),
    path("<int:pk>/ledger/sync/", ledger.ledger_sync, name="ledger_sync"),
    path("<int:pk>/ledger/missing/", ledger.ledger_missing, name="ledger_missing"),
    path("<int:pk>/ledger/timeline/", ledger.ledger_timeline, name="ledger_timeline"),
    path("tasks/<int:task_pk>/evidence/", ledger.task_evidence_upload, name="task_evidence_upload"),
    path("evidence/<int:link_pk>/unlink/", ledger.evidence_unlink, name="evidence_unlink"),
    path("documents/<int:pk>/", ledger.document_detail, name="document_detail"),
    path("documents/<int:pk>/download/", ledger.document_download, name="document_download"),
    path("documents/<int:pk>/supersede/", ledger.document_supersede, name="document_supersede"),
]

ASSESSMENT_URLS = [
    # the self-assessment and the gap list
    path("<int:pk>/assessment/", assessment.assessment, name="assessment"),
    path("<int:pk>/assessment/<int:item_pk>/", assessment.assessment_item, name="assessment_item"),
    path("<int:pk>/gaps/", assessment.gaps, name="gaps"),
    path("<int:pk>/gaps/<int:item_pk>/task/", assessment.gap_task, name="gap_task"),
    path("<int:pk>/gaps/<int:item_pk>/case/", assessment.gap_case, name="gap_case"),
]

MOCK_URLS = [
    # mock assessments
    path("<int:pk>/mocks/", mock.mock_list, name="mock_list"),
    path("<int:pk>/mocks/new/", mock.mock_create, name="mock_create"),
    path("mocks/<int:pk>/", mock.mock_detail, name="mock_detail"),
    path("mocks/<int:pk>/score/<int:item_pk>/", mock.mock_score, name="mock_score"),
    path("mocks/<int:pk>/submit/", mock.mock_submit, name="mock_submit"),
    path("mocks/<int:pk>/tasks/", mock.mock_tasks, name="mock_tasks"),
]

BINDER_URLS = [
    # binder exports
    path("<int:pk>/binders/", binder.binder_list, name="binder_list"),
    path("<int:pk>/binders/new/", binder.binder_start, name="binder_start"),
    path("binders/<int:pk>/", binder.binder_detail, name="binder_detail"),
    path("binders/<int:pk>/download/", binder.binder_download, name="binder_download"),
]

urlpatterns = [*CAMPAIGN_URLS, *TASK_URLS, *LEDGER_URLS, *ASSESSMENT_URLS, *MOCK_URLS, *BINDER_URLS]
