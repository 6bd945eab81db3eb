"""URLs of campaigns, one list per concept."""

from django.urls import path

from .views import assessment, binder, campaigns, ledger, mock, tasks  # noqa: F401

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
]

ASSESSMENT_URLS = [
    # the self-assessment and the gap list
]

MOCK_URLS = [
    # mock assessments
]

BINDER_URLS = [
    # binder exports
]

urlpatterns = [*CAMPAIGN_URLS, *TASK_URLS, *LEDGER_URLS, *ASSESSMENT_URLS, *MOCK_URLS, *BINDER_URLS]
