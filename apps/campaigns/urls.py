"""URLs of campaigns, one list per concept."""

from django.urls import path

from .views import assessment, binder, campaigns, ledger, mock, tasks  # noqa: F401

app_name = "campaigns"

CAMPAIGN_URLS = [
    # campaigns: list, create, detail, edit, transitions, phases and groups
]

TASK_URLS = [
    # the task breakdown: generate, table, area roll-up, detail, edit, progress, transitions, exports
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
    path("<int:pk>/binders/", binder.binder_list, name="binder_list"),
    path("<int:pk>/binders/new/", binder.binder_start, name="binder_start"),
    path("binders/<int:pk>/", binder.binder_detail, name="binder_detail"),
    path("binders/<int:pk>/download/", binder.binder_download, name="binder_download"),
]

urlpatterns = [*CAMPAIGN_URLS, *TASK_URLS, *LEDGER_URLS, *ASSESSMENT_URLS, *MOCK_URLS, *BINDER_URLS]
