"""URLs of campaigns, one list per concept."""

from django.urls import path  # noqa: F401

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
]

urlpatterns = [*CAMPAIGN_URLS, *TASK_URLS, *LEDGER_URLS, *ASSESSMENT_URLS, *MOCK_URLS, *BINDER_URLS]
