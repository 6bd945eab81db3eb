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
]

MOCK_URLS = [
    # mock assessments
]

BINDER_URLS = [
    # binder exports
]

urlpatterns = [*CAMPAIGN_URLS, *TASK_URLS, *LEDGER_URLS, *ASSESSMENT_URLS, *MOCK_URLS, *BINDER_URLS]
